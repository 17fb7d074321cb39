"""Live recording from a microphone into a session, encrypted from the first byte.

The PortAudio callback (``sounddevice.InputStream``, int16) copies each block into a queue
and updates the level meter; it does no I/O.  A writer thread drains the queue into a
``TakeWriter``, which writes an age-encrypted segment every few seconds: a crash, a flat
battery or ``kill -9`` loses at most the segment being filled.  An interrupted take is
found by ``Recorder.recover`` and continued with ``start(resume_take=…)``.

Recording starts only when everyone in the session has consented to audio recording
(``consent_gate``), and stops when that is no longer so: at once when the consent changes in
this process (``consent.subscribe``), and at the next segment when it changes in another (the
writer reads the index again after each segment; what was recorded until then is kept).
Failures keep what was recorded: a lost device or a full disk stops the recording, the take
so far stays in the session, and ``failure`` says what happened.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from interviewkit import consent
from interviewkit.audio.consent_gate import audio_consent_problems, check_audio_consent, consent_revoked
from interviewkit.audio.devices import find_device, sounddevice
from interviewkit.audio.errors import AudioUnavailable
from interviewkit.audio.meter import Level, LevelMeter
from interviewkit.audio.store import (
    AudioTake,
    TakeWriter,
    WriteGuard,
    list_takes,
    log_interrupted,
    open_take,
    remove_take_files,
    take_dir,
    unguarded,
)
from interviewkit.errors import DiskFull, InterviewkitError, InvalidInput

if TYPE_CHECKING:
    from interviewkit.consent import Participant
    from interviewkit.project import Project, ProjectIndex
    from interviewkit.sessions import Session


RATES = (16000, 48000)
BLOCK_SECONDS = 0.1  # one callback per 100 ms
STALL_SECONDS = 3.0  # no callback for this long while recording: the device is gone
FIRST_BLOCK_SECONDS = 5.0  # the first block must come within this time of starting
STREAM_END_SECONDS = 5.0  # stopping or closing PortAudio's stream may take this long, then we go on
MIN_FREE_SECONDS = 60.0  # refuse to start with less room than this on the disk
AGE_CHUNK, AGE_TAG, AGE_HEADER = 64 * 1024, 16, 400  # age's STREAM overhead, roughly
LOCK_NAME = ".recording.lock"
SAMPLE_BYTES = 2

_FLUSH = object()  # queue marker: write the partial segment now (on pause)
_END = object()  # queue marker: no more audio


def _bounded(action: Callable[[], object], seconds: float = STREAM_END_SECONDS) -> None:
    """Run a PortAudio call that may block on a wedged sound server, waiting at most ``seconds``:
    ending a take must not hang on the audio system (what was recorded is in the queue)."""

    def run() -> None:
        with contextlib.suppress(Exception):
            action()

    thread = threading.Thread(target=run, name="portaudio-end", daemon=True)
    thread.start()
    thread.join(seconds)


class DeviceLost(InterviewkitError):
    """The input device stopped delivering audio while recording."""


def parse_device(value: str | int | None) -> str | int | None:
    """A device given on the command line: an index (digits) or a part of its name."""
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.isdigit() else (value or None)
    return value


def bytes_per_second(rate: int, channels: int = 1, segment_seconds: float = 5.0) -> float:
    """Disk use of encrypted PCM: the samples, age's per-chunk tags and per-file headers."""
    pcm = rate * channels * SAMPLE_BYTES
    return pcm * (1 + AGE_TAG / AGE_CHUNK) + 2 * AGE_HEADER / segment_seconds


