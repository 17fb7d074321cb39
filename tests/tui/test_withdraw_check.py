"""Withdrawing in the TUI runs the check that decrypts every file, and says what it found."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import WithdrawModal
from interviewkit.tui.screens.home import HomeScreen
from tests.tui.conftest import until

SIZE = (80, 24)


async def _withdraw(app: InterviewkitApp, pilot, code: str) -> None:
    table = app.screen.query_one("#participants", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(code))
    await pilot.press("w")
    await until(pilot, lambda: isinstance(app.screen, WithdrawModal))
    app.screen.query_one("#confirm-code", Input).value = code
    await pilot.pause()
    await pilot.click("#save")
    await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app._notifications)


async def test_withdrawal_reports_the_check(demo_project, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await _withdraw(app, pilot, "D3")
        message = [n.message for n in app._notifications][-1]
    assert "Deltaker D3 har trukket seg" in message
    assert "ble dekryptert og gjennomsøkt: navnet finnes ikke lenger" in message
    assert "Siri" not in message
