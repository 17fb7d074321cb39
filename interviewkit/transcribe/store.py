"""Where a session's transcriptions live in the vault, one set of files per audio take:

- ``sessions/<key>/transcription/<take>.age`` — the finished transcription (JSON, ``Transcription``);
- ``…/<take>.progress.age`` — the checkpoint of an unfinished batch job (``Checkpoint``);
- ``…/<take>.live.age`` — the draft written while the take was being recorded.

All are encrypted to the project's recipients and replaced atomically.  Finishing a
transcription is recorded in the audit log (ids, engine, model and counts; never text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.errors import VaultCorrupt
from interviewkit.transcribe.result import Segment, Transcription

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

DIRECTORY = "transcription"
CHECKPOINT_FORMAT = "interviewkit-transcription-checkpoint"


def name(take_id: str, kind: str = "") -> str:
    return f"{DIRECTORY}/{take_id}{'.' + kind if kind else ''}.age"


def _load(project: Project, session: Session, relative: str) -> Any:
    raw = project.load_session_file(session, relative)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise VaultCorrupt(project.session_path(session, relative), "the transcription file is unreadable",
                           "transcribe the take again", code="transcribe.result_unreadable") from None


def load_transcription(project: Project, session: Session, take_id: str, kind: str = "") -> Transcription | None:
    """The finished (``kind=""``) or live (``kind="live"``) transcription of a take, if any."""
    data = _load(project, session, name(take_id, kind))
    if data is None:
        return None
    try:
        return Transcription.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise VaultCorrupt(project.session_path(session, name(take_id, kind)),
                           f"the transcription is unreadable ({exc})", "transcribe the take again",
                           code="transcribe.result_unreadable") from None


def save_transcription(project: Project, session: Session, take_id: str, transcription: Transcription,
                       kind: str = "") -> None:
    if kind:
        project.save_session_file(session, name(take_id, kind), transcription.to_bytes())
        return
    with project.writing() as change:
        project.save_session_file(session, name(take_id), transcription.to_bytes())
        change.log("transcribe", f"take:{take_id}", session=session.key, engine=transcription.engine,
                   model=transcription.model, language=transcription.language,
                   seconds=round(transcription.duration, 1), segments=len(transcription.segments))


@dataclass
class Checkpoint:
    """How far a batch job got: the next chunk to do and the segments so far."""

    take: str
    engine: str
    model: str
    options: dict[str, Any]
    language: str | None = None
    next_index: int = 0
    next_sample: int = 0
    segments: list[Segment] = field(default_factory=list)

    def matches(self, other: Checkpoint) -> bool:
        """Was it made by the same engine, model and options (so its work can be kept)?"""
        return (self.take, self.engine, self.model, self.options) == (other.take, other.engine, other.model,
                                                                       other.options)

    def to_bytes(self) -> bytes:
        return json.dumps({"format": CHECKPOINT_FORMAT, "take": self.take, "engine": self.engine, "model": self.model,
                           "options": self.options, "language": self.language, "next_index": self.next_index,
                           "next_sample": self.next_sample, "segments": [s.to_dict() for s in self.segments]},
                          ensure_ascii=False).encode()


def load_checkpoint(project: Project, session: Session, take_id: str) -> Checkpoint | None:
    data = _load(project, session, name(take_id, "progress"))
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        return None  # unreadable progress is just lost progress: the job starts over
    try:
        return Checkpoint(data["take"], data["engine"], data["model"], data["options"], data.get("language"),
                          int(data["next_index"]), int(data["next_sample"]),
                          [Segment.from_dict(s) for s in data["segments"]])
    except (KeyError, TypeError, ValueError):
        return None


def save_checkpoint(project: Project, session: Session, checkpoint: Checkpoint) -> None:
    project.save_session_file(session, name(checkpoint.take, "progress"), checkpoint.to_bytes())


def remove(project: Project, session: Session, take_id: str, kind: str) -> None:
    project.remove_path(project.session_path(session, name(take_id, kind)))
