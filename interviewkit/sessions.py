"""Interview sessions: one project holds many, each with its people and (later) audio,
transcripts and notes.  A session's folder is named by a random key, never by its label.

A session's id (its label, ``S01``) can be corrected: the key, and with it the folder and
everything attached by key (participants' session lists, audio, transcripts, the interview
run), stays as it is; the few places that hold the id itself are updated, and the old id is
kept in ``former_ids`` so that audit entries made under it (exports) still find the session.
A session with nothing recorded yet can be removed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.errors import IdentityError, InvalidInput, NotFound
from interviewkit.study import parse_date
from interviewkit.vault import atomic

if TYPE_CHECKING:
    from interviewkit.project import Project

SESSION_KINDS = ("individual", "group")
SESSION_ID = re.compile(r"^[\w.-]{1,40}$")

# What a session's folder may hold, by the first part of a path in it (see docs/vault-format.md).
RECORDED_KINDS = {"audio": "audio", "transcript.age": "transcript", "transcript-revisions": "transcript",
                  "transcription": "transcript", "interview.age": "interview run"}


@dataclass
class Session:
    id: str
    key: str = field(default_factory=lambda: secrets.token_hex(8))
    kind: str = "individual"
    date: str | None = None
    participants: list[str] = field(default_factory=list)  # participant ids
    created: str = field(default_factory=lambda: dt.date.today().isoformat())
    former_ids: list[str] = field(default_factory=list)  # ids it had before a rename, oldest first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(**data)

    def known_ids(self) -> set[str]:
        """Every id this session has had (audit entries name sessions by id)."""
        return {self.id, *self.former_ids}


def check_session_id(session_id: str, where: str = "session id") -> None:
    if not SESSION_ID.match(session_id):
        raise InvalidInput(where, f"'{session_id}' is not a valid session id",
                           "use letters, digits, '.', '-' or '_' (at most 40), e.g. S01",
                           code="session.bad_id", params={"id": session_id}, field="id")


def check_kind(kind: str) -> None:
    if kind not in SESSION_KINDS:
        raise InvalidInput("--kind", f"unknown session kind '{kind}'", f"use one of {', '.join(SESSION_KINDS)}",
                           code="session.unknown_kind", params={"value": kind, "choices": ", ".join(SESSION_KINDS)})


def add_session(project: Project, session_id: str, kind: str = "individual", date: str | None = None) -> Session:
    check_session_id(session_id)
    check_kind(kind)
    date = parse_date(date, "--date")
    with project.writing() as change:
        if project.index.find_session(session_id):
            raise InvalidInput("session id", f"a session '{session_id}' already exists", "choose another id",
                               code="session.exists", params={"id": session_id}, field="id")
        session = Session(id=session_id, kind=kind, date=date)
        project.index.sessions.append(session)
        change.log("session.add", f"session:{session.key}")
    return session


def get_session(project: Project, session_id: str) -> Session:
    session = project.index.find_session(session_id)
    if session is None:
        known = ", ".join(s.id for s in project.index.sessions) or "none yet"
        raise NotFound(project.root, f"no session '{session_id}'", f"known sessions: {known}",
                       code="session.not_found", params={"id": session_id, "known": known})
    return session


# -- correcting a session ----------------------------------------------------------------------

UNCHANGED: Any = object()  # an edit's field that is left as it is


@dataclass
class SessionEdit:
    """What to change of a session; ``UNCHANGED`` fields stay (``date=None`` clears the date)."""

    id: Any = UNCHANGED
    kind: Any = UNCHANGED
    date: Any = UNCHANGED


def edit_session(project: Project, session_id: str, edit: SessionEdit) -> tuple[Session, list[str]]:
    """Change a session's id, kind or date; returns the session and the fields that changed.

    A new id keeps everything attached (the folder is named by the key, not the id); the
    interview run and the anonymisation decisions, which name the session by id, follow.
    """
    if edit.id is not UNCHANGED:
        edit.id = str(edit.id).strip()
        check_session_id(edit.id, "--id")
    if edit.kind is not UNCHANGED:
        check_kind(edit.kind)
    if edit.date is not UNCHANGED:
        edit.date = parse_date(edit.date, "--date")
    if edit.id is UNCHANGED and edit.kind is UNCHANGED and edit.date is UNCHANGED:
        raise InvalidInput(session_id, "nothing to change", "give --id, --kind or --date",
                           code="session.nothing_to_change", params={"id": session_id})
    with project.writing() as change:
        session = get_session(project, session_id)
        old_id = session.id
        changed: dict[str, Any] = {}
        if edit.id is not UNCHANGED and edit.id != old_id:
            other = project.index.find_session(edit.id)
            if other is not None:
                raise InvalidInput("--id", f"a session '{edit.id}' already exists", "choose another id",
                                   code="session.exists", params={"id": edit.id}, field="id")
            _rename_in_linkage(project, change, old_id, edit.id)
            session.id = edit.id
            session.former_ids = [i for i in session.former_ids if i != edit.id] + [old_id]
            changed["id"] = {"from": old_id, "to": edit.id}
        if edit.kind is not UNCHANGED and edit.kind != session.kind:
            changed["kind"] = edit.kind
            session.kind = edit.kind
        if edit.date is not UNCHANGED and edit.date != session.date:
            changed["date"] = edit.date
            session.date = edit.date
        if not changed:
            return session, []
        if "id" in changed:
            _rename_in_run(project, session)
        change.log("session.edit", f"session:{session.key}", **changed)
    return session, list(changed)


def _rename_in_linkage(project: Project, change: Any, old_id: str, new_id: str) -> None:
    """The anonymisation decisions are kept per session id in the linkage key: move them."""
    try:
        linkage = change.linkage
    except IdentityError:
        raise IdentityError(project.root, "renaming a session needs the linkage key (its anonymisation "
                            "decisions are kept by session id), and this key cannot open it",
                            "rename it with the project passphrase or a key with linkage access",
                            code="session.rename_needs_linkage") from None
    occurrences = linkage.anonymisation.get("occurrences")
    if isinstance(occurrences, dict) and old_id in occurrences:
        occurrences[new_id] = occurrences.pop(old_id)


def _rename_in_run(project: Project, session: Session) -> None:
    """The interview run names its session by id (for its summary): follow the rename."""
    from interviewkit.interview.store import RUN_FILE

    raw = project.load_session_file(session, RUN_FILE)
    if raw is None:
        return
    data = json.loads(raw)
    data["session_id"] = session.id
    project.save_session_file(session, RUN_FILE, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def recorded_in(project: Project, session: Session) -> list[str]:
    """What is stored for the session: audio, transcript, interview run, other files (sorted, unique)."""
    folder = project.session_path(session, "")
    if not folder.is_dir():
        return []
    found = set()
    for path in folder.rglob("*"):
        if not path.is_file() or path.name.startswith(atomic.TEMP_PREFIX):
            continue
        top = path.relative_to(folder).parts[0]
        found.add(RECORDED_KINDS.get(top, "other files"))
    order = ["audio", "transcript", "interview run", "other files"]
    return [kind for kind in order if kind in found]


def remove_session(project: Project, session_id: str) -> Session:
    """Remove a session that holds nothing yet (a typo, a cancelled interview)."""
    with project.writing() as change:
        session = get_session(project, session_id)
        held = recorded_in(project, session)
        if held:
            raise InvalidInput(session_id, f"the session already has {', '.join(held)}, so it cannot be removed",
                               "correct its id, kind or date with 'interviewkit session edit' instead",
                               code="session.not_empty", params={"id": session_id, "held": ", ".join(held)})
        project.index.sessions.remove(session)
        for participant in project.index.participants:
            if session.key in participant.sessions:
                participant.sessions.remove(session.key)
        project.remove_path(project.session_path(session, ""))
        change.log("session.remove", f"session:{session.key}", participants=len(session.participants))
    return session
