"""Fixtures for the terminal-interface tests: a real encrypted demo project (made once,
copied per test), an isolated environment, and helpers to read what is on screen."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    return isolated_env


def screen_text(app: App) -> str:
    """Everything visible on the terminal (the top screen over those below), as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True,
                      legacy_windows=False, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


@pytest.fixture
def text() -> Callable[[App], str]:
    return screen_text


async def settle(pilot: Pilot) -> None:
    """Let workers finish and the screen catch up (workers may start more workers)."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def wait() -> Callable[[Pilot], object]:
    return settle


async def until(pilot: Pilot, condition: Callable[[], object], seconds: float = 20.0) -> None:
    """Wait until ``condition()`` holds (real audio, real time), or fail after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


async def select_session(pilot: Pilot, session_id: str) -> None:
    """On the home screen: put the cursor on the session's row."""
    from textual.widgets import DataTable

    await settle(pilot)
    table = pilot.app.screen.query_one("#sessions", DataTable)
    table.move_cursor(row=table.get_row_index(pilot.app.screen.project.index.find_session(session_id).key))


async def open_session_modal(pilot: Pilot, session_id: str, key: str, modal_class: type) -> object:
    """On the home screen: select the session, press ``key``, and return the modal it opened."""
    await select_session(pilot, session_id)
    await pilot.press(key)
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, modal_class)
    return modal


def editor_app(project, session_id: str = "S02", language: str = "en"):
    """The transcript editor on its own, on one session of an opened project."""
    from interviewkit.tui.screens.editor import EditorApp

    return EditorApp(project, project.index.find_session(session_id), language=language)


async def opened(pilot: Pilot):
    """Wait until the editor screen has its transcript open; return the screen."""
    from interviewkit.tui.screens.editor import EditorScreen

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    await until(pilot, lambda: screen.editor is not None)
    return screen


async def guide_refusal(app: App, pilot: Pilot, path: Path) -> str:
    """From the project page, give the guide picker (key i) ``path``; the error it shows, the
    picker still open."""
    from textual.widgets import Input, Label

    from interviewkit.tui.screens.interview import GuidePickerModal

    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    modal = app.screen
    assert isinstance(modal, GuidePickerModal)
    modal.query_one("#guide-path", Input).value = str(path)
    await pilot.click("#use")
    await settle(pilot)
    assert app.screen is modal
    return str(modal.query_one("#error", Label).render())
