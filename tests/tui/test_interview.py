"""The interview screen on a real encrypted project, driven with keys; what it saved is
checked by opening the project again from disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input, Label, Select

from interviewkit.audit import parse_log
from interviewkit.interview import ManualClock, load_run, new_run, save_run
from interviewkit.project import AUDIT_FILE, Project
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import ConfirmModal
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.interview import InterviewApp, InterviewScreen, SummaryModal
from interviewkit.tui.widgets.interview_panels import GuideTree
from tests.interview.guides import sample_guide
from tests.tui.conftest import guide_refusal

SIZE = (120, 40)
SECRET = "Hemmelig notat om Kari"


@pytest.fixture(autouse=True)
def fast_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InterviewScreen, "TICK_SECONDS", 0.05)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def interview_app(project: Project, clock: ManualClock, session_id: str = "S01", language: str = "en",
                  minutes: float | None = None) -> InterviewApp:
    return InterviewApp(project, project.index.find_session(session_id), guide=sample_guide(),
                        planned_minutes=minutes, clock=clock, language=language)


def label(app, selector: str) -> str:
    """The whole text of a label or static (the screen may wrap it)."""
    return str(app.screen.query_one(selector).render())


def tree_line(app, question_id: str) -> str:
    return app.screen.query_one(GuideTree).question_nodes[question_id].label.plain


def saved(reopen, root: Path, session_id: str = "S01"):
    project = reopen(root)
    return load_run(project, project.index.find_session(session_id), ManualClock())


async def tick(pilot) -> None:
    await pilot.pause(0.15)  # a few clock ticks


async def test_opened_from_home_with_i_and_left_with_escape(demo_project, wait, text, clock) -> None:
    session = demo_project.index.find_session("S01")
    save_run(demo_project, session, new_run(demo_project, session, sample_guide(), clock=clock))
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert "i Interview" in text(app)  # in the footer
        await pilot.press("i")
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen) and app.screen.session.id == "S01"
        shown = text(app)
        assert "Tell me a little about yourself." in shown
        assert any("Resumed where the interview was left." in n.message for n in app._notifications)
        assert "D1" in shown and "participant" in shown and "Kari" not in shown  # codes and roles, no names
        await pilot.press("escape")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_navigation_and_marks_update_the_tree_and_are_saved(demo_project, demo_root, reopen, wait, text,
                                                                clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert "Question 1 of 8" in text(app)
        await pilot.press("n", "down")
        assert screen.run.current == "known"
        assert label(app, "#question-text") == "Which services in Eksempelby do you know of?"  # value from the project
        await pilot.press("p", "up")
        assert screen.run.current == "background"
        await pilot.press("a")  # asked → next
        await pilot.press("s")  # skipped → next
        await pilot.press("l")  # later → next
        await pilot.press("enter")  # asked too
        await wait(pilot)
        assert tree_line(app, "background").startswith("  ✓ must")
        assert tree_line(app, "spare-time").startswith("  ✗ optional")
        assert tree_line(app, "known").startswith("  ↺ must")
        assert tree_line(app, "used").startswith("  ✓ must")
        assert tree_line(app, "info").startswith("▸ ○ should")  # the current one
        assert app.screen.query_one(GuideTree).cursor_node.data == "info"
    run = saved(reopen, demo_root)
    assert {q: run.state_of(q) for q in ("background", "spare-time", "known", "used", "info")} == {
        "background": "asked", "spare-time": "skipped", "known": "later", "used": "asked", "info": "open"}
    assert run.current == "info"


async def test_go_to_a_question_in_the_tree(demo_project, wait, clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("g")
        tree = app.screen.query_one(GuideTree)
        assert app.screen.focused is tree
        for _ in range(4):
            await pilot.press("down")
        await pilot.press("enter")
        await wait(pilot)
        assert app.screen.run.current == "used" and app.screen.focused is None
        await pilot.press("a")  # keys work on the guide again
        assert app.screen.run.state_of("used") == "asked"


async def test_clock_section_budget_warning_and_pause(demo_project, demo_root, reopen, wait, clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert "not started" in label(app, "#clock-status")
        await pilot.press("space")
        clock.advance(299)
        await tick(pilot)
        assert label(app, "#clock-total") == "Total 04:59 / 20:00"
        assert label(app, "#clock-section") == "Theme 04:59 / 05:00"
        assert not app.screen.query_one("#clock-section").has_class("over")
        clock.advance(2)
        await tick(pilot)
        assert label(app, "#clock-section") == "Theme 05:01 / 05:00"
        assert app.screen.query_one("#clock-section").has_class("over")
        await pilot.press("space")  # pause
        clock.advance(100)
        await tick(pilot)
        assert "paused" in label(app, "#clock-status")
        assert label(app, "#clock-total") == "Total 05:01 / 20:00"
        await pilot.press("n")  # the next theme has its own budget
        await pilot.press("n")
        await tick(pilot)
        assert label(app, "#clock-section") == "Theme 00:00 / 10:00"
        assert not app.screen.query_one("#clock-section").has_class("over")
        await wait(pilot)
    run = saved(reopen, demo_root)
    assert run.elapsed() == 301 and run.section_seconds["about"] == 301 and run.status == "paused"


async def test_suggestion_appears_when_time_runs_short(demo_project, wait, text, clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        suggestion = app.screen.query_one("#suggestion")
        await pilot.press("space")
        clock.advance(300)
        await tick(pilot)
        assert not suggestion.display
        clock.advance(30)  # 870 s left of 1200; the five must questions need 880
        await tick(pilot)
        assert suggestion.display
        shown = suggestion.text
        assert "Short of time: 14:30 left" in shown
        assert "Still open (must):" in shown and "• If you could decide, what would you change?" in shown
        assert "Consider dropping: spare-time, advice, info" in shown
        assert "Short of time" in text(app)
        await pilot.press("a")  # one must question less: enough time again
        await tick(pilot)
        assert not suggestion.display


async def test_notes_are_typed_on_the_screen_and_saved_with_the_time(demo_project, demo_root, reopen, wait, text,
                                                                    clock, tmp_path: Path) -> None:
    outside_before = {p for p in tmp_path.rglob("*") if p.is_file() and demo_root not in p.parents}
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("space")
        clock.advance(83)
        await pilot.press("t")
        note_input = app.screen.query_one("#note-input", Input)
        assert app.screen.focused is note_input
        await pilot.press(*"[ler] a s")  # keys type text here, they do not mark
        assert app.screen.run.state_of("background") == "open"
        note_input.value = "Smiles " + note_input.value
        await pilot.press("enter")
        await wait(pilot)
        assert app.screen.focused is None and note_input.value == ""
        assert "01:23 [note] Smiles [ler] a s" in text(app)
        await pilot.press("ctrl+t")  # note kind: observer
        assert app.screen.query_one("#note-kind", Select).value == "observer"
        await pilot.press("slash")
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")  # also while typing: round to observer again
        assert app.screen.focused is note_input
        note_input.value = SECRET
        await pilot.press("enter")
        await pilot.press("t")
        await pilot.press(*"never")
        await pilot.press("escape")  # back to the guide, the screen stays
        assert isinstance(app.screen, InterviewScreen) and app.screen.focused is None
        await wait(pilot)
    run = saved(reopen, demo_root)
    assert [(n.at, n.kind, n.text, n.question) for n in run.notes] == [
        (83.0, "note", "Smiles [ler] a s", "background"), (83.0, "observer", SECRET, "background")]
    assert run.notes[0].wall == "2026-11-02T10:01:23+00:00"
    for path in demo_root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    outside_after = {p for p in tmp_path.rglob("*") if p.is_file() and demo_root not in p.parents}
    assert outside_after == outside_before  # nothing written outside the project (no log, no cache)


async def test_probes_are_shown_on_demand(demo_project, wait, text, clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert "Probes: 2 (o shows them)" in text(app) and "School?" not in text(app)
        await pilot.press("o")
        assert "School?" in text(app) and "Work?" in text(app)
        await pilot.press("o")
        assert "School?" not in text(app)
        await pilot.press("n", "n")
        assert not app.screen.query_one("#question-condition").display
        assert label(app, "#question-note") == "Note to the interviewer: Do not name services first."
        await pilot.press("n")
        assert label(app, "#question-condition") == "Condition: if the participant knows a service"
        assert "Condition: if the participant" in text(app)


async def test_summary_and_end_of_the_interview(demo_project, demo_root, reopen, wait, text, clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("space")
        clock.advance(400)
        await pilot.press("a", "s")
        await pilot.press("m")
        await wait(pilot)
        assert isinstance(app.screen, SummaryModal)
        shown = text(app)
        assert "Asked 1 · skipped 1 · later 0 · open 6" in shown
        assert "Time 06:40 of 20:00 planned · running" in shown
        assert "over budget" in shown
        await pilot.press("escape")
        await pilot.press("e")  # the key asks first; Escape keeps the interview going
        await wait(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await wait(pilot)
        assert "running" in label(app, "#clock-status")
        await pilot.press("m")
        await wait(pilot)
        await pilot.click("#end")  # the summary's button ends it too, after asking
        await wait(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#yes")
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert "ended" in label(app, "#clock-status")
    project = reopen(demo_root)
    entries, _ = parse_log(project.read(AUDIT_FILE))
    actions = [e.action for e in entries if e.action.startswith("interview.")]
    assert actions == ["interview.start", "interview.end"]
    assert entries[-1].details["asked"] == 1 and entries[-1].details["seconds"] == 400
    assert saved(reopen, demo_root).status == "ended"


async def test_interview_screen_in_bokmal(demo_project, wait, text, clock) -> None:
    app = interview_app(demo_project, clock, session_id="G01", language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        shown = text(app)
        for fragment in ("Intervjuguide", "Spørsmål 1 av 8", "Prioritet: må", "Status: åpent", "Klokke",
                         "Deltakere", "Lydopptak", "ikke startet", "Neste", "Stilt", "Hopp over", "deltaker"):
            assert fragment in shown, fragment
        await pilot.press("f2")  # switch to English on the spot
        await wait(pilot)
        shown = text(app)
        assert "Question 1 of 8" in shown and "Priority: must" in shown


async def test_palette_offers_the_interview_keys(demo_project, wait, clock) -> None:
    app = interview_app(demo_project, clock, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(CommandInput).value = "hopp over"
        found: list[str] = []
        for _ in range(60):
            await pilot.pause(0.05)
            options = app.screen.query_one(CommandList)
            found = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            if any("Hopp over spørsmålet" in option for option in found):
                break
        assert any("Hopp over spørsmålet" in option for option in found)
        await pilot.press("enter")
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen) and app.screen.run.state_of("background") == "skipped"


async def test_closing_and_reopening_resumes_without_counting_the_break(demo_project, demo_root, reopen, wait,
                                                                       clock) -> None:
    app = interview_app(demo_project, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await pilot.press("space")
        clock.advance(100)
        await pilot.press("a", "a")
        clock.advance(20)  # booked when the app closes
        await wait(pilot)
        await pilot.press("ctrl+q")
    clock.advance(5000)  # the app was closed
    again = InterviewApp(reopen(demo_root), demo_project.index.find_session("S01"), clock=clock, language="en")
    async with again.run_test(size=SIZE) as pilot:
        await wait(pilot)
        run = again.screen.run
        assert run.current == "known" and run.state_of("spare-time") == "asked"
        await tick(pilot)
        assert label(again, "#clock-total") == "Total 02:00 / 20:00"
        clock.advance(10)
        await tick(pilot)
        assert label(again, "#clock-total") == "Total 02:10 / 20:00"


async def test_guide_picked_on_screen_for_a_new_interview(demo_project, demo_root, reopen, wait, text) -> None:
    from interviewkit.interview import shipped_guide_names
    from interviewkit.tui.screens.interview import GuidePickerModal

    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        sessions = app.screen.query_one("#sessions")
        sessions.move_cursor(row=1)  # G01, a group session
        await pilot.press("i")
        await wait(pilot)
        modal = app.screen
        assert isinstance(modal, GuidePickerModal)
        assert "Wording: group (from the session kind)" in text(app)
        name = shipped_guide_names()[0]
        modal.query_one("#guide-shipped", Select).value = name
        modal.query_one("#guide-minutes", Input).value = "abc"
        await pilot.click("#use")
        assert "number of minutes" in str(modal.query_one("#error", Label).render())
        minutes = modal.query_one("#guide-minutes", Input)
        minutes.value = "45"
        minutes.focus()
        await pilot.press("enter")  # Enter in a field uses the guide too
        await wait(pilot)
        assert isinstance(app.screen, InterviewScreen), label(app, "#error")
        run = app.screen.run
        assert run.audience == "group" and run.planned_minutes == 45 and run.record.source_name == f"{name}.yaml"
        await wait(pilot)
    assert saved(reopen, demo_root, "G01").record.sha256 == run.record.sha256


async def test_a_broken_guide_shows_every_located_problem(demo_project, tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: Broken\nsections:\n  - title: A\n    qestions: []\n  - title: B\n"
                      "    questions:\n      - text: ''\n", encoding="utf-8")
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        shown = await guide_refusal(app, pilot, broken)
        assert f"{broken}:4:5: unknown key 'qestions'" in shown and "did you mean 'questions'" in shown
        assert f"{broken}:7:" in shown  # the empty question text, on its own line
        assert "Traceback" not in shown


async def test_cancelling_the_guide_choice_returns_home(demo_project, wait) -> None:
    from interviewkit.tui.screens.interview import GuidePickerModal

    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        app.screen.query_one("#sessions").focus()
        await pilot.press("enter")  # Enter on a session opens its interview too
        await wait(pilot)
        assert isinstance(app.screen, GuidePickerModal)
        await pilot.press("escape")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_guide_given_for_a_begun_interview_is_not_used(demo_project, demo_root, reopen, wait, clock) -> None:
    from interviewkit.guides.model import Guide, GuideInfo, Question, Section, Wording

    session = demo_project.index.find_session("S01")
    begun = new_run(demo_project, session, sample_guide(), clock=clock)
    save_run(demo_project, session, begun)
    other = Guide(GuideInfo("Another guide"), [Section("s", Wording("S"), [Question("x", Wording("X?"))])])
    app = InterviewApp(demo_project, session, guide=other, clock=clock, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert app.screen.run.record.sha256 == begun.record.sha256
        assert any("already has an interview with the guide 'Young people and municipal services'" in n.message
                   for n in app._notifications)
    assert saved(reopen, demo_root).record.title == "Young people and municipal services"


async def test_an_unreadable_record_is_one_line_and_escape_leads_home(demo_project, demo_root, wait, text,
                                                                     clock) -> None:
    session = demo_project.index.find_session("S01")
    path = demo_project.session_path(session, "interview.age")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an age file")
    app = InterviewApp(demo_project, session, clock=clock, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        message = label(app, "#interview-loading")
        assert "interview.age" in message and "\n" not in message
        assert app.screen.run is None
        await pilot.press("a", "space")  # nothing to mark yet: nothing happens
        await pilot.press("escape")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert path.read_bytes() == b"not an age file"  # left as it was for the steward to restore
