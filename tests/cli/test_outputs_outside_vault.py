"""Attacks on the outputs: every ``-o`` of the CLI aimed into a project folder (the project key, the
names, the signed log, a session folder, the project folder itself, through a symlink, through
``..``, as a relative path typed inside it) is refused with one line and exit 2, before anything is
opened or written: every file of the project is byte for byte as before, and it still opens.  A
file outside every project is replaced only with --force (see interviewkit.export.output)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewkit.errors import DiskFull
from interviewkit.export.output import (
    OutputExists,
    OutputInsideProject,
    OutputIsFolder,
    check_output,
    plan_output,
    project_holding,
    save_file,
    write_output,
)
from interviewkit.interview import ManualClock
from tests.conftest import REPO, assert_user_error, run_cli
from tests.export.test_selection import group_transcript, review_all
from tests.interview.test_store import played

AUDIO = REPO / "samples" / "interview-en.ogg"
MINE = b"my own file, not an output\n"

# Each command that writes with -o, as (name, arguments before -o); {P} the project, {K} its key.
COMMANDS: dict[str, list[str]] = {
    "export": ["export", "{P}", "-i", "{K}", "-f", "txt", "--session", "S02"],
    "export-folder": ["export", "{P}", "-i", "{K}", "-f", "srt"],
    "interview summary": ["interview", "summary", "{P}", "S01", "-i", "{K}"],
    "archive report": ["archive", "report", "{P}", "-i", "{K}"],
    "archive erasure-report": ["archive", "erasure-report", "{P}", "D5", "-i", "{K}"],
    "transcribe file": ["transcribe", str(AUDIO), "--model", "tiny.en"],
    "transcribe session": ["transcribe", "{P}", "S02", "--format", "txt", "-i", "{K}"],
}


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under root (hidden ones too; not symlinks) by its path, with the SHA-256 of its bytes."""
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def session_folder(root: Path) -> Path:
    return sorted((root / "sessions").iterdir())[0]


# Each attack: (the -o as typed, the working folder) made from the project folder and tmp_path.
ATTACKS: dict[str, Callable[[Path, Path], tuple[str, Path | None]]] = {
    "the project key": lambda p, tmp: (str(p / "keys" / "identity.age"), None),
    "the names (linkage)": lambda p, tmp: (str(p / "linkage.age"), None),
    "the signed log": lambda p, tmp: (str(p / "audit.age"), None),
    "the index": lambda p, tmp: (str(p / "index.age"), None),
    "the marker": lambda p, tmp: (str(p / "interviewkit-project.json"), None),
    "a new file in a session folder": lambda p, tmp: (str(session_folder(p) / "x"), None),
    "a folder in a session folder": lambda p, tmp: (f"{session_folder(p) / 'out'}/", None),
    "the project folder itself": lambda p, tmp: (str(p), None),
    "the project folder with a slash": lambda p, tmp: (f"{p}/", None),
    "P/../P/audit.age": lambda p, tmp: (str(p / ".." / p.name / "audit.age"), None),
    "a symlinked folder into P": lambda p, tmp: (str(link(tmp / "into", p) / "audit.age"), None),
    "a symlink to the log": lambda p, tmp: (str(link(tmp / "log.txt", p / "audit.age")), None),
    "a dangling symlink into P": lambda p, tmp: (str(link(tmp / "new.txt", p / "new.txt")), None),
    "a relative path typed in P": lambda p, tmp: ("audit.age", p),
    "a relative new file in a session": lambda p, tmp: ("notes.md", session_folder(p)),
    "a relative ../ back into P": lambda p, tmp: (f"../{p.name}/linkage.age", p / "sessions"),
}


def link(path: Path, target: Path) -> Path:
    if not path.is_symlink():
        path.symlink_to(target)
    return path


