"""Search, replace and speakers across every transcript of a project, in the core and on the CLI."""

from __future__ import annotations

import json

import pytest

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.sessions import add_session
from interviewkit.transcribe.result import Segment as RecognisedSegment
from interviewkit.transcribe.result import Transcription
from interviewkit.transcript.editing import TranscriptEditor
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.project_wide import (Match, rename_speaker_in_project, replace_in_project,
                                                  search_project, speakers_in_project, transcribed_sessions)
from interviewkit.transcript.store import list_revisions, open_transcript, save_transcript
from tests.conftest import assert_user_error, run_cli
from tests.transcript.helpers import words_for


def _transcription(texts: list[str]) -> Transcription:
    segments = []
    start = 0.0
    for text in texts:
        words = words_for(text, start)
        segments.append(RecognisedSegment(start, words[-1].end, " " + text, words))
        start = words[-1].end + 1.0
    return Transcription(segments, "en", start, "test", "test")


@pytest.fixture
def two_sessions(demo_project):
    """The demo's S02 with speakers I and D6 set, and S10 transcribed by hand (speaker D6 too)."""
    project = demo_project
    s02 = project.index.find_session("S02")
    transcript = open_transcript(project, s02)
    editor = TranscriptEditor(transcript)
    editor.set_speaker(list(range(len(transcript.segments))), "D6")
    editor.set_speaker([0, 1], "I")
    editor.rename_speaker("I", name="Interviewer")
    save_transcript(project, s02, transcript)
    s10 = add_session(project, "S10")
    other = Transcript.from_transcriptions([("take1", _transcription([
        "We met at the youth club on Mondays.",
        "The school nurse came by once a week.",
        "Nothing else happened at the youth club.",
    ]))])
    TranscriptEditor(other).set_speaker([1, 2], "D6")
    save_transcript(project, s10, other)
    return project


def _audit_details(project) -> list[tuple[str, str, dict]]:
    entries, problems = project.verify_audit()
    assert problems == []
    return [(e.action, e.target, e.details) for e in entries]


def test_transcribed_sessions_skip_the_untranscribed(two_sessions):
    ids = [session.id for session, _ in transcribed_sessions(two_sessions)]
    assert "S02" in ids and "S10" in ids
    assert len(ids) < len(two_sessions.index.sessions)  # the demo's other sessions are not transcribed


def test_search_finds_matches_in_both_sessions(two_sessions):
    matches = search_project(two_sessions, "youth club")
    assert {m.session_id for m in matches} == {"S02", "S10"}
    assert all(isinstance(m, Match) and m.length == len("youth club") for m in matches)
    transcripts = {s.id: t for s, t in transcribed_sessions(two_sessions)}
    for m in matches:
        text = transcripts[m.session_id].segments[m.index].text
        assert text[m.offset:m.offset + m.length].lower() == "youth club"
        assert "youth club" in m.context and "\n" not in m.context and len(m.context) <= 62
    assert [m.index for m in matches if m.session_id == "S10"] == [0, 2]
    assert search_project(two_sessions, "Youth Club", case_sensitive=True) == []
    regex = search_project(two_sessions, r"\bnurse\b", regex=True)
    assert {m.session_id for m in regex} == {"S02", "S10"}


def test_replace_counts_per_session_saves_revisions_and_logs_no_text(two_sessions, reopen):
    project = two_sessions
    counts = replace_in_project(project, "youth club", "fritidsklubb")
    s02, s10 = project.index.find_session("S02"), project.index.find_session("S10")
    assert counts["S10"] == 2 and counts["S02"] >= 1 and set(counts) == {"S02", "S10"}
    again = reopen(project.root)
    for session in (s02, s10):
        saved = open_transcript(again, session)
        assert "youth club" not in saved.text().lower() and "fritidsklubb" in saved.text()
        assert len(list_revisions(again, session)) == 1
    assert open_transcript(again, s02).speakers == {"I": "Interviewer"}  # the rest is untouched
    entries = [e for e in _audit_details(again) if e[0] == "transcript.replace"]
    assert entries == [("transcript.replace", f"project:{project.marker.project_id}",
                        {"sessions": 2, "replaced": sum(counts.values())})]
    logged = again.audit_entries()[0]
    raw = json.dumps([e.details for e in logged]) + "".join(e.target for e in logged)
    assert "youth" not in raw and "fritidsklubb" not in raw


def test_replace_with_regex_groups_and_nothing_to_replace(two_sessions):
    project = two_sessions
    before = len(project.audit_entries()[0])
    assert replace_in_project(project, "no such words anywhere", "x") == {}
    assert len(project.audit_entries()[0]) == before  # nothing changed: nothing logged, no revision
    assert list_revisions(project, project.index.find_session("S10")) == []
    counts = replace_in_project(project, r"(youth) (club)", r"\2 for \1", regex=True)
    assert counts["S10"] == 2
    assert "club for youth" in open_transcript(project, project.index.find_session("S10")).segments[0].text


