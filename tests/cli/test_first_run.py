"""What a first-time user meets: `interviewkit demo` and `init` wherever they are run.

A shipped guide's name is never looked up in the current folder (a folder or file named `demo`
there changes nothing), and a failed `init` or `demo` leaves no half-made project behind.
"""

from __future__ import annotations

import resource
import shlex
import shutil
import signal
import sys
from pathlib import Path

import pytest

from interviewkit.demo import DEMO_PASSPHRASE, create_demo
from interviewkit.errors import InterviewkitError
from interviewkit.guides import shipped
from interviewkit.interview import load_run
from interviewkit.project import Credentials, Project
from tests.conftest import assert_user_error, run_cli


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _demo_guide_source(root: Path) -> str:
    project = Project.open(root, Credentials(passphrase=DEMO_PASSPHRASE))
    run = load_run(project, project.index.find_session("S01"))
    assert run is not None and run.record.source_name == "demo.yaml"
    return run.record.source


def test_demo_create_demo_in_the_current_folder(tmp_path, cli_env):
    """`demo --create demo`: the new project folder is itself named `demo`."""
    result = run_cli(["demo", "--create", "demo"], cli_env, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Created the demo project in {tmp_path / 'demo'}" in result.stdout
    assert _demo_guide_source(tmp_path / "demo") == shipped.shipped_guide("demo").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("shadow", ["folder", "file"])
def test_demo_beside_something_named_demo(tmp_path, cli_env, shadow):
    if shadow == "folder":
        (tmp_path / "demo").mkdir()
        (tmp_path / "demo" / "notes.txt").write_text("mine")
    else:
        (tmp_path / "demo").write_text("title: not the shipped guide\n")
    (tmp_path / "demo.yaml").write_text("title: not the shipped guide either\n")
    result = run_cli(["demo", "--create", "study"], cli_env, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not the shipped guide" not in _demo_guide_source(tmp_path / "study")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "demo.yaml", "study", "tmp"]
    if shadow == "folder":
        assert (tmp_path / "demo" / "notes.txt").read_text() == "mine"  # nothing of the user's is touched


def test_interview_guide_by_name_beside_a_folder_of_that_name(tmp_path, monkeypatch):
    from interviewkit.interview import resolve_guide

    (tmp_path / "demo").mkdir()
    monkeypatch.chdir(tmp_path)
    assert resolve_guide("demo").record.source_name == "demo.yaml"
    with pytest.raises(InterviewkitError, match="no such guide file"):
        resolve_guide("not-a-shipped-guide/")


def test_guide_check_by_name_beside_a_folder_of_that_name(tmp_path, cli_env):
    (tmp_path / "demo").mkdir()
    result = run_cli(["guide", "check", "demo"], cli_env, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")
def test_interviewkit_demo_opens_in_a_folder_holding_demo(tmp_path):
    from tests.terminal import Terminal

    here = tmp_path / "work"
    (here / "demo").mkdir(parents=True)
    (here / "demo.yaml").write_text("title: mine\n")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "config").mkdir()
    env = {"TERM": "xterm-256color", "TMPDIR": str(tmp_path / "tmp"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "INTERVIEWKIT_LANG": "en"}
    command = f"sh -c {shlex.quote(f'cd {shlex.quote(str(here))} && exec {shlex.quote(sys.executable)} -m interviewkit demo')}"
    term = Terminal(command, env)
    try:
        term.wait_for("Tjenester for unge i kommunen (demo)", timeout=120)
        term.keys("C-q")
        term.wait_for("EXITED-0", timeout=30)
    finally:
        term.close()
    assert sorted(p.name for p in here.iterdir()) == ["demo", "demo.yaml"]
    assert not list((tmp_path / "tmp").glob("interviewkit-demo-*"))


def test_init_that_fails_on_a_full_disk_leaves_no_folder(tmp_path, cli_env):
    """The kernel refuses a write (EFBIG) after the first key files, as a full disk would."""
    target = tmp_path / "new" / "project"
    result = run_cli(["init", str(target), "--title", "x"], cli_env, check=False, preexec_fn=_limit_file_size(700))
    assert_user_error(result, "disk full")
    assert not (tmp_path / "new").exists()  # the parent it made goes too
    assert list(tmp_path.iterdir()) == [tmp_path / "tmp"]  # cli_env's TMPDIR, nothing else


def test_demo_that_fails_on_a_full_disk_leaves_no_folder(tmp_path, cli_env):
    result = run_cli(["demo", "--create", "demo"], cli_env, check=False, cwd=tmp_path,
                     preexec_fn=_limit_file_size(20_000))  # the project is made; the demo's audio is not
    assert_user_error(result, "disk full")
    assert not (tmp_path / "demo").exists()


def test_a_failed_init_into_an_empty_folder_leaves_it_empty(tmp_path, cli_env):
    target = tmp_path / "empty"
    target.mkdir()
    result = run_cli(["init", str(target), "--title", "x"], cli_env, check=False, preexec_fn=_limit_file_size(700))
    assert_user_error(result, "disk full")
    assert target.is_dir() and list(target.iterdir()) == []  # it was there before: it stays, empty


def test_demo_with_a_broken_guide_leaves_no_folder(tmp_path, monkeypatch):
    """A problem in the shipped guide (the last step of the demo) undoes the whole demo."""
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "demo.yaml").write_text("title: [unclosed\n")
    monkeypatch.setattr(shipped, "guides_folder", lambda: guides)
    with pytest.raises(InterviewkitError):
        create_demo(tmp_path / "demo")
    assert not (tmp_path / "demo").exists()


def test_init_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(tmp_path, cli_env):
    target = tmp_path / "full"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    assert_user_error(run_cli(["init", str(target), "--title", "x"], cli_env, check=False), "not empty")
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