@pytest.fixture
def ready(demo_project, demo_key, cli_env):
    """The demo with an interview run in S01 and reviewed transcripts (every command has work to do);
    the CLI opens it with the project key file, never a passphrase."""
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    played(demo_project, ManualClock())
    group_transcript(demo_project)
    review_all(demo_project)
    return demo_project


def argv(command: str, root: Path, key: Path, output: str, *more: str) -> list[str]:
    words = [w.replace("{P}", str(root)).replace("{K}", str(key)) for w in COMMANDS[command]]
    return [*words, "-o", output, *more]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_output_lands_in_the_project(command: str, ready, demo_key: Path, cli_env, reopen, tmp_path: Path) -> None:
    root = ready.root
    before = fingerprint(root)
    outside = fingerprint(tmp_path)  # nothing is written beside the project either
    for attack, make in ATTACKS.items():
        output, cwd = make(root, tmp_path)
        result = run_cli(argv(command, root, demo_key, output, "--force"), cli_env, check=False, cwd=cwd)
        assert_user_error(result, output.rstrip("/"), "is inside the project folder", str(root.resolve()))
        assert fingerprint(root) == before, (command, attack)
    assert [k for k in fingerprint(tmp_path) if not k.startswith("tmp/")] == \
        [k for k in outside if not k.startswith("tmp/")]  # nor beside it
    again = reopen(root)
    assert not again.verify_audit()[1]
    assert again.index.find_session("S02") is not None


WORKS_QUICKLY = [c for c in COMMANDS if not c.startswith("transcribe")]


