"""A real (virtual) sound device for the audio tests: a private PulseAudio daemon with a
null sink.  What is played into the sink (``paplay``) comes out of its monitor, which is the
default source; PortAudio records it through ALSA's ``pulse`` device.

The daemon lives in a private ``XDG_RUNTIME_DIR`` (set in ``os.environ`` for the test
session, so that subprocesses and the ALSA plugin find it) and is killed at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

SINK = "ik_test"
RATE = 16000


@dataclass
class VirtualAudio:
    """The virtual device: play into the sink, record its monitor, the PortAudio input name."""

    runtime_dir: Path
    saved_runtime_dir: str | None = None
    sink: str = SINK
    rate: int = RATE
    input_device: str = "pulse"  # ALSA's PulseAudio plugin, as PortAudio names it
    players: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime_dir)}

    def play(self, wav_path: Path | str) -> subprocess.Popen[bytes]:
        """Play a sound file into the sink in the background; returns the player process."""
        player = subprocess.Popen(["paplay", f"--device={self.sink}", str(wav_path)], env=self.env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.players.append(player)
        return player

    def stop_players(self) -> None:
        for player in self.players:
            if player.poll() is None:
                player.kill()
            player.wait()
        self.players.clear()

    def record_monitor(self, seconds: float) -> np.ndarray:
        """Record the sink's monitor for ``seconds`` (int16 mono at 16 kHz), bypassing PortAudio."""
        recorder = subprocess.Popen(["parecord", f"--device={self.sink}.monitor", "--raw", "--format=s16le",
                                     f"--rate={self.rate}", "--channels=1"], env=self.env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(seconds)
        recorder.terminate()
        data, _ = recorder.communicate(timeout=10)
        return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").copy()

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], env=self.env(), capture_output=True, text=True, timeout=10,
                              check=False)


def rescan_portaudio() -> None:
    """PortAudio lists devices once, when initialised: make a loaded sounddevice look again."""
    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


_daemon: VirtualAudio | None = None
_users = 0


def _start_daemon() -> VirtualAudio:
    runtime_dir = Path(tempfile.mkdtemp(prefix="ik-pulse-"))
    runtime_dir.chmod(0o700)
    audio = VirtualAudio(runtime_dir, saved_runtime_dir=os.environ.get("XDG_RUNTIME_DIR"))
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    try:
        subprocess.run(["pulseaudio", "-n", "--daemonize=yes", "--exit-idle-time=-1", "--disable-shm=yes",
                        "-L", "module-native-protocol-unix",
                        "-L", f"module-null-sink sink_name={SINK} rate={RATE} channels=1"],
                       env=audio.env(), capture_output=True, timeout=30, check=False)
        deadline = time.monotonic() + 15
        while audio.pactl("info").returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("the PulseAudio test daemon did not answer 'pactl info' within 15 s")
            time.sleep(0.1)
        audio.pactl("set-default-sink", SINK)
        audio.pactl("set-default-source", f"{SINK}.monitor")
        rescan_portaudio()
    except BaseException:
        _stop_daemon(audio)
        raise
    return audio


