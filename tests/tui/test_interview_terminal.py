"""The real `interviewkit interview` command in a real terminal (tmux): marks made, the process
killed with SIGKILL, the command run again resumes where it was."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from interviewkit.interview import ManualClock, load_run
from tests.terminal import Terminal

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")]


def wait_until(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except Exception:  # noqa: BLE001 - not saved yet
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the expected state was never saved")
        time.sleep(0.2)


def test_interview_command_resumes_after_kill_9(demo_root: Path, demo_key: Path, reopen, tmp_path: Path) -> None:
    from interviewkit.interview import shipped_guide_names

    guide = shipped_guide_names()[0]
    (tmp_path / "tmp").mkdir()
    env = {"TERM": "xterm-256color", "TMPDIR": str(tmp_path / "tmp"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    command = (f"{shlex.quote(sys.executable)} -m interviewkit interview {shlex.quote(str(demo_root))} S01 "
               f"--guide {guide} --minutes 60 --identity {shlex.quote(str(demo_key))} --lang en")

    def session_run():
        project = reopen(demo_root)
        return load_run(project, project.index.find_session("S01"), ManualClock())

    term = Terminal(command, env)
    try:
        term.wait_for("Question 1 of")
        term.keys("Space")
        term.wait_for("running")
        term.keys("a")
        term.keys("s")
        term.keys("l")
        run = wait_until(lambda: (r := session_run()) and r.counts()["later"] == 1 and r)
        first, second, third = run.order()[:3]
        os.kill(term.program_pid(), signal.SIGKILL)
        term.wait_for(f"EXITED-{128 + signal.SIGKILL}")
    finally:
        term.close()
    run = session_run()
    assert (run.state_of(first), run.state_of(second), run.state_of(third)) == ("asked", "skipped", "later")
    assert run.running and run.planned_minutes == 60 and run.record.source_name == f"{guide}.yaml"

    term = Terminal(command, env)  # --guide again: the interview keeps the guide it began with
    try:
        screen = term.wait_for("Question 4 of")
        assert "running" in screen and "✓" in screen and "✗" in screen and "↺" in screen
        term.keys("C-q")
        term.wait_for("EXITED-0", timeout=30)
    finally:
        term.close()
    again = session_run()
    assert again.current == run.current and [e.kind for e in again.events].count("reopen") == 1
