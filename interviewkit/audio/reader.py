"""Audio of a session as 16 kHz mono float32 numpy arrays (what Whisper-style models take).

``read_audio`` returns a whole take (or all takes); ``iter_audio`` yields it in chunks and,
with ``follow=True``, keeps yielding while a recording is still being written.  Takes at
another rate or with more channels are converted by ffmpeg through pipes, never via a file.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from interviewkit.audio import store
from interviewkit.audio.ffmpeg import convert, raw_input_args, tool
from interviewkit.audio.store import AudioTake

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

RATE = 16000
POLL_SECONDS = 0.5


def to_float(pcm: bytes | bytearray | memoryview) -> np.ndarray:
    """Signed 16-bit little-endian PCM as float32 in [-1, 1)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)


def is_native(take: AudioTake) -> bool:
    return take.rate == RATE and take.channels == 1


def read_audio(project: Project, session: Session | str, take: AudioTake | str | None = None) -> np.ndarray:
    """A take (or, with ``take=None``, all takes of the session in order) as one float32 array."""
    session = store.resolve_session(project, session)
    takes = store.list_takes(project, session) if take is None else [store._take(project, session, take)]
    parts = []
    for item in takes:
        pcm = store.read_pcm(project, session, item)
        if not is_native(item) and pcm:
            pcm = convert(pcm, item.rate, item.channels, out_rate=RATE, out_channels=1)
        parts.append(to_float(pcm))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def _segments(project: Project, session: Session, take: AudioTake, follow: bool,
              stop: threading.Event | None, poll_seconds: float) -> Iterator[bytes]:
    """The take's segments as PCM, waiting for new ones while it is being recorded (``follow``)."""
    done = 0
    while True:
        if done < len(take.segments):
            for data in store.iter_segments(project, session, take, first=done):
                done += 1
                yield data
            continue
        if not follow or take.complete or (stop is not None and stop.is_set()):
            return
        if stop is not None:
            stop.wait(poll_seconds)
        else:
            time.sleep(poll_seconds)
        take = store.open_take(project, session, take.id)


def _chunks(stream: Iterator[bytes], size: int) -> Iterator[bytes]:
    buffer = bytearray()
    for data in stream:
        buffer += data
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop an ffmpeg whose output is no longer wanted, and close its pipe."""
    if process.poll() is None:
        process.kill()
    process.wait()
    with contextlib.suppress(OSError):
        process.stdout.close()  # type: ignore[union-attr]


def _resampled(pcm: Iterator[bytes], take: AudioTake) -> Iterator[bytes]:
    """One ffmpeg for the whole stream (no seams between chunks): a thread feeds it."""
    command = [tool(), "-nostdin", "-v", "error", *raw_input_args(take.rate, take.channels),
               "-ac", "1", "-ar", str(RATE), "-f", "s16le", "pipe:1"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               bufsize=0)
    failure: list[BaseException] = []

    def feed() -> None:
        assert process.stdin is not None
        try:
            for data in pcm:
                process.stdin.write(data)
        except BrokenPipeError:
            pass
        except BaseException as exc:  # re-raised by the reading side
            failure.append(exc)
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()

    feeder = threading.Thread(target=feed, name="resample-feed", daemon=True)
    feeder.start()
    try:
        assert process.stdout is not None
        while data := process.stdout.read(64 * 1024):
            yield data
        feeder.join()
        if failure:
            raise failure[0]
    finally:
        _end(process)


def iter_audio(project: Project, session: Session | str, take: AudioTake | str | None = None,
               chunk_seconds: float = 30.0, follow: bool = False, stop: threading.Event | None = None,
               poll_seconds: float = POLL_SECONDS) -> Iterator[np.ndarray]:
    """Yield float32 16 kHz mono arrays of ``chunk_seconds`` (the last one shorter).

    ``follow=True``: while the take is not complete (being recorded), wait for new segments
    and yield them as they come; ends when the take is closed or ``stop`` is set.
    ``take=None``: all takes of the session, one after the other (follow applies to the last).
    """
    session = store.resolve_session(project, session)
    takes = store.list_takes(project, session) if take is None else [store._take(project, session, take)]
    size = max(1, int(round(chunk_seconds * RATE))) * 2

    def pcm() -> Iterator[bytes]:
        for number, item in enumerate(takes):
            stream = _segments(project, session, item, follow and number == len(takes) - 1, stop, poll_seconds)
            yield from stream if is_native(item) else _resampled(stream, item)

    for data in _chunks(pcm(), size):
        yield to_float(data)


def iter_file_audio(path, chunk_seconds: float = 30.0) -> Iterator[np.ndarray]:
    """A plain audio or video file (its first audio track) as 16 kHz mono float32 chunks,
    decoded by ffmpeg through a pipe (no converted copy on disk)."""
    from pathlib import Path

    from interviewkit.audio.importer import probe

    path = Path(path)
    probe(path)  # a clear error for a missing, empty or non-media file
    command = [tool(), "-nostdin", "-v", "error", "-i", str(path), "-vn", "-map", "0:a:0", "-ac", "1",
               "-ar", str(RATE), "-f", "s16le", "pipe:1"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, bufsize=0)
    size = max(1, int(round(chunk_seconds * RATE))) * 2
    try:
        assert process.stdout is not None
        stdout = process.stdout
        for data in _chunks(iter(lambda: stdout.read(64 * 1024), b""), size):
            yield to_float(data)
    finally:
        _end(process)
