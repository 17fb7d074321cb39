"""Erasing a withdrawn participant's data, and the report the steward gives them.

``consent.withdraw_participant`` erases the linkage entry and the consent record, then calls the
erasers of ``Project.withdrawal_erasers``; this module adds ``erase_withdrawn`` there when it is
imported (``project.ERASER_MODULES`` imports it whenever a project is opened).  It runs inside the
withdrawal's ``writing()`` block: files first, then the linkage key, audit entry and index are
written together when the block ends.  What it erases:

* sessions that were the person's own (no other participant who has not withdrawn): every audio
  take, the transcript, its revisions, the machine transcriptions and the interview run (notes);
* sessions shared with others: the person's turns become a marked gap (times and speaker code
  kept, words dropped), mentions of their name in other turns become a marker, their display name
  goes; the transcript's revisions and the machine transcriptions of the session are deleted,
  since they hold the turns too and carry no reliable speaker codes to rewrite them by;
* their entities in the pseudonym map (and the forms and single decisions that point at them).

Exports made earlier cannot be reached: ``exports_to_replace`` lists those the audit log records
with one of the person's sessions, so the steward can replace them.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interviewkit.audio.store import AUDIO_DIR, TAKE_ID, remove_take_files
from interviewkit.errors import NotFound
from interviewkit.project import Project
from interviewkit.transcribe.store import DIRECTORY as TRANSCRIPTIONS_DIR
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import REVISIONS_DIR, TRANSCRIPT_FILE, open_transcript, save_transcript

if TYPE_CHECKING:
    from interviewkit.consent import Participant
    from interviewkit.linkage import LinkageKey
    from interviewkit.sessions import Session

GAP = {"en": "[withdrawn participant: turn removed]", "no": "[trukket deltaker: ytring fjernet]"}
MENTION = {"en": "[withdrawn participant]", "no": "[trukket deltaker]"}
INTERVIEW_FILE = "interview.age"  # interviewkit.interview.store.RUN_FILE: the run and its notes
SPEAKING_ROLES = ("participant",)


def language(project: Project) -> str:
    """``no`` for a Norwegian project (bokmål or nynorsk), else ``en``."""
    return "no" if project.index.study.language in ("nb", "nn", "no") else "en"


def is_gap(text: str) -> bool:
    return text in GAP.values()


def participant_sessions(project: Project, participant: Participant) -> list[Session]:
    """The sessions the person took part in, in the index's order."""
    return [s for s in project.index.sessions if participant.id in s.participants or s.key in participant.sessions]


def is_own_session(project: Project, session: Session, participant: Participant) -> bool:
    """True when no other participant who has not withdrawn is in the session (interviewers,
    co-moderators and observers do not count): all its data is the person's."""
    if participant.role not in SPEAKING_ROLES:
        return False
    others = [p for p in project.index.participants
              if p.id != participant.id and p.id in session.participants and p.role in SPEAKING_ROLES]
    return all(p.withdrawn for p in others)


@dataclass(frozen=True)
class ExportRecord:
    """An export the audit log records (ids and counts only)."""

    seq: int
    time: str
    format: str
    purpose: str
    sessions: tuple[str, ...]
    identifiable: bool
    encrypted: bool


def exports_to_replace(project: Project, participant: Participant) -> list[ExportRecord]:
    """Exports made before the person withdrew that included one of their sessions."""
    entries, _ = project.audit_entries()
    target = f"participant:{participant.id}"
    cutoff = next((e.seq for e in entries if e.action == "participant.withdraw" and e.target == target), None)
    theirs = {i for s in participant_sessions(project, participant) for i in s.known_ids()}  # renamed since too
    found = []
    for entry in entries:
        if entry.action != "export" or (cutoff is not None and entry.seq > cutoff):
            continue
        sessions = tuple(str(s) for s in entry.details.get("sessions", []))
        if theirs.intersection(sessions):
            details = entry.details
            found.append(ExportRecord(entry.seq, entry.time, str(details.get("format", "")),
                                      str(details.get("purpose", "")), sessions,
                                      bool(details.get("identifiable")), bool(details.get("encrypted"))))
    return found


# -- erasing -----------------------------------------------------------------------------------

def _remove_tree(project: Project, session: Session, name: str) -> bool:
    path = project.session_path(session, name)
    if not path.exists():
        return False
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    return True


def _erase_own_session(project: Project, session: Session) -> set[str]:
    erased: set[str] = set()
    audio = project.session_path(session, AUDIO_DIR)
    if audio.is_dir():
        for take in sorted(p.name for p in audio.iterdir() if p.is_dir() and TAKE_ID.match(p.name)):
            remove_take_files(project, session, take)
            erased.add("audio")
    for name, kind in ((TRANSCRIPT_FILE, "transcript"), (REVISIONS_DIR, "transcript-revisions"),
                       (TRANSCRIPTIONS_DIR, "machine-transcriptions"), (INTERVIEW_FILE, "interview-notes")):
        if _remove_tree(project, session, name):
            erased.add(kind)
    return erased


