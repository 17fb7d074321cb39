"""No recording without consent: every participant of the session must have consented to
audio recording.

Only people with the role ``participant`` are asked for (interviewers, co-moderators and
observers are part of the research team).  A participant who has withdrawn blocks recording
too: they must not be in a recorded session any more.  Messages name codes, never names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interviewkit.errors import InterviewkitError

if TYPE_CHECKING:
    from interviewkit.project import Project, ProjectIndex
    from interviewkit.sessions import Session

# Why a participant blocks recording.
NO_AUDIO_CONSENT = "no-audio-consent"
WITHDRAWN = "withdrawn"


class ConsentMissing(InterviewkitError):
    """Someone in the session has not consented to audio recording (or has withdrawn)."""

    def __init__(self, where: str, problem: str, hint: str, problems: list[ConsentProblem], **coded: Any) -> None:
        super().__init__(where, problem, hint, **coded)
        self.problems = problems


@dataclass(frozen=True)
class ConsentProblem:
    code: str
    reason: str  # NO_AUDIO_CONSENT | WITHDRAWN


class ConsentRevoked(InterviewkitError):
    """While recording, someone in the session revoked audio consent (or withdrew, or someone
    without it joined): the recording stopped."""

    def __init__(self, where: str, problem: str, hint: str, problems: list[ConsentProblem]) -> None:
        super().__init__(where, problem, hint, code="recording.consent_revoked",
                         params={"codes": ", ".join(p.code for p in problems)})
        self.problems = problems


def audio_consent_problems(project: Project, session: Session,
                           index: ProjectIndex | None = None) -> list[ConsentProblem] | None:
    """Who in ``session`` blocks audio recording; None when the session has no participants at all.
    ``index``: judge by this index instead of the project's (e.g. one just read from disk)."""
    index = index or project.index
    current = next((s for s in index.sessions if s.key == session.key), session)
    by_id = {p.id: p for p in index.participants}
    people = [by_id[pid] for pid in current.participants if pid in by_id]
    participants = [p for p in people if p.role == "participant"]
    if not participants:
        return None
    problems = []
    for person in participants:
        if person.withdrawn:
            problems.append(ConsentProblem(person.code, WITHDRAWN))
        elif not person.consent.items.get("audio"):
            problems.append(ConsentProblem(person.code, NO_AUDIO_CONSENT))
    return problems


def _join(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"


def consent_revoked(session: Session, problems: list[ConsentProblem] | None) -> ConsentRevoked:
    """The error a recording stops with when its session's consent changed under it."""
    where = f"session {session.id}"
    hint = "the take up to now is kept; record again when everyone in the session consents to audio recording"
    if not problems:
        return ConsentRevoked(where, "nobody in the session consents to audio recording any more, so the "
                              "recording stopped", hint, [])
    return ConsentRevoked(where, f"{_problem_text(problems)}, so the recording stopped", hint, problems)


def _problem_text(problems: list[ConsentProblem]) -> str:
    missing = [p.code for p in problems if p.reason == NO_AUDIO_CONSENT]
    withdrawn = [p.code for p in problems if p.reason == WITHDRAWN]
    parts = []
    if missing:
        parts.append(f"{_join(missing)} {'has' if len(missing) == 1 else 'have'} not consented to audio recording")
    if withdrawn:
        parts.append(f"{_join(withdrawn)} {'has' if len(withdrawn) == 1 else 'have'} withdrawn from the study")
    return "; ".join(parts)


def check_audio_consent(project: Project, session: Session) -> None:
    """Raise ``ConsentMissing`` unless everyone in the session may be recorded."""
    problems = audio_consent_problems(project, session)
    where = f"session {session.id}"
    if problems is None:
        raise ConsentMissing(where, "the session has no participants, so nobody has consented to audio recording",
                             f"add the participants with their consent first (interviewkit participant add PROJECT "
                             f"--code CODE --name NAME --consent participation audio --session {session.id})", [],
                             code="audio.no_participants", params={"session": session.id})
    if not problems:
        return
    missing = [p.code for p in problems if p.reason == NO_AUDIO_CONSENT]
    if missing:
        hint = ("record their consent to audio first (interviewkit participant list PROJECT shows it); "
                "without it, take notes instead")
    else:
        hint = "a withdrawn participant must not be recorded: record in a session without them"
    withdrawn = [p.code for p in problems if p.reason == WITHDRAWN]
    raise ConsentMissing(where, _problem_text(problems), hint, problems,
                         code="audio.no_consent" if missing else "audio.withdrawn",
                         params={"missing": ", ".join(missing), "withdrawn": ", ".join(withdrawn),
                                 "session": session.id})
