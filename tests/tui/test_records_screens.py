"""Correcting records in the TUI (edit a session, edit a participant's consent, remove an empty
session) and creating a project from the open screen; checked against the project on disk."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Select

from interviewkit.project import Credentials, Project
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import ConfirmModal, EditParticipantModal, EditSessionModal
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.unlock import NewProjectScreen, OpenScreen
from tests.audio.conftest import virtual_audio  # noqa: F401 (the shared fixture)
from tests.tui.conftest import open_session_modal, until

SIZE = (120, 40)


def notified(app: InterviewkitApp, fragment: str) -> bool:
    return any(fragment in n.message for n in app._notifications)


def session_ids(app: InterviewkitApp) -> list[str]:
    table = app.screen.query_one("#sessions", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def test_edit_a_session(demo_project, demo_root: Path, reopen, wait, text) -> None:
    key = demo_project.index.find_session("S02").key
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_session_modal(pilot, "S02", "g", EditSessionModal)
        assert modal.query_one("#session-id", Input).value == "S02"
        modal.query_one("#session-id", Input).value = "G01"  # taken: the core refuses, the modal stays
        await pilot.press("ctrl+s")
        await wait(pilot)
        assert app.screen is modal and "a session 'G01' already exists" in text(app)
        modal.query_one("#session-id", Input).value = "S02b"
        modal.query_one("#session-kind", Select).value = "group"
        modal.query_one("#session-date", Input).value = "2026-12-24"
        await pilot.press("ctrl+s")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "S02b" in session_ids(app) and notified(app, "Session S02b saved.")
    stored = reopen(demo_root).index.find_session("S02b")
    assert (stored.key, stored.kind, stored.date, stored.former_ids) == (key, "group", "2026-12-24", ["S02"])


async def test_remove_an_empty_session_after_confirming(demo_project, demo_root: Path, reopen, wait, text) -> None:
    from interviewkit import sessions

    sessions.add_session(demo_project, "X9")
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_session_modal(pilot, "X9", "delete", ConfirmModal)
        await pilot.click("#yes")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen) and "X9" not in session_ids(app)
    assert reopen(demo_root).index.find_session("X9") is None


async def test_edit_a_participants_consent(demo_project, demo_root: Path, reopen, wait, text) -> None:
    before = {item for item, given in demo_project.index.find_participant("D1").consent.items.items() if given}
    assert {"audio", "quotes"} <= before and "archiving" not in before
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        table = app.screen.query_one("#participants", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("D1"))
        await pilot.press("c")
        await wait(pilot)
        modal = app.screen
        assert isinstance(modal, EditParticipantModal)
        assert modal.query_one("#item-audio", Checkbox).value is True
        assert modal.query_one("#name", Input).value == "Kari Demo"  # read from the linkage key
        modal.query_one("#item-audio", Checkbox).value = False
        modal.query_one("#item-archiving", Checkbox).value = True
        modal.query_one("#consent-date", Input).value = "2026-12-01"
        await pilot.press("ctrl+s")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert notified(app, "Participant D1 saved: gave Archiving; revoked Audio.")
    again = reopen(demo_root)
    stored = again.index.find_participant("D1")
    assert stored.consent.items["audio"] is False and stored.consent.items["archiving"] is True
    assert [(c.item, c.given, c.date) for c in stored.consent.history[-2:]] == [
        ("archiving", True, "2026-12-01"), ("audio", False, "2026-12-01")]
    entries = again.audit_entries()[0]
    assert [(e.action, e.details["item"]) for e in entries[-2:]] == [("consent.give", "archiving"),
                                                                     ("consent.revoke", "audio")]


async def test_a_withdrawn_participant_is_not_edited(demo_project, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        table = app.screen.query_one("#participants", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("D5"))
        await pilot.press("c")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert notified(app, "D5 trakk seg 2026-") and notified(app, "kan ikke gjøres om")


async def test_create_a_project_from_the_open_screen(tmp_path: Path, wait, text) -> None:
    root = tmp_path / "studies" / "new-study"
    app = InterviewkitApp(language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, OpenScreen)
        await pilot.click("#new")
        await wait(pilot)
        screen = app.screen
        assert isinstance(screen, NewProjectScreen)
        values = {"folder": str(root), "title": "Unge i arbeid", "institution": "Universitetet i Testby",
                  "sikt": "654321", "end-date": "2028-06-30", "access": "student, veileder",
                  "passphrase": "correct horse battery", "repeat": "correct horse"}
        for name, value in values.items():
            screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#create")
        await wait(pilot)
        assert "The two passphrases differ" in text(app) and not root.exists()
        screen.query_one("#repeat", Input).value = "correct horse battery"
        screen.query_one("#language", Select).value = "nn"
        await pilot.click("#create")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait(pilot)
        assert "Unge i arbeid" in text(app)
    project = Project.open(root, Credentials(passphrase="correct horse battery"))
    study = project.index.study
    assert (study.title, study.institution, study.end_date, study.access, study.language) == (
        "Unge i arbeid", "Universitetet i Testby", "2028-06-30", ["student", "veileder"], "nn")
    assert study.approval_summary() == "SIKT 654321"
    assert project.audit_entries()[0][0].action == "project.init"


async def test_a_short_passphrase_is_refused_in_the_interface_language(tmp_path: Path, wait, text) -> None:
    app = InterviewkitApp(language="nb")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot)
        await pilot.press("ctrl+n")
        await wait(pilot)
        screen = app.screen
        assert isinstance(screen, NewProjectScreen)
        values = {"folder": str(tmp_path / "p"), "title": "T", "passphrase": "kort", "repeat": "kort"}
        for name, value in values.items():
            screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#create")
        await wait(pilot)
        assert "passordfrasen er kortere enn 8 tegn" in text(app)
        assert not (tmp_path / "p").exists()


async def test_revoking_audio_consent_stops_the_recorder_panel(demo_project, demo_root: Path, reopen,
                                                              virtual_audio, monkeypatch) -> None:  # noqa: F811
    import asyncio

    from interviewkit import consent
    from interviewkit.audio.store import list_takes
    from interviewkit.consent import ParticipantEdit
    from interviewkit.interview import ManualClock
    from interviewkit.tui.screens.interview import InterviewApp
    from interviewkit.tui.widgets.recorder_panel import DEVICE_ENV, RecorderPanel
    from tests.interview.guides import sample_guide
    from tests.tui.conftest import settle

    monkeypatch.setenv(DEVICE_ENV, virtual_audio.input_device)
    app = InterviewApp(demo_project, demo_project.index.find_session("S01"), guide=sample_guide(),
                       clock=ManualClock(), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording" and panel.recorder.elapsed > 0.5)
        # Another part of this program (a form, a script) revokes D1's audio consent.
        await asyncio.to_thread(consent.edit_participant, demo_project, "D1", ParticipantEdit(revoke=["audio"]))
        await until(pilot, lambda: panel.phase == "idle")
        await settle(pilot)
        assert notified(app, "Recording stopped: D1 no longer consent to audio recording.")
        shown = "\n".join(str(w.render()) for w in panel.children if w.display)
        assert "✗ No audio consent: D1" in shown and "All have consented" not in shown
    takes = list_takes(reopen(demo_root), "S01")
    assert len(takes) == 1 and takes[0].complete and takes[0].duration_seconds > 0.4


async def test_revoking_audio_consent_from_the_interview_screen_stops_recording(
        demo_project, demo_root: Path, reopen, virtual_audio, monkeypatch) -> None:  # noqa: F811
    """During the session, `c` on the interview screen: choose the participant, untick audio,
    save — the recorder stops at once and the consent record says so."""
    from textual.widgets import OptionList

    from interviewkit.audio.store import list_takes
    from interviewkit.interview import ManualClock
    from interviewkit.tui.screens.forms import ChooseParticipantModal
    from interviewkit.tui.screens.interview import InterviewApp
    from interviewkit.tui.widgets.recorder_panel import DEVICE_ENV, RecorderPanel
    from tests.interview.guides import sample_guide
    from tests.tui.conftest import settle

    monkeypatch.setenv(DEVICE_ENV, virtual_audio.input_device)
    app = InterviewApp(demo_project, demo_project.index.find_session("S01"), guide=sample_guide(),
                       clock=ManualClock(), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording" and panel.recorder.elapsed > 0.5)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ChooseParticipantModal))
        options = app.screen.query_one(OptionList)
        codes = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert sorted(codes) == ["D1", "I"]
        options.highlighted = codes.index("D1")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EditParticipantModal))
        app.screen.query_one("#item-audio", Checkbox).value = False
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, EditParticipantModal), seconds=30)
        await until(pilot, lambda: panel.phase == "idle")
        await settle(pilot)
        assert notified(app, "D1 no longer consent to audio recording")
    project = reopen(demo_root)
    d1 = next(p for p in project.index.participants if p.code == "D1")
    assert not d1.consent.items.get("audio")
    takes = list_takes(project, "S01")
    assert len(takes) == 1 and takes[0].complete
