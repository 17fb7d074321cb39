"""A throw-away demo project that shows everything the product can do so far."""

from __future__ import annotations

from pathlib import Path

from interviewkit import consent, sessions
from interviewkit.project import Project
from interviewkit.study import Approval, DeletionPolicy, StudyInfo

DEMO_PASSPHRASE = "interviewkit-demo"


def create_demo(root: Path) -> Project:
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
    return project
