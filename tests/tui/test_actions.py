"""Project home actions through their modals, checked against the project reopened from disk."""

from __future__ import annotations

from pathlib import Path

from pyrage import x25519
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select

from interviewkit.audit import parse_log
from interviewkit.project import AUDIT_FILE
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.audit import AuditModal
from interviewkit.tui.screens.forms import AddParticipantModal, AddSessionModal, ConfirmModal, WithdrawModal
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.recipients import RecipientsModal

SIZE = (120, 40)


def select_participant(app: InterviewkitApp, code: str) -> None:
    """Put the focus in Participants (participant keys act there) and the cursor on ``code``."""
    table = app.screen.query_one("#participants", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(code))


async def test_home_shows_sessions_participants_and_consent(demo_project, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        sessions = app.screen.query_one("#sessions", DataTable)
        assert [sessions.get_row_at(i)[0].plain for i in range(sessions.row_count)] == ["S01", "G01", "S02"]
        assert [str(sessions.get_cell_at((i, list(sessions.columns).index("col.count"))))
                for i in range(sessions.row_count)] == ["2", "5", "1"]
        table = app.screen.query_one("#participants", DataTable)
        rows = {table.get_row_at(i)[0].plain: table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == {"I", "D1", "D2", "D3", "D4", "D5", "D6"}
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[:6] == ["Code", "Name", "Role", "Sessions", "Consent", "Part."]
        d1 = [str(cell) for cell in rows["D1"]]
        # D1 consented to participation, audio and quotes — not video, archiving, follow-up
        assert d1 == ["D1", "Kari Demo", "participant", "S01", "consented", "✓", "✓", "✗", "✓", "✗", "✗"]
        assert [str(cell) for cell in rows["D5"]][4] == "withdrawn"
        assert str(rows["D5"][1]) == "–"  # the withdrawn participant's name is erased


async def test_add_session_through_the_modal(demo_project, demo_root: Path, reopen, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AddSessionModal)
        modal.query_one("#session-id", Input).value = "G02"
        modal.query_one("#session-kind", Select).value = "group"
        modal.query_one("#session-date", Input).value = "2026-12-01"
        await pilot.click("#save")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "G02" in text(app)
    session = reopen(demo_root).index.find_session("G02")
    assert session is not None
    assert (session.kind, session.date) == ("group", "2026-12-01")


async def test_add_session_refused_by_core_keeps_the_modal_open(demo_project, demo_root: Path, reopen,
                                                               wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#session-id", Input).value = "S01"  # exists already
        await pilot.click("#save")
        await wait(pilot)
        assert app.screen is modal
        assert "already exists" in str(modal.query_one("#error", Label).render())
        modal.query_one("#session-date", Input).value = "31.12.2026"
        modal.query_one("#session-id", Input).value = "S09"
        await pilot.click("#save")
        await wait(pilot)
        assert app.screen is modal
        assert "is not a date" in str(modal.query_one("#error", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert reopen(demo_root).index.find_session("S09") is None


async def test_add_participant_through_the_modal(demo_project, demo_root: Path, reopen, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, AddParticipantModal)
        modal.query_one("#code", Input).value = "D7"
        modal.query_one("#name", Input).value = "Nora Ny"
        modal.query_one("#contact", Input).value = "nora@example.org"
        modal.query_one("#role", Select).value = "observer"
        modal.query_one("#session", Select).value = "G01"
        modal.query_one("#mode", Select).value = "digital"
        modal.query_one("#form-version", Input).value = "v3"
        modal.query_one("#date", Input).value = "2026-11-20"
        modal.query_one("#obtained-by", Input).value = "I"
        for item in ("participation", "audio", "archiving"):
            modal.query_one(f"#item-{item}", Checkbox).value = True
        await pilot.click("#save")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        shown = text(app)
        assert "D7" in shown and "Nora Ny" in shown
    project = reopen(demo_root)
    participant = project.index.find_participant("D7")
    assert participant is not None
    assert participant.role == "observer"
    assert participant.consent.given() == ["participation", "audio", "archiving"]
    assert (participant.consent.mode, participant.consent.form_version) == ("digital", "v3")
    assert (participant.consent.date, participant.consent.obtained_by) == ("2026-11-20", "I")
    assert participant.sessions == [project.index.find_session("G01").key]
    entry = project.linkage().entries[participant.id]
    assert (entry.name, entry.contact) == ("Nora Ny", "nora@example.org")


async def test_add_participant_needs_a_name(demo_project, demo_root: Path, reopen, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#code", Input).value = "D7"
        await pilot.press("ctrl+s")
        await wait(pilot)
        assert app.screen is modal
        assert "the name is empty" in str(modal.query_one("#error", Label).render())
    assert reopen(demo_root).index.find_participant("D7") is None


async def test_withdraw_requires_typing_the_code(demo_project, demo_root: Path, reopen, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        select_participant(app, "D3")
        await pilot.press("w")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, WithdrawModal) and modal.code == "D3"
        button = modal.query_one("#save", Button)
        assert button.disabled
        await pilot.press("D", "4")  # the wrong code: nothing happens
        await pilot.press("enter")
        await wait(pilot)
        assert app.screen is modal and button.disabled
        modal.query_one("#confirm-code", Input).value = ""
        await pilot.press("D", "3")
        await pilot.pause()
        assert not button.disabled
        await pilot.click("#save")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#participants", DataTable)
        assert str(table.get_row("D3")[4]) == "withdrawn"
    project = reopen(demo_root)
    participant = project.index.find_participant("D3")
    assert participant.withdrawn and participant.status == "withdrawn"
    assert participant.id not in project.linkage().entries
    entries, _ = parse_log(project.read(AUDIT_FILE))
    assert entries[-1].action == "participant.withdraw"


async def test_withdrawn_participant_cannot_be_withdrawn_again(demo_project, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        select_participant(app, "D5")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("withdrew on 2026-11-12" in n.message for n in app._notifications)


async def test_verify_audit_log_without_problems(demo_project, wait, text) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("v")
        await wait(pilot)
        assert isinstance(app.screen, AuditModal)
        entries = len(demo_project.audit_entries()[0])
        assert f"{entries} entries, no problems" in text(app)
        signed = demo_project.signed_head()
        assert f"Signed state: write {signed.write}, audit entry {entries}" in text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_verify_audit_log_lists_problems(demo_project, wait, text) -> None:
    with demo_project.writing():  # tamper: a line that is not an entry
        demo_project.write_file(AUDIT_FILE, demo_project.read(AUDIT_FILE) + b"{not json\n")
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("v")
        await wait(pilot)
        assert isinstance(app.screen, AuditModal)
        shown = text(app)
        assert "no problems" not in shown
        assert "1 problems" in shown
        assert "not a valid entry" in shown


async def open_recipients(app: InterviewkitApp, pilot, wait) -> RecipientsModal:
    """From the project page, the recipients dialog (key r)."""
    await wait(pilot)
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, RecipientsModal)
    return app.screen


async def test_recipients_add_and_remove_with_rewrap(demo_project, demo_root: Path, reopen, wait, text) -> None:
    key = str(x25519.Identity.generate().to_public())
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_recipients(app, pilot, wait)
        table = modal.query_one("#recipients", DataTable)
        assert table.row_count == 1 and "project key" in text(app)
        modal.query_one("#new-key", Input).value = "age1notakey"
        await pilot.click("#add")
        await wait(pilot)
        assert "is not an age X25519 public key" in str(modal.query_one("#error", Label).render())
        modal.query_one("#new-key", Input).value = key
        modal.query_one("#scope", Select).value = "linkage"
        await pilot.click("#add")
        await wait(pilot)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row(key)[1:3]] == ["✗", "✓"]
        assert any("files re-encrypted" in n.message for n in app._notifications)
        on_disk = reopen(demo_root).index
        assert on_disk.linkage_recipients == [key] and on_disk.data_recipients == []
        assert not on_disk.rewrap_pending
        # remove it again: select the row, confirm
        table.move_cursor(row=table.get_row_index(key))
        await pilot.click("#remove")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#yes")
        await wait(pilot)
        assert app.screen is modal
        assert table.row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert reopen(demo_root).index.linkage_recipients == []


async def test_rewrap_shows_a_progress_bar(demo_project, monkeypatch, wait) -> None:
    import threading

    from interviewkit import recipients

    gate = threading.Event()
    real = recipients.resume_rewrap

    def slow_rewrap(project, progress=None):
        gate.wait(10)
        return real(project, progress)

    monkeypatch.setattr(recipients, "resume_rewrap", slow_rewrap)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("r")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#new-key", Input).value = str(x25519.Identity.generate().to_public())
        await pilot.click("#add")
        await pilot.pause()
        assert modal.busy and modal.query_one("#rewrap").display
        assert modal.query_one("#add", Button).disabled
        await pilot.press("escape")  # cannot close while files are re-encrypted
        await pilot.pause()
        assert app.screen is modal
        gate.set()
        await wait(pilot)
        assert not modal.busy and not modal.query_one("#rewrap").display
        assert modal.query_one("#recipients", DataTable).row_count == 2


async def test_reload_picks_up_changes_made_elsewhere(demo_project, demo_root: Path, reopen, wait, text) -> None:
    from interviewkit import sessions

    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert "X01" not in text(app)
        sessions.add_session(reopen(demo_root), "X01")  # e.g. the CLI, in another process
        await pilot.press("f5")
        await wait(pilot)
        assert "X01" in text(app)


async def test_a_change_of_recipients_cut_short_is_finished_from_the_dialog(demo_project, demo_root: Path, reopen,
                                                                          wait, text) -> None:
    key = str(x25519.Identity.generate().to_public())
    with demo_project.writing():  # as a kill -9 between the index write and the re-encryption leaves it
        demo_project.index.data_recipients.append(key)
        demo_project.index.rewrap_pending = True
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_recipients(app, pilot, wait)
        assert "was cut short" in text(app) and modal.query_one("#resume").display
        assert app.focused is modal.query_one("#resume") and not modal.query_one("#new-recipient").display
        await pilot.press("ctrl+r")
        await wait(pilot)
        assert any("Finished the change of recipients" in n.message for n in app._notifications)
        assert not modal.query_one("#cut-short").display and modal.query_one("#new-recipient").display
        assert "Finish change" not in text(app)  # the key leaves the footer with nothing to finish
        assert not reopen(demo_root).index.rewrap_pending
