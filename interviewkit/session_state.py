"""Where each session of a project stands, at a glance: the interview run, the audio, the
transcript, the anonymisation review and the last export.

``session_states(project)`` reads it all in one pass (one decryption per file, the audit log
once, no writes); the project home screen and ``interviewkit session list`` both show it.  The
review state runs detection afresh, as the review screen and the export gate do (about 0.1 s for a
transcript of an hour's interview), but never saves new entities: a look writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.errors import IdentityError, NotFound

if TYPE_CHECKING:
    from interviewkit.audit import AuditEntry
    from interviewkit.project import Project
    from interviewkit.sessions import Session

INTERVIEW_STATES = ("not-started", "in-progress", "ended")
TRANSCRIPT_STATES = ("none", "machine", "edited")
# none: nothing to review (no transcript); pending: detections still undecided (or waiting for the
# supervisor); done: every detection decided; no-access: this key cannot open the linkage key, which
# holds the decisions; anonymous: the linkage key was destroyed, nothing can be linked any more.
REVIEW_STATES = ("none", "pending", "done", "no-access", "anonymous")


@dataclass(frozen=True)
class LastExport:
    date: str    # YYYY-MM-DD (UTC) of the audit entry
    format: str  # e.g. qdpx, docx


@dataclass(frozen=True)
class SessionState:
    session_id: str
    interview: str            # one of INTERVIEW_STATES
    takes: int                # audio takes (recordings and imports)
    audio_seconds: float      # their total length
    transcript: str           # one of TRANSCRIPT_STATES: machine = straight from the recogniser
    checked: float            # share of the transcript marked checked, 0..1 (by duration)
    review: str               # one of REVIEW_STATES
    review_open: int          # detections still pending or waiting for the supervisor
    last_export: LastExport | None  # the newest export that included the session

    @property
    def checked_percent(self) -> int:
        return round(self.checked * 100)

    @property
    def audio_length(self) -> str:
        """The audio's total length as a clock, ``m:ss`` or ``h:mm:ss``."""
        minutes, seconds = divmod(round(self.audio_seconds), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def session_states(project: Project) -> dict[str, SessionState]:
    """Every session's state, by session id, in the project's order."""
    exports = _last_exports(project.audit_entries()[0])
    linkage = _linkage_state(project)
    return {session.id: _session_state(project, session, linkage,  # exports made before a rename too
                                       max((exports[i] for i in session.known_ids() if i in exports),
                                           key=lambda export: export.date, default=None))
            for session in project.index.sessions}


def _session_state(project: Project, session: Session, linkage: str | None,
                   last_export: LastExport | None) -> SessionState:
    from interviewkit.audio.store import list_takes
    from interviewkit.interview.store import load_run
    from interviewkit.transcript.store import TRANSCRIPT_FILE, open_transcript

    run = load_run(project, session)
    interview = ("not-started" if run is None or run.status == "not-started"
                 else "ended" if run.status == "ended" else "in-progress")
    takes = list_takes(project, session)
    try:
        transcript = open_transcript(project, session)
    except NotFound:
        transcript = None
    if transcript is None:
        kind, checked, review, review_open = "none", 0.0, "none", 0
    else:
        kind = "edited" if project.session_path(session, TRANSCRIPT_FILE).exists() else "machine"
        checked = transcript.checked_fraction
        review, review_open = (linkage, 0) if linkage is not None else _review(project, session)
    return SessionState(session.id, interview, len(takes), sum(t.duration_seconds for t in takes), kind, checked,
                        review, review_open, last_export)


def _linkage_state(project: Project) -> str | None:
    """Why no session's review can be read (``no-access`` / ``anonymous``), or None."""
    from interviewkit.anonymise.key_destruction import destroyed_on

    try:
        return "anonymous" if destroyed_on(project) else None
    except IdentityError:
        return "no-access"


def _review(project: Project, session: Session) -> tuple[str, int]:
    from interviewkit.anonymise.review import analyse_session

    found = analyse_session(project, session, persist=False)
    return ("done", 0) if found.reviewed else ("pending", found.unresolved)


def _last_exports(entries: list[AuditEntry]) -> dict[str, LastExport]:
    """Session id → the newest export (audit action ``export``) whose sessions include it."""
    found: dict[str, LastExport] = {}
    for entry in entries:  # oldest first: later entries overwrite
        if entry.action != "export":
            continue
        for session_id in entry.details.get("sessions", []):
            found[str(session_id)] = LastExport(entry.time[:10], str(entry.details.get("format", "")))
    return found
