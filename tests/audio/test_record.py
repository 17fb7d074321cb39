"""Live recording through PortAudio from the virtual sound device (a PulseAudio null sink):
what is played arrives, encrypted, in the session; pause leaves audio out; the consent gate;
a lost device, a full disk and a missing device keep what was recorded and say so."""

from __future__ import annotations

import time

import numpy as np
import pytest

from interviewkit import sessions
from interviewkit.audio import recorder as recorder_module
from interviewkit.audio.consent_gate import ConsentMissing
from interviewkit.audio.errors import AudioUnavailable
from interviewkit.audio.meter import LevelMeter
from interviewkit.audio.recorder import DeviceLost, Recorder
from interviewkit.audio.store import list_takes, open_take, read_pcm
from interviewkit.errors import DiskFull
from tests.audio.conftest import correlation_peak, read_wav, sine_wav, speech_wav


def pcm_of(project, session, take) -> np.ndarray:
    return np.frombuffer(read_pcm(project, session, take), dtype="<i2")


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def wait_played(player, extra: float = 0.6) -> None:
    player.wait(timeout=30)
    time.sleep(extra)  # the tail still travels through PulseAudio and PortAudio


def band_energy(samples: np.ndarray, frequency: float, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[(freqs > frequency - 20) & (freqs < frequency + 20)].sum())


@pytest.fixture
def device(virtual_audio):
    virtual_audio.stop_players()
    yield virtual_audio
    virtual_audio.stop_players()


def test_recorded_speech_and_tone_match_what_was_played(device, recording_project, tmp_path) -> None:
    speech = speech_wav(tmp_path / "speech.wav")
    tone = sine_wav(tmp_path / "tone.wav", seconds=1.5, frequency=523.25, amplitude=0.4)
    session = recording_project.index.find_session("S01")
    rec = Recorder(recording_project, session, device=device.input_device, segment_seconds=2.0)
    rec.start()
    wait_for(lambda: rec.elapsed > 0.3)
    assert rec.state == "recording" and rec.device_name == device.input_device
    wait_played(device.play(speech), 0.3)
    wait_played(device.play(tone))
    take = rec.stop()
    assert rec.failure is None and rec.state == "stopped" and take.complete
    assert len(take.segments) >= 3  # 2 s segments
    reopened = open_take(recording_project, session, take.id)
    assert reopened.complete and reopened.duration_seconds == pytest.approx(take.duration_seconds)
    recorded = pcm_of(recording_project, session, take)
    for played in (read_wav(speech), read_wav(tone)):
        peak, lag = correlation_peak(recorded, played)
        assert peak > 0.8, (peak, lag)
    entries, problems = recording_project.verify_audit()
    assert not problems
    assert entries[-1].action == "audio.record" and entries[-1].target == f"take:{take.id}"


def test_pause_leaves_the_audio_out(device, recording_project, tmp_path) -> None:
    before = sine_wav(tmp_path / "a.wav", seconds=1.0, frequency=440)
    during = sine_wav(tmp_path / "b.wav", seconds=1.5, frequency=1000)
    session = recording_project.index.find_session("S01")
    rec = Recorder(recording_project, session, device=device.input_device)
    rec.start()
    wait_for(lambda: rec.elapsed > 0.3)
    wait_played(device.play(before))
    rec.pause()
    paused_at = rec.elapsed
    assert rec.state == "paused"
    wait_played(device.play(during), 0.8)
    assert rec.elapsed == paused_at  # nothing counted while paused
    assert rec.level.rms_dbfs < -90  # the meter goes on while paused (silence again by now)
    rec.resume()
    time.sleep(0.5)
    take = rec.stop()
    recorded = pcm_of(recording_project, session, take)
    assert take.duration_seconds < paused_at + 1.5
    assert band_energy(recorded, 440) > 1000 * band_energy(recorded, 1000)


@pytest.mark.parametrize(("session_id", "fragment"), [
    ("S02", "D2 has not consented to audio recording"),
    ("S03", "D4 has withdrawn from the study"),
    ("S04", "the session has no participants"),
])
def test_the_consent_gate_refuses_and_names_the_code(recording_project, session_id, fragment) -> None:
    if session_id == "S04":
        sessions.add_session(recording_project, "S04")
    session = recording_project.index.find_session(session_id)
    rec = Recorder(recording_project, session, device="no-device-needed")
    with pytest.raises(ConsentMissing) as caught:
        rec.start()
    line = str(caught.value)
    assert line.startswith(f"session {session_id}: ") and fragment in line
    assert "Ola" not in line and "Per" not in line  # codes, never names
    assert list_takes(recording_project, session) == []


def test_a_lost_device_keeps_the_take(device, recording_project, tmp_path) -> None:
    tone = sine_wav(tmp_path / "tone.wav", seconds=3)
    session = recording_project.index.find_session("S01")
    rec = Recorder(recording_project, session, device=device.input_device, segment_seconds=1.0)
    rec.start()
    device.play(tone)
    wait_for(lambda: rec.elapsed >= 1.5)
    rec._stream.abort()  # the device goes away: PortAudio ends the stream
    wait_for(lambda: rec.failure is not None)
    assert isinstance(rec.failure, DeviceLost) and "unplugged" in str(rec.failure)
    assert rec.state == "failed"
    take = rec.stop()
    assert take.complete and take.duration_seconds >= 1.5
    assert open_take(recording_project, session, take.id).duration_seconds == take.duration_seconds


