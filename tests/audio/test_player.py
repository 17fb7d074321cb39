"""Playback into a real (virtual) sound device: the PulseAudio null sink of tests/audio/conftest.py,
whose monitor is recorded to check what actually came out."""

from __future__ import annotations

import builtins
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from interviewkit.audio import devices
from interviewkit.audio.errors import AudioUnavailable
from interviewkit.audio.player import Player, load_pcm
from interviewkit.audio.store import TakeWriter
from interviewkit.errors import InvalidInput
from interviewkit.sessions import add_session
from tests.audio.conftest import correlation_peak, read_wav, speech_wav
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.conftest import assert_user_error, run_cli

RATE = 16000
DEVICE = "pulse"


def tone(seconds: float, frequency: float = 440.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * frequency * t) * 12000).astype("<i2")


class Monitor:
    """Records the sink's monitor (parecord) from before playback until a moment after it ends.

    Unlike a fixed-length ``record_monitor``, it waits until the monitor delivers data before the
    test plays, and stops only when told: the null sink may take a while to wake up.
    """

    def __init__(self, audio) -> None:
        self.audio = audio
        self.data = bytearray()
        self.process: subprocess.Popen[bytes] | None = None
        self.thread = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while chunk := self.process.stdout.read1(65536):
            self.data += chunk

    def __enter__(self) -> Monitor:
        self.process = subprocess.Popen(["parecord", f"--device={self.audio.sink}.monitor", "--raw",
                                         "--format=s16le", f"--rate={RATE}", "--channels=1"], env=self.audio.env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.thread.start()
        deadline = time.monotonic() + 10
        while len(self.data) < RATE // 5 and time.monotonic() < deadline:  # 0.1 s of monitor audio
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(1.0)  # the tail still in the sink's buffers
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)
        self.thread.join(timeout=10)

    @property
    def samples(self) -> np.ndarray:
        return np.frombuffer(bytes(self.data[:len(self.data) // 2 * 2]), dtype="<i2").astype(np.float64)


def sounding(samples: np.ndarray, threshold: float = 2000.0) -> np.ndarray:
    """The stretch from the first to the last 20 ms window louder than ``threshold`` (RMS)."""
    window = 320
    rms = np.sqrt(np.convolve(samples * samples, np.ones(window) / window, "same"))
    loud = np.flatnonzero(rms > threshold)
    return samples[loud[0]:loud[-1]] if len(loud) else samples[:0]


def dominant(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[spectrum.argmax()])


def test_plays_what_is_stored(quiet_sink, project, tmp_path):
    session = add_session(project, "S01")
    speech = read_wav(speech_wav(tmp_path / "speech.wav"))
    writer = TakeWriter.create(project, session, "import")
    writer.append(speech.tobytes())
    take = writer.close()
    player = Player.open(project, session, take.id, device=DEVICE)
    assert player.duration == pytest.approx(len(speech) / RATE)
    with Monitor(quiet_sink) as monitor:
        player.play()
        assert player.wait(player.duration + 5)
    assert player.finished and player.position == pytest.approx(player.duration)
    peak, _ = correlation_peak(monitor.samples.astype(np.int16), speech)
    # Silence or the wrong audio scores below 0.1; the null sink drops a few blocks when both
    # cores are busy (0.79 seen with a second test run beside this one), so 0.7 is the bar.
    assert peak > 0.7


@pytest.mark.parametrize("speed", [1.5, 0.5])
def test_speed_keeps_the_pitch(quiet_sink, speed):
    source = tone(3.0)
    player = Player(source, RATE, device=DEVICE)
    player.speed = speed
    with Monitor(quiet_sink) as monitor:
        started = time.monotonic()
        player.play()
        assert player.wait(15)
        elapsed = time.monotonic() - started
    heard = sounding(monitor.samples)
    assert len(heard) / RATE == pytest.approx(3.0 / speed, abs=0.25)
    assert dominant(heard) == pytest.approx(440, abs=10)
    # The null sink wakes up to a new stream within its own latency (up to ~2 s), so only an upper bound.
    assert 3.0 / speed - 0.3 < elapsed < 3.0 / speed + 3.0


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_pause_keeps_the_stream_for_a_quick_resume_then_frees_the_device(quiet_sink, monkeypatch):
    monkeypatch.setattr("interviewkit.audio.player.IDLE_CLOSE_SECONDS", 0.5)
    player = Player(tone(20.0), RATE, device=DEVICE)
    try:
        player.play()
        wait_until(lambda: player.position > 0.3)
        stream = player._stream
        player.pause()
        assert not player.playing and player._stream is stream  # silent, still open
        before = time.perf_counter()
        player.play()
        resumed = time.perf_counter() - before
        assert player.playing and player._stream is stream and resumed < 0.05
        at = player.position
        wait_until(lambda: player.position > at + 0.3)  # the same stream goes on playing
        player.pause()
        wait_until(lambda: player._stream is None, timeout=3)  # idle too long: closed
        assert not player.playing
        player.play()  # a new stream
        assert player.playing and player._stream is not None
    finally:
        player.close()
    assert player._stream is None and not player.playing


def test_pause_resume_skips_back_and_seek(quiet_sink):
    player = Player(tone(20.0), RATE, device=DEVICE, skip_back_on_resume=1.0)
    player.play()
    wait_until(lambda: player.position > 0.5)  # the sink has started to take audio
    begin, started = player.position, time.monotonic()
    time.sleep(1.5)
    player.pause()
    paused_at, elapsed = player.position, time.monotonic() - started
    assert paused_at - begin == pytest.approx(elapsed, abs=0.3) and not player.playing
    time.sleep(0.3)
    assert player.position == paused_at  # nothing moves while paused
    player.play()
    assert player.position == pytest.approx(paused_at - 1.0, abs=0.01)
    wait_until(lambda: player.position > paused_at - 0.9)
    player.seek(10.0)
    time.sleep(1.0)
    assert player.position == pytest.approx(11.0, abs=0.4)
    player.speed = 2.0
    time.sleep(1.0)
    assert player.position == pytest.approx(13.0, abs=0.6)
    player.pause()
    player.seek(19.5)
    player.play()  # a seek while paused: no skip back
    assert player.position == pytest.approx(19.5, abs=0.01)
    assert player.wait(5) and player.position == pytest.approx(20.0)
    player.close()


def test_session_with_takes_of_different_rates(project):
    session = add_session(project, "S01")
    for rate, seconds in ((16000, 1.0), (48000, 2.0)):
        writer = TakeWriter.create(project, session, "microphone", rate=rate)
        writer.append(tone(seconds, rate=rate).tobytes())
        writer.close()
    pcm, rate = load_pcm(project, session, None)
    assert rate == RATE and pcm.shape[1] == 1 and abs(len(pcm) - 3 * RATE) < 20


def test_bad_speed_and_empty_session(project):
    player = Player(tone(1.0), RATE)
    with pytest.raises(InvalidInput, match="out of range"):
        player.speed = 2.5
    with pytest.raises(InvalidInput, match="no audio"):
        Player.open(project, add_session(project, "S01"))


def test_devices_through_portaudio(quiet_sink):
    found = devices.list_devices()
    assert any(d.name == DEVICE and d.inputs and d.outputs for d in found)
    assert devices.find_device(DEVICE, "output").name == DEVICE
    assert devices.require_input().inputs > 0
    with pytest.raises(AudioUnavailable, match="no output device 'no-such-device'"):
        devices.find_device("no-such-device", "output")


def test_no_input_device(monkeypatch):
    only_output = devices.AudioDevice(0, "speakers", 0, 2, 48000.0, False, True)
    monkeypatch.setattr(devices, "list_devices", lambda: [only_output])
    with pytest.raises(AudioUnavailable, match="no input device found"):
        devices.require_input()


def test_missing_portaudio(monkeypatch):
    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(AudioUnavailable, match="apt-get install libportaudio2"):
        devices.list_devices()


def test_cli_play(quiet_sink, project, project_key, project_dir, cli_env):
    session = add_session(project, "S01")
    writer = TakeWriter.create(project, session, "microphone")
    writer.append(tone(3.0).tobytes())
    writer.close()
    del cli_env["INTERVIEWKIT_PASSPHRASE"]  # unlock with the key file: no scrypt per call

    def play(*args: str, check: bool = True):
        return run_cli(["play", str(project_dir), "S01", *args, "--identity", str(project_key)], cli_env, check=check)

    files = sorted(project_dir.rglob("*"))
    result = play("--at", "0:01", "--speed", "1.5", "--device", DEVICE)
    assert "Played to the end (00:03)" in result.stdout
    assert sorted(project_dir.rglob("*")) == files  # playing writes nothing
    assert list(Path(cli_env["TMPDIR"]).iterdir()) == []
    assert_user_error(play("--at", "9:00", check=False), "--at", "past the end")
    assert_user_error(play("--at", "1:75", check=False), "--at", "not a time")
    assert_user_error(play("--take", "nope", check=False), "not a take id")
    assert_user_error(play("--speed", "3", check=False), "--speed", "out of range")
    assert_user_error(play("--device", "no-such-device", check=False), "no output device 'no-such-device'")
