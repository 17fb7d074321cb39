"""Every action is also a command in the palette (ctrl+p), in the current language."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.forms import AddParticipantModal

SIZE = (120, 40)


def offered(app: InterviewkitApp) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def search(pilot, query: str, wanted: str | None = None) -> list[str]:
    """Type ``query`` into the open palette; wait (up to ~3 s) until ``wanted`` is offered."""
    pilot.app.screen.query_one(CommandInput).value = query
    found: list[str] = []
    for _ in range(60):  # the palette searches in the background
        await pilot.pause(0.05)
        found = offered(pilot.app)
        if wanted is not None and any(wanted in option for option in found):
            break
    return found


async def open_palette(pilot) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)


async def test_palette_offers_home_actions(demo_project, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await open_palette(pilot)
        for query, command in [("particip", "Add participant"), ("session", "Add session"),
                               ("withdr", "Withdraw participant"), ("audit", "Verify audit log"),
                               ("recipi", "Recipients"), ("langu", "Switch language"), ("quit", "Quit")]:
            assert any(command in option for option in await search(pilot, query, command)), command
        # a screenshot would write the screen, names included, to disk: not offered
        found = await search(pilot, "s", "Switch language")
        assert any("Switch language" in option for option in found)
        assert not any("Screenshot" in option for option in found)


async def test_palette_runs_the_command(demo_project, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await open_palette(pilot)
        await search(pilot, "add particip", "Add participant")
        await pilot.press("enter")
        await wait(pilot)
        assert isinstance(app.screen, AddParticipantModal)


async def test_palette_in_norwegian(demo_project, wait) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await wait(pilot)
        await open_palette(pilot)
        assert any("Legg til deltaker" in o for o in await search(pilot, "deltaker", "Legg til deltaker"))
        found = await search(pilot, "revisjon", "Kontroller revisjonsloggen")
        assert any("Kontroller revisjonsloggen" in o for o in found)
