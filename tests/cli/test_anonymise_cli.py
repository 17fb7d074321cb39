"""`interviewkit anonymise` on plain files and on a project session, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import save_transcript
from tests.conftest import assert_user_error, run_cli

TEXT = ("I: Hvem var med?\nD1: Det var Kari Nordmann fra Levanger, og kollegaen hennes Håvard Strømsholm.\n"
        "D1: Du kan ringe meg på +47 481 23 456 eller skrive til kari.nordmann@example.no.\n")


def test_a_file_to_stdout_with_a_names_list(tmp_path: Path, cli_env) -> None:
    source = tmp_path / "intervju.txt"
    source.write_text(TEXT, encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text("# known names\nKari Nordmann\nkommune: Levanger\n", encoding="utf-8")
    out = run_cli(["anonymise", str(source), "--names", str(names)], cli_env).stdout
    for secret in ("Kari", "Nordmann", "Levanger", "Håvard", "481 23 456", "example.no"):
        assert secret not in out, (secret, out)
    assert "[Person 1]" in out and "[Kommune A]" in out and "[e-post]" in out and out.startswith("I: Hvem var med?")
    data = json.loads(run_cli(["anonymise", str(source), "--names", str(names), "--format", "json"], cli_env).stdout)
    for item in data["replacements"]:
        assert TEXT[item["start"]:item["end"]] == item["text"]  # offsets into the original
    assert {r["type"] for r in data["replacements"]} >= {"person", "municipality", "phone", "email"}
    assert data["text"] == out


def test_bad_files_are_one_line(tmp_path: Path, cli_env) -> None:
    assert_user_error(run_cli(["anonymise", str(tmp_path / "missing.txt")], cli_env, check=False), "missing.txt")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Kari fra Bodø".encode("latin-1"))
    assert_user_error(run_cli(["anonymise", str(latin)], cli_env, check=False), "latin1.txt", "UTF-8")
    source = tmp_path / "ok.txt"
    source.write_text("Hei", encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text("Kari\nhund: Fido\n", encoding="utf-8")
    assert_user_error(run_cli(["anonymise", str(source), "--names", str(names)], cli_env, check=False),
                      "names.txt:2", "hund")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert run_cli(["anonymise", str(empty)], cli_env).stdout == ""


def test_a_project_session_is_printed_only_once_reviewed(demo_project, demo_key, cli_env) -> None:
    session = demo_project.index.find_session("S02")
    save_transcript(demo_project, session, Transcript(
        [Segment("a", "t", 0.0, 4.0, "Eva Demo møtte Håvard Strømsholm i Eksempelby.", "D6")], {"D6": "Eva Demo"}, "no"))
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")  # the demo opens with its key file
    base = ["anonymise", str(demo_project.root), "S02", "--identity", str(demo_key)]
    refused = run_cli(base, cli_env, check=False)
    assert_user_error(refused, "S02", "not reviewed")
    assert "Håvard" not in refused.stdout
    listing = run_cli([*base, "--list"], cli_env).stdout
    assert "Håvard Strømsholm" in listing and "D6" in listing and "Kommune A" in listing
    printed = run_cli([*base, "--accept-all"], cli_env).stdout
    assert "[D6] møtte [Person" in printed and "Håvard" not in printed and "Eksempelby" not in printed
    assert_user_error(run_cli([*base, "--accept", "person-99"], cli_env, check=False), "person-99")
    assert_user_error(run_cli(["anonymise", str(demo_project.root)], cli_env, check=False), "SESSION")
    # project end: the key is destroyed (a typed confirmation, or --yes for scripts)
    destroy = ["linkage", "destroy", str(demo_project.root), "--identity", str(demo_key)]
    assert_user_error(run_cli(destroy, cli_env, check=False), "--yes")
    done = run_cli([*destroy, "--yes"], cli_env).stdout
    assert "Linkage key destroyed" in done and "audio remain" in done
    assert_user_error(run_cli(base, cli_env, check=False), "destroyed")
    shown = run_cli(["transcript", "show", str(demo_project.root), "S02", "--identity", str(demo_key)], cli_env).stdout
    assert "Håvard" not in shown and "[D6] møtte" in shown
