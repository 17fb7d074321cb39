from __future__ import annotations

import json

import pytest

from interviewkit.transcribe.result import Segment as RecognisedSegment
from interviewkit.transcribe.result import Transcription, Word
from interviewkit.transcript.model import FORMAT, VERSION, Segment, Transcript
from tests.transcript.helpers import sample


def recognised(start: float, text: str, probability: float = 0.8) -> RecognisedSegment:
    words = [Word(start + i, start + i + 1, " " + t, probability) for i, t in enumerate(text.split())]
    return RecognisedSegment(start, start + len(words), " " + text, words, language="nb")


def test_round_trip_keeps_everything() -> None:
    transcript = sample()
    transcript.segments[1].checked = True
    raw = transcript.to_bytes()
    data = json.loads(raw)
    assert data["format"] == FORMAT and data["version"] == VERSION
    again = Transcript.from_bytes(raw)
    assert again == transcript
    assert again.speakers == {"I": "Intervjuer"} and again.language == "en"
    assert again.segments[1].checked and not again.segments[0].checked
    assert again.segments[2].words == transcript.segments[2].words


def test_round_trip_keeps_non_ascii() -> None:
    transcript = sample()
    transcript.segments[0].text = "Blåbærsyltetøy – (ler)"
    assert Transcript.from_bytes(transcript.to_bytes()).segments[0].text == "Blåbærsyltetøy – (ler)"


@pytest.mark.parametrize("raw", [b'{"format": "something-else", "segments": []}',
                                 b'{"format": "interviewkit-transcript", "version": 99, "segments": []}',
                                 b'{"format": "interviewkit-transcript", "version": 1}'])
def test_from_bytes_refuses_what_is_not_a_transcript(raw: bytes) -> None:
    with pytest.raises((ValueError, KeyError)):
        Transcript.from_bytes(raw)


def test_from_transcriptions() -> None:
    first = Transcription([recognised(0.0, "Hei og velkommen."), recognised(3.0, "Takk.")], "nb", 10.0, "e", "m")
    second = Transcription([recognised(1.0, "Vi fortsetter.", 0.3)], "nb", 5.0, "e", "m")
    transcript = Transcript.from_transcriptions([("take1", first), ("take2", second)])
    assert [s.take for s in transcript.segments] == ["take1", "take1", "take2"]
    assert [s.text for s in transcript.segments] == ["Hei og velkommen.", "Takk.", "Vi fortsetter."]
    assert transcript.language == "nb"
    assert transcript.speakers == {}
    assert all(s.speaker is None and not s.checked for s in transcript.segments)
    assert len({s.id for s in transcript.segments}) == 3
    assert transcript.segments[0].words[0] == Word(0.0, 1.0, " Hei", 0.8)
    assert transcript.segments[2].start == 1.0 and transcript.segments[2].end == 3.0
    assert transcript.segments[2].unsure_words() == [0, 1]


def test_index_at() -> None:
    transcript = sample()
    assert transcript.index_at("A", 0.0) == 0
    assert transcript.index_at("A", 4.9) == 0
    assert transcript.index_at("A", 5.0) == 1
    assert transcript.index_at("A", 99.0) == 2
    assert transcript.index_at("B", 0.1) == 3
    assert transcript.index_at("B", 3.5) == 4
    assert transcript.index_at("B", -1.0) is None
    assert transcript.index_at("C", 1.0) is None


def test_index_at_follows_changes_to_the_list() -> None:
    transcript = sample()
    assert transcript.index_at("B", 3.5) == 4
    del transcript.segments[0]
    assert transcript.index_at("B", 3.5) == 3
    assert transcript.index_at("A", 1.0) is None  # the first segment of A now starts at 5.0
    transcript.segments.insert(0, Segment("x", "A", 0.0, 1.0, "put back"))
    assert transcript.index_at("A", 1.0) == 0
    assert transcript.index_at("A", 5.5) == 1
    assert transcript.index_at("B", 3.5) == 4
    transcript.segments[1:2] = [Segment("y", "A", 5.0, 6.0, "one"), Segment("z", "A", 6.0, 7.0, "two")]
    assert transcript.index_at("A", 6.5) == 2
    assert transcript.index_at("B", 3.5) == 5


def test_word_at() -> None:
    transcript = sample()  # words of segment 1 start at 5.0, 0.5 s each
    assert transcript.word_at(1, 5.0) == 0
    assert transcript.word_at(1, 5.74) == 1
    assert transcript.word_at(1, 6.1) == 2
    assert transcript.word_at(1, 4.0) is None
    assert transcript.word_at(1, 99.0) is None
    assert transcript.word_at(99, 5.0) is None


def test_checked_fraction_is_weighted_by_duration() -> None:
    transcript = sample()
    assert transcript.checked_fraction == 0.0
    durations = [s.end - s.start for s in transcript.segments]
    transcript.segments[2].checked = True  # the longest one
    assert transcript.checked_fraction == pytest.approx(durations[2] / sum(durations))
    assert transcript.checked_fraction > 1 / 5
    for s in transcript.segments:
        s.checked = True
    assert transcript.checked_fraction == pytest.approx(1.0)
    assert Transcript().checked_fraction == 0.0


def test_speaker_name_and_text() -> None:
    transcript = sample()
    assert transcript.speaker_name("I") == "Intervjuer"
    assert transcript.speaker_name("D1") == "D1"
    assert transcript.speaker_name(None) == "?"
    transcript.segments[3].speaker = None
    paragraphs = transcript.text().split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0] == "I: Thank you for taking part in this interview."
    assert paragraphs[2].startswith("D1: Well I went")
    assert paragraphs[3] == "And what did you do there?"


def test_word_offsets() -> None:
    transcript = sample()
    seg = transcript.segments[0]
    offsets = seg.word_offsets()
    assert [seg.text[o:o + len(w.text.strip())] for o, w in zip(offsets, seg.words)] == \
        [w.text.strip() for w in seg.words]
