"""`interviewkit export -o`: where the files go, and that nothing is written over without --force.

A path ending in ``/``, an existing folder, or an export of several sessions in a per-session
format means a folder with one ``<session>.<ext>`` per session; formats that hold every session
in one file (qdpx, docx, csv, json) stay one file, placed in the folder when a folder is named.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from interviewkit.export.output import plan_output
from tests.conftest import assert_user_error, run_cli
from tests.export.test_selection import group_transcript, review_all


@pytest.fixture
def base(demo_project, demo_key, cli_env):
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    group_transcript(demo_project)
    review_all(demo_project)
    return ["export", str(demo_project.root), "--identity", str(demo_key)]


def exports_logged(project) -> int:
    entries, _ = project.audit_entries()
    return sum(1 for e in entries if e.action == "export")


def test_a_path_ending_in_a_slash_is_a_folder_even_for_one_session(base, cli_env, tmp_path: Path) -> None:
    out = run_cli([*base, "-f", "txt", "--session", "S02", "-o", f"{tmp_path / 'transcripts'}/"], cli_env).stdout
    assert (tmp_path / "transcripts").is_dir()
    assert [p.name for p in (tmp_path / "transcripts").iterdir()] == ["S02.txt"]
    assert f"wrote {tmp_path / 'transcripts' / 'S02.txt'}" in out
    for fmt in ("md", "srt", "vtt"):  # every per-session format
        run_cli([*base, "-f", fmt, "--session", "S02", "-o", f"{tmp_path / fmt}/"], cli_env)
        assert [p.name for p in (tmp_path / fmt).iterdir()] == [f"S02.{fmt}"]


def test_an_existing_folder_and_several_sessions_mean_a_folder(base, cli_env, tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    run_cli([*base, "-f", "txt", "--session", "S02", "-o", str(tmp_path / "here")], cli_env)
    assert [p.name for p in (tmp_path / "here").iterdir()] == ["S02.txt"]
    run_cli([*base, "-f", "vtt", "-o", str(tmp_path / "all")], cli_env)  # no slash, two sessions
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["G01.vtt", "S02.vtt"]
    run_cli([*base, "-f", "txt", "--session", "S02", "-o", str(tmp_path / "one.txt")], cli_env)
    assert (tmp_path / "one.txt").is_file() and "[00:00:" in (tmp_path / "one.txt").read_text(encoding="utf-8")


def test_one_file_formats_stay_one_file(base, cli_env, tmp_path: Path) -> None:
    run_cli([*base, "-f", "qdpx", "-o", f"{tmp_path / 'coding'}/"], cli_env)
    [qdpx] = list((tmp_path / "coding").iterdir())
    assert qdpx.suffix == ".qdpx" and "project.qde" in zipfile.ZipFile(qdpx).namelist()
    run_cli([*base, "-f", "csv", "-o", str(tmp_path / "turns.csv")], cli_env)
    text = (tmp_path / "turns.csv").read_text(encoding="utf-8-sig")
    assert "G01" in text and "S02" in text  # both sessions in the one file


def test_an_existing_file_is_replaced_only_with_force(base, demo_project, cli_env, tmp_path: Path) -> None:
    target = tmp_path / "turns.csv"
    target.write_bytes(b"my own notes\n")
    before = exports_logged(demo_project)
    result = run_cli([*base, "-f", "csv", "-o", str(target)], cli_env, check=False)
    assert_user_error(result, str(target), "already exists", "--force")
    assert target.read_bytes() == b"my own notes\n"
    assert exports_logged(demo_project) == before  # nothing exported, nothing logged
    run_cli([*base, "-f", "csv", "-o", str(target), "--force"], cli_env)
    assert "S02" in target.read_text(encoding="utf-8-sig")
    assert exports_logged(demo_project) == before + 1


def test_one_existing_file_in_the_folder_stops_the_whole_export(base, cli_env, tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "S02.srt").write_text("mine")
    result = run_cli([*base, "-f", "srt", "-o", f"{folder}/"], cli_env, check=False)
    assert_user_error(result, str(folder / "S02.srt"), "already exists", "--force")
    assert sorted(p.name for p in folder.iterdir()) == ["S02.srt"]  # G01.srt was not written either
    assert (folder / "S02.srt").read_text() == "mine"
    run_cli([*base, "-f", "srt", "-o", f"{folder}/", "--force"], cli_env)
    assert sorted(p.name for p in folder.iterdir()) == ["G01.srt", "S02.srt"]
    assert (folder / "S02.srt").read_text(encoding="utf-8") != "mine"


def test_plan_output_rules(tmp_path: Path) -> None:
    one, two = {"S01.txt": b"a"}, {"S01.txt": b"a", "S02.txt": b"b"}
    assert list(plan_output(one, str(tmp_path / "x.txt")).targets) == [tmp_path / "x.txt"]
    assert list(plan_output(one, f"{tmp_path / 'x'}/").targets) == [tmp_path / "x" / "S01.txt"]
    assert list(plan_output(two, str(tmp_path / "x")).targets) == [tmp_path / "x" / "S01.txt", tmp_path / "x" / "S02.txt"]
    assert plan_output(one, str(tmp_path)).folder == tmp_path  # an existing folder
    assert not (tmp_path / "x").exists()  # planning makes nothing
