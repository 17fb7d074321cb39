"""Import an audio or video file into a session: decoded by ffmpeg into a pipe, encrypted
segment by segment as it arrives.  No plaintext copy is ever written: not of the file, not
of the decoded audio.  The original stays where it was (in plaintext) unless the caller asks
to delete it, which happens only once the take is complete and has been read back.

The same rule as for recording: a file is imported into a session only when everyone in it
has consented to audio recording (``consent_gate``).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interviewkit.audio import store
from interviewkit.audio.clock import clock
from interviewkit.audio.consent_gate import check_audio_consent
from interviewkit.audio.errors import ImportCancelled, MediaError
from interviewkit.audio.ffmpeg import tool
from interviewkit.audio.store import AudioTake, TakeWriter, WriteGuard, unguarded
from interviewkit.errors import InterviewkitError, InvalidInput, StorageError, VaultCorrupt

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

RATE = 16000
CHANNELS = 1
SEGMENT_SECONDS = 30.0
CHUNK_BYTES = 256 * 1024  # about 8 s of 16 kHz mono per read from the decoder
STDERR_LIMIT = 4096
# Decoded this much less than the file's stated length: call it truncated.
SHORT_TOLERANCE = 0.02

Progress = Callable[[float, float | None], None]  # (done seconds, total seconds or None)


@dataclass
class MediaInfo:
    duration: float | None
    audio_streams: int
    video_streams: int
    format_name: str = ""


@dataclass
class ImportResult:
    take: AudioTake
    original: Path
    original_on_disk: bool  # True until deleted: the caller must tell the user it is plaintext
    warnings: list[str] = field(default_factory=list)


def _first_error_line(stderr: bytes, path: Path) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1]
    for prefix in (f"{path}: ", f"{path.absolute()}: "):
        line = line.removeprefix(prefix)
    return line[:200]


def probe(path: Path) -> MediaInfo:
    """What ffprobe says of the file; a ``MediaError`` when it is no usable audio."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidInput(path, "no such file", "check the path",
                           code="import.no_file") from None
    except OSError as exc:
        raise StorageError(path, f"cannot read ({exc.strerror})", "check the file's permissions",
                           code="import.unreadable", params={"detail": exc.strerror}) from None
    if path.is_dir():
        raise InvalidInput(path, "is a folder, not a media file", "give an audio or video file",
                           code="import.is_folder")
    if size == 0:
        raise MediaError(path, "the file is empty (0 bytes)", "check that the recording was copied completely",
                         code="import.empty")
    if not os.access(path, os.R_OK):
        raise StorageError(path, "cannot read (permission denied)", "check the file's permissions",
                           code="import.permission")
    command = [tool("ffprobe"), "-v", "error", "-show_entries", "stream=codec_type,duration:format=duration,format_name",
               "-of", "json", "--", str(path)]
    try:
        result = subprocess.run(command, capture_output=True, check=False, stdin=subprocess.DEVNULL, timeout=120)
    except subprocess.TimeoutExpired:
        raise MediaError(path, "ffprobe could not read the file within 2 minutes",
                         "check that it is a complete, local media file",
                         code="import.probe_timeout") from None
    if result.returncode != 0:
        detail = _first_error_line(result.stderr, path)
        raise MediaError(path, f"not a media file, or damaged{f' ({detail})' if detail else ''}",
                         "import wav, mp3, m4a/aac, flac, ogg, or a video (mp4, mkv, webm)",
                         code="import.not_media", params={"detail": detail or "–"})
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError:
        data = {}
    streams = data.get("streams", [])
    kinds = [s.get("codec_type") for s in streams]
    fmt = data.get("format", {})
    audio = next((s for s in streams if s.get("codec_type") == "audio"), {})
    duration: float | None = None
    for stated in (audio.get("duration"), fmt.get("duration")):  # a video track may run longer than the sound
        try:
            duration = float(stated)
            break
        except (TypeError, ValueError):
            continue
    info = MediaInfo(duration=duration, audio_streams=kinds.count("audio"), video_streams=kinds.count("video"),
                     format_name=str(fmt.get("format_name", "")))
    if not info.audio_streams:
        if info.video_streams:
            raise MediaError(path, "the video has no audio track", "export the recording again with its sound",
                             code="import.video_without_audio")
        raise MediaError(path, "no audio track found", "import wav, mp3, m4a/aac, flac, ogg, mp4, mkv or webm",
                         code="import.no_audio_track")
    if duration is not None and duration <= 0:
        raise MediaError(path, "the recording has zero length", "check that the recording was copied completely",
                         code="import.zero_length")
    return info


