"""The core of the transcriber's habits: speakers by number and "same speaker until here",
inserting and deleting segments (undoable), a timestamp spaced from the words around it, and
where the transcriber left off, kept encrypted in the session."""

from __future__ import annotations

import pytest

from interviewkit.errors import InvalidInput
from interviewkit.project import Project
from interviewkit.transcript.editing import Position, TranscriptEditor, spaced, speaker_order
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import PLACE_FILE, EditorPlace, load_place, open_transcript, save_place
from tests.conftest import scan_for
from tests.transcript.helpers import sample, segment


def test_speaker_order_puts_the_sessions_participants_first() -> None:
    transcript = sample()  # speakers I (named) and D1
    assert speaker_order(["D7", "D1"], transcript) == ["D7", "D1", "I"]
    assert speaker_order([], transcript) == ["I", "D1"]  # the named one, then the codes in order of use
    assert speaker_order([], Transcript()) == ["I"]  # the interviewer is always offered


def test_fill_speaker_gives_the_run_the_speaker_above() -> None:
    transcript = sample()
    for s in transcript.segments[1:4]:
        s.speaker = None
    editor = TranscriptEditor(transcript)
    assert editor.fill_speaker(3) == Position(1, 0)
    assert [s.speaker for s in transcript.segments] == ["I", "I", "I", "I", "D1"]
    editor.undo()  # one step
    assert [s.speaker for s in transcript.segments] == ["I", None, None, None, "D1"]


def test_fill_speaker_overwrites_down_to_the_cursor_only() -> None:
    transcript = sample()  # I, I, D1, I, D1
    transcript.segments[3].speaker = None
    editor = TranscriptEditor(transcript)
    editor.fill_speaker(4)  # the nearest speaker above is D1 (segment 2): 3 and 4 get it
    assert [s.speaker for s in transcript.segments] == ["I", "I", "D1", "D1", "D1"]


def test_fill_speaker_without_a_speaker_above_is_refused() -> None:
    transcript = sample()
    for s in transcript.segments:
        s.speaker = None
    editor = TranscriptEditor(transcript)
    with pytest.raises(InvalidInput) as caught:
        editor.fill_speaker(2)
    assert caught.value.code == "transcript.no_speaker_above" and "no segment above" in str(caught.value)
    assert editor.revision == 0
    with pytest.raises(InvalidInput):
        editor.fill_speaker(0)


def test_insert_segment_in_the_gap_and_undo() -> None:
    transcript = sample()
    editor = TranscriptEditor(transcript)
    before = [s.to_dict() for s in transcript.segments]
    assert editor.insert_segment(0) == Position(1, 0)
    new = transcript.segments[1]
    assert len(transcript.segments) == 6 and new.text == "" and new.speaker is None and new.words == []
    assert new.take == "A" and new.start == transcript.segments[0].end and new.end == transcript.segments[2].start
    assert new.id not in {s["id"] for s in before}
    editor.set_text(1, "(ler)")
    assert transcript.segments[1].text == "(ler)"
    editor.undo()
    editor.undo()
    assert [s.to_dict() for s in transcript.segments] == before
    editor.redo()
    assert transcript.segments[1].id == new.id


def test_insert_after_the_last_segment_of_a_take() -> None:
    transcript = sample()
    editor = TranscriptEditor(transcript)
    editor.insert_segment(2)  # a3 is the last of take A; b1 starts at 0 in take B
    new = transcript.segments[3]
    assert new.take == "A" and new.start == new.end == transcript.segments[2].end


def test_delete_segment_and_undo_brings_it_back() -> None:
    transcript = sample()
    editor = TranscriptEditor(transcript)
    before = [s.to_dict() for s in transcript.segments]
    assert editor.delete_segment(4) == Position(3, 0)  # the last: the cursor goes to the one before
    assert editor.delete_segment(1) == Position(1, 0)
    assert [s.id for s in transcript.segments] == ["a1", "a3", "b1"]
    editor.undo()
    editor.undo()
    assert [s.to_dict() for s in transcript.segments] == before


def test_the_only_segment_cannot_be_deleted() -> None:
    editor = TranscriptEditor(Transcript([segment("x", "A", 0.0, "Only this.")]))
    with pytest.raises(InvalidInput) as caught:
        editor.delete_segment(0)
    assert caught.value.code == "transcript.only_segment"
    with pytest.raises(IndexError):
        editor.delete_segment(3)


@pytest.mark.parametrize(("text", "offset", "expected"), [
    ("", 0, "[00:01:02] "),
    ("Hello", 5, " [00:01:02] "),
    ("Hello ", 6, "[00:01:02] "),
    ("Hello world", 5, " [00:01:02]"),
    ("Hello world", 6, "[00:01:02] "),
    ("Hello world", 0, "[00:01:02] "),
    ("Hello world", 3, " [00:01:02] "),
    ("Hello", 99, " [00:01:02] "),
])
def test_spaced_separates_the_insertion_from_the_words(text: str, offset: int, expected: str) -> None:
    assert spaced(text, offset, "[00:01:02]") == expected


def test_place_is_kept_encrypted_in_the_session(demo_project: Project, reopen) -> None:
    session = demo_project.index.find_session("S02")
    assert load_place(demo_project, session) is None
    transcript = open_transcript(demo_project, session)
    place = EditorPlace(transcript.segments[7].id, 7, transcript.segments[7].take, 33.5)
    save_place(demo_project, session, place)
    again = reopen(demo_project.root)
    assert load_place(again, again.index.find_session("S02")) == place
    assert demo_project.session_path(session, PLACE_FILE).exists()
    assert scan_for(demo_project.root, transcript.segments[7].id) == []  # nothing in plaintext


def test_place_finds_its_segment_after_edits() -> None:
    transcript = sample()
    place = EditorPlace("a3", 2, "A", 11.0)
    editor = TranscriptEditor(transcript)
    editor.insert_segment(0)
    assert place.segment_index(transcript) == 3  # by id
    editor.delete_segment(3)
    assert place.segment_index(transcript) == 2  # gone: the index it had, within the transcript
    assert EditorPlace("zz", 99, "A").segment_index(transcript) == len(transcript.segments) - 1


def test_an_unreadable_place_is_no_place(demo_project: Project) -> None:
    session = demo_project.index.find_session("S02")
    demo_project.save_session_file(session, PLACE_FILE, b"{not json")
    assert load_place(demo_project, session) is None
