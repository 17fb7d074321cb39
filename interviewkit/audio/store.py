"""The encrypted segment store: a session's audio as takes of age-encrypted PCM segments.

A take (one recording or one import) lives in ``sessions/<key>/audio/<take id>/``:

- ``seg-000001.age``, ``seg-000002.age``, … — each a complete age file whose plaintext is raw
  PCM (signed 16-bit little-endian, interleaved, at the take's rate and channels; no header);
- ``index.age`` — JSON: rate, channels, source, start time, and per segment its frame count and
  the SHA-256 of its plaintext; rewritten (atomically) after every segment.

A crash loses at most the segment being filled.  A segment written just before a crash but not
yet in the index is recovered when the take is opened.  Nothing here ever writes plaintext.

Every take is in the audit log (``audio.record`` / ``audio.import``, see ``log_take``): written
when the take is closed, or, for a take a crash interrupted, when it is found (``log_interrupted``),
once; a take continued after that gets a ``continued`` entry with the seconds it added.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from interviewkit.errors import InvalidInput, NotFound, ProjectLocked, VaultCorrupt
from interviewkit.sessions import Session, get_session
from interviewkit.vault.cipher import read_encrypted

if TYPE_CHECKING:
    from interviewkit.project import Project

FORMAT = "interviewkit-audio-take"
VERSION = 1
AUDIO_DIR = "audio"
INDEX_NAME = "index.age"
SEGMENT_PATTERN = re.compile(r"^seg-(\d{6})\.age$")
TAKE_ID = re.compile(r"^[0-9a-f]{12}$")
SOURCES = ("microphone", "import")
SAMPLE_BYTES = 2  # signed 16-bit little-endian
DEFAULT_SEGMENT_SECONDS = 5.0
AUDIT_ACTIONS = {"microphone": "audio.record", "import": "audio.import"}
# Another process may hold the project lock for a moment (a CLI command); wait this long for it.
LOCK_WAIT_SECONDS = 5.0

T = TypeVar("T")
# Runs one write to the project.  The TUI passes one that serialises it with the screen's own
# writes (the project lock is per process, not per thread); the CLI writes directly.
WriteGuard = Callable[[Callable[[], Any]], Any]


def unguarded(job: Callable[[], T]) -> T:
    """The write guard of a caller with no other writer in its process: run the write now."""
    return job()


def segment_name(seq: int) -> str:
    return f"seg-{seq:06d}.age"


@dataclass
class SegmentInfo:
    seq: int
    frames: int
    sha256: str


@dataclass
class AudioTake:
    """What the index of a take says (plus segments recovered from beyond it)."""

    id: str
    source: str
    rate: int
    channels: int
    started: str
    device: str | None = None
    segments: list[SegmentInfo] = field(default_factory=list)
    complete: bool = False

    @property
    def frames(self) -> int:
        return sum(s.frames for s in self.segments)

    @property
    def duration_seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0

    @property
    def frame_bytes(self) -> int:
        return SAMPLE_BYTES * self.channels

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "version": VERSION, "take": self.id, "source": self.source, "rate": self.rate,
                "channels": self.channels, "started": self.started, "device": self.device,
                "original_name": None, "segments": [asdict(s) for s in self.segments], "complete": self.complete}
        return json.dumps(data, ensure_ascii=False, indent=0).encode()

    @classmethod
    def from_bytes(cls, raw: bytes, path: Path) -> AudioTake:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("not an audio take index")
            if int(data.get("version", 0)) > VERSION:
                raise VaultCorrupt(path, f"made by a newer interviewkit (take format {data['version']})",
                                   "upgrade interviewkit",
                                   code="vault.newer_format")
            take = cls(id=str(data["take"]), source=str(data["source"]), rate=int(data["rate"]),
                       channels=int(data["channels"]), started=str(data["started"]), device=data.get("device"),
                       segments=[SegmentInfo(seq=int(s["seq"]), frames=int(s["frames"]), sha256=str(s["sha256"]))
                                 for s in data["segments"]],
                       complete=bool(data["complete"]))
            if take.rate <= 0 or take.channels <= 0:
                raise ValueError(f"rate {take.rate}, channels {take.channels}")
            return take
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupt(path, f"the audio take index is unreadable ({exc})",
                               "restore the take's index.age from a backup",
                               code="audio.index_unreadable", params={"detail": exc}) from None


# -- places ----------------------------------------------------------------------------


def resolve_session(project: Project, session: Session | str) -> Session:
    return get_session(project, session) if isinstance(session, str) else session


def audio_dir(project: Project, session: Session) -> Path:
    return project.session_path(session, AUDIO_DIR)


def take_dir(project: Project, session: Session, take_id: str) -> Path:
    if not TAKE_ID.match(take_id):
        raise InvalidInput("take", f"'{take_id}' is not a take id", "take ids are 12 hex digits; see 'audio list'",
                           code="audio.bad_take_id", params={"take": take_id})
    return project.session_path(session, f"{AUDIO_DIR}/{take_id}")


def _relative(take_id: str, name: str) -> str:
    return f"{AUDIO_DIR}/{take_id}/{name}"


@contextlib.contextmanager
def _project_lock(project: Project) -> Iterator[None]:
    """The project lock, briefly; waits a little when another process holds it."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            project.lock.acquire()
            break
        except ProjectLocked:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
    try:
        if project.lock.outermost:
            project.reload()  # recipients may have changed in another process
        yield
    finally:
        project.lock.release()


