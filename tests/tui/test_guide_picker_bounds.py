"""The guide picker, given a guide file that is an attack (nested 100 000 deep, over 5 MB, a
``base:`` circle): the one-line refusal in the interface's language, the picker stays open."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.tui.app import InterviewkitApp
from tests.guides.attacks import base_cycle, deep_list, over_5_mb
from tests.tui.conftest import guide_refusal

SIZE = (120, 40)


@pytest.mark.parametrize("attack, lang, place, words", [
    (deep_list, "nb", "deep.yaml:2:110", "lister og nøkler ligger mer enn 100 nivåer inni hverandre her"),
    (over_5_mb, "en", "big.yaml", "the file is larger than 5 MB — an interview guide is a few pages of text"),
    (base_cycle, "nb", "a.yaml:2:7", "grunnguiden «b.yaml» fører tilbake til denne guiden (b.yaml → a.yaml → b.yaml)"),
], ids=["deep_list-nb", "over_5_mb-en", "base_cycle-nb"])
async def test_the_picker_shows_the_refusal_in_its_language(demo_project, tmp_path: Path,
                                                            attack, lang, place, words) -> None:
    folder = tmp_path / "guides"
    folder.mkdir()
    path = attack(folder)
    app = InterviewkitApp(project=demo_project, language=lang)
    async with app.run_test(size=SIZE) as pilot:
        shown = await guide_refusal(app, pilot, path)
        assert shown.startswith(f"{folder / place}: {words}"), shown
        assert "\n" not in shown.strip() and "Traceback" not in shown
