"""The keys that drive playback, one definition for every screen that plays a session's audio
(the transcript editor and the playback screen): the same key does the same thing in both.

oTranscribe's Esc and F1–F4 cannot be taken as they are: Escape closes the text box and the
screen, and F2 switches the language everywhere.  So the editor's keys are the shared set
(F5 or Ctrl+Space play/pause, F3/F4 back/forward, F6/F7 slower/faster); the playback screen
keeps its own single keys (Space, ←/→, −/+) beside them, and the editor's ``editor_keys``
settings apply on both screens.
"""

from __future__ import annotations

# transport action → default keys (comma-separated, the first is the one shown)
TRANSPORT_KEYS: dict[str, str] = {
    "play_pause": "f5,ctrl+space,ctrl+@",
    "skip_back": "f3",
    "skip_forward": "f4",
    "slower": "f6",
    "faster": "f7",
}


def transport_keys(action: str, custom: dict[str, str] | None = None) -> str:
    """The keys of a transport action: the user's own (``editor_keys`` in the settings file) or
    the defaults."""
    return (custom or {}).get(action, TRANSPORT_KEYS[action])
