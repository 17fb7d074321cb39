"""The processing record: derived from the index and the audit log, in the project's language,
with fixed section headings, and no participant named anywhere."""

from __future__ import annotations

import datetime as dt

from pyrage import x25519

from interviewkit import consent, recipients
from interviewkit.archive.report import HEADINGS, SECTIONS, processing_record
from interviewkit.audio.store import delete_take, list_takes
from interviewkit.export.selection import build_export, log_export
from interviewkit.project import Project

TODAY = dt.date(2026, 12, 1)
# Everything the demo's linkage key and study hold that names or reaches a person or a place.
SECRETS = ("Kari Demo", "Ola Demo", "Siri Demo", "Per Demo", "Nils Demo", "Eva Demo", "Demo Interviewer",
           "kari@example.org", "Eksempelby")


def _sections(record: str, lang: str) -> list[str]:
    """The record cut at its headings, in the fixed order (fails if one is missing)."""
    positions = [record.index(HEADINGS[lang][key] + "\n") for key in SECTIONS]
    assert positions == sorted(positions)
    ends = positions[1:] + [len(record)]
    return [record[start:end] for start, end in zip(positions, ends, strict=True)]


def _busy(project: Project) -> str:
    """A key added and one removed, an export, a withdrawal and a deleted take: all in the log."""
    stays = str(x25519.Identity.generate().to_public())
    goes = str(x25519.Identity.generate().to_public())
    recipients.add_recipient(project, stays, scope="linkage")
    recipients.add_recipient(project, goes, scope="data")
    recipients.remove_recipient(project, goes)
    log_export(project, build_export(project, sessions=["S02"], unreviewed_ok=True), "qdpx", encrypted=True)
    consent.withdraw_participant(project, "D3", date="2026-11-20")
    session = project.index.find_session("S02")
    delete_take(project, session, list_takes(project, session)[0].id)
    return stays


def test_record_holds_the_facts_from_index_and_log(demo_project, reopen):
    key = _busy(demo_project)
    record = processing_record(reopen(demo_project.root), TODAY)
    study, recording, storage, access, transcription, anonymisation, exports, withdrawals, deletions = \
        _sections(record, "no")
    assert "SIKT 123456 (2026-09-01)" in study and "Demo University" in study and "2027-06-30" in study
    assert "samtykke" in study and "slettes ved slutt" in study
    assert "1 opptak importert" in recording and "mikrofon" not in recording
    assert "X25519" in storage and "scrypt" in storage and "klartekst" in storage
    assert demo_project.marker.audit_public_key in storage
    assert f"| `{key}` | linkage |" in access and demo_project.index.project_recipient in access
    assert "lagt til (omfang linkage)" in access and "fjernet" in access
    assert "| faster-whisper | base | en | 1 |" in transcription
    assert "Koblingsnøkkelen er ikke slettet" in anonymisation
    assert "| qdpx | analyse | S02 | nei | ja |" in exports
    assert "trukket seg: 2 (2026-11-12, 2026-11-20)" in withdrawals
    assert "Lyd slettet: 1 opptak" in deletions
    assert "kjede og signaturer kontrollert" in record
    for secret in SECRETS:
        assert secret not in record, secret


def test_record_follows_the_log_not_memory(demo_project, reopen):
    """A transcription entry added through the normal path shows up; nothing else invents one."""
    from interviewkit.transcribe.result import Segment, Transcription
    from interviewkit.transcribe.store import save_transcription

    before = processing_record(demo_project, TODAY)
    assert "whisper.cpp" not in before
    save_transcription(demo_project, demo_project.index.find_session("G01"), "0123456789ab",
                       Transcription([Segment(0.0, 1.0, " hei")], "no", 7200.0, "whisper.cpp", "large-v3"))
    after = _sections(processing_record(reopen(demo_project.root), TODAY), "no")[4]
    assert "| whisper.cpp | large-v3 | no | 1 | 2.00 |" in after


def test_english_record_and_planned_deletions(demo_project):
    with demo_project.writing():
        demo_project.index.study.language = "en"
    record = processing_record(demo_project, TODAY)
    sections = _sections(record, "en")
    assert record.startswith("# Processing record: ")
    assert "consent (GDPR art. 6(1)(a))" in sections[0]
    assert "### Done" in sections[8] and "planned for 2027-06-30" in sections[8]
    assert "Participants who withdrew: 1 (2026-11-12)" in sections[7]
    for secret in SECRETS:
        assert secret not in record


def test_archive_project_record(archive):
    """A steward's project from the generated archive: its withdrawal and deletion plan are there."""
    project = archive.open("beta")
    record = processing_record(project, TODAY)
    sections = _sections(record, "no")
    assert "SIKT 222222" in sections[0] and "Nord universitet" in sections[0]
    assert "trukket seg: 1 (2026-02-01)" in sections[7]
    assert "planned for 2027-12-31" in sections[8]
    for secret in ("Dina Deltaker", "Dag Deltaker", "Ida Intervjuer", "dina@example.org"):
        assert secret not in record
