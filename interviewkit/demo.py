"""A throw-away demo project that shows everything the product can do so far."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from interviewkit import consent, sessions
from interviewkit.project import Project, new_project_folder
from interviewkit.study import Approval, DeletionPolicy, StudyInfo

DEMO_PASSPHRASE = "interviewkit-demo"


def create_demo(root: Path, interview: bool = True) -> Project:
    """The demo study; ``interview=False`` leaves every session without an interview run.

    ``root`` must be new or empty; if making the demo fails, nothing is left behind."""
    with new_project_folder(root) as folder:
        return _fill_demo(folder, interview)


def _fill_demo(root: Path, interview: bool) -> Project:
    study = StudyInfo(
        title="Tjenester for unge i kommunen (demo)",
        institution="Demo University, Department of Social Sciences",
        responsible="Demo Supervisor",
        legal_basis="consent",
        end_date="2027-06-30",
        approvals=[Approval("sikt", "123456", "2026-09-01"), Approval("sikt", "123456-A1", "2026-10-15", "amendment")],
        access=["student researcher", "supervisor"],
        deletion=DeletionPolicy(audio="delete-at-end", linkage_key="delete-at-end", transcripts="anonymise-at-end"),
        language="nb",
        placeholders={"municipality": "Eksempelby"},
    )
    project = Project.init(root, study, DEMO_PASSPHRASE)
    sessions.add_session(project, "S01", kind="individual", date="2026-11-02")
    sessions.add_session(project, "G01", kind="group", date="2026-11-09")
    consent.add_participant(project, "I", "Demo Interviewer", role="interviewer", consent_items=["all"],
                            sessions=["S01", "G01"], obtained_by="-")
    consent.add_participant(project, "D1", "Kari Demo", consent_items=["participation", "audio", "quotes"],
                            contact="kari@example.org", sessions=["S01"], form_version="v2", mode="written",
                            date="2026-11-02", obtained_by="I")
    for code, name, items in [("D2", "Ola Demo", ["all"]),
                              ("D3", "Siri Demo", ["participation", "audio"]),
                              ("D4", "Per Demo", ["participation", "audio", "quotes", "archiving"])]:
        consent.add_participant(project, code, name, consent_items=items, sessions=["G01"], form_version="v2",
                                mode="oral", date="2026-11-09", obtained_by="I")
    consent.add_participant(project, "D5", "Nils Demo", consent_items=["participation"], sessions=["G01"],
                            form_version="v2", mode="written", date="2026-11-09", obtained_by="I")
    consent.withdraw_participant(project, "D5", date="2026-11-12")
    _audio_and_transcript(project)
    if interview:
        _interview_in_progress(project)
    return project


def _audio_and_transcript(project: Project) -> None:
    """S02: an English interview (synthetic voices, shipped in samples/) with its transcription,
    made once with the embedded model (``samples/make_samples.py``)."""
    from interviewkit.audio.importer import import_file
    from interviewkit.samples import sample_path
    from interviewkit.transcribe.result import Transcription
    from interviewkit.transcribe.store import save_transcription

    sessions.add_session(project, "S02", kind="individual", date="2026-11-05")
    consent.add_participant(project, "D6", "Eva Demo", consent_items=["all"], sessions=["S02"], form_version="v2",
                            mode="digital", date="2026-11-05", obtained_by="I")
    english = import_file(project, "S02", sample_path("interview-en.ogg"))
    transcription = Transcription.from_bytes(sample_path("interview-en.transcription.json").read_bytes())
    save_transcription(project, project.index.find_session("S02"), english.take.id, transcription)


def _interview_in_progress(project: Project) -> None:
    """Session S01 ran the shipped demo guide for nine minutes: some asked, one skipped, notes."""
    from interviewkit.guides.shipped import shipped_guide
    from interviewkit.interview import ManualClock, new_run, record_start, resolve_guide, save_run

    clock = ManualClock(start=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.timezone.utc))
    session = project.index.find_session("S01")
    loaded = resolve_guide(shipped_guide("demo"))  # the shipped file, never a "demo" in the current folder
    run = new_run(project, session, loaded.guide, record=loaded.record, clock=clock)
    run.start()
    record_start(project, session, run)
    for minutes, state in [(2.5, "asked"), (1.0, "skipped"), (4.0, "asked")]:
        clock.advance(minutes * 60)
        run.mark_and_advance(state)
    run.add_note("D1 lener seg fram og blir engasjert når fritidsklubben nevnes", kind="body-language")
    clock.advance(90)
    run.add_note("Kom tilbake til ventetiden hos helsesykepleier", kind="note")
    run.pause()
    save_run(project, session, run)
