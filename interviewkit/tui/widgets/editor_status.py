"""The editor's status line: playback (state, position / duration, speed), whether every change
is saved (and when it last was: the confirmation of Ctrl+S), the segment, the speaker keys 1–9
(while the transcript has the focus) or that a segment is being edited, how much is checked,
and follow mode.  What matters most comes first: at 80 columns the end may be cut off."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from interviewkit.audio.clock import clock
from interviewkit.i18n import t


@dataclass(frozen=True)
class EditorState:
    playing: bool = False
    position: float | None = None  # None: no player yet
    duration: float = 0.0
    speed: float = 1.0
    follow: bool = True
    checked: float = 0.0  # 0..1
    saved: str = "saved"  # saved | unsaved | saving | failed
    segment: int = 0
    segments: int = 0
    editing: bool = False
    saved_at: str | None = None  # local time of the last save
    speakers: tuple[str, ...] = ()  # the codes of keys 1, 2, …


class EditorStatus(Static):
    """One line; ``show`` redraws only when something it shows changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.state: EditorState | None = None
        self.lang = "en"

    def show(self, state: EditorState, lang: str) -> None:
        if state == self.state and lang == self.lang:
            return
        self.state, self.lang = state, lang
        parts = []
        if state.position is not None:
            mark = "▶" if state.playing else "⏸"
            speed = f"{state.speed:.2f}".replace(".", "," if lang == "nb" else ".")
            parts.append(f"{mark} {clock(state.position)} / {clock(state.duration)}  ×{speed}")
        if state.saved == "saved" and state.saved_at:
            parts.append(t("editor.status.saved_at", lang, time=state.saved_at))
        else:
            parts.append(t(f"editor.status.{state.saved}", lang))
        parts.append(t("editor.status.segment", lang, index=state.segment + 1 if state.segments else 0,
                       count=state.segments))
        if state.editing:
            parts.append(t("editor.status.editing", lang))
        elif state.speakers:
            keys = " ".join(f"{number}:{code}" for number, code in enumerate(state.speakers, start=1))
            parts.append(t("editor.status.speakers", lang, keys=keys))
        parts.append(t("editor.status.checked", lang, percent=round(state.checked * 100)))
        parts.append(t("editor.status.follow_on" if state.follow else "editor.status.follow_off", lang))
        self.update(Content("  ·  ".join(parts)), layout=False)  # one line of fixed size (styles.tcss)
        self.set_class(state.saved in ("unsaved", "failed"), "unsaved")
