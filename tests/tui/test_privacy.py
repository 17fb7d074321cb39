"""Nothing leaves the vault in plaintext: no logs, no key logs, no screenshots, no name caches."""

from __future__ import annotations

from pathlib import Path

from textual import constants
from textual.widgets import Checkbox, Input

from interviewkit.demo import DEMO_PASSPHRASE
from interviewkit.tui.app import InterviewkitApp

SIZE = (120, 40)
AGE_HEADER = b"age-encryption.org/v1"


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_a_session_in_the_tui_writes_only_ciphertext(demo_root: Path, tmp_path: Path, wait) -> None:
    before = {p for p in files_under(tmp_path) if demo_root not in p.parents}
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#passphrase", Input).value = DEMO_PASSPHRASE
        await pilot.press("enter")
        await wait(pilot)
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#code", Input).value = "D9"
        modal.query_one("#name", Input).value = "Hemmelig Navnesen"
        modal.query_one("#item-participation", Checkbox).value = True
        await pilot.click("#save")
        await wait(pilot)
        await pilot.press("f2")  # writes the settings file
        await wait(pilot)
        await pilot.press("v")
        await wait(pilot)
    for path in files_under(demo_root):
        data = path.read_bytes()
        assert b"Hemmelig" not in data and b"Kari Demo" not in data, path
        if path.name not in ("interviewkit-project.json", ".interviewkit.lock"):
            assert data.startswith(AGE_HEADER) or path.name == "identity.age", path
    # outside the project only the language setting appeared (no log, keys.log, screenshot)
    after = {p for p in files_under(tmp_path) if demo_root not in p.parents}
    new = sorted(str(p.relative_to(tmp_path)) for p in after - before)
    assert new == ["config/interviewkit/settings.json"]
    for path in after:
        assert b"Hemmelig" not in path.read_bytes()


def test_textual_cannot_be_told_to_write_logs_or_screenshots(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(constants, "LOG_FILE", str(tmp_path / "textual.log"))
    monkeypatch.setattr(constants, "DEBUG", True)  # would record every key press in ./keys.log
    monkeypatch.setattr(constants, "SCREENSHOT_DELAY", 1)
    monkeypatch.setenv("TEXTUAL", "devtools,debug")
    app = InterviewkitApp(root=None, language="en")
    assert constants.LOG_FILE is None and constants.DEBUG is False and constants.SCREENSHOT_DELAY == -1
    assert app.devtools is None and "devtools" not in app.features and "debug" not in app.features


async def test_screenshot_is_refused(tmp_path: Path) -> None:
    app = InterviewkitApp(root=None, language="en")
    async with app.run_test(size=SIZE) as pilot:
        app.action_screenshot()
        assert app.deliver_screenshot() is None
        await pilot.pause()
        assert any("Screenshots are disabled" in n.message for n in app._notifications)
    assert not list(tmp_path.glob("*.svg"))
