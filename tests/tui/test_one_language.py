"""One language on the screen: core errors reach the bokmål interface in bokmål, naming form
fields and keys, never a CLI flag (``--date``) or command (``interviewkit transcribe …``); and
Textual's own key help (Cursor up, Focus Next …) is translated too."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, Label

from interviewkit.demo import DEMO_PASSPHRASE
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.editor import EditorApp
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.unlock import UnlockScreen
from interviewkit.vault.lock import ProjectLock
from tests.archive.conftest import archive, archive_template  # noqa: F401 (fixtures)
from tests.tui.conftest import screen_text, settle, until

SIZE = (120, 40)
CLI = ("--", "interviewkit ")


def shown_errors(app: App) -> list[str]:
    """Every error text on the screen: the error lines of the dialogs and the notifications."""
    texts = [str(label.render()) for label in app.screen.query(Label) if label.has_class("error")
             or label.id in ("error", "editor-error")]
    texts += [notification.message for notification in app._notifications]
    return [text for text in texts if text.strip()]


def assert_one_language(texts: list[str], *expected: str) -> None:
    joined = "\n".join(texts)
    for text in texts:
        assert not any(word in text for word in CLI), text
    for fragment in expected:
        assert fragment in joined, (fragment, joined)


async def add_session(pilot, session_id: str, date: str = "") -> None:
    await pilot.press("s")
    await pilot.pause()
    modal = pilot.app.screen
    modal.query_one("#session-id", Input).value = session_id
    modal.query_one("#session-date", Input).value = date
    await pilot.click("#save")
    await settle(pilot)


async def test_bad_date_in_the_add_session_form(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await add_session(pilot, "S09", "1.12.26")
        error = str(app.screen.query_one("#error", Label).render())
        assert error == "Dato: «1.12.26» er ikke en dato – skriv den som ÅÅÅÅ-MM-DD, f.eks. 2027-06-30"
        await add_session(pilot, "S01")  # exists already
        error = str(app.screen.query_one("#error", Label).render())
        assert error.startswith("Intervju-ID: et intervju «S01» finnes allerede")
        assert_one_language(shown_errors(app), "finnes allerede")


async def test_the_same_form_in_english_names_the_field_not_the_flag(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await add_session(pilot, "S09", "31.12.2026")
        error = str(app.screen.query_one("#error", Label).render())
        assert error.startswith("Date: '31.12.2026' is not a date")


async def test_wrong_passphrase(demo_root: Path) -> None:
    app = InterviewkitApp(root=demo_root, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#passphrase", Input).value = "not the passphrase"
        await pilot.click("#unlock")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert_one_language(shown_errors(app), "Passordfrase: feil passordfrase")


async def test_a_damaged_file(demo_root: Path) -> None:
    index = demo_root / "index.age"
    data = bytearray(index.read_bytes())
    data[-40:] = bytes(40)  # the end of the encrypted index is garbage now
    index.write_bytes(bytes(data))
    app = InterviewkitApp(root=demo_root, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#passphrase", Input).value = DEMO_PASSPHRASE
        await pilot.click("#unlock")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert_one_language(shown_errors(app), "index.age", "sikkerhetskopi")


async def test_a_locked_project(demo_project) -> None:
    other_program = ProjectLock(demo_project.root)  # its own lock file handle: as another program's
    other_program.acquire()
    try:
        app = InterviewkitApp(project=demo_project, language="nb")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await add_session(pilot, "S09")
            assert_one_language(shown_errors(app), "prosjektet skrives av", "prøv igjen")
    finally:
        other_program.release()


async def test_an_unknown_guide(demo_project, tmp_path: Path) -> None:
    from interviewkit.tui.screens.interview import GuidePickerModal

    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, GuidePickerModal)
        modal.query_one("#guide-path", Input).value = str(tmp_path / "nowhere" / "guide.yaml")
        await pilot.click("#use")
        await settle(pilot)
        assert app.screen is modal
        assert_one_language(shown_errors(app), "guidefilen finnes ikke")


async def test_an_untranscribed_session_in_the_editor(demo_project) -> None:
    app = EditorApp(demo_project, demo_project.index.find_session("S01"), language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: shown_errors(app))
        assert_one_language(shown_errors(app), "intervju S01 er ikke transkribert")
        assert "interviewkit transcribe" not in screen_text(app)


async def test_textual_key_help_in_bokmal(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#sessions").focus()
        await pilot.pause()
        descriptions = {key: active.binding.description for key, active in app.screen.active_bindings.items()}
        assert descriptions["up"] == "Markør opp" and descriptions["down"] == "Markør ned"
        assert descriptions["tab"] == "Neste felt"
        assert "Cursor up" not in descriptions.values() and "Focus Next" not in descriptions.values()
        app.action_show_help_panel()
        await settle(pilot)
        shown = screen_text(app)
        assert "Markør opp" in shown and "Cursor up" not in shown
        app.set_language("en", save=False)
        await settle(pilot)
        assert app.screen.active_bindings["up"].binding.description == "Cursor up"


async def test_decimal_comma_in_bokmal_numbers(archive) -> None:  # noqa: F811
    """The steward's status table shows the hours of audio with a decimal comma in bokmål."""
    import re

    from textual.widgets import DataTable

    from interviewkit.tui.widgets.steward_panels import STATUS_COLUMNS
    from tests.tui.test_steward_screen import app_for, open_steward

    app = app_for(archive, "nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_steward(pilot, archive)
        table = screen.query_one("#steward-status", DataTable)
        assert "audio" in STATUS_COLUMNS
        hours = [str(value) for value in table.get_column("audio") if str(value)]
        assert hours and all(re.fullmatch(r"\d+,\d\d", value) for value in hours), hours
