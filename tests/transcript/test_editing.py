from __future__ import annotations

import copy
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.errors import InvalidInput
from interviewkit.transcribe.result import Word
from interviewkit.transcript.editing import Position, TranscriptEditor, compile_pattern, realign
from interviewkit.transcript.model import Transcript
from tests.transcript.helpers import big, sample

# -- realign --

def test_realign_keeps_untouched_words_exactly() -> None:
    old = [Word(0.0, 0.4, " Tell", 0.91), Word(0.4, 0.7, " me", 0.95), Word(0.7, 1.0, " about", 0.6),
           Word(1.2, 1.6, " the", 0.3), Word(1.6, 2.0, " club.", 0.8)]
    new = realign(old, "Tell me all about the youth club.", 0.0, 2.5)
    assert [w.text for w in new] == [" Tell", " me", " all", " about", " the", " youth", " club."]
    assert new[0] == old[0] and new[1] == old[1] and new[3] == old[2] and new[4] == old[3] and new[6] == old[4]
    # the inserted words lie in the gap between their kept neighbours, written by a person
    assert (new[2].start, new[2].end, new[2].probability) == (0.7, 0.7, 1.0)
    assert new[5].start == pytest.approx(1.6) and new[5].end == pytest.approx(1.6)
    assert new[5].probability == 1.0


def test_realign_changed_word_takes_the_gap() -> None:
    old = [Word(0.0, 0.5, " I", 0.9), Word(0.5, 1.0, " whent", 0.2), Word(1.0, 1.5, " there", 0.9)]
    new = realign(old, "I went there", 0.0, 1.5)
    assert new[0] == old[0] and new[2] == old[2]
    assert new[1] == Word(0.5, 1.0, " went", 1.0)


def test_realign_spreads_several_new_words_and_uses_segment_bounds() -> None:
    new = realign([], "one two three four", 10.0, 12.0)
    assert [(w.start, w.end) for w in new] == [(10.0, 10.5), (10.5, 11.0), (11.0, 11.5), (11.5, 12.0)]
    old = [Word(10.0, 11.0, " keep", 0.7)]
    new = realign(old, "keep new words", 10.0, 12.0)
    assert new[0] == old[0] and (new[1].start, new[2].end) == (11.0, 12.0)


def test_realign_compares_normalised_words() -> None:
    old = [Word(0.0, 0.5, " Hello", 0.9), Word(0.5, 1.0, " world", 0.8)]
    new = realign(old, "hello, world!", 0.0, 1.0)
    assert [w.text for w in new] == [" hello,", " world!"]
    assert [(w.start, w.end, w.probability) for w in new] == [(0.0, 0.5, 0.9), (0.5, 1.0, 0.8)]
    assert realign(old, "", 0.0, 1.0) == []


# -- edits --

def test_set_text_keeps_untouched_word_timings() -> None:
    editor = TranscriptEditor(sample())
    before = copy.deepcopy(editor.transcript.segments[2].words)
    editor.set_text(2, "Well I went there every single Friday when I was young.")
    after = editor.transcript.segments[2].words
    assert editor.transcript.segments[2].text == "Well I went there every single Friday when I was young."
    assert after[:5] == before[:5] and after[6:] == before[5:]
    assert after[5].text == " single" and after[5].probability == 1.0
    assert before[4].end <= after[5].start <= after[5].end <= before[5].start
    assert editor.revision == 1 and editor.can_undo


def test_set_text_same_text_is_no_change() -> None:
    editor = TranscriptEditor(sample())
    editor.set_text(0, editor.transcript.segments[0].text)
    assert editor.revision == 0 and not editor.can_undo


def test_insert_at_the_cursor() -> None:
    editor = TranscriptEditor(sample())
    position = editor.insert(Position(3, 3), " (ler)")
    assert editor.transcript.segments[3].text == "And (ler) what did you do there?"
    assert position == Position(3, 9)
    assert editor.transcript.segments[3].words[1].text == " (ler)"