@pytest.mark.parametrize("command", WORKS_QUICKLY)
def test_a_file_outside_is_replaced_only_with_force(command: str, ready, demo_key: Path, cli_env,
                                                    tmp_path: Path) -> None:
    target = tmp_path / "out" / ("S02.srt" if command == "export-folder" else "mine.md")
    target.parent.mkdir()
    target.write_bytes(MINE)
    given = f"{target.parent}/" if command == "export-folder" else str(target)
    before = fingerprint(ready.root)
    assert_user_error(run_cli(argv(command, ready.root, demo_key, given), cli_env, check=False),
                      str(target), "already exists", "--force")
    assert target.read_bytes() == MINE
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # nothing else written either
    assert fingerprint(ready.root) == before  # refused before the project was touched (no audit entry)
    run_cli(argv(command, ready.root, demo_key, given, "--force"), cli_env)
    assert target.read_bytes() != MINE and target.stat().st_size > 0
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("transcribe")])
def test_transcribe_refuses_an_existing_file_before_any_work(command: str, ready, demo_key: Path, cli_env,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    target.write_bytes(MINE)
    before = fingerprint(ready.root)
    result = run_cli(argv(command, ready.root, demo_key, str(target)), cli_env, check=False)
    assert_user_error(result, str(target), "already exists", "--force")
    assert target.read_bytes() == MINE and fingerprint(ready.root) == before


@pytest.mark.slow
def test_transcribe_replaces_a_file_outside_with_force(cli_env, tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    target.write_bytes(MINE)
    run_cli(["transcribe", str(AUDIO), "--model", "tiny.en", "--language", "en", "-o", str(target), "--force"],
            cli_env)
    assert target.read_bytes() != MINE and "youth" in target.read_text(encoding="utf-8").lower()


def test_an_output_that_is_a_folder_is_one_line(ready, demo_key: Path, cli_env, tmp_path: Path) -> None:
    result = run_cli(argv("archive report", ready.root, demo_key, str(tmp_path)), cli_env, check=False)
    assert_user_error(result, str(tmp_path), "is a folder")


# -- the core rule, without the CLI ------------------------------------------------------------

def test_project_holding_follows_dots_and_symlinks(project_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = project_dir.resolve()
    assert project_holding(project_dir) == real
    assert project_holding(project_dir / "deep" / "er" / "x.md") == real  # not there yet: still inside
    assert project_holding(project_dir / ".." / project_dir.name / "x") == real
    assert project_holding(link(tmp_path / "door", project_dir) / "x") == real
    monkeypatch.chdir(project_dir / "keys")
    assert project_holding("identity.age") == real
    assert project_holding(tmp_path / "elsewhere.md") is None
    assert project_holding(project_dir.parent) is None  # the folder holding a project is not one


def test_check_output_refuses_and_writes_nothing(project_dir: Path, tmp_path: Path) -> None:
    before = fingerprint(project_dir)
    with pytest.raises(OutputInsideProject) as caught:
        save_file(project_dir / "audit.age", b"plaintext", overwrite=True)
    assert caught.value.code == "output.inside_project" and caught.value.field == "output"
    with pytest.raises(OutputInsideProject):
        plan_output({"S01.txt": b"a", "S02.txt": b"b"}, str(project_dir / "sessions"))
    assert fingerprint(project_dir) == before
    mine = tmp_path / "mine.md"
    mine.write_bytes(MINE)
    with pytest.raises(OutputExists):
        save_file(mine, b"new")
    with pytest.raises(OutputIsFolder):
        check_output([tmp_path], overwrite=True)
    with pytest.raises(OutputIsFolder) as caught:
        check_output([Path("/dev/null")], overwrite=True)  # never replaced by a file, even with consent
    assert caught.value.code == "output.not_a_file"
    assert mine.read_bytes() == MINE
    assert save_file(mine, b"new", overwrite=True) == mine and mine.read_bytes() == b"new"
    fresh = tmp_path / "a" / "b.md"
    save_file(fresh, b"made")
    assert fresh.read_bytes() == b"made"


def test_a_planned_export_is_checked_again_when_written(project_dir: Path, tmp_path: Path) -> None:
    """The folder was outside when planned, and is a symlink into the project when written."""
    door = tmp_path / "door"
    plan = plan_output({"S01.txt": b"a", "S02.txt": b"b"}, f"{door}/")
    link(door, project_dir)
    before = fingerprint(project_dir)
    with pytest.raises(OutputInsideProject):
        write_output(plan, overwrite=True)
    assert fingerprint(project_dir) == before


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.md"
    mine.write_bytes(MINE)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull):
        save_file(mine, b"new" * 1000, overwrite=True)
    assert mine.read_bytes() == MINE
    assert [p.name for p in tmp_path.iterdir()] == ["mine.md"]  # no half file beside it


def test_an_export_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("S01.srt", "S02.srt"):
        (folder / name).write_bytes(MINE)
    plan = plan_output({"S01.srt": b"one", "S02.srt": b"two"}, f"{folder}/")
    real_fsync, calls = os.fsync, []

    def full_at_the_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_at_the_second)
    with pytest.raises(DiskFull):
        write_output(plan, overwrite=True)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert sorted(p.name for p in folder.iterdir()) == ["S01.srt", "S02.srt"]  # no temp file left
    assert all((folder / name).read_bytes() == MINE for name in ("S01.srt", "S02.srt"))  # the first kept too
    assert write_output(plan, overwrite=True) == [folder / "S01.srt", folder / "S02.srt"]
    assert (folder / "S01.srt").read_bytes() == b"one" and (folder / "S02.srt").read_bytes() == b"two"


def test_a_guide_is_not_copied_into_a_project(project_dir: Path, cli_env, tmp_path: Path) -> None:
    before = fingerprint(project_dir)
    for target in (project_dir, project_dir / "guides", project_dir / "sessions"):
        assert_user_error(run_cli(["guide", "copy", "demo", str(target)], cli_env, check=False),
                          str(target), "is inside the project folder")
    assert_user_error(run_cli(["guide", "copy", "demo"], cli_env, check=False, cwd=project_dir / "keys"),
                      "is inside the project folder")
    assert fingerprint(project_dir) == before
    assert "demo.yaml" in run_cli(["guide", "copy", "demo", str(tmp_path / "guides")], cli_env).stdout
