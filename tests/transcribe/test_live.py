"""Live transcription from a real (virtual) microphone: text arrives while the recording runs,
and the draft is complete and encrypted right after it stops."""

from __future__ import annotations

import subprocess
import time

import pytest

from interviewkit.audio.recorder import Recorder
from interviewkit.transcribe import store
from interviewkit.transcribe.engines import TranscribeOptions
from interviewkit.transcribe.live import LiveTranscriber
from tests.audio.conftest import (  # noqa: F401
    recording_key, recording_project, recording_root, recording_template, virtual_audio)
from tests.conftest import scan_for

pytestmark = pytest.mark.slow
SECONDS = 26


@pytest.fixture
def device(virtual_audio):
    virtual_audio.stop_players()
    yield virtual_audio
    virtual_audio.stop_players()


def test_text_arrives_before_the_recording_ends(device, recording_project, engine, sample_en, tmp_path):  # noqa: F811
    played = tmp_path / "inputs" / "speech.wav"
    played.parent.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(sample_en), "-t", str(SECONDS), "-ac", "1", "-ar", "16000",
                    str(played)], check=True)
    project = recording_project
    session = project.index.find_session("S01")
    recorder = Recorder(project, session, device=device.input_device, segment_seconds=2.0)
    recorder.start()
    arrivals: list[tuple[float, str, str]] = []  # (elapsed, recorder state, text)
    live = LiveTranscriber(project, session, recorder.take_id, engine, TranscribeOptions(language="en"),
                           on_segments=lambda new: arrivals.extend((recorder.elapsed, recorder.state, s.text)
                                                                   for s in new),
                           poll_seconds=0.2).start()
    player = device.play(played)
    player.wait(SECONDS + 15)
    time.sleep(0.5)
    take = recorder.stop()
    assert live.wait(60), "the draft was not finished within a minute of the end"
    assert live.error is None

    during = [text for _, state, text in arrivals if state == "recording"]
    assert during, f"no text before the recording ended: {arrivals}"
    assert "thank you for taking part" in " ".join(during).lower()
    draft = store.load_transcription(project, session, take.id, kind="live")
    assert draft is not None and draft.segments == live.segments
    text = draft.text.lower()
    assert "municipality" in text and "place to be after school" in text  # the tail, after the first chunk
    assert draft.duration == pytest.approx(take.duration_seconds, abs=0.05)
    assert scan_for(project.root, "municipality") == []
