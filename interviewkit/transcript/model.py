"""The transcript document.

A ``Transcript`` is an ordered list of ``Segment``s.  Each segment belongs to one audio take
(``take``: the times are seconds into that take), has a stable random ``id``, an optional
``speaker`` (a code such as ``I``, ``D1``, ``T1``), its ``text`` as the transcriber wants it,
the ``words`` with timings and the recogniser's probability (kept for the untouched words when
the text is edited: see ``editing.realign``), and ``checked`` (the transcriber has listened and
corrected it).  ``speakers`` maps codes to display names (``I`` → ``Intervjuer``): codes are what
the data uses, names are only for the screen and exports, and renaming a speaker never rewrites
the segments.  Display names are names of people: the store keeps them in the linkage key, not
in the transcript file (see ``interviewkit.transcript.store``).  ``revision`` is the stored
revision the transcript was read at (0: never saved, or saved before revisions were counted);
every save writes the next one, and a save based on an older one is refused.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from interviewkit.transcribe.result import Transcription, Word

FORMAT = "interviewkit-transcript"
VERSION = 1
UNSURE_PROBABILITY = 0.5  # a word the recogniser gave less than this is marked unsure


def new_id() -> str:
    return secrets.token_hex(4)


def machine_id(take_id: str, index: int) -> str:
    """The id of a take's ``index``-th recognised segment in a transcript built from it: the same
    every time it is built, so two versions built apart (an editor, the CLI) can be merged."""
    return hashlib.sha256(f"{take_id}/{index}".encode()).hexdigest()[:8]


@dataclass
class Segment:
    id: str
    take: str
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[Word] = field(default_factory=list)
    checked: bool = False

    def unsure_words(self, threshold: float = UNSURE_PROBABILITY) -> list[int]:
        """Indexes into ``words`` of the words the recogniser was unsure of."""
        return [i for i, w in enumerate(self.words) if w.probability < threshold]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "take": self.take, "start": self.start, "end": self.end, "text": self.text,
                "speaker": self.speaker, "checked": self.checked,
                "words": [{"start": w.start, "end": w.end, "text": w.text, "probability": w.probability}
                          for w in self.words]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        return cls(id=str(data["id"]), take=str(data["take"]), start=float(data["start"]), end=float(data["end"]),
                   text=str(data["text"]), speaker=data.get("speaker"), checked=bool(data.get("checked", False)),
                   words=[Word(float(w["start"]), float(w["end"]), str(w["text"]), float(w["probability"]))
                          for w in data.get("words", [])])

    def copy(self) -> Segment:
        """An independent copy (the words too)."""
        return Segment(self.id, self.take, self.start, self.end, self.text, self.speaker,
                       [Word(w.start, w.end, w.text, w.probability) for w in self.words], self.checked)

    def word_spans(self) -> list[tuple[int, int]]:
        """The character span in ``text`` of each of ``words``, found in order (case ignored);
        ``(-1, -1)`` for a word the text no longer contains."""
        spans, cursor = [], 0
        lowered = self.text.lower()
        for word in self.words:
            token = word.text.strip().lower()
            found = lowered.find(token, cursor) if token else -1
            if found < 0:
                spans.append((-1, -1))
                continue
            spans.append((found, found + len(token)))
            cursor = found + len(token)
        return spans

    def word_offsets(self) -> list[int]:
        """The character offset in ``text`` of each of ``words`` (a word the text no longer
        contains gets the offset where the search stands)."""
        offsets, cursor = [], 0
        for start, end in self.word_spans():
            if start >= 0:
                cursor = end
            offsets.append(start if start >= 0 else min(cursor, len(self.text)))
        return offsets


@dataclass
class Transcript:
    segments: list[Segment] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)  # code → display name
    language: str | None = None
    revision: int = field(default=0, compare=False)  # the stored revision this was read at (see store)
    # take → (first index, end index) of its run of segments; checked cheaply before each use
    _ranges: dict[str, tuple[int, int]] | None = field(default=None, init=False, repr=False, compare=False)
    _ranges_length: int = field(default=-1, init=False, repr=False, compare=False)

    @classmethod
    def from_transcriptions(cls, parts: list[tuple[str, Transcription]]) -> Transcript:
        """A new transcript from machine transcriptions: ``[(take id, transcription), …]`` in
        take order; one segment per recognised segment, no speakers, nothing checked."""
        segments = []
        language = None
        for take_id, transcription in parts:
            language = language or transcription.language
            for index, part in enumerate(transcription.segments):
                text = part.text.strip()
                if not text and not part.words:
                    continue
                segments.append(Segment(machine_id(take_id, index), take_id, float(part.start), float(part.end),
                                        text, None, [Word(w.start, w.end, w.text, w.probability) for w in part.words]))
        return cls(segments, {}, language)

    @property
    def checked_fraction(self) -> float:
        """Share of segments marked checked (weighted by duration; 0.0 for an empty transcript)."""
        if not self.segments:
            return 0.0
        total = sum(max(0.0, s.end - s.start) for s in self.segments)
        if total <= 0:
            return sum(1 for s in self.segments if s.checked) / len(self.segments)
        return sum(max(0.0, s.end - s.start) for s in self.segments if s.checked) / total

    def _take_ranges(self) -> dict[str, tuple[int, int]]:
        segments = self.segments
        ranges = self._ranges
        if ranges is not None and self._ranges_length == len(segments):
            for take, (first, end) in ranges.items():
                if (segments[first].take != take or segments[end - 1].take != take
                        or (end < len(segments) and segments[end].take == take)):
                    break
            else:
                return ranges
        ranges = {}
        for i, segment in enumerate(segments):
            first, _ = ranges.get(segment.take, (i, i))
            ranges[segment.take] = (first, i + 1)
        self._ranges, self._ranges_length = ranges, len(segments)
        return ranges

    def index_at(self, take: str, seconds: float) -> int | None:
        """The segment playing at ``seconds`` of ``take`` (the last one starting before it)."""
        span = self._take_ranges().get(take)
        if span is None:
            return None
        first, end = span
        i = bisect_right(self.segments, seconds, first, end, key=lambda s: s.start) - 1
        return i if i >= first else None

    def word_at(self, index: int, seconds: float) -> int | None:
        """The word of segment ``index`` spoken at ``seconds`` (for highlighting), or None."""
        if not 0 <= index < len(self.segments):
            return None
        segment = self.segments[index]
        words = segment.words
        i = bisect_right(words, seconds, key=lambda w: w.start) - 1
        if i < 0:
            return None
        if i == len(words) - 1 and seconds > max(words[i].end, segment.end):
            return None
        return i

    def copy(self) -> Transcript:
        """An independent copy (segments, words and names; the same revision)."""
        return Transcript([s.copy() for s in self.segments], dict(self.speakers), self.language, self.revision)

    def speaker_name(self, code: str | None) -> str:
        """What the screen shows for a speaker: its display name, else the code, else ``?``."""
        if not code:
            return "?"
        return self.speakers.get(code) or code

    def text(self) -> str:
        """Plain text: one paragraph per segment, ``CODE: text``."""
        return "\n\n".join(f"{s.speaker}: {s.text}" if s.speaker else s.text for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "revision": self.revision, "language": self.language,
                "speakers": dict(self.speakers),
                "segments": [s.to_dict() for s in self.segments]}

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        """Raises ValueError (or KeyError/TypeError) for anything that is not a transcript."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a transcript")
        if data.get("version", 0) > VERSION:
            raise ValueError(f"written by a newer interviewkit (format version {data.get('version')})")
        speakers = {str(k): str(v) for k, v in dict(data.get("speakers") or {}).items()}
        revision = int(data.get("revision") or 0)
        if revision < 0:
            raise ValueError(f"the revision is negative ({revision})")
        return cls([Segment.from_dict(s) for s in data["segments"]], speakers, data.get("language"), revision)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Transcript:
        return cls.from_dict(json.loads(raw))
