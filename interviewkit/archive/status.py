"""One row per project of an archive: what it is, who can read it, and what still exists.

Everything here is read with the steward's own key and only from metadata: the project index,
the take indexes (for audio hours), the presence of transcript files and the linkage key (for
whether names are still held).  No transcript or audio is decrypted.  A project that cannot be
opened is a row with its ``problem``; a part that cannot be read (a damaged take index) becomes
a warning on the row.  Nothing here raises for a single project's trouble.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from interviewkit.archive.discovery import ArchiveProject, open_archive
from interviewkit.audio.store import list_takes
from interviewkit.errors import IdentityError, InterviewkitError
from interviewkit.project import Credentials, Project
from interviewkit.recipients import list_recipients
from interviewkit.transcript.store import TRANSCRIPT_FILE

CONSENT_STATES = ("consented", "partial", "none", "withdrawn")
NO_ACTION = "—"


def one_line(text: str) -> str:
    """Any message as one line (a table cell, a warning)."""
    return " ".join(str(text).split())


def short_key(key: str, head: int = 10, tail: int = 6) -> str:
    """``age1qyq…x3k9zq``: enough of an age key to tell keys apart in a table."""
    return key if len(key) <= head + tail + 1 else f"{key[:head]}…{key[-tail:]}"


@dataclass
class RecipientStatus:
    key: str            # the full age public key
    short: str          # the shortened form shown in tables
    data: bool          # can read the data files
    linkage: bool       # can read the linkage key (names)
    project_key: bool   # the project's own key
    yours: bool         # one of the keys this status was read with


@dataclass
class ProjectStatus:
    """The steward's view of one project.  ``problem`` set means only ``path`` and ``name`` are known."""

    path: Path
    name: str
    problem: str = ""
    title: str = ""
    responsible: str = ""
    institution: str = ""
    approvals: list[str] = field(default_factory=list)  # "sikt 111111", …
    end_date: str | None = None
    sessions: int = 0
    consent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONSENT_STATES, 0))
    recipients: list[RecipientStatus] = field(default_factory=list)
    steward_is_recipient: bool = False
    audio_hours: float = 0.0
    takes: int = 0
    transcripts: int = 0
    linkage_holds_names: bool | None = None  # None: the linkage key is not readable with this key
    next_action: str = NO_ACTION
    warnings: list[str] = field(default_factory=list)  # one line each

    @property
    def opened(self) -> bool:
        return not self.problem

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (paths as text)."""
        data = asdict(self)
        data["path"] = str(self.path)
        return data


def _recipients(project: Project) -> list[RecipientStatus]:
    own = {str(identity.to_public()) for identity in project.keyring.identities}
    return [RecipientStatus(row.key, short_key(row.key), row.data, row.linkage, row.project_key, row.key in own)
            for row in list_recipients(project)]


def _audio(project: Project, row: ProjectStatus) -> None:
    seconds = 0.0
    for session in project.index.sessions:
        try:
            takes = list_takes(project, session)
        except InterviewkitError as error:
            row.warnings.append(f"audio of session {session.id} not counted: {error.line()}")
            continue
        row.takes += len(takes)
        seconds += sum(take.duration_seconds for take in takes)
    row.audio_hours = seconds / 3600


def _linkage_holds_names(project: Project, row: ProjectStatus) -> bool | None:
    try:
        linkage = project.linkage()
    except IdentityError:
        return None  # a steward with data access only: not readable, not a fault
    except InterviewkitError as error:
        row.warnings.append(f"linkage key unreadable: {error.line()}")
        return None
    return bool(linkage.entries) and not linkage.anonymisation.get("destroyed")


def _next_action(project: Project, today: dt.date, row: ProjectStatus) -> str:
    """The retention module's next due action, when that module is installed."""
    try:
        from interviewkit.archive.retention import next_action
    except ImportError:
        return NO_ACTION
    try:
        action = next_action(project, today)
    except InterviewkitError as error:
        row.warnings.append(f"next action unknown: {error.line()}")
        return NO_ACTION
    return one_line(action) if action else NO_ACTION


def project_status(entry: ArchiveProject, today: dt.date) -> ProjectStatus:
    """The status row of one project as found by ``discovery`` (never raises for its content)."""
    row = ProjectStatus(entry.path, entry.name)
    project = entry.project
    if project is None:
        row.problem = one_line(entry.problem) or "cannot be opened"
        return row
    study = project.index.study
    row.title, row.responsible, row.institution = study.title, study.responsible, study.institution
    row.end_date = study.end_date
    row.approvals = [f"{a.kind} {a.reference}" for a in study.approvals]
    if not row.approvals:
        row.warnings.append("no approval reference recorded (Sikt/NSD/REK) — add it to the study description")
    row.sessions = len(project.index.sessions)
    counts = Counter(p.status for p in project.index.participants)
    row.consent = {state: counts.get(state, 0) for state in CONSENT_STATES}
    row.recipients = _recipients(project)
    row.steward_is_recipient = any(r.yours for r in row.recipients)
    _audio(project, row)
    row.transcripts = sum(project.session_path(s, TRANSCRIPT_FILE).is_file() for s in project.index.sessions)
    row.linkage_holds_names = _linkage_holds_names(project, row)
    if getattr(project.index, "rotation", None):
        row.warnings.append("a rotation of the project key was cut short — finish it with 'interviewkit archive "
                            "resume-rotation PROJECT', with the new passphrase or a steward's key")
    if project.index.rewrap_pending:
        row.warnings.append("a change of recipients was cut short: some files may still have the old recipients — "
                            f"finish it with 'interviewkit keys resume {project.root}'; if it "
                            "stops at a damaged file ('archive verify' names it), restore that file from a backup")
    row.next_action = _next_action(project, today, row)
    row.warnings = [one_line(w) for w in row.warnings]
    return row


def archive_status(root: Path, credentials: Credentials, today: dt.date | None = None) -> list[ProjectStatus]:
    """One row per project under ``root``, sorted by path; unreadable projects are rows with a problem."""
    when = today or dt.date.today()
    return [project_status(entry, when) for entry in open_archive(Path(root), credentials)]
