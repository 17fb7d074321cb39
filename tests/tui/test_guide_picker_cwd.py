"""The guide picker loads the shipped guide chosen in its list even where the current folder
holds a folder (or a file) of the same name: a shipped guide's name is never a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Select

from interviewkit.guides.shipped import shipped_guide
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.interview import GuidePickerModal, InterviewScreen

SIZE = (120, 40)


@pytest.mark.parametrize("shadow", ["folder", "file"])
async def test_shipped_guide_beside_something_of_its_name(demo_project, wait, shadow) -> None:
    here = Path.cwd()  # the test's own folder (isolated_env)
    if shadow == "folder":
        (here / "demo").mkdir()
    else:
        (here / "demo").write_text("title: not the shipped guide\n")
    (here / "demo.yaml").write_text("title: not the shipped guide either\n")
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        app.screen.query_one("#sessions").move_cursor(row=1)  # G01: no interview yet
        await pilot.press("i")
        await wait(pilot)
        modal = app.screen
        assert isinstance(modal, GuidePickerModal)
        modal.query_one("#guide-shipped", Select).value = "demo"
        await pilot.click("#use")
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen), str(modal.query_one("#error", Label).render())
        record = app.screen.run.record
    assert record.source_name == "demo.yaml"
    assert record.source == shipped_guide("demo").read_text(encoding="utf-8-sig")