def _stop_daemon(audio: VirtualAudio) -> None:
    audio.stop_players()
    subprocess.run(["pulseaudio", "--kill"], env=audio.env(), capture_output=True, timeout=30, check=False)
    if audio.saved_runtime_dir is None:
        os.environ.pop("XDG_RUNTIME_DIR", None)
    else:
        os.environ["XDG_RUNTIME_DIR"] = audio.saved_runtime_dir
    rescan_portaudio()
    shutil.rmtree(audio.runtime_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def virtual_audio() -> Iterator[VirtualAudio]:
    """The virtual device for the whole test session.  Other test folders may import this
    fixture: they share the one daemon (started once, stopped after its last user)."""
    global _daemon, _users
    if shutil.which("pulseaudio") is None:
        pytest.skip("pulseaudio is not installed (apt install pulseaudio pulseaudio-utils libasound2-plugins)")
    if _daemon is None:
        _daemon = _start_daemon()
    _users += 1
    try:
        yield _daemon
    finally:
        _users -= 1
        if _users == 0:
            daemon, _daemon = _daemon, None
            _stop_daemon(daemon)


@pytest.fixture
def quiet_sink(virtual_audio: VirtualAudio) -> Iterator[VirtualAudio]:
    """The virtual device with nothing playing before and after the test."""
    virtual_audio.stop_players()
    yield virtual_audio
    virtual_audio.stop_players()


def sine_wav(path: Path, seconds: float, frequency: float = 440.0, amplitude: float = 0.5,
             rate: int = RATE) -> Path:
    """A mono 16-bit WAV of a sine tone (test input only: written to the test's tmp_path)."""
    import wave

    t = np.arange(int(seconds * rate)) / rate
    samples = (amplitude * 32767 * np.sin(2 * np.pi * frequency * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def speech_wav(path: Path, text: str = "The quick brown fox jumps over the lazy dog. Testing one two three.",
               rate: int = RATE) -> Path:
    """espeak-ng speech resampled to ``rate`` mono (sox), written to ``path``."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    raw = path.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, capture_output=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(path)], check=True,
                   capture_output=True, timeout=30)
    raw.unlink()
    return path


def read_wav(path: Path) -> np.ndarray:
    import wave

    with wave.open(str(path), "rb") as source:
        return np.frombuffer(source.readframes(source.getnframes()), dtype="<i2").copy()


def correlation_peak(recorded: np.ndarray, played: np.ndarray) -> tuple[float, int]:
    """The peak of the normalised cross-correlation of ``played`` within ``recorded``, and its lag
    in samples (negative: the recording began after the playback had begun).

    At each lag the played signal is compared with the recorded window it overlaps (zeros
    outside the recording), normalised by the energies of the two: 1.0 is a perfect copy.
    """
    ref = played.astype(np.float64)
    n = len(ref)
    rec = np.concatenate([np.zeros(n - 1), recorded.astype(np.float64), np.zeros(n - 1)])
    size = 1 << int(np.ceil(np.log2(len(rec) + n)))
    corr = np.fft.irfft(np.fft.rfft(rec, size) * np.conj(np.fft.rfft(ref, size)), size)[: len(rec) - n + 1]
    cumulative = np.concatenate([[0.0], np.cumsum(rec * rec)])
    window_energy = cumulative[n:] - cumulative[:-n]
    denominator = np.sqrt(np.maximum(window_energy, 1e-9) * max(float(np.dot(ref, ref)), 1e-9))
    normalised = corr / denominator
    best = int(np.argmax(normalised))
    return float(normalised[best]), best - (n - 1)


# -- a project to record into --------------------------------------------------------------


@pytest.fixture(scope="session")
def recording_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project: S01 (interviewer I, D1 consented to audio), S02 (D2 did not consent to audio),
    S03 (D3 consented, D4 withdrew).  Its own key is written next to it (no scrypt per test)."""
    from interviewkit import consent, sessions
    from interviewkit.project import Project
    from interviewkit.study import StudyInfo
    from tests.conftest import PASSPHRASE

    root = tmp_path_factory.mktemp("recording-template") / "project"
    project = Project.init(root, StudyInfo(title="Recording study"), PASSPHRASE)
    for session_id in ("S01", "S02", "S03"):
        sessions.add_session(project, session_id)
    consent.add_participant(project, "I", "Ina Intervjuer", role="interviewer", consent_items=["all"],
                            sessions=["S01", "S02", "S03"])
    consent.add_participant(project, "D1", "Kari Opptak", consent_items=["participation", "audio"], sessions=["S01"])
    consent.add_participant(project, "D2", "Ola Uten", consent_items=["participation"], sessions=["S02"])
    consent.add_participant(project, "D3", "Siri Med", consent_items=["all"], sessions=["S03"])
    consent.add_participant(project, "D4", "Per Trakk", consent_items=["all"], sessions=["S03"])
    consent.withdraw_participant(project, "D4")
    (root.parent / "project-key.txt").write_text(f"{project.keyring.project_identity}\n")
    return root


@pytest.fixture(scope="session")
def recording_key(recording_template: Path) -> Path:
    return recording_template.parent / "project-key.txt"


@pytest.fixture
def recording_root(recording_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(recording_template, root)
    return root


@pytest.fixture
def recording_project(recording_root: Path, recording_key: Path):
    from interviewkit.project import Credentials, Project

    return Project.open(recording_root, Credentials(identity_files=[recording_key]))
