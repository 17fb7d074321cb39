from __future__ import annotations

import pytest

from interviewkit.errors import NotFound, VaultCorrupt
from interviewkit.project import Project
from interviewkit.transcribe.store import load_transcription
from interviewkit.transcript import store
from interviewkit.transcript.editing import Position, TranscriptEditor
from interviewkit.transcript.store import (
    REVISIONS_DIR,
    TRANSCRIPT_FILE,
    list_revisions,
    load_revision,
    open_transcript,
    save_transcript,
)
from tests.conftest import scan_for


def s02(project: Project):
    return project.index.find_session("S02")


def test_open_builds_from_the_transcription(demo_project: Project) -> None:
    session = s02(demo_project)
    transcript = open_transcript(demo_project, session)
    from interviewkit.audio.store import list_takes
    (take,) = list_takes(demo_project, session)
    machine = load_transcription(demo_project, session, take.id)
    assert len(transcript.segments) == len(machine.segments) > 10
    assert transcript.language == "en"
    assert {s.take for s in transcript.segments} == {take.id}
    assert transcript.segments[0].text == machine.segments[0].text.strip()
    assert transcript.segments[0].words == machine.segments[0].words
    assert "youth club" in transcript.text()
    assert transcript.checked_fraction == 0.0
    assert not demo_project.session_path(session, TRANSCRIPT_FILE).exists()  # opening writes nothing


def test_save_and_reopen(demo_project: Project, reopen) -> None:
    session = s02(demo_project)
    editor = TranscriptEditor(open_transcript(demo_project, session))
    editor.set_speaker([0], "I")
    editor.rename_speaker("I", name="Intervjuer")
    editor.split(Position(1, editor.transcript.segments[1].text.index(" ") + 1))
    editor.set_checked(0)
    save_transcript(demo_project, session, editor.transcript)
    again = open_transcript(reopen(demo_project.root), s02(demo_project))
    assert again == editor.transcript
    assert again.speakers == {"I": "Intervjuer"} and again.segments[0].checked
    assert list_revisions(demo_project, session) == []


def test_nothing_in_plaintext(demo_project: Project) -> None:
    session = s02(demo_project)
    transcript = open_transcript(demo_project, session)
    save_transcript(demo_project, session, transcript, revision=True)
    assert demo_project.session_path(session, TRANSCRIPT_FILE).exists()
    assert scan_for(demo_project.root, "youth club") == []


def test_revisions_kept_newest_first_and_pruned(demo_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_REVISIONS", 3)
    session = s02(demo_project)
    editor = TranscriptEditor(open_transcript(demo_project, session))
    texts = []
    for i in range(5):
        editor.set_text(0, f"Version {i}.")
        texts.append(f"Version {i}.")
        save_transcript(demo_project, session, editor.transcript, revision=True)
    revisions = list_revisions(demo_project, session)
    assert len(revisions) == 3
    assert [r.name for r in revisions] == sorted((r.name for r in revisions), reverse=True)
    assert len(list(demo_project.session_path(session, REVISIONS_DIR).iterdir())) == 3
    assert [load_revision(demo_project, session, r.name).segments[0].text for r in revisions] == \
        ["Version 4.", "Version 3.", "Version 2."]
    assert all(r.saved.startswith("20") and "T" in r.saved for r in revisions)
    assert open_transcript(demo_project, session).segments[0].text == "Version 4."
    with pytest.raises(NotFound):
        load_revision(demo_project, session, "20000101T000000.000000Z")
    with pytest.raises(NotFound):
        load_revision(demo_project, session, "../transcript")


def test_corrupt_transcript(demo_project: Project) -> None:
    session = s02(demo_project)
    demo_project.save_session_file(session, TRANSCRIPT_FILE, b"{not json at all")
    with pytest.raises(VaultCorrupt) as raised:
        open_transcript(demo_project, session)
    line = str(raised.value)
    assert "\n" not in line and TRANSCRIPT_FILE in line
    demo_project.save_session_file(session, TRANSCRIPT_FILE, b'{"format": "interviewkit-transcript", "segments": [{}]}')
    with pytest.raises(VaultCorrupt) as raised:
        open_transcript(demo_project, session)
    assert "\n" not in str(raised.value)


def test_corrupt_revision(demo_project: Project) -> None:
    session = s02(demo_project)
    name = "20260101T000000.000000Z"
    demo_project.save_session_file(session, f"{REVISIONS_DIR}/{name}.age", b"[]")
    assert [r.name for r in list_revisions(demo_project, session)] == [name]
    with pytest.raises(VaultCorrupt) as raised:
        load_revision(demo_project, session, name)
    assert name in str(raised.value) and "\n" not in str(raised.value)


def test_session_without_transcription(demo_project: Project) -> None:
    session = demo_project.index.find_session("S01")
    with pytest.raises(NotFound) as raised:
        open_transcript(demo_project, session)
    assert "S01" in str(raised.value) and "transcribe" in str(raised.value)
    assert list_revisions(demo_project, session) == []
