"""A session's transcript in the vault: ``sessions/<key>/transcript.age`` (JSON, ``Transcript``),
replaced atomically at every save, and a revision history in ``transcript-revisions/``
(``<UTC time>.age``, at most ``MAX_REVISIONS``, oldest dropped) so the user can go back.
The editor keeps one revision per visit that changed something (``save_transcript(…,
revision=True)`` when leaving); saves in between only replace the working copy.  Where the
transcriber left off (``EditorPlace``) is kept beside it, encrypted, in ``editor-place.age``.

``open_transcript`` returns the saved transcript, or a new one built from the finished machine
transcriptions of the session's takes (a take with only a live draft uses the draft), or raises
``NotFound`` when nothing is transcribed yet.

**No lost updates.**  The file holds a ``revision`` counter (a file without one is revision 0);
``open_transcript`` returns it as ``Transcript.revision``.  ``save_transcript(…, base=N)``
re-reads the stored revision under the project lock and refuses with ``StaleTranscript``
(``transcript.stale``) unless it is still ``N``; else it writes revision N+1 and returns it.
``base`` defaults to the transcript's own ``revision`` (what it was read at); ``base=None``
skips the check, only for a caller that reads and writes under one hold of the project lock
(``replace_in_project``, ``rename_speaker_in_project``, withdrawal erasure).  Key destruction
passes the revision its review analysed.
``keep_revision`` puts a version in the history without replacing the working copy (the editor
keeps the other side there before it resolves a conflict; see ``interviewkit.transcript.merge``).

**Speaker display names** are names of people: they live in the linkage key
(``LinkageKey.speakers``: session key → code → name), never in ``transcript.age`` or its
revisions.  Opening merges them in when the opener can read the linkage key (else the screen
shows the codes); saving splits them out, writing the linkage key (through
``Project.writing()``) only when they changed.  A transcript written before holding names in the
file has them moved to the linkage key on its next save.  An opener that cannot read the linkage
key keeps the file's names as they are and cannot change them (``transcript.names_need_linkage``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interviewkit.errors import IdentityError, InterviewkitError, NotFound, VaultCorrupt
from interviewkit.transcript.model import Transcript

if TYPE_CHECKING:
    from interviewkit.linkage import LinkageKey
    from interviewkit.project import Change, Project
    from interviewkit.sessions import Session

TRANSCRIPT_FILE = "transcript.age"
REVISIONS_DIR = "transcript-revisions"
MAX_REVISIONS = 50
PLACE_FILE = "editor-place.age"


class _FromTranscript:
    """``save_transcript``'s default base: the revision the transcript was read at."""


FROM_TRANSCRIPT = _FromTranscript()


class StaleTranscript(InterviewkitError):
    """A save based on a revision of the transcript that is no longer the stored one."""

    code = "transcript.stale"

    def __init__(self, path: Path, base: int, current: int) -> None:
        super().__init__(path, f"the transcript was changed elsewhere since you opened it "
                               f"(revision {base}, now {current})", "reload or merge",
                         code="transcript.stale", params={"base": base, "current": current})
        self.base, self.current = base, current


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


def _linkage_names(project: Project, session: Session) -> dict[str, str] | None:
    """The session's speaker display names from the linkage key; None when this opener cannot
    read the linkage key.  Inside a ``writing()`` block that changes the linkage key: as that block
    has it (only looked at: asking the block for it would make the block write it back)."""
    change = project.current_change
    in_change = change.loaded_linkage if change is not None else None
    try:
        linkage = in_change if in_change is not None else project.linkage()
    except IdentityError:
        return None
    return dict(linkage.speakers.get(session.key, {}))


def _with_names(project: Project, session: Session, transcript: Transcript) -> Transcript:
    """The display names merged in from the linkage key (those still in an old file too)."""
    names = _linkage_names(project, session)
    if names is not None:
        transcript.speakers = {**transcript.speakers, **names}
    return transcript


def open_transcript(project: Project, session: Session) -> Transcript:
    raw = project.load_session_file(session, TRANSCRIPT_FILE)
    if raw is not None:
        return _with_names(project, session, _parse(project, session, TRANSCRIPT_FILE, raw))
    transcript = _from_transcriptions(project, session)
    if transcript is None:
        raise NotFound(session.id, "the session has not been transcribed",
                       "transcribe it first: interviewkit transcribe PROJECT SESSION",
                       code="transcript.not_transcribed", params={"session": session.id})
    return _with_names(project, session, transcript)


def stored_revision(project: Project, session: Session) -> int:
    """The revision of the stored transcript now (0: none saved yet, or saved before revisions)."""
    return _stored_revision(project, session, project.load_session_file(session, TRANSCRIPT_FILE))