def test_a_bad_replacement_changes_nothing_anywhere(two_sessions):
    project = two_sessions
    with pytest.raises(InvalidInput):
        replace_in_project(project, "(youth)", r"\9", regex=True)
    assert len(search_project(project, "youth club")) >= 3
    assert list_revisions(project, project.index.find_session("S02")) == []


def test_bad_regex_and_empty_pattern_are_invalid_input(two_sessions):
    with pytest.raises(InvalidInput) as caught:
        search_project(two_sessions, "(unclosed", regex=True)
    assert "not a valid regular expression" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(InvalidInput):
        replace_in_project(two_sessions, "[a-", "x", regex=True)
    with pytest.raises(InvalidInput):
        search_project(two_sessions, "")


def test_speakers_across_sessions(two_sessions):
    speakers = speakers_in_project(two_sessions)
    s02 = open_transcript(two_sessions, two_sessions.index.find_session("S02"))
    assert speakers["I"] == ("Interviewer", 2)
    assert speakers["D6"] == (None, (len(s02.segments) - 2) + 2)  # S02 less the interviewer's two, S10's two


def test_rename_speaker_across_sessions(two_sessions, reopen):
    project = two_sessions
    total_d6 = speakers_in_project(project)["D6"][1]
    counts = rename_speaker_in_project(project, "D6", new_code="P1", name="Participant")
    assert counts["S10"] == 2 and sum(counts.values()) == total_d6
    again = reopen(project.root)
    speakers = speakers_in_project(again)
    assert "D6" not in speakers and speakers["P1"] == ("Participant", total_d6)
    for session_id in ("S02", "S10"):
        session = again.index.find_session(session_id)
        assert open_transcript(again, session).speakers.get("P1") == "Participant"
        assert len(list_revisions(again, session)) == 1
    entries = [e for e in _audit_details(again) if e[0] == "transcript.rename-speaker"]
    assert len(entries) == 1
    details = entries[0][2]
    assert details["code"] == "D6" and details["new_code"] == "P1" and details["segments"] == total_d6
    assert "Participant" not in json.dumps(details)


def test_renaming_only_the_name_touches_only_sessions_with_the_speaker(two_sessions):
    project = two_sessions
    counts = rename_speaker_in_project(project, "I", name="Researcher")
    assert counts == {"S02": 0}
    assert "I" not in open_transcript(project, project.index.find_session("S10")).speakers
    assert speakers_in_project(project)["I"] == ("Researcher", 2)


def test_unknown_speaker_and_bad_arguments(two_sessions):
    with pytest.raises(NotFound) as caught:
        rename_speaker_in_project(two_sessions, "X9", new_code="X1")
    assert "no segment has this speaker" in str(caught.value)
    assert "interviewkit transcript speakers PROJECT" in str(caught.value)
    with pytest.raises(InvalidInput):
        rename_speaker_in_project(two_sessions, "D6")
    with pytest.raises(InvalidInput):
        rename_speaker_in_project(two_sessions, "D6", new_code="two words")


# -- the command line --------------------------------------------------------------------

@pytest.fixture
def cli(two_sessions, demo_key, cli_env):
    root = str(two_sessions.root)
    key = ["--identity", str(demo_key)]
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}  # the demo's key opens it
    return lambda *args, check=True: run_cli(["transcript", args[0], root, *args[1:], *key], env, check=check)


def test_cli_search_and_show(cli):
    out = cli("search", "youth club").stdout.splitlines()
    assert out[0].split() == ["SESSION", "TIME", "CONTEXT"]
    rows = [line.split(maxsplit=2) for line in out[1:]]
    assert {"S02", "S10"} <= {r[0] for r in rows}
    assert ["S10", "00:00:00", "We met at the youth club on Mondays."] in rows
    assert all(len(r[1]) == 8 and r[1].count(":") == 2 for r in rows)
    shown = cli("show", "S10").stdout
    assert "We met at the youth club on Mondays." in shown and "D6: The school nurse came by once a week." in shown
    data = json.loads(cli("show", "S10", "--format", "json").stdout)
    assert data["format"] == "interviewkit-transcript" and len(data["segments"]) == 3


def test_cli_speakers_replace_and_rename(cli, two_sessions):
    table = cli("speakers").stdout.splitlines()
    assert table[0].split() == ["CODE", "NAME", "SEGMENTS"]
    assert ["I", "Interviewer", "2"] in [line.split() for line in table]
    replaced = cli("replace", "youth club", "fritidsklubb", "--yes").stdout
    assert "S10: 2 replaced" in replaced and "revisions" in replaced
    renamed = cli("rename-speaker", "D6", "--to", "P1").stdout
    assert "S10: 2 segment(s)" in renamed
    assert "P1" in [line.split()[0] for line in cli("speakers").stdout.splitlines()[1:]]


def test_cli_user_errors_are_one_line(cli):
    assert_user_error(cli("search", "(unclosed", "--regex", check=False), "not a valid regular expression")
    assert_user_error(cli("replace", "[a-", "x", "--regex", "--yes", check=False), "not a valid regular expression")
    assert_user_error(cli("rename-speaker", "X9", "--to", "X1", check=False), "X9", "no segment has this speaker")
    assert_user_error(cli("show", "S01", check=False), "S01", "not been transcribed")
