"""The real embedded model on real (synthetic) speech: accuracy, timings, language."""

from __future__ import annotations

import numpy as np
import pytest

from interviewkit.audio.reader import iter_file_audio
from interviewkit.transcribe.engines import TranscribeOptions, whisper_language
from interviewkit.transcribe.job import transcribe_blocks
from interviewkit.transcribe.pipeline import detect_language, transcribe_chunk
from tests.transcribe.conftest import script_text, wer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def english(engine, sample_en):
    return transcribe_blocks(iter_file_audio(sample_en), engine, TranscribeOptions(language=None), 0.0)


def test_english_speech_is_transcribed_accurately(english):
    error = wer(script_text("interview-en"), english.text)
    assert error < 0.15, (error, english.text)
    assert english.language == "en"  # detected: no language was given
    assert english.engine == "faster-whisper" and english.model == "base"


def test_word_timestamps_are_monotonic_and_inside_the_audio(english):
    words = english.words()
    assert len(words) > 150
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= english.duration + 0.05 for w in words)
    assert all(0.0 <= w.probability <= 1.0 for w in words)
    for segment in english.segments:
        assert segment.start <= segment.words[0].start and segment.words[-1].end <= segment.end + 0.01
    assert 90 < english.duration < 95


def test_speech_after_a_long_silence_keeps_its_place(engine, sample_en):
    """Leading silence is skipped by VAD, and the times still point into the original audio."""
    speech = np.concatenate(list(iter_file_audio(sample_en)))[: 16000 * 8]
    audio = np.concatenate([np.zeros(16000 * 20, dtype=np.float32), speech])
    segments = transcribe_chunk(engine, audio, TranscribeOptions(language="en"), offset_seconds=100.0)
    assert segments and "thank you" in segments[0].text.lower()
    assert 120.0 <= segments[0].words[0].start < 121.5


def test_silence_gives_no_text(engine):
    rng = np.random.default_rng(0)
    hiss = (rng.standard_normal(16000 * 20) * 0.001).astype(np.float32)
    assert transcribe_chunk(engine, hiss, TranscribeOptions(language="no")) == []
    assert detect_language(engine, hiss) is None


def test_languages_users_write():
    assert whisper_language("nb") == "no" and whisper_language("no") == "no"
    assert whisper_language("nn") == "nn" and whisper_language("auto") is None
    from interviewkit.errors import InvalidInput

    with pytest.raises(InvalidInput, match="use no \\(bokmål\\), nn \\(nynorsk\\), en or auto"):
        whisper_language("norsk")


def test_the_reference_engine_gives_the_same_text_on_the_same_weights(engine, sample_en):
    """openai-whisper on the embedded base model, converted from CTranslate2 (float16: lossless)."""
    from interviewkit.transcribe.engines import load_engine

    reference = load_engine("openai-whisper", "base", "cpu")
    assert reference.name == "openai-whisper" and reference.model.name == "base"
    speech = np.concatenate(list(iter_file_audio(sample_en)))[: 16000 * 16]
    options = TranscribeOptions(language="en")
    ours = transcribe_chunk(engine, speech, options)
    theirs = transcribe_chunk(reference, speech, options)
    assert wer(" ".join(s.text for s in ours), " ".join(s.text for s in theirs)) <= 0.05
    words = [w for s in theirs for w in s.words]
    assert words and [w.start for w in words] == sorted(w.start for w in words)
    assert abs(words[0].start - ours[0].words[0].start) < 0.3
