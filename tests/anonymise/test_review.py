"""A project session's anonymisation: detection tied to the project's people and places, the
reviewer's decisions kept in the linkage key, labels the same in every session."""

from __future__ import annotations

import pytest

from interviewkit.anonymise import review
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.sessions import add_session
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import open_transcript, save_transcript

TEXTS = [
    "Eva Demo her. Jeg har jobbet i Eksempelby i seks år.",
    "Kollegaen min, Torbjørn Flatås, sa at Evas plan var god.",
    "Vi ringte rektor på 481 23 456, og Torbjørn svarte.",
    "Sola skinte, og Sol Hansen var glad.",
]


def give_transcript(project, session_id: str, texts: list[str]) -> None:
    session = project.index.find_session(session_id) or add_session(project, session_id)
    segments = [Segment(f"s{i}", "take", i * 5.0, i * 5.0 + 4, text, "D6" if i % 2 else "I")
                for i, text in enumerate(texts)]
    save_transcript(project, session, Transcript(segments, {"D6": "Eva Demo"}, "no"))


@pytest.fixture
def project(demo_project):
    give_transcript(demo_project, "S02", TEXTS)
    return demo_project


def by_text(found) -> dict[str, str]:
    return {o.text: found.entity(o).label for o in found.occurrences}


def test_participants_places_and_strangers_are_found_and_labelled(project) -> None:
    found = review.analyse_session(project, project.index.find_session("S02"))
    labels = by_text(found)
    assert labels["Eva Demo"] == "D6" and labels["Evas"] == "D6"  # a participant keeps the code
    assert labels["Eksempelby"] == "Kommune A"  # the project's municipality (a guide value)
    assert labels["Torbjørn Flatås"] == labels["Torbjørn"]  # an unknown person, the same each time
    assert labels["481 23 456"] == "telefonnummer"
    assert "Sola" not in labels  # the sun
    assert not found.reviewed and found.unresolved == len(found.occurrences)
    assert any(w.kind == "role" and w.text == "rektor" for _, w in found.warnings)  # warned, not replaced
    text = found.anonymised().text()
    assert "Eva" not in text and "Torbjørn" not in text and "481 23 456" not in text and "rektor" in text


def test_decisions_apply_project_wide_and_are_kept_in_the_linkage_key(project, reopen) -> None:
    s02 = project.index.find_session("S02")
    found = review.analyse_session(project, s02)
    sol = next(o for o in found.occurrences if o.text.endswith("Hansen"))
    review.decide(project, s02, [sol.entity_id], "rejected")  # the reviewer says: not to be replaced
    rest = sorted({o.entity_id for o in found.occurrences} - {sol.entity_id})
    review.decide(project, s02, rest, "accepted")
    again = reopen(project.root)
    found = review.analyse_session(again, again.index.find_session("S02"))
    assert found.reviewed
    assert "Sol Hansen var glad" in found.anonymised().text()
    # another session mentioning the same people gets the same labels, already decided
    give_transcript(again, "S03", ["Torbjørn Flatås og Eva Demo møttes i Eksempelby."])
    other = review.analyse_session(again, again.index.find_session("S03"))
    assert other.reviewed
    assert by_text(other)["Torbjørn Flatås"] == by_text(found)["Torbjørn Flatås"]
    # the names are in the linkage key, never in the audit log or the index
    linkage = again.linkage()
    assert "Torbjørn Flatås" in str(linkage.anonymisation)
    entries, problems = again.verify_audit()
    assert not problems and "Torbjørn" not in str([e.details for e in entries])
    assert "Torbjørn" not in again.index.to_bytes().decode()


def test_a_single_occurrence_can_differ_from_its_entity(project) -> None:
    s02 = project.index.find_session("S02")
    found = review.analyse_session(project, s02)
    first, *others = [o for o in found.occurrences if found.entity(o).label == by_text(found)["Torbjørn"]]
    review.decide(project, s02, [first.entity_id], "accepted")
    review.decide(project, s02, [first.entity_id], "ask", occurrence_keys=[first.key])
    found = review.analyse_session(project, s02)
    statuses = {o.key: found.status(o) for o in found.occurrences if o.entity_id == first.entity_id}
    assert statuses[first.key] == "ask" and all(statuses[o.key] == "accepted" for o in others)
    assert not found.reviewed  # waiting for the supervisor


def test_relabel_add_term_and_convention(project) -> None:
    s02 = project.index.find_session("S02")
    found = review.analyse_session(project, s02)
    torbjorn = next(o.entity_id for o in found.occurrences if o.text == "Torbjørn")
    review.relabel(project, torbjorn, "[Kollega]")
    review.add_term(project, "workplace", "Solsikken barnehage")
    give_transcript(project, "S03", ["Hun jobber i Solsikken barnehagen nå, sa Torbjørn."])
    other = review.analyse_session(project, project.index.find_session("S03"))
    labels = by_text(other)
    assert labels["Torbjørn"] == "Kollega" and labels["Solsikken barnehagen"] == "Arbeidsplass 1"
    review.set_convention(project, "generic")
    found = review.analyse_session(project, s02)
    assert by_text(found)["Eksempelby"] == "kommune" and by_text(found)["Eva Demo"] == "D6"
    with pytest.raises(InvalidInput):
        review.set_convention(project, "emoji")
    with pytest.raises(NotFound):
        review.decide(project, s02, ["person-99"], "accepted")
    with pytest.raises(InvalidInput):
        review.add_term(project, "pet", "Fido")


def test_the_anonymised_transcript_keeps_times_and_codes_and_drops_words_and_names(project) -> None:
    found = review.analyse_session(project, project.index.find_session("S02"))
    anonymised = found.anonymised()
    original = open_transcript(project, project.index.find_session("S02"))
    assert [(s.start, s.end, s.speaker) for s in anonymised.segments] == \
        [(s.start, s.end, s.speaker) for s in original.segments]
    assert anonymised.speakers == {} and all(not s.words for s in anonymised.segments)


def test_destroying_the_linkage_key_leaves_anonymous_transcripts(project, reopen) -> None:
    from interviewkit.anonymise.key_destruction import destroy_linkage_key
    from interviewkit.transcript.store import list_revisions
    from tests.conftest import scan_for

    s02 = project.index.find_session("S02")
    found = review.analyse_session(project, s02)
    with pytest.raises(InvalidInput, match="not reviewed"):
        destroy_linkage_key(project)
    review.decide(project, s02, sorted({o.entity_id for o in found.occurrences}), "accepted")
    report = destroy_linkage_key(project)
    assert report.participants >= 1 and report.transcripts == 1 and report.audio_remaining > 0
    again = reopen(project.root)
    text = open_transcript(again, again.index.find_session("S02")).text()
    assert "Torbjørn" not in text and "Eva" not in text and "[D6]" in text
    assert list_revisions(again, again.index.find_session("S02")) == []
    assert again.linkage().entries == {} and "Eva Demo" not in again.linkage().to_bytes().decode()
    assert [e.action for e in again.verify_audit()[0]][-1] == "linkage.destroy"
    with pytest.raises(InvalidInput, match="destroyed"):
        review.analyse_session(again, again.index.find_session("S02"))
    with pytest.raises(InvalidInput, match="already destroyed"):
        destroy_linkage_key(again)
    assert scan_for(project.root, "Torbjørn") == []  # and nothing in plaintext anywhere, as always
