"""The reader: 16 kHz mono float32 arrays, whole or in chunks, following a take being recorded."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from interviewkit.audio import reader, store
from interviewkit.audio.store import TakeWriter
from interviewkit.sessions import add_session
from tests.audio.fast_project import project, project_key  # noqa: F401


def tone(seconds: float, frequency: float, rate: int = 16000, channels: int = 1) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    mono = (np.sin(2 * np.pi * frequency * t) * 10000).astype("<i2")
    return np.repeat(mono[:, None], channels, axis=1).tobytes()


def write(project, session, pcm: bytes, rate: int = 16000, channels: int = 1, segment_seconds: float = 5.0):
    writer = TakeWriter.create(project, session, "microphone", rate=rate, channels=channels,
                               segment_seconds=segment_seconds)
    writer.append(pcm)
    return writer.close()


def dominant(samples: np.ndarray, rate: int = 16000) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()])


@pytest.fixture
def session(project):
    return add_session(project, "S01")


def test_read_native_take_exactly(project, session):
    pcm = tone(7.3, 440)
    take = write(project, session, pcm)
    audio = reader.read_audio(project, session, take.id)
    assert audio.dtype == np.float32 and audio.shape == (len(pcm) // 2,)
    assert np.array_equal(audio, np.frombuffer(pcm, "<i2").astype(np.float32) / 32768)
    assert -1.0 <= audio.min() and audio.max() < 1.0


def test_all_takes_in_order(project, session):
    first = tone(2.0, 300)
    second = tone(3.0, 600)
    write(project, session, first)
    write(project, session, second)
    audio = reader.read_audio(project, session)
    assert np.array_equal(audio, np.frombuffer(first + second, "<i2").astype(np.float32) / 32768)
    assert reader.read_audio(project, add_session(project, "S02")).shape == (0,)


def test_48k_stereo_is_resampled_to_16k_mono(project, session):
    take = write(project, session, tone(4.0, 440, rate=48000, channels=2), rate=48000, channels=2)
    audio = reader.read_audio(project, session, take)
    assert abs(len(audio) - 4 * 16000) <= 16
    assert dominant(audio) == pytest.approx(440, abs=2)
    expected = np.frombuffer(tone(4.0, 440), "<i2").astype(np.float32) / 32768
    middle = slice(1000, 60000)
    assert np.corrcoef(audio[middle], expected[middle])[0, 1] > 0.99
    streamed = np.concatenate(list(reader.iter_audio(project, session, take, chunk_seconds=0.7)))
    assert len(streamed) == len(audio) and np.allclose(streamed, audio, atol=2 / 32768)


def test_chunks(project, session):
    pcm = tone(12.5, 440)
    take = write(project, session, pcm)
    chunks = list(reader.iter_audio(project, session, take.id, chunk_seconds=3.0))
    assert [len(c) for c in chunks] == [48000, 48000, 48000, 48000, 8000]
    assert np.array_equal(np.concatenate(chunks), reader.read_audio(project, session, take))


def test_follow_a_take_while_it_is_written(project, session):
    pcm = tone(4.0, 440)
    writer = TakeWriter.create(project, session, "microphone", segment_seconds=0.5)
    closed = threading.Event()

    def record() -> None:  # 0.5 s of audio every 0.1 s
        for i in range(0, len(pcm), 16000):
            writer.append(pcm[i:i + 16000])
            time.sleep(0.1)
        writer.close()
        closed.set()

    arrivals = []
    thread = threading.Thread(target=record)
    thread.start()
    chunks = []
    for chunk in reader.iter_audio(project, session, writer.take.id, chunk_seconds=1.0, follow=True,
                                   poll_seconds=0.05):
        arrivals.append(closed.is_set())
        chunks.append(chunk)
    thread.join()
    assert not arrivals[0], "the first chunk came only after the take was closed"
    assert np.array_equal(np.concatenate(chunks), np.frombuffer(pcm, "<i2").astype(np.float32) / 32768)


def test_follow_ends_when_stopped(project, session):
    writer = TakeWriter.create(project, session, "microphone", segment_seconds=0.5)
    writer.append(tone(1.0, 440))
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    chunks = list(reader.iter_audio(project, session, writer.take.id, chunk_seconds=10, follow=True, stop=stop,
                                    poll_seconds=0.05))
    assert time.monotonic() - started < 5
    assert sum(len(c) for c in chunks) == 16000


def test_follow_sees_a_segment_not_yet_in_the_index(project, session, monkeypatch):
    writer = TakeWriter.create(project, session, "microphone", segment_seconds=1.0)
    monkeypatch.setattr(TakeWriter, "_write_index", lambda self: None)  # segments land, the index lags
    writer.append(tone(2.0, 440))
    take = store.open_take(project, session, writer.take.id)
    assert len(take.segments) == 2 and not take.complete
    audio = reader.read_audio(project, session, take.id)
    assert len(audio) == 32000
