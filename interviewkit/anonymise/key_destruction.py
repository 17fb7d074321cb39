"""Destroying the linkage key at project end: pseudonymised data becomes anonymous data.

What is destroyed: every name and contact in ``linkage.age``, the pseudonym map and the
reviewer's decisions (which say who ``[Person 3]`` is).  So that nothing identifiable is left
behind in the transcripts, each session's transcript is first replaced by its de-identified
version, and what still holds the original words goes: the transcript's revisions and the
recogniser's transcriptions.  Every session must be reviewed first (or the caller says to go
ahead without).  Everything the destruction needs is checked before anything is written
(``plan_destruction``): that the keys at hand open the linkage key at all (a steward with data
access only cannot: the refusal names who can), that it is not destroyed already, and the
review.  Audio is left alone: a voice identifies, and deleting it is the retention policy's
business (``audio_remaining`` in the report says how much is left).  The audit log
records the destruction with counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.anonymise.review import SessionAnonymisation, analyse_session
from interviewkit.audio.store import list_takes
from interviewkit.errors import IdentityError, InterviewkitError, InvalidInput
from interviewkit.project import LINKAGE_FILE
from interviewkit.transcribe.store import DIRECTORY as TRANSCRIPTIONS_DIR
from interviewkit.transcript.project_wide import transcribed_sessions
from interviewkit.transcript.store import REVISIONS_DIR, save_transcript

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session


@dataclass(frozen=True)
class DestructionReport:
    date: str
    participants: int       # linkage entries destroyed
    entities: int           # pseudonym-map entries destroyed
    transcripts: int        # transcripts replaced by their de-identified version
    audio_remaining: float  # seconds of audio still in the project


def destroyed_on(project: Project) -> str | None:
    """The date the linkage key was destroyed, or None."""
    return project.linkage().anonymisation.get("destroyed")


def linkage_holders(project: Project) -> str:
    """Who can open the linkage key (and so destroy it), in words: the project key and every
    recipient of scope linkage or all, shortened (``age1qyq…x3k9zq (all)``)."""
    from interviewkit.archive.status import short_key

    index = project.index
    extra = [f"{short_key(key)} ({'all' if key in index.data_recipients else 'linkage'})"
             for key in dict.fromkeys(index.linkage_recipients) if key != index.project_recipient]
    return "the project key (the project passphrase)" + (f" or {', '.join(extra)}" if extra else "")


def linkage_refusal(project: Project) -> InterviewkitError | None:
    """Why the keys at hand cannot destroy the linkage key (None: they can open it): they do not
    open it (the refusal names who can), or it is damaged (the error as read)."""
    try:
        project.linkage()
    except IdentityError:
        from interviewkit.archive.status import short_key

        index = project.index
        keys = [short_key(key) for key in dict.fromkeys(index.linkage_recipients) if key != index.project_recipient]
        return IdentityError(project.root / LINKAGE_FILE, "this key cannot open the linkage key",
                             f"only {linkage_holders(project)} can destroy it",
                             code="linkage.not_holder" if keys else "linkage.not_holder_project_only",
                             params={"keys": ", ".join(keys)})
    except InterviewkitError as error:
        return error
    return None


@dataclass(frozen=True)
class DestructionPlan:
    """What destroying the key will do, worked out (and checked) before anything is written."""

    sessions: list[tuple[Session, SessionAnonymisation]]  # every transcribed session and its analysis
    waiting: list[str]                                      # ids of the sessions not reviewed


def plan_destruction(project: Project, unreviewed_ok: bool = False) -> DestructionPlan:
    """Check that the linkage key can be destroyed with the keys at hand, and how; raises the
    refusal (one line) before anything is deleted."""
    refusal = linkage_refusal(project)
    if refusal is not None:
        raise refusal
    if destroyed_on(project):
        raise InvalidInput("linkage.age", f"the linkage key was already destroyed on {destroyed_on(project)}",
                           "nothing is left to destroy",
                           code="anonymise.key_destroyed", params={"date": destroyed_on(project)})
    analysed = [(session, analyse_session(project, session)) for session, _ in transcribed_sessions(project)]
    waiting = [session.id for session, found in analysed if not found.reviewed]
    if waiting and not unreviewed_ok:
        raise InvalidInput(", ".join(waiting), "the anonymisation of these sessions is not reviewed",
                           "review them first (interviewkit anonymise PROJECT SESSION), or go ahead without",
                           code="anonymise.not_reviewed", params={"sessions": ", ".join(waiting)})
    return DestructionPlan(analysed, waiting)


def destroy_linkage_key(project: Project, unreviewed_ok: bool = False,
                        plan: DestructionPlan | None = None) -> DestructionReport:
    """Destroy the linkage key; ``plan`` (from ``plan_destruction`` under the same project lock)
    saves checking again."""
    plan = plan or plan_destruction(project, unreviewed_ok)
    today = dt.date.today().isoformat()
    with project.writing() as change:
        linkage = change.linkage
        entities = len(linkage.anonymisation.get("map", {}).get("entities", {}))
        participants = len(linkage.entries)
        for session, found in plan.sessions:
            save_transcript(project, session, found.anonymised(), base=found.transcript.revision)  # as analysed
            for name in (REVISIONS_DIR, TRANSCRIPTIONS_DIR):
                project.remove_path(project.session_path(session, name))
        linkage.entries.clear()
        linkage.speakers.clear()  # speaker display names (interviewkit.transcript.store)
        linkage.anonymisation = {"destroyed": today}
        change.log("linkage.destroy", f"project:{project.marker.project_id}", participants=participants,
                   entities=entities, transcripts=len(plan.sessions), unreviewed=len(plan.waiting))
    return DestructionReport(today, participants, entities, len(plan.sessions), _audio_seconds(project))


def _audio_seconds(project: Project) -> float:
    """Seconds of audio left (a damaged take counts as nothing: 'archive verify' reports it)."""
    total = 0.0
    for session in project.index.sessions:
        try:
            total += sum(t.duration_seconds for t in list_takes(project, session))
        except InterviewkitError:
            continue
    return total
