"""The sessions table says where each session stands (interview run, audio, transcript, checked,
anonymisation review, last export), read from the real demo project, in both languages, and
again after the user comes back from a screen."""

from __future__ import annotations

from textual.widgets import DataTable

from interviewkit.anonymise import review
from interviewkit.export.selection import build_export, log_export
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import AddSessionModal
from interviewkit.tui.screens.home import STATE_COLUMNS
from tests.anonymise.test_review import give_transcript
from tests.tui.conftest import settle

SIZE = (120, 40)
NAMES = ["Kari Demo her. Jeg bor i Eksempelby.", "Hun heter Kari, sa Torbjørn Flatås."]


def states_shown(app: InterviewkitApp) -> dict[str, list[str]]:
    """Session id → the texts of its state columns, as the table shows them."""
    table = app.screen.query_one("#sessions", DataTable)
    columns = list(table.columns)
    at = [columns.index(key) for key in STATE_COLUMNS]
    return {str(table.get_cell_at((row, 0))): [str(table.get_cell_at((row, i))) for i in at]
            for row in range(table.row_count)}


async def test_the_demo_sessions_state_in_english(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert [str(c.label) for c in table.columns.values()][:7] == [
            "Session", "Interview", "Audio", "Transcript", "Checked", "Anonymisation", "Last export"]
        assert states_shown(app) == {
            "S01": ["not started", "none", "none", "–", "–", "never"],
            "G01": ["not started", "none", "none", "–", "–", "never"],
            "S02": ["not started", "1 take · 1:32", "machine", "0%", "done", "never"],
        }


async def test_names_to_review_and_an_export_in_bokmal(demo_project) -> None:
    give_transcript(demo_project, "S01", NAMES)
    log_export(demo_project, build_export(demo_project, sessions=["S02"], unreviewed_ok=True), "qdpx", encrypted=False)
    found = review.analyse_session(demo_project, demo_project.index.find_session("S01"))
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = states_shown(app)
        assert shown["S01"] == ["ikke startet", "ingen", "redigert", "0 %", f"{found.unresolved} åpne", "aldri"]
        assert shown["S02"][1:] == ["1 opptak · 1:32", "maskinell", "0 %", "ferdig", shown["S02"][5]]
        assert shown["S02"][5].endswith(" qdpx") and shown["S02"][5][:4].isdigit()


async def test_the_state_is_read_again_after_a_screen(demo_project) -> None:
    give_transcript(demo_project, "S01", NAMES)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert states_shown(app)["S01"][4].endswith(" open")
        found = review.analyse_session(demo_project, demo_project.index.find_session("S01"))
        review.decide(demo_project, found.session, [entity.id for entity, _ in found.groups()], "accepted")
        await pilot.press("s")  # any screen or dialog, and back
        await settle(pilot)
        assert isinstance(app.screen, AddSessionModal)
        await pilot.press("escape")
        await settle(pilot)
        assert states_shown(app)["S01"][4] == "done"