def test_a_callback_abort_is_a_lost_device(device, recording_project) -> None:
    import sounddevice as sd

    class Failing(Recorder):
        blocks = 0

        def _callback(self, indata, frames, time_info, status) -> None:
            self.blocks += 1
            if self.blocks > 8:
                raise sd.CallbackAbort
            super()._callback(indata, frames, time_info, status)

    session = recording_project.index.find_session("S01")
    rec = Failing(recording_project, session, device=device.input_device)
    rec.start()
    wait_for(lambda: rec.failure is not None)
    assert isinstance(rec.failure, DeviceLost)
    take = rec.stop()
    assert take.duration_seconds == pytest.approx(0.8)


def test_a_device_that_goes_quiet_is_lost_too(device, recording_project, monkeypatch) -> None:
    monkeypatch.setattr(recorder_module, "STALL_SECONDS", 0.5)

    class Stalling(Recorder):
        blocks = 0

        def _callback(self, indata, frames, time_info, status) -> None:
            self.blocks += 1
            if self.blocks <= 5:  # then nothing more arrives, but PortAudio does not end the stream
                super()._callback(indata, frames, time_info, status)

    rec = Stalling(recording_project, recording_project.index.find_session("S01"), device=device.input_device)
    rec.start()
    wait_for(lambda: rec.failure is not None)
    assert isinstance(rec.failure, DeviceLost) and "no audio from the input device" in str(rec.failure)
    assert rec.stop().duration_seconds == pytest.approx(0.5)


def test_a_full_disk_keeps_the_take_so_far(device, recording_project, monkeypatch) -> None:
    project = recording_project
    session = project.index.find_session("S01")
    real_save = project.save_session_file

    def save(session_, name, plaintext):
        if "seg-000001" not in name and "seg-" in name:
            raise DiskFull(project.session_path(session_, name), "disk full while writing",
                           "free some space and try again; the last saved state is intact")
        real_save(session_, name, plaintext)

    monkeypatch.setattr(project, "save_session_file", save)
    rec = Recorder(project, session, device=device.input_device, segment_seconds=1.0)
    rec.start()
    wait_for(lambda: rec.failure is not None)
    assert isinstance(rec.failure, DiskFull)
    take = rec.stop()
    assert [s.seq for s in take.segments] == [1] and not take.complete
    monkeypatch.undo()
    assert [t.id for t in Recorder.recover(project, session)] == [take.id]  # kept, and can be continued
    assert open_take(project, session, take.id).duration_seconds == 1.0


def test_too_little_disk_space_refuses_to_start(recording_project, monkeypatch) -> None:
    class Usage:
        free = 100_000

    monkeypatch.setattr(recorder_module.shutil, "disk_usage", lambda path: Usage)
    rec = Recorder(recording_project, recording_project.index.find_session("S01"))
    assert rec.free_disk_seconds() == pytest.approx(100_000 / rec.bytes_per_second())
    with pytest.raises(DiskFull, match="room for only 3 s"):
        rec.start()


def test_no_such_device_and_no_portaudio_are_one_line(virtual_audio, recording_project, monkeypatch) -> None:
    session = recording_project.index.find_session("S01")
    with pytest.raises(AudioUnavailable) as caught:
        Recorder(recording_project, session, device="no-such-microphone").start()
    assert "no input device 'no-such-microphone'" in str(caught.value) and "pulse" in str(caught.value)
    assert list_takes(recording_project, session) == []
    import builtins

    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":  # as when libportaudio cannot be loaded
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(AudioUnavailable, match="PortAudio library is not installed .* 'apt-get install libportaudio2'"):
        Recorder(recording_project, session).start()


def test_the_meter_reads_level_clipping_and_silence() -> None:
    meter = LevelMeter(16000)
    t = np.arange(1600) / 16000
    level = meter.update((0.5 * 32767 * np.sin(2 * np.pi * 440 * t)).astype("<i2").reshape(-1, 1))
    assert level.rms_dbfs == pytest.approx(-9.03, abs=0.1) and level.peak_dbfs == pytest.approx(-6.02, abs=0.1)
    assert not level.clipping and not level.silence
    loud = np.clip(2 * 32767 * np.sin(2 * np.pi * 440 * t), -32768, 32767).astype("<i2")
    assert meter.update(loud).clipping
    quiet = np.zeros(1600, dtype="<i2")
    for _ in range(9):
        level = meter.update(quiet)
    assert level.clipping  # held for a second after the last clipped block
    assert not meter.update(quiet).clipping
    for _ in range(89):
        level = meter.update(quiet)
    assert not level.silence and level.silent_seconds == pytest.approx(9.9)
    level = meter.update(quiet)
    assert level.silence and level.rms_dbfs == -96.0
    assert not meter.update((np.ones(1600) * 100).astype("<i2")).silence  # -50 dBFS: not silent