def test_split_and_merge_round_trip() -> None:
    original = sample()
    editor = TranscriptEditor(copy.deepcopy(original))
    text = original.segments[2].text
    offset = text.index("every")
    position = editor.split(Position(2, offset))
    assert position == Position(3, 0)
    first, second = editor.transcript.segments[2:4]
    assert len(editor.transcript.segments) == 6
    assert first.text == "Well I went there" and second.text == "every Friday when I was young."
    assert first.id == "a3" and second.id not in {s.id for s in original.segments}
    assert first.take == second.take == "A" and first.speaker == second.speaker == "D1"
    assert not first.checked and not second.checked
    words = original.segments[2].words
    assert first.end == words[3].end == second.start
    assert first.start == original.segments[2].start and second.end == original.segments[2].end
    assert first.words == words[:4] and second.words == words[4:]
    assert editor.transcript.index_at("A", words[5].start) == 3

    editor.merge_next(2)
    merged = editor.transcript.segments[2]
    assert merged.text == text and merged.words == words
    assert (merged.start, merged.end, merged.id) == (original.segments[2].start, original.segments[2].end, "a3")
    assert editor.transcript == original


def test_split_inside_a_word_and_at_the_edges() -> None:
    editor = TranscriptEditor(sample())
    editor.split(Position(0, 3))  # "Tha|nk you ..."
    assert editor.transcript.segments[0].text == "Tha"
    assert editor.transcript.segments[1].text.startswith("nk you")
    seg0, seg1 = editor.transcript.segments[:2]
    assert seg0.end == seg1.start and seg0.start <= seg0.end <= seg1.end
    with pytest.raises(InvalidInput):
        editor.split(Position(2, 0))
    with pytest.raises(InvalidInput):
        editor.split(Position(2, len(editor.transcript.segments[2].text)))


def test_merge_across_takes_is_refused() -> None:
    editor = TranscriptEditor(sample())
    with pytest.raises(InvalidInput) as raised:
        editor.merge_next(2)
    assert "different recordings" in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(InvalidInput):
        editor.merge_next(4)  # the last one
    assert editor.revision == 0 and len(editor.transcript.segments) == 5


def test_merge_keeps_first_speaker() -> None:
    editor = TranscriptEditor(sample())
    position = editor.merge_next(1)
    merged = editor.transcript.segments[1]
    assert merged.speaker == "I" and merged.text.startswith("Tell me about the youth club please. Well I")
    assert position == Position(1, len("Tell me about the youth club please. "))
    assert merged.start == 5.0 and merged.end == sample().segments[2].end


def test_set_speaker_and_undo() -> None:
    editor = TranscriptEditor(sample())
    editor.set_speaker([3, 4], "D2")
    assert [s.speaker for s in editor.transcript.segments] == ["I", "I", "D1", "D2", "D2"]
    editor.set_speaker([0], None)
    assert editor.transcript.segments[0].speaker is None
    editor.undo()
    editor.undo()
    assert editor.transcript == sample()


def test_rename_speaker_code_and_name() -> None:
    editor = TranscriptEditor(sample())
    editor.rename_speaker("I", "INT", "Intervjuer 1")
    assert [s.speaker for s in editor.transcript.segments] == ["INT", "INT", "D1", "INT", "D1"]
    assert editor.transcript.speakers == {"INT": "Intervjuer 1"}
    editor.rename_speaker("D1", name="Kari")
    assert editor.transcript.speakers == {"INT": "Intervjuer 1", "D1": "Kari"}
    assert editor.transcript.speaker_name("D1") == "Kari"
    assert editor.revision == 2
    editor.undo()
    assert editor.transcript.speakers == {"INT": "Intervjuer 1"}
    editor.undo()
    assert editor.transcript == sample() and editor.transcript.speakers == {"I": "Intervjuer"}
    editor.redo()
    assert editor.transcript.speakers == {"INT": "Intervjuer 1"}
    assert editor.transcript.segments[0].speaker == "INT"


def test_set_checked() -> None:
    editor = TranscriptEditor(sample())
    editor.set_checked(1)
    assert editor.transcript.segments[1].checked
    editor.set_checked(1, True)
    assert editor.revision == 1
    editor.set_checked(1, False)
    assert not editor.transcript.segments[1].checked and editor.revision == 2


def test_replace_all_counts_and_undoes_in_one_step() -> None:
    editor = TranscriptEditor(sample())
    assert editor.replace_all("the", "THE") == 3  # "the", "there", "there?" (substrings, any case)
    texts = [s.text for s in editor.transcript.segments]
    assert texts[1] == "Tell me about THE youth club please."
    assert texts[2] == "Well I went THEre every Friday when I was young."
    assert editor.revision == 1
    editor.undo()
    assert editor.transcript == sample() and editor.revision == 2 and not editor.can_undo


