"""Participants and their consent records.

A participant is known in the data by a code (``D3``, ``T1``, ``I``); name and contact
live only in the linkage key.  Withdrawal erases the person's personal data that
exists so far and records the fact, not the data, in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.linkage import LinkageEntry
from interviewkit.study import parse_date

if TYPE_CHECKING:
    from interviewkit.project import Project

# The items people tick on a consent form (seed 001's information letter).
CONSENT_ITEMS = ("participation", "audio", "video", "quotes", "archiving", "followup")
ROLES = ("participant", "interviewer", "co-moderator", "observer")
CONSENT_MODES = ("written", "oral", "digital")
CODE = re.compile(r"^[\w.-]{1,20}$")


@dataclass
class ConsentRecord:
    items: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(CONSENT_ITEMS, False))
    form_version: str = ""
    mode: str = "written"
    date: str | None = None
    obtained_by: str = ""

    def given(self) -> list[str]:
        return [item for item in CONSENT_ITEMS if self.items.get(item)]


@dataclass
class Participant:
    id: str
    code: str
    role: str = "participant"
    sessions: list[str] = field(default_factory=list)  # session keys
    consent: ConsentRecord = field(default_factory=ConsentRecord)
    withdrawn: str | None = None

    @property
    def status(self) -> str:
        """withdrawn | consented | partial | none — the consent state at a glance."""
        if self.withdrawn:
            return "withdrawn"
        given = self.consent.given()
        if "participation" in given and "audio" in given:
            return "consented"
        return "partial" if given else "none"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        data = dict(data)
        data["consent"] = ConsentRecord(**data.get("consent", {}))
        return cls(**data)


def parse_consent_items(items: list[str]) -> dict[str, bool]:
    chosen = dict.fromkeys(CONSENT_ITEMS, False)
    for item in items:
        for part in item.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part == "all":
                chosen = dict.fromkeys(CONSENT_ITEMS, True)
            elif part in chosen:
                chosen[part] = True
            else:
                raise InvalidInput("--consent", f"unknown consent item '{part}'",
                                   f"use any of {', '.join(CONSENT_ITEMS)} or 'all'")
    return chosen


def add_participant(project: Project, code: str, name: str, role: str = "participant",
                    consent_items: list[str] | None = None, contact: str = "", sessions: list[str] | None = None,
                    form_version: str = "", mode: str = "written", date: str | None = None,
                    obtained_by: str = "") -> Participant:
    if not CODE.match(code):
        raise InvalidInput("--code", f"'{code}' is not a valid participant code",
                           "use letters, digits, '.', '-' or '_' (at most 20), e.g. D3 or T1")
    if not name.strip():
        raise InvalidInput("--name", "the name is empty", "give the participant's name (it is stored in the linkage key only)")
    if role not in ROLES:
        raise InvalidInput("--role", f"unknown role '{role}'", f"use one of {', '.join(ROLES)}")
    if mode not in CONSENT_MODES:
        raise InvalidInput("--mode", f"unknown consent mode '{mode}'", f"use one of {', '.join(CONSENT_MODES)}")
    record = ConsentRecord(items=parse_consent_items(consent_items or []), form_version=form_version, mode=mode,
                           date=parse_date(date, "--date") or dt.date.today().isoformat(), obtained_by=obtained_by)
    with project.writing() as change:
        index = project.index
        if index.find_participant(code):
            raise InvalidInput("--code", f"a participant with code '{code}' already exists", "choose another code")
        session_keys = []
        for session_id in sessions or []:
            session = index.find_session(session_id)
            if session is None:
                raise NotFound("--session", f"no session '{session_id}'", "add it first with 'interviewkit session add'")
            session_keys.append(session.key)
        participant = Participant(id=secrets.token_hex(6), code=code, role=role, sessions=session_keys, consent=record)
        index.participants.append(participant)
        for session in index.sessions:
            if session.key in session_keys:
                session.participants.append(participant.id)
        change.linkage.entries[participant.id] = LinkageEntry(code=code, name=name.strip(), contact=contact.strip())
        change.log("participant.add", f"participant:{participant.id}",
                   role=role, consent=record.given(), mode=mode)
    return participant


def get_participant(project: Project, code: str) -> Participant:
    participant = project.index.find_participant(code)
    if participant is None:
        known = ", ".join(p.code for p in project.index.participants) or "none yet"
        raise NotFound(project.root, f"no participant with code '{code}'", f"known codes: {known}")
    return participant


def withdraw_participant(project: Project, code: str, date: str | None = None) -> Participant:
    """Erase what is known of the person, keep the fact of withdrawal (for exports to skip them)."""
    when = parse_date(date, "--date") or dt.date.today().isoformat()
    with project.writing() as change:
        participant = get_participant(project, code)
        if participant.withdrawn:
            raise InvalidInput("--code", f"participant '{code}' withdrew on {participant.withdrawn}", "nothing to do")
        change.linkage.entries.pop(participant.id, None)
        participant.consent = ConsentRecord(items=dict.fromkeys(CONSENT_ITEMS, False), mode=participant.consent.mode)
        participant.withdrawn = when
        # Later capabilities (audio, transcripts, notes) register their erasure here.
        erased = ["linkage-entry", "consent-record"]
        for eraser in project.withdrawal_erasers:
            erased.extend(eraser(project, participant))
        change.log("participant.withdraw", f"participant:{participant.id}", erased=erased)
    return participant
