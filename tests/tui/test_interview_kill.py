"""An interview app killed with SIGKILL mid-interview resumes exactly where it was saved, and
the time it was dead is not counted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from textual.widgets import Label

from interviewkit.interview import ManualClock, load_run
from interviewkit.tui.screens.interview import InterviewApp, InterviewScreen

REPO = Path(__file__).resolve().parents[2]
SIZE = (120, 40)

SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path

    from interviewkit.interview import ManualClock
    from interviewkit.project import Credentials, Project
    from interviewkit.tui.screens.interview import InterviewApp
    from tests.interview.guides import sample_guide


    async def settle(pilot):
        for _ in range(4):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()


    async def main():
        project = Project.open(Path(sys.argv[1]), Credentials(identity_files=[Path(sys.argv[2])]))
        clock = ManualClock()
        app = InterviewApp(project, project.index.find_session("S01"), guide=sample_guide(), clock=clock,
                           language="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("space")
            clock.advance(100)
            await pilot.press("a")
            clock.advance(50)
            await pilot.press("s")
            await pilot.press("t")
            app.screen.query_one("#note-input").value = "said after a long pause"
            await pilot.press("enter")
            clock.advance(30)
            await pilot.press("l")
            clock.advance(7)  # not saved yet (less than a checkpoint): lost with the process
            await settle(pilot)
            print("READY", flush=True)
            await asyncio.sleep(120)


    asyncio.run(main())
""")


async def test_resume_after_kill_9(demo_root: Path, demo_key: Path, reopen, wait, tmp_path: Path) -> None:
    script = tmp_path / "interview_then_killed.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, str(script), str(demo_root), str(demo_key)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.strip() == "READY" or not line:
                break
        assert line.strip() == "READY", process.stderr.read() if process.poll() is not None else "no READY"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.returncode == -signal.SIGKILL

    project = reopen(demo_root)
    session = project.index.find_session("S01")
    clock = ManualClock()
    run = load_run(project, session, clock)
    assert run is not None and run.running
    assert {q: run.state_of(q) for q in ("background", "spare-time", "known")} == {
        "background": "asked", "spare-time": "skipped", "known": "later"}
    assert run.current == "used"
    assert run.elapsed() == 180
    assert [(n.at, n.text, n.question) for n in run.notes] == [(150.0, "said after a long pause", "known")]

    clock.advance(3600)  # the hour the app was dead does not count
    app = InterviewApp(project, session, clock=clock, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen) and app.screen.run.current == "used"
        assert str(app.screen.query_one("#clock-total", Label).render()) == "Total 03:00 / 20:00"
        clock.advance(12)
        await pilot.press("a")
        await wait(pilot)
    run = load_run(reopen(demo_root), session, ManualClock())
    assert run.elapsed() == 192 and run.state_of("used") == "asked"
    assert [e.kind for e in run.events].count("reopen") == 1
