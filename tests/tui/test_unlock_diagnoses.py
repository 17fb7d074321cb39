"""The unlock screen tells a damaged identity from a wrong passphrase, in the interface's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from interviewkit.demo import DEMO_PASSPHRASE
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.unlock import UnlockScreen

SIZE = (80, 24)


def damage_identity_mac(root: Path) -> None:
    path = root / "keys" / "identity.age"
    data = bytearray(path.read_bytes())
    at = data.index(b"\n--- ") + 6
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("lang, says, never", [
    ("en", ("age header is damaged", "restore keys/identity.age from a backup"), "wrong passphrase"),
    ("nb", ("age-hode er skadet", "hent keys/identity.age fra en sikkerhetskopi"), "feil passordfrase"),
])
async def test_a_damaged_identity_is_not_a_wrong_passphrase(demo_root: Path, wait, text, lang: str,
                                                             says: tuple[str, ...], never: str) -> None:
    damage_identity_mac(demo_root)
    app = InterviewkitApp(root=demo_root, language=lang)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#passphrase", Input).value = DEMO_PASSPHRASE
        await pilot.click("#unlock")
        await wait(pilot)
        assert isinstance(app.screen, UnlockScreen)
        error = str(app.screen.query_one("#error", Label).render())
        for fragment in says:
            assert fragment in error, error
        assert never not in error and "Traceback" not in text(app)