def test_replace_all_case_sensitive_and_regex() -> None:
    editor = TranscriptEditor(sample())
    assert editor.replace_all("I", "jeg", case_sensitive=True) == 2  # not the i of "interview"
    assert editor.transcript.segments[2].text == "Well jeg went there every Friday when jeg was young."
    assert editor.transcript.segments[0].text == "Thank you for taking part in this interview."
    assert editor.replace_all(r"\bjeg\b", "I", regex=True) == 2
    assert editor.replace_all(r"(\w+) tennis", r"\1-tennis", regex=True) == 1
    assert "table-tennis" in editor.transcript.segments[4].text
    assert editor.replace_all("nothing like this", "x") == 0
    with pytest.raises(InvalidInput):
        editor.replace_all("(", "x", regex=True)


def test_find_wraps_round() -> None:
    editor = TranscriptEditor(sample())
    first = editor.find("there", Position(0, 0))
    assert first == Position(2, editor.transcript.segments[2].text.index("there"))
    second = editor.find("there", first)
    assert second == Position(3, editor.transcript.segments[3].text.index("there"))
    assert editor.find("there", second) == first  # wrapped round
    assert editor.find("THANK", Position(4, 0)) == Position(0, 0)
    assert editor.find("THANK", Position(4, 0), case_sensitive=True) is None
    assert editor.find("Thank", Position(0, 0)) == Position(0, 0)  # only match: the one at the cursor
    assert editor.find(r"t\w+s\b", Position(0, 0), regex=True) == Position(0, 29)  # "this"
    tennis = editor.transcript.segments[4].text.index("tennis")
    assert editor.find(r"te\w+is\b", Position(0, 0), regex=True, case_sensitive=True) == Position(4, tennis)
    assert editor.find("zebra", Position(1, 2)) is None


def test_next_unsure_positions_and_wrap() -> None:
    editor = TranscriptEditor(sample())
    texts = [s.text for s in editor.transcript.segments]
    first = editor.next_unsure(Position(0, 0))
    assert first == Position(2, 0)  # "Well"
    second = editor.next_unsure(first)
    assert second == Position(2, texts[2].index("every"))
    third = editor.next_unsure(second)
    assert third == Position(4, texts[4].index("tennis"))
    assert editor.next_unsure(third) == first
    editor.set_text(2, "Well I went there every Friday when I was young.")  # same text: nothing changes
    editor.set_text(4, "Mostly played table tennis with my friends.")
    assert editor.next_unsure(Position(3, 0)) == Position(4, texts[4].index("tennis"))
    editor.set_text(4, "Mostly played ping-pong with my friends.")  # a person corrected it
    assert editor.next_unsure(Position(3, 0)) == first


def test_next_unsure_none() -> None:
    transcript = sample()
    for s in transcript.segments:
        for w in s.words:
            w.probability = 0.99
    assert TranscriptEditor(transcript).next_unsure(Position(1, 3)) is None


def test_undo_redo_sequences() -> None:
    editor = TranscriptEditor(sample())
    states = [copy.deepcopy(editor.transcript)]
    editor.set_text(0, "Thanks for taking part.")
    states.append(copy.deepcopy(editor.transcript))
    editor.split(Position(2, 5))
    states.append(copy.deepcopy(editor.transcript))
    editor.set_checked(0)
    states.append(copy.deepcopy(editor.transcript))
    assert editor.revision == 3
    assert editor.undo() == Position(0, 0)
    assert editor.transcript == states[2]
    assert editor.undo() == Position(2, 5)
    assert editor.transcript == states[1]
    assert editor.can_redo
    assert editor.redo() == Position(3, 0)
    assert editor.transcript == states[2]
    assert editor.revision == 6
    editor.undo()
    editor.undo()
    assert editor.transcript == states[0] and not editor.can_undo
    assert editor.undo() is None and editor.revision == 8
    editor.redo()
    assert editor.transcript == states[1]
    editor.set_text(1, "Something new.")  # a new edit clears what could be redone
    assert not editor.can_redo and editor.redo() is None
    editor.undo()
    assert editor.transcript == states[1]
    assert editor.revision == 11


