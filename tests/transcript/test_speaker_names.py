"""Speaker display names are names of people: they live in the linkage key, never in the
data-scope files (``transcript.age`` and its revisions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyrage import x25519

from interviewkit import recipients
from interviewkit.errors import IdentityError
from interviewkit.project import Credentials, Project
from interviewkit.transcript.editing import TranscriptEditor
from interviewkit.transcript.project_wide import rename_speaker_in_project, speakers_in_project
from interviewkit.transcript.store import (
    REVISIONS_DIR,
    TRANSCRIPT_FILE,
    list_revisions,
    load_revision,
    open_transcript,
    save_transcript,
)
from interviewkit.vault.cipher import read_encrypted

NAME = "Kari Nordmann"


def with_transcriber(project: Project, folder: Path) -> Project:
    """The project as a data-scope recipient (a transcriber) opens it."""
    transcriber = x25519.Identity.generate()
    recipients.add_recipient(project, str(transcriber.to_public()), scope="data")
    key = folder / "transcriber.txt"
    key.write_text(f"{transcriber}\n")
    return Project.open(project.root, Credentials(identity_files=[key]))


def data_scope_plaintexts(project: Project, transcriber: Project, session) -> list[bytes]:
    """transcript.age and every revision, decrypted with the transcriber's (data-scope) key."""
    paths = [project.session_path(session, TRANSCRIPT_FILE),
             *sorted(project.session_path(session, REVISIONS_DIR).glob("*.age"))]
    return [read_encrypted(path, transcriber.keyring.identities) for path in paths]


def test_a_renamed_speaker_is_named_only_in_the_linkage_key(demo_project: Project, tmp_path: Path, reopen) -> None:
    transcriber = with_transcriber(demo_project, tmp_path)
    session = demo_project.index.find_session("S02")
    editor = TranscriptEditor(open_transcript(demo_project, session))
    editor.set_speaker([0, 1], "D6")
    save_transcript(demo_project, session, editor.transcript, revision=True)
    assert rename_speaker_in_project(demo_project, "D6", name=NAME) == {"S02": 0}

    plaintexts = data_scope_plaintexts(demo_project, transcriber, session)
    assert len(plaintexts) == 3 and all(b"Kari" not in p for p in plaintexts)
    assert all(json.loads(p)["speakers"] == {} for p in plaintexts)
    owner = reopen(demo_project.root)
    assert owner.linkage().speakers == {session.key: {"D6": NAME}}
    shown = open_transcript(owner, owner.index.find_session("S02"))
    assert shown.speakers == {"D6": NAME} and shown.speaker_name("D6") == NAME
    assert speakers_in_project(owner)["D6"] == (NAME, 2)
    newest = list_revisions(owner, session)[0].name
    assert load_revision(owner, session, newest).speakers == {"D6": NAME}  # a revision shows the names too

    seen = open_transcript(transcriber, transcriber.index.find_session("S02"))
    assert seen.speakers == {} and seen.speaker_name("D6") == "D6"  # the transcriber sees the code
    seen.speakers["D6"] = "Someone"  # (a data-scope key cannot write at all; this is refused first)
    with pytest.raises(IdentityError) as refused:
        save_transcript(transcriber, session, seen)
    assert refused.value.code == "transcript.names_need_linkage"


def test_names_in_an_old_transcript_move_on_the_next_save(demo_project: Project, tmp_path: Path, reopen) -> None:
    transcriber = with_transcriber(demo_project, tmp_path)
    session = demo_project.index.find_session("S02")
    old = json.loads(open_transcript(demo_project, session).to_bytes())
    old["speakers"] = {"D6": NAME}
    del old["revision"]
    demo_project.save_session_file(session, TRANSCRIPT_FILE, json.dumps(old).encode())  # as written before
    assert open_transcript(transcriber, session).speakers == {"D6": NAME}  # the old file holds it
    transcript = open_transcript(demo_project, session)
    assert transcript.speakers == {"D6": NAME}
    save_transcript(demo_project, session, transcript)
    assert all(b"Kari" not in p for p in data_scope_plaintexts(demo_project, transcriber, session))
    owner = reopen(demo_project.root)
    assert owner.linkage().speakers[session.key] == {"D6": NAME}
    assert open_transcript(owner, session).speakers == {"D6": NAME}
    entries, problems = owner.verify_audit()
    assert problems == [] and entries[-1].action == "transcript.speaker-names"
    assert "Kari" not in json.dumps([e.details for e in entries])


def test_removing_a_name_removes_it_from_the_linkage_key(demo_project: Project) -> None:
    session = demo_project.index.find_session("S02")
    transcript = open_transcript(demo_project, session)
    transcript.speakers = {"I": NAME}
    save_transcript(demo_project, session, transcript)
    assert demo_project.linkage().speakers == {session.key: {"I": NAME}}
    transcript.speakers = {}
    save_transcript(demo_project, session, transcript)
    assert demo_project.linkage().speakers == {}
    assert open_transcript(demo_project, session).speakers == {}
