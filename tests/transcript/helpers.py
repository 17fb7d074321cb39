"""Small transcripts built by hand, with known word timings."""

from __future__ import annotations

from interviewkit.transcribe.result import Word
from interviewkit.transcript.model import Segment, Transcript


def words_for(text: str, start: float, step: float = 0.5, probability: float = 0.9) -> list[Word]:
    return [Word(round(start + i * step, 3), round(start + (i + 1) * step, 3), " " + token, probability)
            for i, token in enumerate(text.split())]


def segment(id: str, take: str, start: float, text: str, speaker: str | None = None,
            probabilities: list[float] | None = None) -> Segment:
    words = words_for(text, start)
    if probabilities is not None:
        for word, p in zip(words, probabilities):
            word.probability = p
    return Segment(id, take, start, words[-1].end if words else start, text, speaker, words)


def sample() -> Transcript:
    """Two takes: A with three segments, B with two."""
    return Transcript([
        segment("a1", "A", 0.0, "Thank you for taking part in this interview.", "I"),
        segment("a2", "A", 5.0, "Tell me about the youth club please.", "I"),
        segment("a3", "A", 10.0, "Well I went there every Friday when I was young.", "D1",
                probabilities=[0.3, 0.9, 0.9, 0.9, 0.2, 0.9, 0.9, 0.9, 0.9, 0.9]),
        segment("b1", "B", 0.0, "And what did you do there?", "I"),
        segment("b2", "B", 3.0, "Mostly played table tennis with friends.", "D1",
                probabilities=[0.9, 0.9, 0.9, 0.4, 0.9, 0.9]),
    ], {"I": "Intervjuer"}, "en")


def big(segments: int = 3000, words_per_segment: int = 10) -> Transcript:
    result = []
    for i in range(segments):
        take = f"take{i // 1000}"
        start = (i % 1000) * 6.0
        text = " ".join(f"word{i}x{j}" for j in range(words_per_segment))
        result.append(segment(f"s{i}", take, start, text, "D1" if i % 2 else "I"))
    return Transcript(result, {}, "nb")
