"""Fixtures for the terminal-interface tests: a real encrypted demo project (made once,
copied per test), an isolated environment, and helpers to read what is on screen."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from interviewkit.demo import create_demo
from interviewkit.project import Credentials, Project

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No language, passphrase or settings leak in from the developer's environment."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    for name in ("INTERVIEWKIT_LANG", "INTERVIEWKIT_PASSPHRASE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEWKIT_USER", "tui-test")
    monkeypatch.chdir(tmp_path)  # anything Textual might write to the working directory lands here
    return config


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "demo"
    project = create_demo(root, interview=False)
    # The project's own age identity, outside the project: opens copies without scrypt (fast tests).
    (root.parent / "project-key.txt").write_text(f"{project.keyring.project_identity}\n")
    return root


@pytest.fixture(scope="session")
def demo_key(demo_template: Path) -> Path:
    return demo_template.parent / "project-key.txt"


@pytest.fixture
def demo_root(demo_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(demo_template, root)
    return root


@pytest.fixture
def demo_project(demo_root: Path, demo_key: Path) -> Project:
    """The copied demo project, already unlocked (as ``interviewkit demo`` hands it to the TUI)."""
    return Project.open(demo_root, Credentials(identity_files=[demo_key]))


@pytest.fixture
def reopen(demo_key: Path) -> Callable[[Path], Project]:
    """Open the project again from disk, to check what was really saved."""
    return lambda root: Project.open(root, Credentials(identity_files=[demo_key]))


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