class _TakeLock:
    """One recorder per take, across processes: flock on a file in the take's folder (empty;
    released by the kernel when the holder dies)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return True  # cannot create it (read-only?): the write itself will report the problem
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(fd)


def take_in_use(project: Project, session: Session, take_id: str) -> bool:
    """True when another recorder (another process) is writing this take now."""
    lock = _TakeLock(take_dir(project, session, take_id))
    if not lock.path.exists():
        return False
    if lock.acquire():
        if lock.fd is not None:
            os.close(lock.fd)  # a probe: leave the file for its owner
            lock.fd = None
        return False
    return True


class Recorder:
    """Record a session from an input device into a new (or an interrupted) take.

    ``start`` → ``pause``/``resume`` → ``stop`` (returns the ``AudioTake``).  Between them
    ``elapsed``, ``level``, ``state`` and ``failure`` may be read from any thread.
    """

    def __init__(self, project: Project, session: Session, device: str | int | None = None, rate: int = 16000,
                 channels: int = 1, segment_seconds: float = 5.0, guard: WriteGuard | None = None,
                 max_seconds: float | None = None) -> None:
        if rate not in RATES:
            raise InvalidInput("--rate", f"{rate} Hz is not offered", "use 16000 (speech) or 48000",
                               code="audio.bad_rate", params={"rate": rate})
        if channels not in (1, 2):
            raise InvalidInput("channels", f"{channels} channels", "record mono (1) or stereo (2)",
                               code="audio.bad_channels", params={"channels": channels}, field="channels")
        self.project = project
        self.session = session
        self.device = parse_device(device)
        self.rate = rate
        self.channels = channels
        self.segment_seconds = segment_seconds
        self.guard: WriteGuard = guard or unguarded
        self.max_seconds = max_seconds  # stop storing after this much audio of this recording
        self.limit_reached = threading.Event()
        self.device_name: str | None = None
        self.meter = LevelMeter(rate)
        self.failure: InterviewkitError | None = None
        self.overflows = 0  # blocks PortAudio reported as overflowed (audio dropped by the system)
        self.take: AudioTake | None = None
        self._writer: TakeWriter | None = None
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._queue: queue.Queue[object] = queue.Queue()
        self._lock: _TakeLock | None = None
        self._paused = False
        self._started = False
        self._stopping = False
        self._stopped = False
        self._start_frames = 0  # frames of the take before this recording (a resumed take)
        self._frames = 0  # frames queued for writing in this recording
        self._last_block = 0.0
        self._first_block = threading.Event()
        self._stop_lock = threading.Lock()
        self._created = False  # this recorder made the take (not resumed)

    # -- finding an interrupted take ---------------------------------------------------------

    @staticmethod
    def recover(project: Project, session: Session, guard: WriteGuard | None = None) -> list[AudioTake]:
        """Incomplete microphone takes of the session (a crash or kill -9), not being recorded now.

        Each gets its ``audio.record`` audit entry here if it has none yet (the recorder that made
        it was killed before it could write one), so that every take is in the audit log."""
        takes = [take for take in list_takes(project, session)
                 if not take.complete and take.source == "microphone" and not take_in_use(project, session, take.id)]
        if takes:
            (guard or unguarded)(lambda: log_interrupted(project, session, takes))
        return takes

    # -- state, readable from any thread -------------------------------------------------------

    @property
    def state(self) -> str:
        """idle | recording | paused | stopped | failed"""
        if self.failure is not None:
            return "failed"
        if self._stopped or self._stopping:
            return "stopped"
        if not self._started:
            return "idle"
        return "paused" if self._paused else "recording"

    @property
    def active(self) -> bool:
        return self._started and not self._stopped

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def elapsed(self) -> float:
        """Seconds of audio in the take so far (a resumed take counts what it held before)."""
        return (self._start_frames + self._frames) / self.rate

    @property
    def level(self) -> Level:
        return self.meter.level

    @property
    def take_id(self) -> str | None:
        return self._writer.take.id if self._writer is not None else (self.take.id if self.take else None)

    def bytes_per_second(self) -> float:
        return bytes_per_second(self.rate, self.channels, self.segment_seconds)

    def free_disk_seconds(self) -> float:
        """How many seconds of recording fit on the project's disk."""
        try:
            free = shutil.disk_usage(self.project.root).free
        except OSError:
            return 0.0
        return free / self.bytes_per_second()

    # -- starting -------------------------------------------------------------------------------

    def start(self, resume_take: str | None = None) -> None:
        """Check consent, the disk and the device, then record.  Raises ``InterviewkitError``."""
        if self._started:
            raise InvalidInput("recorder", "this recorder has already been started", "make a new one",
                               code="audio.recorder_started", field="recorder")
        with contextlib.suppress(InterviewkitError):
            self.project.reload()  # consent may have been recorded in another process just now
        check_audio_consent(self.project, self.session)
        free = self.free_disk_seconds()
        if free < MIN_FREE_SECONDS:
            raise DiskFull(self.project.root, f"the disk has room for only {free:.0f} s of recording",
                           "free some space, then record", code="audio.disk_full", params={"seconds": round(free)})
        if resume_take is not None:  # continue at the take's own format
            earlier = open_take(self.project, self.session, resume_take)
            if earlier.complete:
                raise InvalidInput("--resume", f"take {resume_take} is complete", "record a new take",
                                   code="audio.take_complete", params={"take": resume_take})
            self.rate, self.channels = earlier.rate, earlier.channels
            self.meter = LevelMeter(self.rate)
        sd = sounddevice()
        device = find_device(self.device, "input")
        self.device_name = device.name
        try:
            self._stream = sd.InputStream(samplerate=self.rate, channels=self.channels, dtype="int16",
                                          device=device.index, blocksize=int(self.rate * BLOCK_SECONDS),
                                          callback=self._callback, finished_callback=self._finished)
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioUnavailable(self.device_name, f"cannot open the input device ({exc})",
                                   "close other programs that use it, or choose another with --device "
                                   f"(or another rate than {self.rate} Hz)",
                                   code="audio.input_failed", params={"detail": exc, "rate": self.rate}) from None
        try:
            self._writer = self._open_writer(resume_take)
        except BaseException:
            self._stream.close()
            raise
        self._start_frames = self._writer.frames
        self._started = True
        consent.subscribe(self._consent_changed)
        self._thread = threading.Thread(target=self._write_loop, name="interviewkit-recorder", daemon=True)
        self._thread.start()
        try:
            self._stream.start()
        except sd.PortAudioError as exc:
            self._abandon()
            raise AudioUnavailable(self.device_name, f"cannot start recording ({exc})",
                                   "check the microphone, or choose another with --device",
                                   code="audio.record_failed", params={"detail": exc}) from None
        # Some sound systems take a second or two to deliver the first block: say "recording"
        # only when audio arrives.
        if not self._first_block.wait(FIRST_BLOCK_SECONDS):
            self._abandon()
            raise AudioUnavailable(self.device_name, f"the input device delivered no audio within "
                                   f"{FIRST_BLOCK_SECONDS:.0f} s", "check the microphone and the sound system "
                                   "(PulseAudio/PipeWire), or choose another device with --device",
                                   code="audio.no_input_audio", params={"seconds": round(FIRST_BLOCK_SECONDS)})

    def _abandon(self) -> None:
        """Undo a start that failed before any audio: a new, empty take is removed again; a
        resumed take stays as it was (it can be continued later)."""
        self._end_stream(graceful=False)
        writer = self._writer
        if writer is not None and self._created and not writer.take.segments and not writer.buffered_bytes:
            with contextlib.suppress(InterviewkitError):
                self.guard(lambda: remove_take_files(self.project, self.session, writer.take.id))
        self._stopped = True
        consent.unsubscribe(self._consent_changed)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _open_writer(self, resume_take: str | None) -> TakeWriter:
        project, session = self.project, self.session
        if resume_take is None:
            writer: TakeWriter = self.guard(lambda: TakeWriter.create(
                project, session, "microphone", rate=self.rate, channels=self.channels, device=self.device_name,
                segment_seconds=self.segment_seconds))
            lock = _TakeLock(take_dir(project, session, writer.take.id))
            lock.acquire()
            self._lock = lock
            self._created = True
            return writer
        lock = _TakeLock(take_dir(project, session, resume_take))
        if not lock.path.parent.is_dir():
            raise InvalidInput("--resume", f"no take '{resume_take}' in session {session.id}",
                               "see the takes that can be continued with 'interviewkit record PROJECT SESSION'",
                               code="audio.no_take", params={"take": resume_take, "session": session.id})
        if not lock.acquire():
            raise InvalidInput("--resume", f"take {resume_take} is being recorded by another program",
                               "stop that recording first, or record a new take",
                               code="audio.take_busy", params={"take": resume_take})
        try:
            writer = self.guard(lambda: TakeWriter.resume(project, session, resume_take,
                                                          segment_seconds=self.segment_seconds))
        except BaseException:
            lock.release()
            raise
        self._lock = lock
        return writer

    # -- the audio thread (no I/O here) ---------------------------------------------------------

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self._last_block = time.monotonic()
        self._first_block.set()
        if status and status.input_overflow:
            self.overflows += 1
        self.meter.update(indata)
        if self._paused or self.limit_reached.is_set():
            return
        if self.max_seconds is not None:
            room = round(self.max_seconds * self.rate) - self._frames
            if room <= frames:
                indata, frames = indata[:max(0, room)], max(0, room)
                self.limit_reached.set()
        if frames:
            self._queue.put(indata.tobytes())
            self._frames += frames

    def _finished(self) -> None:
        """PortAudio ended the stream: expected after ``stop``, a lost device otherwise."""
        if not self._stopping and self.failure is None:
            self.failure = DeviceLost(self.device_name or "microphone",
                                      "the input device stopped delivering audio (unplugged?)",
                                      "the recording so far is kept; reconnect the microphone and record again",
                                      code="audio.device_lost")
        self._queue.put(_END)

    # -- consent, checked again while recording ------------------------------------------------

    def _consent_changed(self, project: Project, participant: Participant) -> None:
        """A consent changed in this process (``consent.announce``): stop now if it concerns us."""
        if project.root == self.project.root and self.active and not self._stopping:
            self._check_consent(project.index)

    def _check_consent(self, index: ProjectIndex) -> bool:
        """Stop the recording (a failure that keeps the take) unless everyone may still be recorded."""
        problems = audio_consent_problems(self.project, self.session, index)
        if problems is None or problems:
            if self.failure is None:
                self.failure = consent_revoked(self.session, problems)
            self._halt_stream()
            return False
        return True

    def _consent_still_given(self) -> bool:
        """After each segment: judge by the index on disk (another program may have changed it)."""
        try:
            index = self.project.read_index()
        except InterviewkitError:
            return True  # unreadable for a moment (being replaced): the next segment looks again
        return self._check_consent(index)

    # -- the writer thread ----------------------------------------------------------------------

    def _write_loop(self) -> None:
        writer = self._writer
        assert writer is not None
        segments = len(writer.take.segments)
        while True:
            try:
                item = self._queue.get(timeout=0.25)
            except queue.Empty:
                if (not self._stopping and self.failure is None and self._first_block.is_set()
                        and time.monotonic() - self._last_block > STALL_SECONDS):
                    self.failure = DeviceLost(self.device_name or "microphone",
                                              f"no audio from the input device for {STALL_SECONDS:.0f} s (unplugged?)",
                                              "the recording so far is kept; reconnect the microphone and "
                                              "record again",
                                              code="audio.device_stalled", params={"seconds": round(STALL_SECONDS)})
                    self._halt_stream()
                continue
            if item is _END:
                break
            try:
                if item is _FLUSH:
                    self.guard(writer.flush)
                else:
                    self.guard(lambda data=item: writer.append(data))
            except InterviewkitError as error:
                if self.failure is None:
                    self.failure = error
                self._halt_stream()
                break
            if len(writer.take.segments) != segments:  # a segment was written: is consent still given?
                segments = len(writer.take.segments)
                if self.failure is None and not self._consent_still_given():
                    break  # what is still queued came after the consent was revoked
        if self.failure is not None:  # keep as much as can be kept: write the partial segment
            with contextlib.suppress(InterviewkitError):
                self.guard(writer.flush)

    def _halt_stream(self) -> None:
        """Stop the audio from a thread other than the callback (a failure)."""
        stream = self._stream
        if stream is not None:
            _bounded(stream.abort)
        self._queue.put(_END)

    # -- controls -----------------------------------------------------------------------------

    def pause(self) -> None:
        """Stop storing audio (the meter goes on); what was recorded is written out now."""
        if self.active and not self._paused:
            self._paused = True
            self._queue.put(_FLUSH)

    def resume(self) -> None:
        if self.active:
            self._paused = False

    def _end_stream(self, graceful: bool) -> None:
        """Close PortAudio's stream (graceful: deliver what it still buffers first) and let the
        writer thread drain the queue."""
        self._stopping = True  # from here on the end of the stream is expected
        stream, self._stream = self._stream, None
        if stream is not None:
            def end() -> None:
                with contextlib.suppress(Exception):
                    stream.stop() if graceful else stream.abort()
                stream.close()

            _bounded(end)
        self._queue.put(_END)
        if self._thread is not None:
            self._thread.join()

    def stop(self) -> AudioTake:
        """Stop and close the take (complete); returns it.  After a failure, returns what was kept.
        Safe to call from any thread, more than once."""
        with self._stop_lock:
            return self._stop()

    def _stop(self) -> AudioTake:
        if self._stopped and self.take is not None:
            return self.take
        self._end_stream(graceful=True)
        writer = self._writer
        try:
            if writer is None:
                raise InvalidInput("recorder", "nothing was recorded", "start the recorder first",
                                   code="audio.nothing_recorded", field="recorder")
            try:
                self.take = self.guard(writer.close)
            except InterviewkitError as error:  # disk full: the segments written so far stay
                if self.failure is None:
                    self.failure = error
                self.take = replace(writer.take, segments=list(writer.take.segments))
        finally:
            self._stopped = True
            consent.unsubscribe(self._consent_changed)
            if self._lock is not None:
                self._lock.release()
                self._lock = None
        return self.take
