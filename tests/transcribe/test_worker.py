"""The engine in a worker process (what the TUI uses): same output, stops at once."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from interviewkit.audio.reader import iter_file_audio
from interviewkit.transcribe.engines import TranscribeOptions
from interviewkit.transcribe.models import ModelError, ModelRef, resolve_model
from interviewkit.transcribe.worker import EngineProcess, EngineStopped

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def speech(sample_en):
    return np.concatenate(list(iter_file_audio(sample_en)))


def test_the_worker_gives_the_same_segments_as_in_process(engine, speech):
    options = TranscribeOptions(language="en")
    with EngineProcess("faster-whisper", resolve_model("base"), "cpu") as worker:
        assert worker.name == "faster-whisper" and worker.device == "cpu"
        assert worker.transcribe(speech[:16000 * 20], options) == engine.transcribe(speech[:16000 * 20], options)
        assert worker.detect_language(speech[:16000 * 10])[0] == "en"


def test_closing_the_worker_stops_a_call_in_progress(speech):
    worker = EngineProcess("faster-whisper", resolve_model("base"), "cpu")
    failure: list[BaseException] = []

    def work() -> None:
        try:
            worker.transcribe(speech, TranscribeOptions(language="en"))
        except EngineStopped as exc:
            failure.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(1.0)
    started = time.monotonic()
    worker.close()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 6
    assert failure and "stopped" in str(failure[0])


def test_a_broken_model_is_reported_from_the_worker(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    (broken / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="cannot be loaded"):
        EngineProcess("faster-whisper", ModelRef("broken", "ctranslate2", broken, "path"), "cpu")


def test_closing_from_many_threads_at_once_closes_the_pipe_once(speech):
    """The screen's Stop key, the job's ``finally`` and the screen's unmount all close the engine,
    often at the same moment, while a call is still reading the pipe.  Its descriptor must be
    closed exactly once (twice is EBADF — seen in the TUI — or, worse, closes another file that
    got the same number in between) and never under the reading call."""
    worker = EngineProcess("faster-whisper", resolve_model("base"), "cpu")
    connection = worker._connection
    real_close = connection._close
    closes: list[int] = []

    def slow_close() -> None:  # widen the window between "still open?" and the close itself
        closes.append(connection.fileno())
        time.sleep(0.05)
        real_close()

    connection._close = slow_close
    failures: list[BaseException] = []

    def work() -> None:
        try:
            worker.transcribe(speech, TranscribeOptions(language="en"))
        except EngineStopped:
            pass
        except BaseException as exc:  # noqa: BLE001 — anything else is the bug
            failures.append(exc)

    call = threading.Thread(target=work)
    call.start()
    time.sleep(1.0)
    barrier = threading.Barrier(6)

    def close() -> None:
        try:
            barrier.wait()
            worker.close()
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    closers = [threading.Thread(target=close) for _ in range(6)]
    for thread in closers:
        thread.start()
    for thread in [*closers, call]:
        thread.join(15)
    assert not any(thread.is_alive() for thread in [*closers, call])
    assert failures == []
    assert len(closes) == 1 and connection.closed
    worker.close()  # once more, afterwards: nothing happens
    assert len(closes) == 1
