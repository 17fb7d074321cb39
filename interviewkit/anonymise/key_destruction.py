"""Destroying the linkage key at project end: pseudonymised data becomes anonymous data.

What is destroyed: every name and contact in ``linkage.age``, the pseudonym map and the
reviewer's decisions (which say who ``[Person 3]`` is).  So that nothing identifiable is left
behind in the transcripts, each session's transcript is first replaced by its de-identified
version, and what still holds the original words goes: the transcript's revisions and the
recogniser's transcriptions.  Every session must be reviewed first (or the caller says to go
ahead without).  Audio is left alone: a voice identifies, and deleting it is the retention
policy's business (``audio_remaining`` in the report says how much is left).  The audit log
records the destruction with counts.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.anonymise.review import analyse_session
from interviewkit.audio.store import list_takes
from interviewkit.errors import InterviewkitError, InvalidInput
from interviewkit.transcribe.store import DIRECTORY as TRANSCRIPTIONS_DIR
from interviewkit.transcript.project_wide import transcribed_sessions
from interviewkit.transcript.store import REVISIONS_DIR, save_transcript

if TYPE_CHECKING:
    from interviewkit.project import Project


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


def destroy_linkage_key(project: Project, unreviewed_ok: bool = False) -> DestructionReport:
    if destroyed_on(project):
        raise InvalidInput("linkage.age", f"the linkage key was already destroyed on {destroyed_on(project)}",
                           "nothing is left to destroy")
    reviewed = [(session, analyse_session(project, session)) for session, _ in transcribed_sessions(project)]
    waiting = [session.id for session, found in reviewed if not found.reviewed]
    if waiting and not unreviewed_ok:
        raise InvalidInput(", ".join(waiting), "the anonymisation of these sessions is not reviewed",
                           "review them first (interviewkit anonymise PROJECT SESSION), or go ahead without")
    today = dt.date.today().isoformat()
    with project.writing() as change:
        linkage = change.linkage
        entities = len(linkage.anonymisation.get("map", {}).get("entities", {}))
        participants = len(linkage.entries)
        for session, found in reviewed:
            save_transcript(project, session, found.anonymised())
            for name in (REVISIONS_DIR, TRANSCRIPTIONS_DIR):
                shutil.rmtree(project.session_path(session, name), ignore_errors=True)
        linkage.entries.clear()
        linkage.anonymisation = {"destroyed": today}
        change.log("linkage.destroy", f"project:{project.marker.project_id}", participants=participants,
                   entities=entities, transcripts=len(reviewed), unreviewed=len(waiting))
    return DestructionReport(today, participants, entities, len(reviewed), _audio_seconds(project))


def _audio_seconds(project: Project) -> float:
    """Seconds of audio left (a damaged take counts as nothing: 'archive verify' reports it)."""
    total = 0.0
    for session in project.index.sessions:
        try:
            total += sum(t.duration_seconds for t in list_takes(project, session))
        except InterviewkitError:
            continue
    return total
