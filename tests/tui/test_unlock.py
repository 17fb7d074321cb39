"""Getting in: open screen, unlock screen (passphrase, identity file, credentials from the CLI)."""

from __future__ import annotations

import threading
from pathlib import Path

from pyrage import x25519
from textual.widgets import Input, Label

from interviewkit import recipients
from interviewkit.demo import DEMO_PASSPHRASE
from interviewkit.project import Credentials, Project
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.unlock import OpenScreen, UnlockScreen

SIZE = (120, 40)


async def unlock_with(pilot, passphrase: str, wait) -> None:
    pilot.app.screen.query_one("#passphrase", Input).value = passphrase
    await pilot.click("#unlock")
    await wait(pilot)


async def test_wrong_passphrase_shows_error_and_stays(demo_root: Path, wait, text) -> None:
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await unlock_with(pilot, "not the passphrase", wait)
        assert isinstance(app.screen, UnlockScreen)
        error = str(app.screen.query_one("#error", Label).render())
        assert "wrong passphrase" in error
        assert "Traceback" not in text(app)
        assert "wrong passphrase" in text(app)
        # the field is cleared for another try, and the form is usable again
        assert app.screen.query_one("#passphrase", Input).value == ""
        assert not app.screen.query_one("#unlock").disabled


async def test_right_passphrase_opens_home(demo_root: Path, wait, text) -> None:
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await unlock_with(pilot, DEMO_PASSPHRASE, wait)
        assert isinstance(app.screen, HomeScreen)
        shown = text(app)
        assert "Tjenester for unge i kommunen (demo)" in shown
        assert "Demo University" in shown
        assert "SIKT 123456" in shown and "2027-06-30" in shown
        for code in ("D1", "D2", "D3", "D4", "D5"):
            assert f" {code} " in shown
        assert "withdrawn" in shown
        assert "Kari Demo" in shown  # the passphrase opens the linkage key, so names are shown
        assert "S01" in shown and "G01" in shown


async def test_unlock_runs_in_a_worker_and_shows_progress(demo_root: Path, monkeypatch, wait) -> None:
    gate = threading.Event()
    real_open = Project.open

    def slow_open(root, credentials):  # scrypt, made as slow as we like
        assert threading.current_thread() is not threading.main_thread()
        gate.wait(10)
        return real_open(root, credentials)

    monkeypatch.setattr(Project, "open", staticmethod(slow_open))
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.query_one("#passphrase", Input).value = DEMO_PASSPHRASE
        await pilot.press("enter")
        await pilot.pause()
        # the UI is alive while the key is derived: it shows that it is busy and still handles keys
        assert screen.busy
        assert screen.query_one("#unlock-busy").display
        assert screen.query_one("#passphrase").disabled
        await pilot.press("f2")
        await pilot.pause()
        assert app.language == "nb"
        gate.set()
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_credentials_from_cli_skip_the_unlock_screen(demo_root: Path, wait) -> None:
    app = InterviewkitApp(root=demo_root, credentials=Credentials(passphrase=DEMO_PASSPHRASE), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_wrong_credentials_from_cli_fall_back_to_the_form(demo_root: Path, wait) -> None:
    app = InterviewkitApp(root=demo_root, credentials=Credentials(passphrase="wrong"), language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "wrong passphrase" in str(app.screen.query_one("#error", Label).render())


async def test_open_screen_checks_the_folder_then_unlocks(demo_root: Path, tmp_path: Path, wait, text) -> None:
    app = InterviewkitApp(root=None, language="en")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, OpenScreen)
        app.screen.query_one("#folder", Input).value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        assert "no such project folder" in str(app.screen.query_one("#error", Label).render())
        app.screen.query_one("#folder", Input).value = str(demo_root)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert str(demo_root) in str(app.screen.query_one("#project-path", Label).render())
        await pilot.press("escape")  # back to the folder question
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        app.screen.query_one("#folder", Input).value = str(demo_root)
        await pilot.press("enter")
        await pilot.pause()
        await unlock_with(pilot, DEMO_PASSPHRASE, wait)
        assert isinstance(app.screen, HomeScreen)


async def test_identity_file_without_linkage_access_hides_names(demo_root: Path, demo_project, tmp_path: Path,
                                                                wait, text) -> None:
    steward = x25519.Identity.generate()
    recipients.add_recipient(demo_project, str(steward.to_public()), scope="data")
    key_file = tmp_path / "steward.txt"
    key_file.write_text(f"# a transcriber's key\n{steward}\n")
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#identity", Input).value = str(key_file)
        await pilot.click("#unlock")
        await wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        shown = text(app)
        assert "D1" in shown and "withdrawn" in shown
        assert "Kari Demo" not in shown
        assert "Names are hidden" in shown


async def test_missing_identity_file_is_one_line(demo_root: Path, tmp_path: Path, wait) -> None:
    app = InterviewkitApp(root=demo_root, language="en")
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#identity", Input).value = str(tmp_path / "missing.txt")
        await pilot.click("#unlock")
        await wait(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "identity file not found" in str(app.screen.query_one("#error", Label).render())