def import_file(project: Project, session: Session | str, path: Path | str, progress: Progress | None = None,
                cancel: threading.Event | None = None, delete_original: bool = False,
                guard: WriteGuard | None = None) -> ImportResult:
    """Decode ``path`` (its first audio track) to 16 kHz mono and store it as a new take.

    Refused (``ConsentMissing``) unless everyone in the session may be recorded.  On any
    failure (a damaged file, a full disk, ``cancel`` set, Ctrl+C) the partial take is removed
    and the error raised: an import is all or nothing, and the original is untouched.
    ``guard`` runs each write to the project (see ``store.WriteGuard``).
    """
    path = Path(path)
    write = guard or unguarded
    session = store.resolve_session(project, session)
    with contextlib.suppress(InterviewkitError):
        write(project.reload)  # consent may have been recorded in another process just now
    check_audio_consent(project, session)
    info = probe(path)
    total = info.duration
    command = [tool("ffmpeg"), "-nostdin", "-v", "error", "-i", str(path), "-vn", "-map", "0:a:0",
               "-ac", str(CHANNELS), "-ar", str(RATE), "-f", "s16le", "pipe:1"]
    writer: TakeWriter = write(lambda: TakeWriter.create(project, session, "import", rate=RATE, channels=CHANNELS,
                                                         segment_seconds=SEGMENT_SECONDS))
    bytes_per_second = RATE * CHANNELS * store.SAMPLE_BYTES
    stderr = bytearray()
    decoder = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               bufsize=0)

    def drain_stderr() -> None:
        assert decoder.stderr is not None
        for chunk in iter(lambda: decoder.stderr.read(4096), b""):
            if len(stderr) < STDERR_LIMIT:
                stderr.extend(chunk[:STDERR_LIMIT - len(stderr)])

    errors = threading.Thread(target=drain_stderr, name="ffmpeg-stderr", daemon=True)
    errors.start()
    try:
        assert decoder.stdout is not None
        if progress:
            progress(0.0, total)
        received = 0
        while chunk := decoder.stdout.read(CHUNK_BYTES):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled(path, "import cancelled", "nothing was kept; the file is unchanged",
                                      code="import.cancelled")
            write(lambda data=chunk: writer.append(data))
            received += len(chunk)
            if progress:
                done = received / bytes_per_second
                progress(min(done, total) if total else done, total)
        decoder.wait()
        errors.join()
        if writer.frames == 0:
            detail = _first_error_line(bytes(stderr), path)
            if not detail:
                raise MediaError(path, "the recording has zero length", "check that it was copied completely",
                                 code="import.zero_length")
            raise MediaError(path, f"no audio could be decoded ({detail})",
                             "the file is damaged; try exporting or copying it again",
                             code="import.undecodable", params={"detail": detail})
        take: AudioTake = write(writer.close)
    except BaseException:
        with contextlib.suppress(OSError):
            decoder.kill()
        decoder.wait()
        errors.join(timeout=5)
        write(lambda: store.remove_take_files(project, session, writer.take.id))
        raise
    finally:
        for stream in (decoder.stdout, decoder.stderr):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
    if progress:
        progress(take.duration_seconds, take.duration_seconds)
    warnings = []
    if total and take.duration_seconds < total * (1 - SHORT_TOLERANCE) - 0.5:
        warnings.append(f"only {clock(take.duration_seconds)} of {clock(total)} could be decoded: the file seems "
                        "truncated or damaged; what was readable is imported")
    elif decoder.returncode != 0 or stderr:
        detail = _first_error_line(bytes(stderr), path)
        warnings.append(f"the decoder reported problems ({detail or f'exit status {decoder.returncode}'}); "
                        "listen to the take to check it")
    result = ImportResult(take=take, original=path, original_on_disk=True, warnings=warnings)
    if delete_original:
        remove_original(project, session, result)
    return result


def verify_take(project: Project, session: Session | str, take: AudioTake) -> None:
    """Read every segment of a complete take back and check it against the index."""
    session = store.resolve_session(project, session)
    stored = store.open_take(project, session, take.id)
    if not stored.complete or stored.segments != take.segments:
        raise VaultCorrupt(store.take_dir(project, session, take.id), "the stored take differs from what was written",
                           "import the file again", code="import.verify_failed")
    frames = sum(len(data) // stored.frame_bytes for data in store.iter_segments(project, session, stored))
    if frames != take.frames:
        raise VaultCorrupt(store.take_dir(project, session, take.id), "the stored take is incomplete",
                           "import the file again", code="import.incomplete")


def remove_original(project: Project, session: Session | str, result: ImportResult) -> ImportResult:
    """Delete the imported file, after reading the take back in full.  Returns ``result`` updated."""
    verify_take(project, session, result.take)
    try:
        result.original.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(result.original, f"the take is stored, but the original cannot be deleted ({exc.strerror})",
                           "delete it by hand",
                           code="import.original_kept", params={"detail": exc.strerror}) from None
    result.original_on_disk = False
    return result
