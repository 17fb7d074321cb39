"""Switching language re-renders every visible text and is remembered in the settings file."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable, Input, Label, Select

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import AddSessionModal

SIZE = (120, 40)


def footer_text(app: InterviewkitApp) -> str:
    return " ".join(str(key.description) for key in app.screen.query("FooterKey"))


async def test_switch_language_rerenders_home_and_saves(demo_project, isolated_env: Path, wait, text) -> None:
    app = InterviewkitApp(project=demo_project)  # no argument, env or setting: English
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert app.language == "en"
        shown = text(app)
        assert "Participants" in shown and "Deltakere" not in shown
        assert "Transcribe" in footer_text(app)  # focus starts in Sessions: the footer has its keys
        await pilot.press("f2")
        await wait(pilot)
        assert app.language == "nb"
        shown = text(app)
        # section titles, table headers, cell values, study labels and the footer
        assert "Deltakere" in shown and "Participants" not in shown
        assert "Intervjuene" in shown  # the sessions (Intervjuer would be the interviewer)
        assert "Samtykke" in shown and "trukket" in shown and "withdrawn" not in shown
        assert "Institusjon:" in shown and "Prosjektslutt:" in shown
        table = app.screen.query_one("#participants", DataTable)
        assert [str(c.label) for c in table.columns.values()][:2] == ["Kode", "Navn"]
        footer = footer_text(app)
        assert "Transkriber" in footer and "Avslutt" in footer and "Transcribe" not in footer
        assert "English" in footer and "Norsk" not in footer  # the language key offers the other one
        settings = isolated_env / "interviewkit" / "settings.json"
        assert json.loads(settings.read_text()) == {"language": "nb"}
        assert not [p for p in settings.parent.iterdir() if p != settings]  # no temp file left behind
        await pilot.press("f2")
        await wait(pilot)
        assert "Participants" in text(app) and "Quit" in footer_text(app) and "Norsk" in footer_text(app)
        assert json.loads(settings.read_text()) == {"language": "en"}


async def test_saved_language_is_used_next_time(demo_project, isolated_env: Path, wait, text) -> None:
    (isolated_env / "interviewkit").mkdir(parents=True)
    (isolated_env / "interviewkit" / "settings.json").write_text('{"language": "nb"}')
    app = InterviewkitApp(project=demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert app.language == "nb"
        assert "Deltakere" in text(app)


async def test_open_modal_is_translated_too(demo_project, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AddSessionModal)
        modal.query_one("#session-kind", Select).value = "group"
        modal.query_one("#session-id", Input).value = "S05"
        await pilot.press("f2")
        await wait(pilot)
        shown = text(app)
        assert "Legg til intervju" in shown and "Add session" not in shown
        assert "gruppe" in shown
        assert "Deltakere" in shown  # the home screen behind the modal as well
        # what was typed and chosen survives the switch
        assert modal.query_one("#session-kind", Select).value == "group"
        assert modal.query_one("#session-id", Input).value == "S05"


async def test_unlock_screen_in_norwegian(demo_root: Path, monkeypatch, wait, text) -> None:
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    app = InterviewkitApp(root=demo_root)
    async with app.run_test(size=SIZE) as pilot:
        shown = text(app)
        assert "Lås opp" in shown and "Passordfrase" in shown
        await pilot.press("f2")
        await pilot.pause()
        shown = text(app)
        assert "Unlock project" in shown and "Passphrase" in shown and "Lås opp" not in shown
        assert "Projekt" not in str(app.screen.query_one("#project-path", Label).render())
