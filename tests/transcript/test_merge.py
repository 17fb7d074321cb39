"""The three-way merge of a stale editor's version with the stored one (``merge_transcripts``)."""

from __future__ import annotations

from interviewkit.transcript.merge import merge_transcripts
from tests.transcript.helpers import sample, segment


def texts(transcript) -> list[tuple[str, str]]:
    return [(s.id, s.text) for s in transcript.segments]


def test_changes_on_different_segments_both_survive() -> None:
    base, mine, theirs = sample(), sample(), sample()
    mine.segments[0].text = "Mine."
    theirs.segments[3].text = "Theirs."
    result = merge_transcripts(base, mine, theirs)
    assert texts(result.transcript)[0] == ("a1", "Mine.") and texts(result.transcript)[3] == ("b1", "Theirs.")
    assert result.conflicts == [] and result.from_theirs == 1
    assert [s.id for s in result.transcript.segments] == [s.id for s in base.segments]


def test_a_segment_changed_on_both_sides_keeps_mine_and_is_listed() -> None:
    base, mine, theirs = sample(), sample(), sample()
    mine.segments[1].text = "Mine."
    theirs.segments[1].text = "Theirs."
    theirs.segments[2].checked = True
    result = merge_transcripts(base, mine, theirs)
    assert result.transcript.segments[1].text == "Mine."
    assert result.transcript.segments[2].checked  # theirs only
    assert result.conflicts == ["a2"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    base, mine, theirs = sample(), sample(), sample()
    mine.segments[1].text = theirs.segments[1].text = "Same."
    result = merge_transcripts(base, mine, theirs)
    assert result.conflicts == [] and result.transcript.segments[1].text == "Same."


def test_deletions() -> None:
    base, mine, theirs = sample(), sample(), sample()
    del mine.segments[0]           # I deleted a1, they left it: gone
    del theirs.segments[4]         # they deleted b2, I left it: gone
    del mine.segments[0]           # I deleted a2 …
    theirs.segments[1].text = "They changed a2."  # … which they changed: theirs kept, listed
    result = merge_transcripts(base, mine, theirs)
    assert [s.id for s in result.transcript.segments] == ["a2", "a3", "b1"]
    assert result.transcript.segments[0].text == "They changed a2." and result.conflicts == ["a2"]


def test_new_segments_from_both_sides_in_place() -> None:
    base, mine, theirs = sample(), sample(), sample()
    mine.segments.insert(1, segment("m1", "A", 4.0, "Mine, new."))
    theirs.segments.insert(3, segment("t1", "A", 12.0, "Theirs, new."))  # after a3
    theirs.segments.insert(0, segment("t0", "A", 0.0, "Theirs, first."))
    result = merge_transcripts(base, mine, theirs)
    assert [s.id for s in result.transcript.segments] == ["t0", "a1", "m1", "a2", "a3", "t1", "b1", "b2"]
    assert result.conflicts == []


def test_names_and_language_follow_the_same_rule() -> None:
    base, mine, theirs = sample(), sample(), sample()
    base.speakers = {"I": "Intervjuer", "D1": "Deltaker"}
    mine.speakers = {"I": "Interviewer", "D1": "Deltaker"}
    theirs.speakers = {"I": "Intervjuer", "D1": "Kari", "D2": "Ola"}
    theirs.language = "nb"
    result = merge_transcripts(base, mine, theirs)
    assert result.transcript.speakers == {"I": "Interviewer", "D1": "Kari", "D2": "Ola"}
    assert result.transcript.language == "nb"


def test_the_merge_builds_on_theirs_and_changes_no_input() -> None:
    base, mine, theirs = sample(), sample(), sample()
    theirs.revision = 7
    mine.segments[0].text = "Mine."
    before = [texts(t) for t in (base, mine, theirs)]
    result = merge_transcripts(base, mine, theirs)
    assert result.transcript.revision == 7
    result.transcript.segments[0].text = "changed after"
    assert [texts(t) for t in (base, mine, theirs)] == before
