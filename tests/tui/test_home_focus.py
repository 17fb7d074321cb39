"""The home screen's focus rule, driven with Pilot on the demo project: focus starts in Sessions;
session keys act on the highlighted session; participant keys act in Participants only; back from
any screen or dialog, the focus is where it was, on the same row."""

from __future__ import annotations

from textual.widgets import DataTable

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import AddSessionModal, WithdrawModal
from interviewkit.tui.screens.home import ACTIONS, PARTICIPANT_ACTIONS, HomeScreen
from interviewkit.tui.screens.playback import PlaybackScreen
from tests.tui.conftest import settle

SIZE = (120, 40)
# Actions that open nothing over the home screen (a notice, or a reload).
NO_SCREEN = {"reload"}


def table(app: InterviewkitApp, name: str) -> DataTable:
    return app.screen.query_one(f"#{name}", DataTable)


async def back_home(pilot, home: HomeScreen) -> None:
    """Escape until the home screen is on top again (a screen may have opened a dialog)."""
    for _ in range(4):
        if pilot.app.screen is home:
            return
        await pilot.press("escape")
        await settle(pilot)
    assert pilot.app.screen is home, pilot.app.screen


async def test_down_down_p_listens_to_the_third_session(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert app.focused is table(app, "sessions")
        await pilot.press("down", "down", "p")
        await settle(pilot)
        assert isinstance(app.screen, PlaybackScreen)
        assert app.screen.session.id == demo_project.index.sessions[2].id == "S02"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
        assert app.focused is table(app, "sessions") and table(app, "sessions").cursor_row == 2


async def test_every_screen_from_home_gives_the_focus_back(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        for action, key in ACTIONS:
            if action in NO_SCREEN:
                continue
            name = "participants" if action in (*PARTICIPANT_ACTIONS, "add_participant", "recipients") else "sessions"
            table(app, name).focus()
            row = 2 if name == "sessions" else 3
            table(app, name).move_cursor(row=row)
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is not home, action  # a screen or a dialog opened
            await back_home(pilot, home)
            assert app.focused is table(app, name), action
            assert table(app, name).cursor_row == row, action


async def test_focus_lost_on_the_way_comes_back_to_the_last_table(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        table(app, "participants").focus()
        await pilot.pause()
        home.set_focus(None)  # e.g. a click on a label
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, AddSessionModal)
        await back_home(pilot, home)
        assert app.focused is table(app, "participants")


async def test_withdraw_acts_in_participants_only(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        participants = table(app, "participants")
        participants.move_cursor(row=participants.get_row_index("D3"))
        await pilot.press("w")  # from Sessions: the focus goes to Participants, nothing opens
        await settle(pilot)
        assert app.screen is home and app.focused is participants
        assert any("press w again" in n.message for n in app._notifications)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawModal) and app.screen.code == "D3"
        await back_home(pilot, home)
        assert app.focused is participants


async def test_a_session_key_from_participants_acts_on_the_highlighted_session(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("down", "down", "tab")  # S02 highlighted, then into Participants
        assert app.focused is table(app, "participants")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlaybackScreen) and app.screen.session.id == "S02"
        await back_home(pilot, home)
        assert app.focused is table(app, "sessions") and table(app, "sessions").cursor_row == 2


async def test_the_footer_follows_the_focus(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {b.action for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert {"interview", "play_audio", "transcribe"} <= shown and "withdraw" not in shown
        await pilot.press("tab")
        await settle(pilot)
        shown = {b.action for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert {"add_participant", "withdraw"} <= shown and "play_audio" not in shown
