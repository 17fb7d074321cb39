"""One chunk of audio through the whole path: speech detection, the engine, times mapped back to
the original audio, and the quality guards.  Batch jobs, live transcription and plain files all
go through ``transcribe_chunk``."""

from __future__ import annotations

import numpy as np

from interviewkit.transcribe.engines import Engine, TranscribeOptions
from interviewkit.transcribe.quality import remove_repetitions
from interviewkit.transcribe.result import Segment, Word
from interviewkit.transcribe.vad import RATE, Region, TimeMap, join, speech_regions

LANGUAGE_SAMPLE_SECONDS = 30.0
MIN_SPEECH_SECONDS = 0.3


def _mapped(segment: Segment, times: TimeMap, offset: float) -> Segment:
    def word(w: Word) -> Word:
        return Word(round(times.original(w.start) + offset, 3), round(times.original(w.end, is_end=True) + offset, 3),
                    w.text, w.probability)

    return Segment(round(times.original(segment.start) + offset, 3),
                   round(times.original(segment.end, is_end=True) + offset, 3), segment.text,
                   [word(w) for w in segment.words], segment.avg_logprob, segment.no_speech_prob, segment.language,
                   segment.speaker)


def speech_of(audio: np.ndarray, vad: bool = True) -> tuple[np.ndarray, TimeMap]:
    regions = speech_regions(audio) if vad else ([Region(0, len(audio))] if len(audio) else [])
    return join(audio, regions), TimeMap(regions)


def transcribe_chunk(engine: Engine, audio: np.ndarray, options: TranscribeOptions,
                     offset_seconds: float = 0.0) -> list[Segment]:
    """Segments of ``audio`` with times in the whole recording (``offset_seconds`` = where it starts)."""
    speech, times = speech_of(audio, options.vad)
    if len(speech) < MIN_SPEECH_SECONDS * RATE:
        return []
    segments = engine.transcribe(speech, options)
    return remove_repetitions([_mapped(s, times, offset_seconds) for s in segments])


def detect_language(engine: Engine, audio: np.ndarray, vad: bool = True) -> tuple[str, float] | None:
    """The language of the first half minute of speech in ``audio`` (None: no speech)."""
    speech, _ = speech_of(audio, vad)
    if len(speech) < MIN_SPEECH_SECONDS * RATE:
        return None
    return engine.detect_language(speech[:int(LANGUAGE_SAMPLE_SECONDS * RATE)])
