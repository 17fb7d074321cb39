"""Withdrawal erases a participant's data everywhere it exists, and the report says so without
naming them.  Demo project: G01 is a group session (I, D2, D3, D4; D5 withdrew), S02 is D6's own
interview (imported audio with its machine transcription)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewkit import consent
from interviewkit.anonymise.review import analyse_session
from interviewkit.archive import erasure
from interviewkit.archive.erasure import GAP, MENTION, erasure_report, exports_to_replace
from interviewkit.audio.store import TakeWriter, list_takes
from interviewkit.errors import InvalidInput
from interviewkit.export.selection import build_export, log_export
from interviewkit.project import Credentials, Project
from interviewkit.transcribe.result import Segment as MachineSegment
from interviewkit.transcribe.result import Transcription, Word
from interviewkit.transcribe.store import save_transcription
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import REVISIONS_DIR, open_transcript, save_transcript
from interviewkit.vault.cipher import read_encrypted
from tests.conftest import run_cli

MARKER = "Fiskebollefabrikken"  # a word only D2 says
NAME = "Ola Demo"               # D2's name in the demo's linkage key


def _group_with_turns(project: Project) -> str:
    """G01 gets audio, a transcript with D2's turns (two revisions) and a machine transcription."""
    group = project.index.find_session("G01")
    writer = TakeWriter.create(project, group, source="microphone")
    t = np.arange(16000 * 4) / 16000
    writer.append((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())
    take = writer.close().id
    segments = [Segment("s1", take, 0.0, 1.0, "Velkommen alle sammen.", "I"),
                Segment("s2", take, 1.0, 2.0, f"Jeg heter {NAME} og jobber på {MARKER}.", "D2",
                        [Word(1.0, 1.2, " Jeg", 0.9), Word(1.6, 2.0, f" {MARKER}.", 0.9)]),
                Segment("s3", take, 2.0, 3.0, "Jeg er enig med Ola, ungdomsklubben er viktig.", "D3"),
                Segment("s4", take, 3.0, 4.0, "Ventetiden er for lang.", "D4")]
    transcript = Transcript(segments, {"D2": NAME, "I": "Intervjuer"}, "no")
    save_transcript(project, group, transcript, revision=True)
    segments[3].text = "Ventetiden er altfor lang."
    save_transcript(project, group, transcript, revision=True)
    save_transcription(project, group, take, Transcription(
        [MachineSegment(1.0, 2.0, f" jeg heter {NAME} og jobber på {MARKER}", [Word(1.0, 2.0, f" {MARKER}", 0.8)])],
        "no", 4.0, "faster-whisper", "large-v3"))
    return take


def _export(project: Project, sessions: list[str], fmt: str) -> None:
    log_export(project, build_export(project, sessions=sessions, unreviewed_ok=True), fmt, encrypted=False)


def _plaintexts(project: Project, folder: Path) -> list[bytes]:
    return [read_encrypted(p, project.keyring.identities) for p in sorted(folder.rglob("*.age"))]


@pytest.fixture
def withdrawn_d2(demo_project: Project) -> Project:
    """D2 withdraws after their group session was transcribed, analysed and exported."""
    take = _group_with_turns(demo_project)
    found = analyse_session(demo_project, demo_project.index.find_session("G01"))
    assert any(e.code == "D2" for e in found.map.entities.values())  # the map knew D2 by name
    _export(demo_project, ["G01", "S02"], "docx")
    _export(demo_project, ["S02"], "txt")        # not D2's: nothing to replace
    consent.withdraw_participant(demo_project, "D2", date="2026-12-01")
    demo_project.take = take  # type: ignore[attr-defined]
    return demo_project


def test_group_turns_become_gaps_and_every_copy_of_the_words_goes(withdrawn_d2, reopen):
    project = reopen(withdrawn_d2.root)
    group = project.index.find_session("G01")
    transcript = open_transcript(project, group)
    by_id = {s.id: s for s in transcript.segments}
    assert by_id["s2"].text == GAP["no"] and by_id["s2"].words == []
    assert (by_id["s2"].speaker, by_id["s2"].start, by_id["s2"].end) == ("D2", 1.0, 2.0)
    assert by_id["s1"].text == "Velkommen alle sammen."
    assert by_id["s4"].text == "Ventetiden er altfor lang."
    assert by_id["s3"].text == f"Jeg er enig med {MENTION['no']}, ungdomsklubben er viktig."
    assert "D2" not in transcript.speakers and transcript.speakers["I"] == "Intervjuer"
    assert not project.session_path(group, REVISIONS_DIR).exists()
    files = _plaintexts(project, project.root / "sessions" / group.key)
    assert files  # the transcript and the audio are still there
    for plaintext in files:
        assert MARKER.encode() not in plaintext and b"Ola" not in plaintext
    assert [t.id for t in list_takes(project, group)] == [withdrawn_d2.take]  # the others' recording stays


def test_pseudonym_entities_go_and_the_audit_log_stays_clean(withdrawn_d2, reopen):
    project = reopen(withdrawn_d2.root)
    linkage = project.linkage()
    entities = linkage.anonymisation["map"]["entities"].values()
    assert entities and not any(e["code"] == "D2" for e in entities)
    assert "ola" not in json.dumps(linkage.anonymisation).lower()
    entries, problems = project.verify_audit()
    assert problems == []
    last = entries[-1]
    assert last.action == "participant.withdraw"
    assert {"transcript-turns", "name-mentions", "speaker-name", "transcript-revisions", "machine-transcriptions",
            "pseudonym-map"} <= set(last.details["erased"])
    assert "audio" not in last.details["erased"]  # a group recording is not theirs alone
    assert NAME not in str(entries) and MARKER not in str(entries)


def test_report_names_the_export_to_replace_and_no_personal_data(withdrawn_d2, reopen):
    project = reopen(withdrawn_d2.root)
    participant = project.index.find_participant("D2")
    exports = exports_to_replace(project, participant)
    assert [(x.format, x.sessions) for x in exports] == [("docx", ("G01", "S02"))]
    _export(project, ["G01"], "qdpx")  # made after the withdrawal: it already leaves D2 out
    assert len(exports_to_replace(project, participant)) == 1
    report = erasure_report(project, "D2")
    assert "docx" in report and "G01" in report and str(exports[0].seq) in report
    assert "txt" not in report and "qdpx" not in report
    assert "2026-12-01" in report and "1 av dine ytringer" in report
    assert "gruppesamtalen er beholdt" in report
    for secret in (NAME, "Ola", MARKER, "ungdomsklubben", "example.org"):
        assert secret not in report


def test_individual_interview_loses_audio_transcript_and_transcriptions(demo_project, reopen):
    session = demo_project.index.find_session("S02")
    assert list_takes(demo_project, session) and open_transcript(demo_project, session).segments
    _export(demo_project, ["S02"], "txt")
    consent.withdraw_participant(demo_project, "D6")
    project = reopen(demo_project.root)
    folder = project.root / "sessions" / session.key
    assert list_takes(project, session) == []
    assert not any(folder.rglob("*.age")), sorted(folder.rglob("*"))
    erased = project.audit_entries()[0][-1].details["erased"]
    assert erased[:2] == ["linkage-entry", "consent-record"] and "audio" in erased
    assert "machine-transcriptions" in erased
    assert project.verify_audit()[1] == []
    report = erasure_report(project, "D6")
    assert "S02" in report and "1 opptak" in report and "txt" in report
    assert "Eva" not in report


def test_english_project_and_reports_for_people_still_in(demo_project, reopen):
    with demo_project.writing():
        demo_project.index.study.language = "en"
    _group_with_turns(demo_project)
    consent.withdraw_participant(demo_project, "D2")
    project = reopen(demo_project.root)
    assert open_transcript(project, project.index.find_session("G01")).segments[1].text == GAP["en"]
    report = erasure_report(project, "D2")
    assert "## What was erased" in report and "None: no earlier export" in report
    with pytest.raises(InvalidInput, match="not withdrawn"):
        erasure_report(project, "D3")


def test_erasers_are_active_in_a_fresh_process(demo_root, demo_key, cli_env):
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}  # the demo key unlocks it
    run_cli(["participant", "withdraw", str(demo_root), "D6", "--yes", "--identity", str(demo_key)], env)
    project = Project.open(demo_root, Credentials(identity_files=[demo_key]))
    assert "audio" in project.audit_entries()[0][-1].details["erased"]
    assert erasure.erase_withdrawn in Project.withdrawal_erasers
