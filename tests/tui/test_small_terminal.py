"""At 80×24 every action is reachable and nothing a decision needs is cut off: the home footer shows
what fits, whole, and the palette key (ctrl+p) that has the rest; the sessions table shows where
each session stands; the anonymisation review shows the forms seen and their context."""

from __future__ import annotations

import pytest

from interviewkit.i18n import t
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.home import ACTIONS
from tests.anonymise.test_review import give_transcript
from tests.tui.conftest import screen_text, select_session, settle, until
from tests.tui.test_palette import offered, open_palette

SMALL = (80, 24)
TEXTS = ["Eva Demo her. Jeg har jobbet i Eksempelby i seks år.",
         "Kollegaen min, Torbjørn Flatås, sa at Evas plan var god."]


def footer_line(app: InterviewkitApp) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


def shown_in_footer(app: InterviewkitApp) -> dict[str, str]:
    """action → its footer text (``key description``) for the screen's keys the footer shows."""
    return {binding.action: f"{app.get_key_display(binding)} {binding.description}"
            for _, binding, _, _ in app.screen.active_bindings.values() if binding.show}


@pytest.mark.parametrize("lang", ["en", "nb"])
async def test_every_home_action_is_in_the_footer_or_the_palette(demo_project, lang: str) -> None:
    app = InterviewkitApp(project=demo_project, language=lang)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        in_footer: set[str] = set()
        for _ in ("sessions", "participants"):
            footer = footer_line(app)
            assert f"^p {t('key.command_palette', lang)}" in footer  # where the rest is
            for action, text in shown_in_footer(app).items():
                assert text in footer, (action, footer)  # shown whole, not cut off
                in_footer.add(action)
            await pilot.press("tab")
            await settle(pilot)
        assert {"interview", "play_audio", "add_participant"} <= in_footer
        await open_palette(pilot)
        await pilot.pause(0.3)
        palette = offered(app)
        for action, _key in ACTIONS:
            if action not in in_footer:
                assert any(option.startswith(t(f"cmd.{action}", lang)) for option in palette), action


async def test_the_sessions_state_is_visible_at_80_columns(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "1 take · 1:32" in screen_text(app))  # read in a worker, then drawn
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if line.lstrip().startswith("Session "))
        for title in ("Interview", "Audio", "Transcript", "Checked", "Anonymisation"):
            assert title in header
        s02 = next(line for line in lines if line.lstrip().startswith("S02 "))
        assert "1 take · 1:32" in s02 and "machine" in s02 and "done" in s02


async def test_the_review_shows_forms_seen_and_context_at_80_columns(demo_project) -> None:
    from interviewkit.tui.screens.anonymise import AnonymiseScreen

    give_transcript(demo_project, "S02", TEXTS)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SMALL) as pilot:
        await select_session(pilot, "S02")
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnonymiseScreen)
        await until(pilot, lambda: screen.found is not None)
        await until(pilot, lambda: "[Eva Demo] her." in screen_text(app))  # drawn after the analysis
        shown = screen_text(app)
        assert "Forms seen" in shown and "Eva Demo, Evas" in shown and "Torbjørn Flatås" in shown
        assert "Context" in shown and "[Eva Demo] her." in shown  # the first entity's first occurrence
        assert f"^p {t('key.command_palette', 'en')}" in footer_line(app)


async def test_the_footer_fits_again_when_the_terminal_shrinks(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        wide = set(shown_in_footer(app))
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        narrow = shown_in_footer(app)
        assert set(narrow) < wide
        footer = footer_line(app)
        assert all(text in footer for text in narrow.values()) and "^p Commands" in footer
