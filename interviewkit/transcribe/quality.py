"""Guards against Whisper's known failure modes on long interviews.

- **Repetition loops**: the decoder sometimes repeats a phrase many times ("I think I think I
  think …") or emits the same segment again and again.  ``remove_repetitions`` keeps one copy of
  a phrase repeated more than ``MAX_REPEATS`` times in a row, and drops a segment of four or more
  words that repeats the one before it word for word.
- **Hallucinated text in silence**: a segment the model itself rates as probably not speech
  and with a low log-probability is dropped (``likely_hallucination``).
"""

from __future__ import annotations

import re
from typing import TypeVar

from interviewkit.transcribe.result import Segment

MAX_REPEATS = 4  # a phrase may occur this many times in a row ("no, no, no"); more is a loop
MAX_PHRASE_WORDS = 8
MIN_REPEATED_SEGMENT_WORDS = 4
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
_NORMAL = re.compile(r"[^\w]+")
T = TypeVar("T")


def _norm(text: str) -> str:
    return _NORMAL.sub(" ", text.lower()).strip()


def likely_hallucination(segment: Segment) -> bool:
    return segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < LOW_LOGPROB


def _loop_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of tokens to drop: repeats beyond MAX_REPEATS of any phrase."""
    drop: list[tuple[int, int]] = []
    i = 0
    n = len(tokens)
    while i < n:
        best: tuple[int, int] | None = None  # (phrase length, repeats)
        for size in range(1, MAX_PHRASE_WORDS + 1):
            if i + size * (MAX_REPEATS + 1) > n:
                break
            phrase = tokens[i:i + size]
            repeats = 1
            while tokens[i + repeats * size:i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats > MAX_REPEATS and (best is None or size * repeats > best[0] * best[1]):
                best = (size, repeats)
        if best is None:
            i += 1
            continue
        size, repeats = best
        drop.append((i + size, i + size * repeats))  # keep the first occurrence only
        i += size * repeats
    return drop


def _without(items: list[T], spans: list[tuple[int, int]]) -> list[T]:
    kept: list[T] = []
    position = 0
    for start, end in spans:
        kept.extend(items[position:start])
        position = end
    kept.extend(items[position:])
    return kept


def _dedupe_words(segment: Segment) -> Segment:
    if segment.words:
        spans = _loop_spans([_norm(w.text) for w in segment.words])
        if not spans:
            return segment
        words = _without(segment.words, spans)
        return Segment(segment.start, words[-1].end if words else segment.end, "".join(w.text for w in words), words,
                       segment.avg_logprob, segment.no_speech_prob, segment.language, segment.speaker)
    tokens = segment.text.split()
    spans = _loop_spans([_norm(t) for t in tokens])
    if not spans:
        return segment
    return Segment(segment.start, segment.end, " " + " ".join(_without(tokens, spans)), [], segment.avg_logprob,
                   segment.no_speech_prob, segment.language, segment.speaker)


def remove_repetitions(segments: list[Segment]) -> list[Segment]:
    """Segments without repetition loops, without repeated segments, without likely hallucinations."""
    out: list[Segment] = []
    for segment in segments:
        if likely_hallucination(segment) or not segment.text.strip():
            continue
        segment = _dedupe_words(segment)
        text = _norm(segment.text)
        # A short answer may well come twice ("Yes." "Yes."); a whole sentence again is a loop.
        if out and len(text.split()) >= MIN_REPEATED_SEGMENT_WORDS and _norm(out[-1].text) == text:
            continue
        out.append(segment)
    return out