# -- reading ---------------------------------------------------------------------------


def _decrypt_segment(project: Project, path: Path, take: AudioTake, expected: SegmentInfo | None) -> bytes:
    data = read_encrypted(path, project.keyring.identities)
    if len(data) % take.frame_bytes:
        raise VaultCorrupt(path, f"segment length {len(data)} is not a whole number of frames",
                           "restore this segment from a backup, or delete the take", code="audio.segment_damaged")
    if expected is not None:
        if hashlib.sha256(data).hexdigest() != expected.sha256:
            raise VaultCorrupt(path, "segment does not match the checksum in the take's index",
                               "restore this segment from a backup, or delete the take", code="audio.segment_damaged")
        if len(data) // take.frame_bytes != expected.frames:
            raise VaultCorrupt(path, "segment length does not match the take's index",
                               "restore this segment from a backup, or delete the take", code="audio.segment_damaged")
    return data


def _recover(project: Project, directory: Path, take: AudioTake) -> list[SegmentInfo]:
    """Segments on disk after the last one in the index (written just before a crash)."""
    on_disk = sorted(int(m.group(1)) for p in directory.iterdir() if (m := SEGMENT_PATTERN.match(p.name)))
    last = take.segments[-1].seq if take.segments else 0
    recovered = []
    for seq in on_disk:
        if seq <= last:
            continue
        if seq != last + 1:
            break  # a gap: nothing after it belongs to this take
        path = directory / segment_name(seq)
        try:
            data = _decrypt_segment(project, path, take, None)
        except VaultCorrupt as error:
            raise VaultCorrupt(path, f"unindexed segment is unreadable ({error.problem})",
                               "delete this file to open the take without it",
                               code="audio.segment_unreadable", params={"detail": error.problem}) from None
        recovered.append(SegmentInfo(seq=seq, frames=len(data) // take.frame_bytes,
                                     sha256=hashlib.sha256(data).hexdigest()))
        last = seq
    return recovered


def open_take(project: Project, session: Session | str, take_id: str) -> AudioTake:
    """Read a take's index and add segments a crash left out of it (in memory only)."""
    session = resolve_session(project, session)
    directory = take_dir(project, session, take_id)
    index_path = directory / INDEX_NAME
    if not index_path.is_file():
        if directory.is_dir():
            raise VaultCorrupt(index_path, "the take's index is missing", "restore it from a backup",
                               code="audio.index_missing")
        raise NotFound(audio_dir(project, session), f"no take '{take_id}' in session {session.id}",
                       f"see 'interviewkit audio list {project.root} {session.id}'",
                       code="audio.no_take", params={"take": take_id, "session": session.id})
    take = AudioTake.from_bytes(read_encrypted(index_path, project.keyring.identities), index_path)
    if take.id != take_id:
        raise VaultCorrupt(index_path, f"the index belongs to take {take.id}", "restore it from a backup",
                           code="audio.index_mismatch", params={"take": take.id})
    take.segments.extend(_recover(project, directory, take))
    return take