def _name_patterns(forms: list[str]) -> list[re.Pattern[str]]:
    """Patterns for written forms of a name (longest first), a genitive ending allowed."""
    words = sorted({" ".join(f.split()) for f in forms if f.strip()}, key=len, reverse=True)
    return [re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, w.split())) + r"(?:['’]?s)?(?!\w)", re.IGNORECASE)
            for w in words]


def _redact(text: str, patterns: list[re.Pattern[str]], marker: str) -> str:
    """Replace mentions that start with a capital letter (a name, not the word *per*)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: marker if m.group(0)[:1].isupper() else m.group(0), text)
    return text


def _erase_turns(project: Project, session: Session, code: str, patterns: list[re.Pattern[str]],
                 lang: str) -> tuple[set[str], set[str]]:
    """Gap the person's turns in a shared session; return (erased kinds, changed segment ids)."""
    erased: set[str] = set()
    changed: set[str] = set()
    try:
        transcript: Transcript | None = open_transcript(project, session)
    except NotFound:
        transcript = None
    if transcript is not None:
        for segment in transcript.segments:
            if segment.speaker == code:
                if segment.text != GAP[lang] or segment.words:
                    erased.add("transcript-turns")
                segment.text, segment.words = GAP[lang], []
                changed.add(segment.id)
            else:
                text = _redact(segment.text, patterns, MENTION[lang])
                if text != segment.text:
                    segment.text, segment.words = text, []
                    changed.add(segment.id)
                    erased.add("name-mentions")
        if transcript.speakers.pop(code, None) is not None:
            erased.add("speaker-name")
        save_transcript(project, session, transcript)  # saved even if unchanged: the sources go next
    for name, kind in ((REVISIONS_DIR, "transcript-revisions"), (TRANSCRIPTIONS_DIR, "machine-transcriptions")):
        if _remove_tree(project, session, name):
            erased.add(kind)
    return erased, changed


def _their_forms(project: Project, linkage: LinkageKey, participant: Participant) -> tuple[set[str], list[str]]:
    """(ids of their pseudonym-map entities, written forms of their name)."""
    entities = linkage.anonymisation.get("map", {}).get("entities", {})
    ids = {eid for eid, e in entities.items() if e.get("code") == participant.code}
    forms = [f for f, eid in linkage.anonymisation.get("map", {}).get("forms", {}).items()
             if eid in ids and entities[eid].get("status") != "rejected"]
    forms += [entities[eid].get("name", "") for eid in ids if entities[eid].get("status") != "rejected"]
    # The linkage entry is popped in memory already, but still on disk until the change is written.
    entry = project.linkage().entries.get(participant.id)
    if entry is not None:
        forms.append(entry.name)
    return ids, forms


def _erase_map(linkage: LinkageKey, entity_ids: set[str], stale: dict[str, set[str] | None]) -> bool:
    """Drop the entities, their forms, and single decisions on segments that changed or went."""
    state: dict[str, Any] = linkage.anonymisation
    pmap = state.get("map", {})
    for eid in entity_ids:
        pmap.get("entities", {}).pop(eid, None)
    if "forms" in pmap:
        pmap["forms"] = {f: eid for f, eid in pmap["forms"].items() if eid not in entity_ids}
    decisions = state.get("occurrences", {})
    for session_id, segments in stale.items():
        if session_id not in decisions:
            continue
        if segments is None:
            decisions.pop(session_id)
        else:
            decisions[session_id] = {k: v for k, v in decisions[session_id].items()
                                     if k.split(":", 1)[0] not in segments}
    return bool(entity_ids)


def erase_withdrawn(project: Project, participant: Participant) -> list[str]:
    """The eraser: erase everything of ``participant`` described in the module doc; return the
    kinds erased (for the audit entry's ``erased``)."""
    change = project.current_change
    if change is None:  # called on its own: make it a change of its own
        with project.writing():
            return erase_withdrawn(project, participant)
    lang = language(project)
    entity_ids, forms = _their_forms(project, change.linkage, participant)
    patterns = _name_patterns(forms)
    erased: set[str] = set()
    stale: dict[str, set[str] | None] = {}
    for session in participant_sessions(project, participant):
        if is_own_session(project, session, participant):
            erased |= _erase_own_session(project, session)
            stale[session.id] = None
        else:
            kinds, changed = _erase_turns(project, session, participant.code, patterns, lang)
            erased |= kinds
            stale[session.id] = changed
    if _erase_map(change.linkage, entity_ids, stale):
        erased.add("pseudonym-map")
    order = ("audio", "transcript", "transcript-turns", "name-mentions", "speaker-name", "transcript-revisions",
             "machine-transcriptions", "interview-notes", "pseudonym-map")
    return [kind for kind in order if kind in erased]


def register() -> None:
    """Add ``erase_withdrawn`` to ``Project.withdrawal_erasers`` (once)."""
    if erase_withdrawn not in Project.withdrawal_erasers:
        Project.withdrawal_erasers.append(erase_withdrawn)


register()


def erasure_report(project: Project, code: str) -> str:
    """The Markdown report for the participant (see ``interviewkit.archive.report``)."""
    from interviewkit.archive.report import erasure_report as render

    return render(project, code)
