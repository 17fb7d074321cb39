"""A generated archive of several projects, made once per test session and copied per test:

    archive/
      2025/alpha/      ended 2025-06-30 (due: audio and linkage key to delete), audio + transcript
      2026/beta/       ends 2027-12-31 (nothing due), a withdrawn participant, sessions
      2026/gamma/      ended 2026-01-31, a file damaged afterwards (a flipped byte in audio)
      foreign/delta/   encrypted to someone else only (the steward is no recipient)

The steward's age key (``steward_key``) is a recipient (scope ``all``) of alpha, beta and gamma.
Every project's own key sits in ``keys/<name>.txt`` beside the archive (fast opening, no scrypt).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from interviewkit import consent, recipients, sessions
from interviewkit.audio.store import TakeWriter
from interviewkit.project import Credentials, Project
from interviewkit.study import Approval, DeletionPolicy, StudyInfo
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import save_transcript

PASSPHRASE = "archive-test-passphrase"


@dataclass
class Archive:
    root: Path          # the archive folder
    keys: Path          # folder with each project's own key (<name>.txt) and the steward's
    steward_key: Path   # the steward's age identity file
    steward_recipient: str

    def project_path(self, name: str) -> Path:
        return next(p for p in self.root.rglob(name) if (p / "interviewkit-project.json").exists())

    def open(self, name: str) -> Project:
        return Project.open(self.project_path(name), Credentials(identity_files=[self.keys / f"{name}.txt"]))

    @property
    def steward(self) -> Credentials:
        return Credentials(identity_files=[self.steward_key])


def _age_keygen(path: Path) -> str:
    made = subprocess.run(["age-keygen", "-o", str(path)], capture_output=True, text=True, check=True)
    return made.stderr.split("Public key:")[1].strip()


def _project(root: Path, keys: Path, name: str, study: StudyInfo) -> Project:
    project = Project.init(root, study, PASSPHRASE)
    (keys / f"{name}.txt").write_text(f"{project.keyring.project_identity}\n")
    return Project.open(root, Credentials(identity_files=[keys / f"{name}.txt"]))


def _content(project: Project, seconds: float = 3.0, withdraw: bool = False) -> None:
    sessions.add_session(project, "S01", kind="individual", date="2025-03-01")
    sessions.add_session(project, "G01", kind="group", date="2025-03-08")
    consent.add_participant(project, "I", "Ida Intervjuer", role="interviewer", consent_items=["all"],
                            sessions=["S01", "G01"])
    consent.add_participant(project, "D1", "Dina Deltaker", consent_items=["all"], sessions=["S01"],
                            contact="dina@example.org")
    consent.add_participant(project, "D2", "Dag Deltaker", consent_items=["participation", "audio"], sessions=["G01"])
    writer = TakeWriter.create(project, "S01", source="import")
    t = np.arange(int(seconds * 16000)) / 16000
    writer.append((np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2").tobytes())
    take = writer.close()
    session = project.index.find_session("S01")
    save_transcript(project, session, Transcript(
        [Segment("a1", take.id, 0.0, 1.5, "Hei, Dina Deltaker her, fra Eksempelby.", "D1"),
         Segment("a2", take.id, 1.5, 3.0, "Takk for at du stiller.", "I")], {}, "no"))
    group = project.index.find_session("G01")
    save_transcript(project, group, Transcript(
        [Segment("g1", take.id, 0.0, 1.0, "Velkommen.", "I"),
         Segment("g2", take.id, 1.0, 2.0, "Dag her. Jeg syns det er bra.", "D2")], {}, "no"))
    if withdraw:
        consent.withdraw_participant(project, "D2", date="2026-02-01")


@pytest.fixture(scope="session")
def archive_template(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    base = tmp_path_factory.mktemp("archive-template")
    root, keys = base / "archive", base / "keys"
    keys.mkdir()
    steward = _age_keygen(keys / "steward.txt")
    policy = DeletionPolicy(audio="delete-at-end", linkage_key="delete-at-end", transcripts="anonymise-at-end",
                            years_after_end=5)
    alpha = _project(root / "2025" / "alpha", keys, "alpha", StudyInfo(
        "Alpha: unge og tjenester", institution="NTNU", responsible="Ane Ansvarlig", end_date="2025-06-30",
        approvals=[Approval("sikt", "111111")], deletion=policy))
    _content(alpha)
    beta = _project(root / "2026" / "beta", keys, "beta", StudyInfo(
        "Beta: arbeidsliv", institution="Nord universitet", responsible="Bo Ansvarlig", end_date="2027-12-31",
        approvals=[Approval("sikt", "222222")], deletion=policy))
    _content(beta, withdraw=True)
    gamma = _project(root / "2026" / "gamma", keys, "gamma", StudyInfo(
        "Gamma: skole", institution="HINN", responsible="Gro Ansvarlig", end_date="2026-01-31", deletion=policy))
    _content(gamma)
    for project in (alpha, beta, gamma):
        recipients.add_recipient(project, steward, scope="all")
    _age_keygen(keys / "stranger.txt")
    delta = _project(root / "foreign" / "delta", keys, "delta", StudyInfo("Delta: someone else's", end_date="2024-12-31"))
    _content(delta)
    # damage one of gamma's audio files after the fact
    victim = sorted((root / "2026" / "gamma" / "sessions").rglob("*.age"))
    victim = next(p for p in victim if "audio" in p.parts)
    data = bytearray(victim.read_bytes())
    data[-20] ^= 0xFF  # in the payload's last chunk (the header's length varies: rage adds grease stanzas)
    victim.write_bytes(bytes(data))
    return Archive(root, keys, keys / "steward.txt", steward)


@pytest.fixture
def archive(archive_template: Archive, tmp_path: Path) -> Archive:
    """A private copy of the generated archive."""
    root, keys = tmp_path / "archive", tmp_path / "keys"
    shutil.copytree(archive_template.root, root)
    shutil.copytree(archive_template.keys, keys)
    return Archive(root, keys, keys / "steward.txt", archive_template.steward_recipient)