def list_takes(project: Project, session: Session | str) -> list[AudioTake]:
    """The session's takes, oldest first."""
    session = resolve_session(project, session)
    directory = audio_dir(project, session)
    if not directory.is_dir():
        return []
    takes = [open_take(project, session, p.name) for p in directory.iterdir()
             if p.is_dir() and TAKE_ID.match(p.name) and (p / INDEX_NAME).is_file()]
    return sorted(takes, key=lambda t: (t.started, t.id))


def _take(project: Project, session: Session, take: AudioTake | str) -> AudioTake:
    return open_take(project, session, take) if isinstance(take, str) else take


def iter_segments(project: Project, session: Session | str, take: AudioTake | str,
                  first: int = 0) -> Iterator[bytes]:
    """Decrypt the take's segments one by one, from segment number ``first`` (0-based)."""
    session = resolve_session(project, session)
    take = _take(project, session, take)
    directory = take_dir(project, session, take.id)
    for info in take.segments[first:]:
        yield _decrypt_segment(project, directory / segment_name(info.seq), take, info)


def read_pcm(project: Project, session: Session | str, take: AudioTake | str, start_seconds: float = 0.0,
             end_seconds: float | None = None) -> bytes:
    """The take's PCM from ``start_seconds`` to ``end_seconds`` (default: the end), decrypted into memory."""
    session = resolve_session(project, session)
    take = _take(project, session, take)
    start = max(0, int(round(start_seconds * take.rate)))
    end = take.frames if end_seconds is None else min(take.frames, max(start, int(round(end_seconds * take.rate))))
    if start >= end:
        return b""
    directory = take_dir(project, session, take.id)
    out = bytearray()
    position = 0
    for info in take.segments:
        seg_start, seg_end = position, position + info.frames
        position = seg_end
        if seg_end <= start:
            continue
        if seg_start >= end:
            break
        data = _decrypt_segment(project, directory / segment_name(info.seq), take, info)
        lo, hi = max(start, seg_start) - seg_start, min(end, seg_end) - seg_start
        out += memoryview(data)[lo * take.frame_bytes:hi * take.frame_bytes]
    return bytes(out)


# -- writing ---------------------------------------------------------------------------


