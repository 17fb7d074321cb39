"""Snapshots of the interview screen in English and bokmål, with a fixed clock.

Create or refresh them with ``pytest tests/tui/test_interview_snapshot.py --snapshot-update``
(then look at the SVGs under ``tests/tui/__snapshots__/``).  Nothing on screen depends on
today's date, the temp folder or the random session key.
"""

from __future__ import annotations

import pytest

from interviewkit.interview import ManualClock
from interviewkit.project import Project
from interviewkit.tui.screens.interview import InterviewApp, InterviewScreen
from tests.interview.guides import sample_guide

SIZE = (120, 40)


def snapshot_app(project: Project, session_id: str, language: str) -> tuple[InterviewApp, object]:
    with project.writing():
        project.index.study.placeholders = {"municipality": "Eksempel kommune"}
    clock = ManualClock()
    app = InterviewApp(project, project.index.find_session(session_id), guide=sample_guide(), planned_minutes=15,
                       clock=clock, language=language)

    async def run_before(pilot) -> None:
        for _ in range(4):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("space")
        clock.advance(200)
        await pilot.press("a")
        clock.advance(20)
        await pilot.press("s")  # → "known": two probes, a note to the interviewer
        await pilot.press("o")
        await pilot.press("t")
        pilot.app.screen.query_one("#note-input").value = "Nods, looks at D2 [pause]"
        await pilot.press("ctrl+t", "ctrl+t")  # body language
        await pilot.press("enter")
        clock.advance(110)  # 330 s of 900 planned: the must questions left need more
        await pilot.pause(0.2)  # a few clock ticks
        for _ in range(4):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert isinstance(pilot.app.screen, InterviewScreen)
        pilot.app.clear_notifications()
        await pilot.pause()

    return app, run_before


@pytest.mark.parametrize("session_id, language", [("S01", "en"), ("G01", "nb")])
def test_interview_screen_snapshot(snap_compare, demo_project: Project, session_id: str, language: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InterviewScreen, "TICK_SECONDS", 0.05)
    app, run_before = snapshot_app(demo_project, session_id, language)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
