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

from interviewkit.transcribe.result import Segment, Word

MAX_REPEATS = 4  # a phrase may occur this many times in a row ("no, no, no"); more is a loop
MAX_PHRASE_WORDS = 8
MIN_REPEATED_SEGMENT_WORDS = 4
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
_NORMAL = re.compile(r"[^\w]+")


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


def _dedupe_words(segment: Segment) -> Segment:
    words = segment.words
    if words:
        spans = _loop_spans([_norm(w.text) for w in words])
        if not spans:
            return segment
        kept: list[Word] = []
        position = 0
        for start, end in spans:
            kept.extend(words[position:start])
            position = end
        kept.extend(words[position:])
        text = "".join(w.text for w in kept)
        return Segment(segment.start, kept[-1].end if kept else segment.end, text, kept, segment.avg_logprob,
                       segment.no_speech_prob, segment.language, segment.speaker)
    tokens = segment.text.split()
    spans = _loop_spans([_norm(t) for t in tokens])
    if not spans:
        return segment
    kept_tokens: list[str] = []
    position = 0
    for start, end in spans:
        kept_tokens.extend(tokens[position:start])
        position = end
    kept_tokens.extend(tokens[position:])
    return Segment(segment.start, segment.end, " " + " ".join(kept_tokens), [], segment.avg_logprob,
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