def test_redo_restores_the_same_ids() -> None:
    editor = TranscriptEditor(sample())
    editor.split(Position(2, 5))
    new_id = editor.transcript.segments[3].id
    editor.undo()
    editor.redo()
    assert editor.transcript.segments[3].id == new_id


def test_history_holds_copies() -> None:
    editor = TranscriptEditor(sample())
    editor.set_text(0, "Changed.")
    editor.transcript.segments[0].text = "changed behind the editor's back"
    editor.undo()
    assert editor.transcript.segments[0].text == sample().segments[0].text
    editor.redo()
    assert editor.transcript.segments[0].text == "Changed."


def test_compile_pattern() -> None:
    assert compile_pattern("a.b", False, False).search("xA.B")
    assert not compile_pattern("a.b", False, False).search("axb")
    assert compile_pattern("a.b", True, False).search("AXB")
    assert not compile_pattern("a.b", True, True).search("AXB")
    with pytest.raises(InvalidInput) as raised:
        compile_pattern("[unclosed", True, False)
    assert "[unclosed" in str(raised.value) and "\n" not in str(raised.value)


# -- property: any edits, then undo all, give the original back --

edit = st.one_of(
    st.tuples(st.just("set_text"), st.integers(0, 20), st.text(alphabet="ab cd.", max_size=20)),
    st.tuples(st.just("insert"), st.integers(0, 20), st.integers(0, 60), st.sampled_from(["(ler)", " x ", "..."])),
    st.tuples(st.just("split"), st.integers(0, 20), st.integers(0, 60)),
    st.tuples(st.just("merge"), st.integers(0, 20)),
    st.tuples(st.just("speaker"), st.integers(0, 20), st.sampled_from(["I", "D1", "D2", None])),
    st.tuples(st.just("rename"), st.sampled_from(["I", "D1"]), st.sampled_from([None, "X"]),
              st.sampled_from([None, "Navn", ""])),
    st.tuples(st.just("checked"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("replace"), st.sampled_from(["the", "e", "I"]), st.sampled_from(["", "THE", "x y"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def apply(editor: TranscriptEditor, action: tuple) -> None:
    count = len(editor.transcript.segments)
    name, *args = action
    try:
        if name == "set_text":
            editor.set_text(args[0] % count, args[1])
        elif name == "insert":
            editor.insert(Position(args[0] % count, args[1]), args[2])
        elif name == "split":
            editor.split(Position(args[0] % count, args[1]))
        elif name == "merge":
            editor.merge_next(args[0] % count)
        elif name == "speaker":
            editor.set_speaker([args[0] % count], args[1])
        elif name == "rename":
            editor.rename_speaker(args[0], args[1], args[2])
        elif name == "checked":
            editor.set_checked(args[0] % count, args[1])
        elif name == "replace":
            editor.replace_all(args[0], args[1])
        elif name == "undo":
            editor.undo()
        else:
            editor.redo()
    except InvalidInput:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, max_size=25))
def test_undo_everything_restores_the_original(actions: list[tuple]) -> None:
    original = sample()
    editor = TranscriptEditor(copy.deepcopy(original))
    revision = 0
    for action in actions:
        apply(editor, action)
        assert editor.revision >= revision
        revision = editor.revision
    after = copy.deepcopy(editor.transcript)
    undone = 0
    while editor.can_undo:
        editor.undo()
        undone += 1
    assert editor.transcript == original
    assert editor.transcript.speakers == original.speakers
    for _ in range(undone):
        editor.redo()
    assert editor.transcript == after


# -- performance sanity (generous bounds) --

def test_large_transcript_is_fast() -> None:
    transcript = big()
    assert len(transcript.segments) == 3000 and sum(len(s.words) for s in transcript.segments) == 30000
    editor = TranscriptEditor(transcript)
    started = time.perf_counter()
    for i in range(1000):
        take = f"take{i % 3}"
        index = transcript.index_at(take, (i % 1000) * 6.0 + 1.0)
        assert index == (i % 3) * 1000 + i % 1000
    assert time.perf_counter() - started < 1.0
    started = time.perf_counter()
    editor.set_text(1500, transcript.segments[1500].text + " extra")
    editor.undo()
    assert time.perf_counter() - started < 1.0
    assert transcript.segments[1500].text.endswith("x9")
    assert isinstance(editor.transcript, Transcript)
