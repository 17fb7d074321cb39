"""A session's transcript in the vault: ``sessions/<key>/transcript.age`` (JSON, ``Transcript``),
replaced atomically at every save, and a revision history in ``transcript-revisions/``
(``<UTC time>.age``, at most ``MAX_REVISIONS``, oldest dropped) so the user can go back.
The editor keeps one revision per visit that changed something (``save_transcript(…,
revision=True)`` when leaving); saves in between only replace the working copy.  Where the
transcriber left off (``EditorPlace``) is kept beside it, encrypted, in ``editor-place.age``.

``open_transcript`` returns the saved transcript, or a new one built from the finished machine
transcriptions of the session's takes (a take with only a live draft uses the draft), or raises
``NotFound`` when nothing is transcribed yet.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.errors import NotFound, VaultCorrupt
from interviewkit.transcript.model import Transcript

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

TRANSCRIPT_FILE = "transcript.age"
REVISIONS_DIR = "transcript-revisions"
MAX_REVISIONS = 50
PLACE_FILE = "editor-place.age"


@dataclass(frozen=True)
class Revision:
    name: str  # file name without .age: the UTC time, sortable
    saved: str  # ISO time


@dataclass(frozen=True)
class EditorPlace:
    """Where the transcriber left off: the cursor's segment (by id; the index if it is gone) and
    the playback position in that segment's take (None: not played)."""

    segment_id: str
    index: int
    take: str
    position: float | None = None

    def segment_index(self, transcript: Transcript) -> int:
        """The segment to put the cursor on in ``transcript`` (which may have changed since)."""
        for i, segment in enumerate(transcript.segments):
            if segment.id == self.segment_id:
                return i
        return max(0, min(self.index, len(transcript.segments) - 1))


def save_place(project: Project, session: Session, place: EditorPlace) -> None:
    """Remember where the transcriber is (encrypted, in the session; no revision, no audit entry:
    it is the screen's state, not study data)."""
    data = {"segment_id": place.segment_id, "index": place.index, "take": place.take, "position": place.position}
    project.save_session_file(session, PLACE_FILE, json.dumps(data).encode())


def load_place(project: Project, session: Session) -> EditorPlace | None:
    """Where the transcriber left off, or None (never opened, or unreadable: the start is fine)."""
    raw = project.load_session_file(session, PLACE_FILE)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        position = data.get("position")
        return EditorPlace(str(data["segment_id"]), int(data["index"]), str(data["take"]),
                           None if position is None else float(position))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


REVISION_NAME = re.compile(r"^(\d{8}T\d{6})\.(\d{6})Z$")


def _parse(project: Project, session: Session, relative: str, raw: bytes) -> Transcript:
    try:
        return Transcript.from_bytes(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = " ".join(f"the transcript is unreadable ({exc})".split())
        raise VaultCorrupt(project.session_path(session, relative), problem,
                           "restore an earlier revision or a backup",
                           code="transcript.unreadable", params={"detail": " ".join(str(exc).split())}) from None


def _from_transcriptions(project: Project, session: Session) -> Transcript | None:
    from interviewkit.audio.store import list_takes
    from interviewkit.transcribe.store import DIRECTORY, load_transcription

    take_ids = [take.id for take in list_takes(project, session)]
    # transcriptions whose audio is gone (deleted at the end of the study) still count, after the takes
    directory = project.session_path(session, DIRECTORY)
    if directory.is_dir():
        stems = sorted(p.name[:-len(".age")].split(".", 1)[0] for p in directory.iterdir()
                       if p.is_file() and p.name.endswith(".age"))
        take_ids += [stem for stem in dict.fromkeys(stems) if stem not in take_ids]
    parts = []
    for take_id in take_ids:
        transcription = (load_transcription(project, session, take_id)
                         or load_transcription(project, session, take_id, kind="live"))
        if transcription is not None:
            parts.append((take_id, transcription))
    return Transcript.from_transcriptions(parts) if parts else None


def open_transcript(project: Project, session: Session) -> Transcript:
    raw = project.load_session_file(session, TRANSCRIPT_FILE)
    if raw is not None:
        return _parse(project, session, TRANSCRIPT_FILE, raw)
    transcript = _from_transcriptions(project, session)
    if transcript is None:
        raise NotFound(session.id, "the session has not been transcribed",
                       "transcribe it first: interviewkit transcribe PROJECT SESSION",
                       code="transcript.not_transcribed", params={"session": session.id})
    return transcript


def _revision_name(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + f".{now.microsecond:06d}Z"


def save_transcript(project: Project, session: Session, transcript: Transcript, revision: bool = False) -> None:
    """Save atomically (encrypted); with ``revision`` also keep a copy in the history."""
    data = transcript.to_bytes()
    project.save_session_file(session, TRANSCRIPT_FILE, data)
    if not revision:
        return
    directory = project.session_path(session, REVISIONS_DIR)
    now = dt.datetime.now(dt.UTC)
    revisions = list_revisions(project, session)
    existing = {r.name for r in revisions}
    if revisions and _revision_name(now) <= revisions[0].name:  # same microsecond, or the clock went back
        now = dt.datetime.fromisoformat(revisions[0].saved) + dt.timedelta(microseconds=1)
    name = _revision_name(now)
    project.save_session_file(session, f"{REVISIONS_DIR}/{name}.age", data)
    for old in sorted(existing | {name})[:-MAX_REVISIONS] if MAX_REVISIONS > 0 else []:
        (directory / f"{old}.age").unlink(missing_ok=True)


def list_revisions(project: Project, session: Session) -> list[Revision]:
    """The kept revisions, newest first."""
    directory = project.session_path(session, REVISIONS_DIR)
    if not directory.is_dir():
        return []
    revisions = []
    for path in directory.iterdir():
        match = REVISION_NAME.match(path.name[:-len(".age")]) if path.name.endswith(".age") else None
        if match is None or not path.is_file():
            continue
        saved = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(
            microsecond=int(match.group(2)), tzinfo=dt.UTC)
        revisions.append(Revision(match.group(0), saved.isoformat()))
    return sorted(revisions, key=lambda r: r.name, reverse=True)


def load_revision(project: Project, session: Session, name: str) -> Transcript:
    relative = f"{REVISIONS_DIR}/{name}.age"
    raw = project.load_session_file(session, relative) if REVISION_NAME.match(name) else None
    if raw is None:
        raise NotFound(project.session_path(session, REVISIONS_DIR), f"no revision '{name}' of the transcript",
                       "choose one from the list of revisions",
                       code="editor.no_revision", params={"name": name})
    return _parse(project, session, relative, raw)
