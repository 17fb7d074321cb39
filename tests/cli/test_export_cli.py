"""`interviewkit export` through the real CLI: files written, gates applied, encrypted on request."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
import srt

from interviewkit.vault.keys import parse_identity_file
from tests.conftest import assert_user_error, run_cli
from tests.export.test_selection import MARKER, group_transcript, review_all


@pytest.fixture
def base(demo_project, demo_key, cli_env):
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    group_transcript(demo_project)
    return ["export", str(demo_project.root), "--identity", str(demo_key)]


def test_unreviewed_refused_then_exported_in_formats(base, demo_project, cli_env, tmp_path: Path) -> None:
    assert_user_error(run_cli([*base, "-f", "qdpx", "-o", str(tmp_path / "x.qdpx")], cli_env, check=False),
                      "not reviewed")
    assert not (tmp_path / "x.qdpx").exists()
    review_all(demo_project)
    out = run_cli([*base, "-f", "qdpx", "-o", str(tmp_path / "study.qdpx")], cli_env).stdout
    assert "left out: D5: withdrew" in out and "unencrypted" in out
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        assert "project.qde" in archive.namelist()
        assert all(n == "project.qde" or n.startswith("sources/") for n in archive.namelist())
        assert MARKER not in "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    run_cli([*base, "-f", "srt", "-o", str(tmp_path / "subs")], cli_env)
    cues = list(srt.parse((tmp_path / "subs" / "G01.srt").read_text(encoding="utf-8")))
    assert [c.content.split(":")[0] for c in cues] == ["I", "D2", "D3", "D4"]
    entries, _ = demo_project.verify_audit()
    assert [e.details["format"] for e in entries if e.action == "export"] == ["qdpx", "srt"]


def test_identifiable_needs_yes_and_encryption_works(base, demo_project, cli_env, tmp_path: Path) -> None:
    review_all(demo_project)
    assert_user_error(run_cli([*base, "-f", "txt", "-o", str(tmp_path / "t"), "--identifiable"], cli_env,
                              check=False), "--identifiable", "--yes")
    key = tmp_path / "steward.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipient = made.stderr.split("Public key:")[1].strip()
    run_cli([*base, "-f", "json", "-o", str(tmp_path / "study.json"), "--encrypt-to", recipient], cli_env)
    sealed = tmp_path / "study.json.age"
    assert sealed.exists() and not (tmp_path / "study.json").exists()
    assert b"Ventetida" not in sealed.read_bytes()
    plain = subprocess.run(["age", "-d", "-i", str(key), str(sealed)], capture_output=True, check=True).stdout
    assert b"Ventetida" in plain and MARKER.encode() not in plain  # the stock age tool agrees
    assert parse_identity_file(key)


def test_archive_purpose_and_bad_input(base, demo_project, cli_env, tmp_path: Path) -> None:
    review_all(demo_project)
    run_cli([*base, "-f", "csv", "-o", str(tmp_path / "a.csv"), "--purpose", "archive"], cli_env)
    assert "Ventetida" not in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")  # D3: no archiving consent
    assert_user_error(run_cli([*base, "-f", "csv", "-o", str(tmp_path / "b.csv"), "--session", "S99"], cli_env,
                              check=False), "S99")
    assert_user_error(run_cli([*base, "-f", "csv", "-o", str(tmp_path / "c.csv"), "--encrypt-to", "age1nope"],
                              cli_env, check=False), "--encrypt-to")
    (tmp_path / "file.txt").write_text("x")
    assert_user_error(run_cli([*base, "-f", "txt", "-o", str(tmp_path / "file.txt")], cli_env, check=False),
                      "folder")


def test_a_starter_codebook_from_the_interview_guide(base, demo_project, cli_env, tmp_path: Path) -> None:
    import xmlschema

    from interviewkit.export.qdpx import schema

    review_all(demo_project)
    guide = Path(__file__).resolve().parents[2] / "guides" / "ungdom-tjenester-individuelt.yaml"
    assert_user_error(run_cli([*base, "-f", "qdc", "-o", str(tmp_path / "c.qdc")], cli_env, check=False), "--guide")
    run_cli([*base, "-f", "qdc", "--guide", str(guide), "-o", str(tmp_path / "codes.qdc")], cli_env)
    codebook = (tmp_path / "codes.qdc").read_text(encoding="utf-8")
    xmlschema.XMLSchema(str(schema("Codebook.xsd"))).validate(str(tmp_path / "codes.qdc"))
    assert "Erfaringer med å få hjelp" in codebook and "Eksempelby" not in codebook
    run_cli([*base, "-f", "qdpx", "--guide", str(guide), "-o", str(tmp_path / "s.qdpx")], cli_env)
    with zipfile.ZipFile(tmp_path / "s.qdpx") as archive:
        project_xml = archive.read("project.qde").decode()
    assert "<CodeBook>" in project_xml and "Erfaringer med å få hjelp" in project_xml