class TakeWriter:
    """Append-only writer of one take: buffers PCM, writes a segment each ``segment_seconds``.

    One writer per take.  If a write fails (disk full, project locked), the audio stays in
    the buffer and the error is raised; the next ``append``/``flush`` tries again.
    """

    def __init__(self, project: Project, session: Session, take: AudioTake,
                 segment_seconds: float = DEFAULT_SEGMENT_SECONDS) -> None:
        self.project = project
        self.session = session
        self.take = take
        self.segment_seconds = segment_seconds
        self._buffer = bytearray()
        self._index_dirty = False
        self._closed = False
        self._mutex = threading.Lock()

    @classmethod
    def create(cls, project: Project, session: Session | str, source: str, rate: int = 16000, channels: int = 1,
               device: str | None = None, segment_seconds: float = DEFAULT_SEGMENT_SECONDS) -> TakeWriter:
        if source not in SOURCES:
            raise ValueError(f"unknown audio source {source!r}")
        if rate <= 0 or channels <= 0:
            raise ValueError(f"bad rate {rate} or channels {channels}")
        session = resolve_session(project, session)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        take = AudioTake(id=secrets.token_hex(6), source=source, rate=rate, channels=channels, started=started,
                         device=device)
        writer = cls(project, session, take, segment_seconds)
        with _project_lock(project):
            writer._write_index()
        return writer

    @classmethod
    def resume(cls, project: Project, session: Session | str, take_id: str,
               segment_seconds: float = DEFAULT_SEGMENT_SECONDS) -> TakeWriter:
        """Continue an incomplete take (after a crash); recovered segments are indexed now."""
        session = resolve_session(project, session)
        take = open_take(project, session, take_id)
        if take.complete:
            raise InvalidInput("take", f"take {take_id} is complete", "start a new take",
                               code="audio.take_complete", params={"take": take_id}, field="take")
        writer = cls(project, session, take, segment_seconds)
        with _project_lock(project):
            writer._write_index()
        return writer

    # -- state

    @property
    def frames(self) -> int:
        """Frames accepted so far: written plus buffered."""
        return self.take.frames + len(self._buffer) // self.take.frame_bytes

    @property
    def seconds(self) -> float:
        return self.frames / self.take.rate

    @property
    def buffered_bytes(self) -> int:
        return len(self._buffer)

    def _segment_bytes(self) -> int:
        return max(1, int(round(self.segment_seconds * self.take.rate))) * self.take.frame_bytes

    # -- writing

    def append(self, pcm: bytes | bytearray | memoryview) -> None:
        with self._mutex:
            if self._closed:
                raise ValueError("the take is closed")
            self._buffer += memoryview(pcm).cast("B")
            size = self._segment_bytes()
            while len(self._buffer) >= size:
                self._write_segment(size)

    def flush(self) -> None:
        """Write the buffered audio (whole frames) as a segment now."""
        with self._mutex:
            self._flush()

    def _flush(self) -> None:
        size = len(self._buffer) - len(self._buffer) % self.take.frame_bytes
        if size:
            self._write_segment(size)
        elif self._index_dirty:
            with _project_lock(self.project):
                self._write_index()

    def close(self) -> AudioTake:
        """Flush, mark the take complete, and record it in the audit log."""
        with self._mutex:
            if self._closed:
                return replace(self.take, segments=list(self.take.segments))
            self._flush()
            self.take.complete = True
            try:
                with _project_lock(self.project):
                    self._write_index()
            except BaseException:
                self.take.complete = False
                raise
            self._closed = True
            self._buffer.clear()  # a trailing partial frame, if any
            log_take(self.project, self.session, self.take)
            return replace(self.take, segments=list(self.take.segments))

    def _write_segment(self, size: int) -> None:
        data = bytes(self._buffer[:size])
        info = SegmentInfo(seq=(self.take.segments[-1].seq + 1) if self.take.segments else 1,
                           frames=size // self.take.frame_bytes, sha256=hashlib.sha256(data).hexdigest())
        with _project_lock(self.project):
            self.project.save_session_file(self.session, _relative(self.take.id, segment_name(info.seq)), data)
            self.take.segments.append(info)
            del self._buffer[:size]
            self._index_dirty = True
            self._write_index()  # a failure here leaves the segment on disk: recovered on open

    def _write_index(self) -> None:
        self.project.save_session_file(self.session, _relative(self.take.id, INDEX_NAME), self.take.to_bytes())
        self._index_dirty = False


# -- deleting and the audit log --------------------------------------------------------


def log_take(project: Project, session: Session, take: AudioTake, interrupted: bool = False) -> bool:
    """The take's audit entry (``audio.record`` / ``audio.import``): ids and seconds only, never names.

    A take has one entry.  ``interrupted``: the take was found unfinished after a crash; it gets its
    entry only if it has none yet.  A take closed after such an entry (it was continued) gets a
    second one, ``continued``, with the seconds added since.  Returns whether an entry was written.
    """
    action, target = AUDIT_ACTIONS[take.source], f"take:{take.id}"
    with _project_lock(project):  # read and write under one lock: two finders log a take once
        entries, _ = project.audit_entries()
        logged = [e for e in entries if e.action == action and e.target == target]
        if logged and interrupted:
            return False
        details: dict[str, Any] = {"interrupted": True} if interrupted else {}
        seconds = take.duration_seconds
        if logged:
            seconds = max(0.0, seconds - sum(float(e.details.get("seconds") or 0) for e in logged))
            details = {"continued": True}
        with project.writing() as change:
            change.log(action, target, session=session.key, seconds=round(seconds, 1), **details)
    return True


def log_interrupted(project: Project, session: Session, takes: list[AudioTake]) -> None:
    """Give each take a crash interrupted (unfinished, no recorder on it) its audit entry, once."""
    for take in takes:
        if not take.complete:
            log_take(project, session, take, interrupted=True)


def remove_take_files(project: Project, session: Session, take_id: str) -> None:
    """Remove a take's folder: renamed away first, so a half-finished delete is never a half take."""
    project.remove_path(take_dir(project, session, take_id))


def delete_take(project: Project, session: Session | str, take_id: str) -> None:
    session = resolve_session(project, session)
    take = open_take(project, session, take_id)
    with project.writing() as change:
        remove_take_files(project, session, take_id)
        change.log("audio.delete", f"take:{take_id}", session=session.key, seconds=round(take.duration_seconds, 1))
