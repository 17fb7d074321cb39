"""Participants and their consent records.

A participant is known in the data by a code (``D3``, ``T1``, ``I``); name and contact
live only in the linkage key.  Withdrawal erases the person's personal data that
exists so far and records the fact, not the data, in the audit log.

Consent items are given or revoked one by one (``edit_participant``): the consent record
keeps the history (which item, given or revoked, on which date, recorded by whom and when),
and each change is an audit entry (ids and items, never names).  Whoever must react at once
in this process (a running recorder) subscribes with ``subscribe``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict, dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from interviewkit.audit import current_actor
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.linkage import LinkageEntry
from interviewkit.sessions import Session, recorded_in
from interviewkit.study import parse_date

if TYPE_CHECKING:
    from interviewkit.project import Project

# The items people tick on a consent form (seed 001's information letter).
CONSENT_ITEMS = ("participation", "audio", "video", "quotes", "archiving", "followup")
ROLES = ("participant", "interviewer", "co-moderator", "observer")
CONSENT_MODES = ("written", "oral", "digital")
CODE = re.compile(r"^[\w.-]{1,20}$")


@dataclass
class ConsentChange:
    """One item given or revoked: on which date (as the person said it), recorded by whom, when."""

    item: str
    given: bool
    date: str
    recorded_by: str
    recorded: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


@dataclass
class ConsentRecord:
    items: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(CONSENT_ITEMS, False))
    form_version: str = ""
    mode: str = "written"
    date: str | None = None
    obtained_by: str = ""
    history: list[ConsentChange] = field(default_factory=list)  # oldest first

    def given(self) -> list[str]:
        return [item for item in CONSENT_ITEMS if self.items.get(item)]

    def set_item(self, item: str, given: bool, date: str, recorded_by: str) -> ConsentChange | None:
        """Give or revoke one item (history kept); None when it already was so."""
        if bool(self.items.get(item)) == given:
            return None
        self.items[item] = given
        entry = ConsentChange(item, given, date, recorded_by)
        self.history.append(entry)
        return entry

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsentRecord:
        data = dict(data)
        data["history"] = [ConsentChange(**c) for c in data.get("history", [])]
        return cls(**data)


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
        data["consent"] = ConsentRecord.from_dict(data.get("consent", {}))
        return cls(**data)


def parse_consent_items(items: list[str], where: str = "--consent") -> dict[str, bool]:
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
                raise InvalidInput(where, f"unknown consent item '{part}'",
                                   f"use any of {', '.join(CONSENT_ITEMS)} or 'all'",
                                   code="participant.unknown_consent_item",
                                   params={"value": part, "choices": ", ".join(CONSENT_ITEMS)})
    return chosen


def add_participant(project: Project, code: str, name: str, role: str = "participant",
                    consent_items: list[str] | None = None, contact: str = "", sessions: list[str] | None = None,
                    form_version: str = "", mode: str = "written", date: str | None = None,
                    obtained_by: str = "") -> Participant:
    if not CODE.match(code):
        raise InvalidInput("--code", f"'{code}' is not a valid participant code",
                           "use letters, digits, '.', '-' or '_' (at most 20), e.g. D3 or T1",
                           code="participant.bad_code", params={"code": code})
    if not name.strip():
        raise InvalidInput("--name", "the name is empty", "give the participant's name (it is stored in the linkage key only)",
                           code="participant.name_empty")
    if role not in ROLES:
        raise InvalidInput("--role", f"unknown role '{role}'", f"use one of {', '.join(ROLES)}",
                           code="participant.unknown_role", params={"value": role, "choices": ", ".join(ROLES)})
    if mode not in CONSENT_MODES:
        raise InvalidInput("--mode", f"unknown consent mode '{mode}'", f"use one of {', '.join(CONSENT_MODES)}",
                           code="participant.unknown_mode", params={"value": mode, "choices": ", ".join(CONSENT_MODES)})
    record = ConsentRecord(form_version=form_version, mode=mode,
                           date=parse_date(date, "--date") or dt.date.today().isoformat(), obtained_by=obtained_by)
    actor = current_actor()
    for item, given in parse_consent_items(consent_items or []).items():
        if given:
            record.set_item(item, True, record.date or "", actor)
    with project.writing() as change:
        index = project.index
        if index.find_participant(code):
            raise InvalidInput("--code", f"a participant with code '{code}' already exists", "choose another code",
                               code="participant.exists", params={"code": code})
        session_keys = []
        for session_id in sessions or []:
            session = index.find_session(session_id)
            if session is None:
                raise NotFound("--session", f"no session '{session_id}'", "add it first with 'interviewkit session add'",
                               code="participant.no_session", params={"id": session_id})
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
        raise NotFound(project.root, f"no participant with code '{code}'", f"known codes: {known}",
                       code="participant.not_found", params={"code": code, "known": known})
    return participant


def withdraw_participant(project: Project, code: str, date: str | None = None) -> Participant:
    """Erase what is known of the person, keep the fact of withdrawal (for exports to skip them)."""
    when = parse_date(date, "--date") or dt.date.today().isoformat()
    with project.writing() as change:
        participant = get_participant(project, code)
        if participant.withdrawn:
            raise InvalidInput("--code", f"participant '{code}' withdrew on {participant.withdrawn}", "nothing to do",
                               code="participant.already_withdrawn",
                               params={"code": code, "date": participant.withdrawn})
        change.linkage.entries.pop(participant.id, None)
        participant.consent = ConsentRecord(items=dict.fromkeys(CONSENT_ITEMS, False), mode=participant.consent.mode)
        participant.withdrawn = when
        # Later capabilities (audio, transcripts, notes) register their erasure here.
        erased = ["linkage-entry", "consent-record"]
        counts = dict.fromkeys(erased, 1)
        for eraser in project.withdrawal_erasers:
            kinds = eraser(project, participant)  # the kinds erased, or kinds with counts
            erased.extend(kinds)
            counts.update(kinds if isinstance(kinds, dict) else dict.fromkeys(kinds, 1))
        change.log("participant.withdraw", f"participant:{participant.id}", erased=erased, counts=counts)
    announce(project, participant)
    return participant


# -- correcting a participant's record ---------------------------------------------------------

# Called (in the thread that made the change) after a participant's consent, sessions or
# withdrawal changed: a running recorder checks its consent gate again at once.
ConsentListener = Callable[["Project", Participant], None]
_listeners: list[ConsentListener] = []


def subscribe(listener: ConsentListener) -> None:
    _listeners.append(listener)


def unsubscribe(listener: ConsentListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def announce(project: Project, participant: Participant) -> None:
    for listener in list(_listeners):
        listener(project, participant)


@dataclass
class ParticipantEdit:
    """What to change of a participant; ``None`` (or empty) leaves a field as it is."""

    give: list[str] = field(default_factory=list)  # consent items to give ("all" for every item)
    revoke: list[str] = field(default_factory=list)  # consent items to revoke
    date: str | None = None  # when the person gave or revoked them (default: today)
    role: str | None = None
    add_sessions: list[str] = field(default_factory=list)  # session ids
    remove_sessions: list[str] = field(default_factory=list)
    name: str | None = None  # linkage key only
    contact: str | None = None  # linkage key only ("" clears it)

    def empty(self) -> bool:
        return not (self.give or self.revoke or self.role or self.add_sessions or self.remove_sessions
                    or self.name is not None or self.contact is not None)


@dataclass
class ParticipantEdited:
    participant: Participant
    consent: list[ConsentChange]  # the items given or revoked now
    fields: list[str]  # the other fields that changed: role, sessions, name, contact


def _items(values: list[str], where: str) -> list[str]:
    chosen = parse_consent_items(values, where)
    return [item for item in CONSENT_ITEMS if chosen[item]]


def edit_participant(project: Project, code: str, edit: ParticipantEdit) -> ParticipantEdited:
    """Give or revoke consent items, change role, sessions, name or contact; one audit entry per
    consent change (``consent.give`` / ``consent.revoke``) and one for the rest (``participant.edit``)."""
    if edit.empty():
        raise InvalidInput(code, "nothing to change",
                           "give --give, --revoke, --role, --add-session, --remove-session, --name or --contact",
                           code="participant.nothing_to_change", params={"code": code})
    give, revoke = _items(edit.give, "--give"), _items(edit.revoke, "--revoke")
    both = [item for item in give if item in revoke]
    if both:
        raise InvalidInput("--give/--revoke", f"'{both[0]}' is both given and revoked", "choose one",
                           code="consent.give_and_revoke", params={"item": both[0]})
    if edit.role is not None and edit.role not in ROLES:
        raise InvalidInput("--role", f"unknown role '{edit.role}'", f"use one of {', '.join(ROLES)}",
                           code="participant.unknown_role", params={"value": edit.role, "choices": ", ".join(ROLES)})
    if edit.name is not None and not edit.name.strip():
        raise InvalidInput("--name", "the name is empty", "give the participant's name (linkage key only)",
                           code="participant.name_empty")
    date = parse_date(edit.date, "--date") or dt.date.today().isoformat()
    try:
        return _edit(project, code, edit, give, revoke, date)
    except _NoChange as nothing:
        return ParticipantEdited(nothing.participant, [], [])


def _edit(project: Project, code: str, edit: ParticipantEdit, give: list[str], revoke: list[str],
          date: str) -> ParticipantEdited:
    actor = current_actor()
    with project.writing() as change:
        participant = get_participant(project, code)
        if participant.withdrawn:
            raise InvalidInput(code, f"participant {code} withdrew on {participant.withdrawn}, and a withdrawal "
                               "cannot be undone", "if the person wants to take part again, add them with a new "
                               "code and a new consent (participant add)",
                               code="participant.withdrawn", params={"code": code, "date": participant.withdrawn})
        add = [_session_for(project, s, "--add-session") for s in edit.add_sessions]
        remove = [_session_for(project, s, "--remove-session") for s in edit.remove_sessions]
        fields: list[str] = []
        for session in remove:
            if session.key not in participant.sessions and participant.id not in session.participants:
                continue
            held = [kind for kind in recorded_in(project, session) if kind in ("audio", "transcript")]
            if held:
                raise InvalidInput("--remove-session", f"session {session.id} already has {' and '.join(held)} "
                                   f"with {code} in it; taking them out would hide it from a withdrawal",
                                   "leave them in the session (withdraw them if they want their data erased)",
                                   code="participant.session_recorded",
                                   params={"code": code, "session": session.id, "held": " and ".join(held)})
            if session.key in participant.sessions:
                participant.sessions.remove(session.key)
            if participant.id in session.participants:
                session.participants.remove(participant.id)
            fields.append("sessions")
        for session in add:
            if session.key not in participant.sessions:
                participant.sessions.append(session.key)
                fields.append("sessions")
            if participant.id not in session.participants:
                session.participants.append(participant.id)
        if edit.role is not None and edit.role != participant.role:
            participant.role = edit.role
            fields.append("role")
        if edit.name is not None or edit.contact is not None:
            entry = change.linkage.entries.get(participant.id)
            if entry is None:
                entry = change.linkage.entries[participant.id] = LinkageEntry(code=participant.code, name="")
            if edit.name is not None and edit.name.strip() != entry.name:
                entry.name = edit.name.strip()
                fields.append("name")
            if edit.contact is not None and edit.contact.strip() != entry.contact:
                entry.contact = edit.contact.strip()
                fields.append("contact")
        changes = [c for c in (participant.consent.set_item(item, True, date, actor) for item in give) if c]
        changes += [c for c in (participant.consent.set_item(item, False, date, actor) for item in revoke) if c]
        target = f"participant:{participant.id}"
        for entry_change in changes:
            change.log("consent.give" if entry_change.given else "consent.revoke", target,
                       item=entry_change.item, date=entry_change.date)
        fields = list(dict.fromkeys(fields))
        if fields:
            details: dict[str, Any] = {"fields": fields}
            if "role" in fields:
                details["role"] = participant.role
            if "sessions" in fields:
                details["sessions"] = [f"session:{key}" for key in participant.sessions]
            change.log("participant.edit", target, **details)
        if not changes and not fields:
            raise _NoChange(participant)
    announce(project, participant)
    return ParticipantEdited(participant, changes, fields)


class _NoChange(Exception):
    """Raised inside ``writing()`` to leave without writing anything."""

    def __init__(self, participant: Participant) -> None:
        super().__init__(participant.code)
        self.participant = participant


def _session_for(project: Project, session_id: str, where: str) -> Session:
    session = project.index.find_session(session_id)
    if session is None:
        known = ", ".join(s.id for s in project.index.sessions) or "none yet"
        raise NotFound(where, f"no session '{session_id}'", f"known sessions: {known}",
                       code="session.not_found", params={"id": session_id, "known": known})
    return session
