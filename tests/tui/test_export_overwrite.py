"""The export screen asks before it replaces a file that is already there: No (focused, so an
Enter keeps it) leaves the file byte for byte and logs no export; Yes replaces it and logs one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Label

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.export import ExportScreen
from interviewkit.tui.screens.forms import ConfirmModal
from tests.tui.conftest import screen_text, settle, until
from tests.tui.test_export_screen import SIZE, choose, error_line, exports, open_export, reviewed  # noqa: F401
from tests.tui.test_export_screen import project  # noqa: F401  (the fixture reviewed builds on)

MINE = b"my own notes, not an export\n"


async def ask(pilot, screen: ExportScreen) -> ConfirmModal:
    """Enter on the focused Export button, as a user would; the question comes up."""
    screen.query_one("#export-start", Button).focus()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))
    await pilot.pause()
    return pilot.app.screen


def question_text(question: ConfirmModal) -> str:
    return str(question.query_one(".explain", Label).render())


async def test_no_keeps_the_file_and_yes_replaces_it(reviewed, reopen, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "turns.csv"
    target.write_bytes(MINE)
    app = InterviewkitApp(project=reviewed, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "csv", target)

        question = await ask(pilot, screen)
        assert question_text(question) == f"{target} is already there. Replace it with this export?"
        assert question.focused is not None and question.focused.id == "no"
        await pilot.press("enter")  # the focused No
        await until(pilot, lambda: app.screen is screen and not screen.running)
        assert target.read_bytes() == MINE
        assert error_line(screen) == "Not exported: the existing files were kept as they were."
        assert exports(reopen, reviewed) == []

        await ask(pilot, screen)
        await pilot.click("#yes")
        await until(pilot, lambda: app.screen is screen and not screen.running)
        await settle(pilot)
        assert error_line(screen) == ""
        assert "Written unencrypted" in screen_text(app)
    text = target.read_text(encoding="utf-8-sig")
    assert target.read_bytes() != MINE and "G01" in text and "S02" in text
    assert [e.details["format"] for e in exports(reopen, reviewed)] == ["csv"]


async def test_the_question_names_every_file_in_the_way_in_norwegian(reviewed, reopen, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("G01.srt", "S02.srt"):
        (folder / name).write_bytes(MINE)
    app = InterviewkitApp(project=reviewed, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        await choose(pilot, screen, "srt", f"{folder}/")
        question = await ask(pilot, screen)
        assert question_text(question).startswith(f"{folder / 'G01.srt'} og 1 andre filer i denne eksporten finnes")
        await pilot.press("escape")  # Escape is No, too
        await until(pilot, lambda: app.screen is screen and not screen.running)
        assert error_line(screen).startswith("Ikke eksportert: de eksisterende filene ble beholdt")
    assert all((folder / name).read_bytes() == MINE for name in ("G01.srt", "S02.srt"))
    assert exports(reopen, reviewed) == []
