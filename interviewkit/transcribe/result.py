"""What a transcription engine produces, the same whichever engine ran: segments with start,
end, text, words (start, end, probability), average log-probability, no-speech probability,
language and, where known, speaker.

Times are seconds from the start of the audio that was transcribed (for a session: of the take).
``Transcription`` serialises to JSON (``to_bytes``/``from_bytes``) for the vault.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "interviewkit-transcription"
VERSION = 1


@dataclass
class Word:
    start: float
    end: float
    text: str  # as the model wrote it, with its leading space
    probability: float

    def shifted(self, seconds: float) -> Word:
        return Word(round(self.start + seconds, 3), round(self.end + seconds, 3), self.text, self.probability)


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    language: str | None = None
    speaker: str | None = None

    def shifted(self, seconds: float) -> Segment:
        return Segment(round(self.start + seconds, 3), round(self.end + seconds, 3), self.text,
                       [w.shifted(seconds) for w in self.words], self.avg_logprob, self.no_speech_prob,
                       self.language, self.speaker)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        data = dict(data)
        data["words"] = [Word(**w) for w in data.get("words", [])]
        return cls(**data)


@dataclass
class Transcription:
    """A whole transcription of one piece of audio."""

    segments: list[Segment]
    language: str | None
    duration: float  # seconds of audio covered
    engine: str
    model: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "language": self.language, "duration": self.duration,
                "engine": self.engine, "model": self.model, "options": self.options,
                "segments": [s.to_dict() for s in self.segments]}

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=0).encode()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcription:
        if data.get("format") != FORMAT:
            raise ValueError("not a transcription")
        if data.get("version", 0) > VERSION:
            raise ValueError(f"written by a newer interviewkit (format version {data.get('version')})")
        return cls([Segment.from_dict(s) for s in data["segments"]], data.get("language"), float(data["duration"]),
                   data.get("engine", ""), data.get("model", ""), dict(data.get("options", {})))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Transcription:
        return cls.from_dict(json.loads(raw))