def _revision_name(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + f".{now.microsecond:06d}Z"


@contextlib.contextmanager
def _linkage_change(project: Project) -> Iterator[tuple[Change, bool]]:
    """The ``writing()`` block in progress (its caller commits the linkage key and logs what it
    did), or a new one of our own (True: log it here)."""
    if project.current_change is not None:
        yield project.current_change, False
    else:
        project.reload()  # under the lock already, so writing() does not: another process may have changed it
        with project.writing() as change:
            yield change, True


HEAD = re.compile(rb'^\{"format":"interviewkit-transcript","version":\d+,"revision":(\d+),')


def _stored_revision(project: Project, session: Session, raw: bytes | None) -> int:
    """The revision of the stored transcript ``raw`` (None: none stored): read from the head of
    the JSON as this module writes it, else (an older file) from the whole."""
    if raw is None:
        return 0
    head = HEAD.match(raw[:200])
    return int(head.group(1)) if head else _parse(project, session, TRANSCRIPT_FILE, raw).revision


def _file_names(project: Project, session: Session, transcript: Transcript, raw: bytes | None) -> dict[str, str]:
    """Put the display names where they belong; return those that stay in the file ({} unless
    this opener cannot read the linkage key and an old file held names)."""
    names = {code: name for code, name in transcript.speakers.items() if name}
    kept = _linkage_names(project, session)
    if kept is None:  # a data-scope opener: the file's names (if any) stay as they were
        in_file = dict(_parse(project, session, TRANSCRIPT_FILE, raw).speakers) if raw is not None else {}
        if names != in_file:
            raise IdentityError(project.session_path(session, TRANSCRIPT_FILE),
                                "speaker names are kept in the linkage key, which this key cannot open",
                                "rename speakers with the project passphrase or a key with scope 'all'",
                                code="transcript.names_need_linkage")
        return in_file
    if names != kept:
        with _linkage_change(project) as (change, own):
            linkage: LinkageKey = change.linkage
            if names:
                linkage.speakers[session.key] = names
            else:
                linkage.speakers.pop(session.key, None)
            if own:  # the editor's rename (a project-wide rename or a withdrawal logs itself)
                change.log("transcript.speaker-names", f"session:{session.key}", names=len(names))
    return {}


def save_transcript(project: Project, session: Session, transcript: Transcript, revision: bool = False, *,
                    base: int | None | _FromTranscript = FROM_TRANSCRIPT) -> int:
    """Save atomically (encrypted) on top of revision ``base`` of the stored transcript (default:
    the transcript's own ``revision``; None: no check, for a caller holding the project lock since
    it read); with ``revision`` also keep a copy in the history.  Refuses with ``StaleTranscript``
    when the stored revision is not ``base``.  Returns the revision written, which is also set on
    ``transcript``."""
    if isinstance(base, _FromTranscript):
        base = transcript.revision
    with project.lock:
        raw = project.load_session_file(session, TRANSCRIPT_FILE)
        current = _stored_revision(project, session, raw)
        if base is not None and base != current:
            raise StaleTranscript(project.session_path(session, TRANSCRIPT_FILE), base, current)
        in_file = _file_names(project, session, transcript, raw)  # the linkage key first: no name is lost
        written = Transcript(transcript.segments, in_file, transcript.language, current + 1)
        data = written.to_bytes()
        project.save_session_file(session, TRANSCRIPT_FILE, data)
        if revision:
            _keep(project, session, data)
    transcript.revision = current + 1
    return current + 1


def keep_revision(project: Project, session: Session, transcript: Transcript) -> None:
    """Put ``transcript`` in the history without replacing the working copy (its display names
    stay out of the file; the linkage key keeps the current ones)."""
    with project.lock:
        names_in_file = transcript.speakers if _linkage_names(project, session) is None else {}
        _keep(project, session, Transcript(transcript.segments, dict(names_in_file), transcript.language,
                                           transcript.revision).to_bytes())


def _keep(project: Project, session: Session, data: bytes) -> None:
    directory = project.session_path(session, REVISIONS_DIR)
    now = dt.datetime.now(dt.UTC)
    revisions = list_revisions(project, session)
    existing = {r.name for r in revisions}
    if revisions and _revision_name(now) <= revisions[0].name:  # same microsecond, or the clock went back
        now = dt.datetime.fromisoformat(revisions[0].saved) + dt.timedelta(microseconds=1)
    name = _revision_name(now)
    project.save_session_file(session, f"{REVISIONS_DIR}/{name}.age", data)
    for old in sorted(existing | {name})[:-MAX_REVISIONS] if MAX_REVISIONS > 0 else []:
        project.remove_path(directory / f"{old}.age")


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
    return _with_names(project, session, _parse(project, session, relative, raw))  # today's names


# -- a stale save, resolved (the editor's three choices) ------------------------------------------

RELOAD, MERGE, KEEP_MINE = "reload", "merge", "keep-mine"
CHOICES = (RELOAD, MERGE, KEEP_MINE)


@dataclass
class Resolution:
    transcript: Transcript  # what the editor shows from now on: the stored transcript, at ``revision``
    revision: int
    conflicts: list[str]  # MERGE: ids of the segments both sides changed (mine kept, theirs in the history)


def resolve_stale(project: Project, session: Session, choice: str, base: Transcript, mine: Transcript) -> Resolution:
    """After ``StaleTranscript``: ``mine`` (the editor's version, grown from ``base``, what it last
    read or saved) against the stored one ("theirs"), under one hold of the project lock:

    * RELOAD: theirs, as stored; mine goes into the history (discarded, but not lost);
    * MERGE: theirs into the history, then ``merge_transcripts(base, mine, theirs)`` saved on top;
    * KEEP_MINE: theirs into the history, then mine saved on top.
    """
    from interviewkit.transcript.merge import merge_transcripts

    if choice not in CHOICES:
        raise ValueError(f"no such choice: {choice}")
    with project.lock:
        theirs = open_transcript(project, session)
        if choice == RELOAD:
            keep_revision(project, session, mine)
            return Resolution(theirs, theirs.revision, [])
        keep_revision(project, session, theirs)
        if choice == MERGE:
            merged = merge_transcripts(base, mine, theirs)
            revision = save_transcript(project, session, merged.transcript, base=theirs.revision)
            return Resolution(merged.transcript, revision, merged.conflicts)
        revision = save_transcript(project, session, mine, base=theirs.revision)
        return Resolution(mine, revision, [])
