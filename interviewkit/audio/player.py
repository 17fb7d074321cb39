"""Playback of a take from the encrypted store: decrypted into memory, played through PortAudio.

``Player`` is the engine the transcript editor drives: play / pause, seek to any time, speed
0.5–2.0 without a change of pitch, and a small skip back on resume.  At a speed other than
1.0 the audio is time-stretched by ffmpeg's ``atempo`` filter, streaming from the current
position through pipes (stdin → stdout), so a change of speed or a seek takes effect at once
and nothing is written to disk.  ``position`` is where the listener is: what has been handed
to the device, less the device's latency.

Opening a PortAudio stream takes 50–150 ms on PulseAudio, too long for a transcriber's
pause/resume key; so a pause keeps the stream open, playing silence, and resuming hands it a
source again at once.  A stream paused for ``IDLE_CLOSE_SECONDS`` is closed (the device is
freed), and the next play opens a new one.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from interviewkit.audio import store
from interviewkit.audio.devices import find_device, sounddevice
from interviewkit.audio.errors import AudioUnavailable
from interviewkit.audio.ffmpeg import convert, raw_input_args, tool
from interviewkit.audio.store import AudioTake
from interviewkit.errors import InvalidInput

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

MIN_SPEED, MAX_SPEED = 0.5, 2.0
SPEED_STEP = 0.25  # what the slower/faster keys change
IDLE_CLOSE_SECONDS = 20.0  # a paused stream is kept open this long for a quick resume


def stepped_speed(speed: float, steps: int) -> float:
    """``speed`` moved by ``steps`` steps of SPEED_STEP (on the step grid), within MIN..MAX_SPEED."""
    return min(MAX_SPEED, max(MIN_SPEED, round(speed / SPEED_STEP + steps) * SPEED_STEP))
STRETCH_BUFFER_SECONDS = 4.0  # how far the time-stretcher runs ahead of playback
STRETCH_FEED_SECONDS = 0.5
STRETCH_READY_SECONDS = 0.25  # wait for this much stretched audio before (re)starting


class _Direct:
    """Samples straight from memory (speed 1.0)."""

    def __init__(self, pcm: np.ndarray, start: int) -> None:
        self.pcm = pcm
        self.cursor = start

    def read(self, frames: int) -> np.ndarray:
        data = self.pcm[self.cursor:self.cursor + frames]
        self.cursor += len(data)
        return data

    @property
    def position(self) -> int:
        return self.cursor

    @property
    def ended(self) -> bool:
        return self.cursor >= len(self.pcm)

    def wait_ready(self) -> None:
        pass

    def close(self) -> None:
        pass


class _Stretched:
    """Time-stretched samples from a running ``ffmpeg -filter:a atempo=SPEED`` fed from ``start``."""

    def __init__(self, pcm: np.ndarray, start: int, speed: float, rate: int) -> None:
        self.pcm = pcm
        self.start = start
        self.speed = speed
        self.rate = rate
        self.channels = pcm.shape[1]
        self.frame_bytes = 2 * self.channels
        self.consumed = 0  # output frames handed out
        self.buffer = bytearray()
        self.eof = False
        self.closed = False
        self.cond = threading.Condition()
        self.limit = int(STRETCH_BUFFER_SECONDS * rate) * self.frame_bytes
        command = [tool(), "-nostdin", "-v", "error", *raw_input_args(rate, self.channels),
                   "-filter:a", f"atempo={speed:g}", "-f", "s16le", "pipe:1"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, bufsize=0)
        self.threads = [threading.Thread(target=self._feed, name="stretch-feed", daemon=True),
                        threading.Thread(target=self._pump, name="stretch-pump", daemon=True)]
        for thread in self.threads:
            thread.start()

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        block = max(1, int(STRETCH_FEED_SECONDS * self.rate))
        try:
            for begin in range(self.start, len(self.pcm), block):
                if self.closed:
                    break
                stdin.write(self.pcm[begin:begin + block].tobytes())
        except (BrokenPipeError, ValueError, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _pump(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while data := stdout.read(64 * 1024):
                with self.cond:
                    while len(self.buffer) > self.limit and not self.closed:
                        self.cond.wait(0.1)
                    if self.closed:
                        break
                    self.buffer += data
                    self.cond.notify_all()
        except (ValueError, OSError):
            pass
        finally:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def read(self, frames: int) -> np.ndarray:
        with self.cond:
            size = min(frames * self.frame_bytes, len(self.buffer) // self.frame_bytes * self.frame_bytes)
            data = bytes(self.buffer[:size])
            del self.buffer[:size]
            self.consumed += size // self.frame_bytes
            self.cond.notify_all()
        return np.frombuffer(data, dtype="<i2").reshape(-1, self.channels)

    @property
    def position(self) -> int:
        return min(len(self.pcm), self.start + int(round(self.consumed * self.speed)))

    @property
    def ended(self) -> bool:
        with self.cond:
            return self.eof and not self.buffer

    def wait_ready(self) -> None:
        want = int(STRETCH_READY_SECONDS * self.rate) * self.frame_bytes
        with self.cond:
            self.cond.wait_for(lambda: self.eof or len(self.buffer) >= want, timeout=5.0)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for thread in self.threads:
            thread.join(timeout=2)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]


def load_pcm(project: Project, session: Session | str, take: AudioTake | str | None) -> tuple[np.ndarray, int]:
    """Decrypt a take (or all takes of the session, in order) into memory: (frames × channels int16, rate)."""
    session = store.resolve_session(project, session)
    takes = store.list_takes(project, session) if take is None else [store._take(project, session, take)]
    if not takes:
        raise InvalidInput(session.id, "the session has no audio", "record or import some first",
                           code="audio.no_audio", params={"session": session.id})
    formats = {(t.rate, t.channels) for t in takes}
    rate, channels = formats.pop() if len(formats) == 1 else (16000, 1)
    parts = []
    for item in takes:
        pcm = store.read_pcm(project, session, item)
        if (item.rate, item.channels) != (rate, channels):
            pcm = convert(pcm, item.rate, item.channels, out_rate=rate, out_channels=channels)
        parts.append(np.frombuffer(pcm, dtype="<i2").reshape(-1, channels))
    return np.concatenate(parts), rate


class Player:
    """Plays one take (or a session's takes) from memory; every method returns at once."""

    def __init__(self, pcm: np.ndarray, rate: int, device: int | str | None = None,
                 skip_back_on_resume: float = 1.0, on_end: Callable[[], None] | None = None) -> None:
        self.pcm = pcm if pcm.ndim == 2 else pcm.reshape(-1, 1)
        self.rate = rate
        self.device = device
        self.skip_back_on_resume = skip_back_on_resume
        self.on_end = on_end
        self._speed = 1.0
        self._lock = threading.RLock()
        self._frame = 0  # where playback is (while stopped) or began (while playing)
        self._handed = 0  # source frame after the last block handed to the device
        self._latency = 0  # device latency in frames
        self._source: _Direct | _Stretched | None = None
        self._stream: Any = None  # the open PortAudio stream (silent while paused)
        self._active = False  # playing: the stream has a source
        self._idle_timer: threading.Timer | None = None
        self._resume_pending = False
        self._finished = threading.Event()

    @classmethod
    def open(cls, project: Project, session: Session | str, take: AudioTake | str | None = None,
             **options: Any) -> Player:
        pcm, rate = load_pcm(project, session, take)
        return cls(pcm, rate, **options)

    # -- state

    @property
    def duration(self) -> float:
        return len(self.pcm) / self.rate

    @property
    def playing(self) -> bool:
        return self._active

    @property
    def finished(self) -> bool:
        """True once playback has reached the end (until the next play or seek)."""
        return self._finished.is_set()

    @property
    def position(self) -> float:
        """Seconds into the take that the listener has reached."""
        return self._position_frames() / self.rate

    def _position_frames(self) -> int:
        with self._lock:
            if not self._active:
                return self._frame
            heard = self._handed - int(self._latency * self._speed)
            return min(len(self.pcm), max(self._frame, heard))

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        value = float(value)
        if not MIN_SPEED <= value <= MAX_SPEED:
            raise InvalidInput("--speed", f"speed {value:g} is out of range", f"use {MIN_SPEED:g} to {MAX_SPEED:g}",
                               code="audio.speed_range", params={"value": value, "min": MIN_SPEED, "max": MAX_SPEED})
        with self._lock:
            if value == self._speed:
                return
            self._speed = value
            frame = self._position_frames()
        self._switch_source(frame)

    # -- control (PortAudio calls back on its own thread: never stop a stream while holding the lock)

    def play(self, at_seconds: float | None = None) -> None:
        """Start (or resume) playback; ``at_seconds`` plays from there."""
        if at_seconds is not None:
            self.seek(at_seconds)
        with self._lock:
            if self._active:
                return
            if self._frame >= len(self.pcm):
                self._frame = 0
            elif self._resume_pending:
                self._frame = max(0, self._frame - int(self.skip_back_on_resume * self.rate))
            self._resume_pending = False
            self._finished.clear()
            frame = self._frame
            idle_stream = self._stream
        self._cancel_idle_close()
        source = self._new_source(frame)
        if idle_stream is not None:  # paused a moment ago: the open stream takes the source at once
            with self._lock:
                if self._stream is idle_stream:
                    self._source, self._handed, self._active = source, frame, True
                    return
        try:
            stream = self._open_stream()
        except BaseException:
            source.close()
            raise
        with self._lock:
            self._source, self._handed, self._stream, self._active = source, frame, stream, True
        sd = sounddevice()
        try:
            stream.start()
        except sd.PortAudioError as exc:
            self._stop_stream()
            raise AudioUnavailable("--device", f"cannot start playback ({exc})",
                                   "check the sound system, or choose another device ('interviewkit devices')",
                                   code="audio.playback_failed", params={"detail": exc}) from None

    def pause(self) -> None:
        with self._lock:
            if not self._active:
                return
            self._frame = self._position_frames()
            self._resume_pending = True
            self._active = False
            source, self._source = self._source, None
        if source is not None:
            source.close()
        self._cancel_idle_close()
        timer = threading.Timer(IDLE_CLOSE_SECONDS, self._close_if_idle)
        timer.daemon = True
        self._idle_timer = timer
        timer.start()

    def _cancel_idle_close(self) -> None:
        timer, self._idle_timer = self._idle_timer, None
        if timer is not None:
            timer.cancel()

    def _close_if_idle(self) -> None:
        with self._lock:
            idle = not self._active
        if idle:
            self._stop_stream()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Go to ``seconds`` (clamped to the take); keeps playing if playing."""
        frame = min(len(self.pcm), max(0, int(round(seconds * self.rate))))
        with self._lock:
            self._resume_pending = False
            self._finished.clear()
            self._frame = frame
        self._switch_source(frame)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback reaches the end (True) or ``timeout`` passes (False)."""
        return self._finished.wait(timeout)

    def close(self) -> None:
        self._cancel_idle_close()
        self._stop_stream()

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals

    def _new_source(self, frame: int) -> _Direct | _Stretched:
        if self._speed == 1.0:
            return _Direct(self.pcm, frame)
        source = _Stretched(self.pcm, frame, self._speed, self.rate)
        source.wait_ready()
        return source

    def _switch_source(self, frame: int) -> None:
        """While playing: continue from ``frame`` (at the current speed)."""
        with self._lock:
            if not self._active:
                return
        source = self._new_source(frame)
        with self._lock:
            if not self._active:
                old = source
            else:
                old, self._source = self._source, source
                self._frame = self._handed = frame
        if old is not None:
            old.close()

    def _open_stream(self) -> Any:
        sd = sounddevice()
        device = find_device(self.device, "output").index
        try:
            stream = sd.OutputStream(samplerate=self.rate, channels=self.pcm.shape[1], dtype="int16", device=device,
                                     callback=self._callback, finished_callback=self._stream_finished)
        except sd.PortAudioError as exc:
            raise AudioUnavailable("--device", f"cannot play on device {device} ({exc})",
                                   "choose another device ('interviewkit devices')",
                                   code="audio.output_device_failed",
                                   params={"device": device, "detail": exc}) from None
        latency = stream.latency[1] if isinstance(stream.latency, tuple) else stream.latency
        self._latency = int(float(latency) * self.rate)
        return stream

    def _stop_stream(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            source, self._source = self._source, None
            self._active = False
        if stream is not None:
            stream.abort()
            stream.close()
        if source is not None:
            source.close()

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        with self._lock:
            source = self._source
            if source is None:
                outdata.fill(0)
                return
            data = source.read(frames)
            outdata[:len(data)] = data
            outdata[len(data):] = 0
            self._handed = source.position
            ended = source.ended
        if ended:
            raise sounddevice().CallbackStop

    def _stream_finished(self) -> None:
        # Called by PortAudio after a stop, an abort, or the end; only the end leaves _stream set.
        with self._lock:
            if self._stream is None or not self._active:
                return
            stream, self._stream, self._active = self._stream, None, False
            self._frame = len(self.pcm)
            source, self._source = self._source, None
        if source is not None:
            threading.Thread(target=source.close, daemon=True).start()
        threading.Thread(target=stream.close, daemon=True).start()
        self._finished.set()
        if self.on_end is not None:
            self.on_end()
