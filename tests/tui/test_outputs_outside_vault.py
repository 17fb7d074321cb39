"""The TUI's save targets follow the output rule (interviewkit.export.output): the export and the
steward's processing record refuse a path inside a project folder (typed, through ``..`` or a
symlink) with one line in the interface's language, before anything is rendered or written; the
project's files stay byte for byte; a file outside that is already there is replaced only after a
yes (No, the focused answer, keeps it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from textual.widgets import DataTable, Input

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import ConfirmModal
from tests.archive.conftest import archive, archive_template  # noqa: F401 (fixtures)
from tests.tui.conftest import settle, until
from tests.tui.test_export_screen import SIZE, choose, error_line, export, exports, open_export, reviewed  # noqa: F401
from tests.tui.test_export_screen import project  # noqa: F401  (the fixture reviewed builds on)
from tests.tui.test_steward_screen import SIZE as STEWARD_SIZE
from tests.tui.test_steward_screen import app_for, fixed_day, message, open_steward  # noqa: F401

MINE = b"my own notes, not a record\n"


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under root (hidden ones too) by its path, with the SHA-256 of its bytes."""
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


async def test_the_export_refuses_every_path_into_the_project(reviewed, reopen, tmp_path: Path) -> None:  # noqa: F811
    root = reviewed.root
    (tmp_path / "door").symlink_to(root)
    before = fingerprint(root)
    app = InterviewkitApp(project=reviewed, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(pilot)
        for output in (root / "audit.age", root / ".." / root.name / "linkage.age", tmp_path / "door" / "x.csv",
                       f"{root}/"):
            await choose(pilot, screen, "csv", output)
            await export(pilot, screen)
            line = error_line(screen)
            assert line.startswith(f"Output: {output}"), line
            assert f"is inside the project folder {root.resolve()} — nothing is saved there" in line, line
            assert not screen.running and fingerprint(root) == before
        app.language = "nb"  # the same refusal in Norwegian
        await settle(pilot)
        await export(pilot, screen)
        assert f"ligger i prosjektmappen {root.resolve()} – ingenting lagres der" in error_line(screen)
    assert fingerprint(root) == before
    assert exports(reopen, reviewed) == []  # nothing exported, nothing logged; the project opens


async def open_record(pilot, archive, name: str = "alpha"):  # noqa: F811
    screen = await open_steward(pilot, archive)
    table = screen.query_one("#steward-status", DataTable)
    table.move_cursor(row=table.get_row_index(str(archive.project_path(name))))
    table.focus()
    await pilot.press("r")
    await until(pilot, lambda: screen.report is not None)
    await settle(pilot)
    return screen


async def save_as(pilot, screen, target: Path | str) -> None:
    screen.query_one("#steward-report-path", Input).value = str(target)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_processing_record_is_never_saved_into_a_project(archive, tmp_path: Path) -> None:  # noqa: F811
    alpha, beta = archive.project_path("alpha"), archive.project_path("beta")
    before = {name: fingerprint(archive.project_path(name)) for name in ("alpha", "beta")}
    app = app_for(archive)
    async with app.run_test(size=STEWARD_SIZE) as pilot:
        screen = await open_record(pilot, archive)
        for target, inside in ((alpha / "audit.age", alpha), (beta / "keys" / "identity.age", beta),
                               (beta / "record.md", beta), (alpha, alpha), (alpha / ".." / "alpha" / "x.md", alpha)):
            await save_as(pilot, screen, target)
            assert message(screen).startswith(f"Output: {target} is inside the project folder {inside.resolve()}")
            assert not isinstance(app.screen, ConfirmModal)
        assert {name: fingerprint(archive.project_path(name)) for name in ("alpha", "beta")} == before


async def test_the_processing_record_replaces_a_file_only_after_a_yes(archive, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "record.md"
    target.write_bytes(MINE)
    app = app_for(archive)
    async with app.run_test(size=STEWARD_SIZE) as pilot:
        screen = await open_record(pilot, archive)
        await save_as(pilot, screen, target)
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = app.screen
        assert question.focused is not None and question.focused.id == "no"
        await pilot.press("enter")  # the focused No
        await until(pilot, lambda: app.screen is screen)
        assert target.read_bytes() == MINE
        assert message(screen) == "Not saved: the existing file was kept as it was."

        await save_as(pilot, screen, target)
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#yes")
        await until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert message(screen) == f"Saved: {target}"
        assert target.read_text(encoding="utf-8") == screen.report[2]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []
