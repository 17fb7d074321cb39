"""What an export holds, after the consent gates: the writers (REFI-QDA, Word, text, subtitles,
tables) read only this, never the project, so no writer can leak what the gates kept out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PURPOSES = ("analysis", "archive")


@dataclass(frozen=True)
class ExportParticipant:
    code: str                  # the speaker code (D2, T1, I); never a name
    role: str                  # participant | interviewer | co-moderator | observer
    consent: dict[str, bool]   # participation, audio, video, quotes, archiving, followup
    sessions: tuple[str, ...]  # the ids of the exported sessions this person took part in

    @property
    def quotes_allowed(self) -> bool:
        return bool(self.consent.get("quotes"))


@dataclass(frozen=True)
class ExportSegment:
    start: float               # seconds into its take
    end: float
    speaker: str | None        # a speaker code, or None
    text: str                  # de-identified unless the export is marked identifiable
    take: str                  # the audio take the times refer to
    offset: float = 0.0        # where the take starts in the session's audio (seconds), for sync
    quotes_allowed: bool = True  # False: the speaker did not consent to direct quotes: mark it


@dataclass(frozen=True)
class ExportAudio:
    take: str
    duration: float
    offset: float                     # seconds from the start of the session's audio
    read: Callable[[], bytes]         # the take as Ogg/Opus bytes, decrypted into memory when called
    suffix: str = ".ogg"


@dataclass(frozen=True)
class ExportSession:
    id: str
    kind: str                  # individual | group | …
    date: str | None
    language: str | None
    participants: tuple[str, ...]  # codes of the people in it (exported ones only)
    segments: tuple[ExportSegment, ...]
    audio: tuple[ExportAudio, ...] = ()

    def plain_text(self, line_end: str = "\n") -> str:
        """The text as the text-based formats lay it out: one turn a line, ``CODE: text``."""
        return line_end.join(f"{s.speaker}: {s.text}" if s.speaker else s.text for s in self.segments)


@dataclass(frozen=True)
class ExportProject:
    title: str
    institution: str
    responsible: str
    approvals: str                  # e.g. "SIKT 123456, REK 2026/1"
    language: str                   # the project's language: nb | nn | en
    purpose: str                    # analysis | archive
    identifiable: bool              # True only when the user asked for identifiable text
    exported_by: str                # the user name (for REFI-QDA users)
    created: str                    # ISO timestamp of the export
    participants: tuple[ExportParticipant, ...]
    sessions: tuple[ExportSession, ...]
    left_out: tuple[str, ...] = field(default=())  # one line per thing the gates kept out (no names)
