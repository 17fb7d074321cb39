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
