"""Interview sessions: one project holds many, each with its people and (later) audio,
transcripts and notes.  A session's folder is named by a random key, never by its label."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.study import parse_date

if TYPE_CHECKING:
    from interviewkit.project import Project

SESSION_KINDS = ("individual", "group")
SESSION_ID = re.compile(r"^[\w.-]{1,40}$")


@dataclass
class Session:
    id: str
    key: str = field(default_factory=lambda: secrets.token_hex(8))
    kind: str = "individual"
    date: str | None = None
    participants: list[str] = field(default_factory=list)  # participant ids
    created: str = field(default_factory=lambda: dt.date.today().isoformat())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(**data)


def add_session(project: Project, session_id: str, kind: str = "individual", date: str | None = None) -> Session:
    if not SESSION_ID.match(session_id):
        raise InvalidInput("session id", f"'{session_id}' is not a valid session id",
                           "use letters, digits, '.', '-' or '_' (at most 40), e.g. S01")
    if kind not in SESSION_KINDS:
        raise InvalidInput("--kind", f"unknown session kind '{kind}'", f"use one of {', '.join(SESSION_KINDS)}")
    date = parse_date(date, "--date")
    with project.writing() as change:
        if project.index.find_session(session_id):
            raise InvalidInput("session id", f"a session '{session_id}' already exists", "choose another id")
        session = Session(id=session_id, kind=kind, date=date)
        project.index.sessions.append(session)
        change.log("session.add", f"session:{session.key}")
    return session


def get_session(project: Project, session_id: str) -> Session:
    session = project.index.find_session(session_id)
    if session is None:
        known = ", ".join(s.id for s in project.index.sessions) or "none yet"
        raise NotFound(project.root, f"no session '{session_id}'", f"known sessions: {known}")
    return session
