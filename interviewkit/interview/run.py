"""One interview session run through a guide: where the interviewer is, what was asked,
skipped or left for later, how long each theme took against its budget, and the notes.

Time is *session-clock* time: seconds the clock ran (pauses, and time while the app was
closed, do not count).  Wall times are kept too (ISO text), for the record.  The run reads
an injectable ``Clock``; it knows nothing of files or screens.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from interviewkit.errors import InvalidInput, VaultCorrupt
from interviewkit.guides.model import AUDIENCES, Guide, Question, Section, Wording, fill
from interviewkit.interview.clock import Clock, SystemClock, iso
from interviewkit.interview.guide_codec import GuideRecord, guide_from_dict, guide_to_dict

QUESTION_STATES = ("open", "asked", "skipped", "later")
DONE_STATES = ("asked", "skipped")
NOTE_KINDS = ("note", "observer", "body-language", "after-recorder")
# What a question is expected to take when its section has no budget and no session length is given.
DEFAULT_QUESTION_MINUTES = 3.0
FORMAT = "interviewkit-interview"
FORMAT_VERSION = 1


@dataclass
class StateChange:
    state: str
    at: float  # session-clock seconds


@dataclass
class QuestionState:
    state: str = "open"
    changes: list[StateChange] = field(default_factory=list)


@dataclass
class Note:
    at: float  # session-clock seconds
    wall: str  # ISO wall time
    kind: str  # one of NOTE_KINDS
    text: str
    question: str | None = None  # the question current when it was written
    section: str | None = None


@dataclass
class Event:
    """What happened when (ids only: a note event carries no text)."""

    at: float
    wall: str
    kind: str  # start | pause | resume | end | move | mark | note | reopen
    question: str | None = None
    detail: str | None = None


@dataclass
class SectionTime:
    section_id: str
    title: str
    seconds: float
    budget_seconds: float | None

    @property
    def over(self) -> bool:
        return self.budget_seconds is not None and self.seconds > self.budget_seconds


@dataclass
class Suggestion:
    """Time runs short: the open ``must`` questions need more than is left."""

    remaining_seconds: float
    needed_seconds: float
    must_open: list[str]  # question ids, in guide order
    drop: list[str]  # open optional, then should questions, that could be dropped


@dataclass
class InterviewRun:
    guide: Guide
    record: GuideRecord
    audience: str = "individual"  # the wording used: individual | group
    placeholders: dict[str, str] = field(default_factory=dict)
    planned_minutes: float | None = None  # the session's planned length, if given at start
    session_id: str | None = None
    current: str | None = None  # question id
    states: dict[str, QuestionState] = field(default_factory=dict)
    section_seconds: dict[str, float] = field(default_factory=dict)
    question_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    running: bool = False
    started: str | None = None  # wall time the clock first started
    ended: str | None = None  # wall time the interview was ended
    notes: list[Note] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    clock: Clock = field(default_factory=SystemClock, compare=False, repr=False)
    _mark: float | None = field(default=None, compare=False, repr=False)  # monotonic start of the running stretch

    # -- creating --------------------------------------------------------------------------

    @classmethod
    def new(cls, guide: Guide, *, clock: Clock | None = None, record: GuideRecord | None = None,
            audience: str = "individual", placeholders: dict[str, str] | None = None,
            planned_minutes: float | None = None, session_id: str | None = None) -> InterviewRun:
        if audience not in AUDIENCES:
            raise InvalidInput("audience", f"unknown audience '{audience}'", f"use one of {', '.join(AUDIENCES)}",
                               code="interview.unknown_audience",
                               params={"value": audience, "choices": ", ".join(AUDIENCES)}, field="audience")
        if planned_minutes is not None and not planned_minutes > 0:
            raise InvalidInput("--minutes", f"'{planned_minutes}' is not a session length",
                               "give the planned length in minutes, e.g. 60",
                               code="interview.bad_minutes", params={"value": planned_minutes})
        questions = guide.questions()
        if not questions:
            raise InvalidInput(guide.info.title, "the guide has no questions", "add questions to the guide",
                               code="guide.no_questions")
        ids = [q.id for _, q in questions]
        if len(set(ids)) != len(ids):
            raise InvalidInput(guide.info.title, "the guide has duplicate question ids",
                               "give each question its own id",
                               code="guide.duplicate_ids")
        return cls(guide=guide, record=record or GuideRecord.of(guide), audience=audience,
                   placeholders=dict(placeholders or {}), planned_minutes=planned_minutes, session_id=session_id,
                   current=ids[0], states={qid: QuestionState() for qid in ids},
                   section_seconds={s.id: 0.0 for s in guide.sections}, question_seconds=dict.fromkeys(ids, 0.0),
                   clock=clock or SystemClock())

    # -- looking up ----------------------------------------------------------------------

    def order(self) -> list[str]:
        return [q.id for _, q in self.guide.questions()]

    def find(self, question_id: str) -> tuple[Section, Question]:
        found = self.guide.find_question(question_id)
        if found is None:
            raise InvalidInput("question", f"no question '{question_id}' in the guide", "pick one from the guide",
                               code="interview.no_question", params={"id": question_id})
        return found

    def current_question(self) -> tuple[Section, Question]:
        return self.find(self.current or self.order()[0])

    def current_section_id(self) -> str:
        return self.current_question()[0].id

    def state_of(self, question_id: str) -> str:
        state = self.states.get(question_id)
        return state.state if state else "open"

    def text(self, wording: Wording | None) -> str:
        """A guide text in this run's wording, with its placeholders filled."""
        if wording is None:
            return ""
        return fill(wording.for_audience(self.audience), self.placeholders)

    @property
    def status(self) -> str:
        """not-started | running | paused | ended"""
        if self.running:
            return "running"
        if self.ended:
            return "ended"
        return "paused" if self.started else "not-started"

    # -- time ------------------------------------------------------------------------------

    def _pending(self) -> float:
        if not self.running or self._mark is None:
            return 0.0
        return max(0.0, self.clock.monotonic() - self._mark)

    def settle(self) -> None:
        """Book the running stretch up to now to the current section and question."""
        delta = self._pending()
        if self.running:
            self._mark = self.clock.monotonic()
        if delta:
            self.total_seconds += delta
            section, question = self.current_question()
            self.section_seconds[section.id] = self.section_seconds.get(section.id, 0.0) + delta
            self.question_seconds[question.id] = self.question_seconds.get(question.id, 0.0) + delta

    def elapsed(self) -> float:
        return self.total_seconds + self._pending()

    def section_elapsed(self, section_id: str) -> float:
        pending = self._pending() if self.current_section_id() == section_id else 0.0
        return self.section_seconds.get(section_id, 0.0) + pending

    def question_elapsed(self, question_id: str) -> float:
        pending = self._pending() if self.current == question_id else 0.0
        return self.question_seconds.get(question_id, 0.0) + pending

    def section_times(self) -> list[SectionTime]:
        return [SectionTime(s.id, self.text(s.title), self.section_elapsed(s.id),
                            s.budget_minutes * 60 if s.budget_minutes is not None else None)
                for s in self.guide.sections]

    def current_section_time(self) -> SectionTime:
        section_id = self.current_section_id()
        return next(t for t in self.section_times() if t.section_id == section_id)

    def planned_seconds(self) -> float | None:
        """The session's planned length: given at start, else the sum of the section budgets."""
        if self.planned_minutes is not None:
            return self.planned_minutes * 60
        total = self.guide.total_budget_minutes()
        return total * 60 if total is not None else None

    def estimate_seconds(self, question_id: str) -> float:
        """What a question is expected to take: its share of its section's budget, else of the
        planned session, else ``DEFAULT_QUESTION_MINUTES``."""
        section, _ = self.find(question_id)
        if section.budget_minutes is not None and section.questions:
            return section.budget_minutes * 60 / len(section.questions)
        if self.planned_minutes is not None:
            return self.planned_minutes * 60 / len(self.order())
        return DEFAULT_QUESTION_MINUTES * 60

    # -- clock control --------------------------------------------------------------------

    def _event(self, kind: str, question: str | None = None, detail: str | None = None) -> None:
        self.events.append(Event(at=self.elapsed(), wall=iso(self.clock.now()), kind=kind, question=question,
                                 detail=detail))

    def start(self) -> bool:
        """Start (or resume) the clock; False if it runs already."""
        if self.running:
            return False
        first = self.started is None
        if first:
            self.started = iso(self.clock.now())
        self.ended = None
        self.running = True
        self._mark = self.clock.monotonic()
        self._event("start" if first else "resume")
        return True

    def pause(self) -> bool:
        if not self.running:
            return False
        self.settle()
        self.running = False
        self._mark = None
        self._event("pause")
        return True

    def toggle(self) -> bool:
        """Pause if running, else start or resume; True if the clock runs now."""
        if self.running:
            self.pause()
        else:
            self.start()
        return self.running

    def end(self) -> None:
        """The interview is over: stop the clock (marks and notes can still be corrected)."""
        self.settle()
        self.running = False
        self._mark = None
        self.ended = iso(self.clock.now())
        self._event("end")

    def reopened(self) -> None:
        """Record that the run was loaded again (after the app was closed or killed)."""
        self._event("reopen")

    # -- moving ---------------------------------------------------------------------------

    def move(self, question_id: str) -> bool:
        """Make ``question_id`` the current question; False if it was already."""
        self.find(question_id)
        if question_id == self.current:
            return False
        self.settle()
        self.current = question_id
        self._event("move", question_id)
        return True

    def next(self) -> bool:
        order = self.order()
        index = order.index(self.current) if self.current in order else -1
        return index + 1 < len(order) and self.move(order[index + 1])

    def previous(self) -> bool:
        order = self.order()
        index = order.index(self.current) if self.current in order else 0
        return index > 0 and self.move(order[index - 1])

    def next_unfinished(self) -> str | None:
        """The first question after the current one (then from the start) not yet asked or skipped."""
        order = self.order()
        index = order.index(self.current) if self.current in order else -1
        for question_id in order[index + 1:] + order[:index]:
            if self.state_of(question_id) not in DONE_STATES:
                return question_id
        return None

    # -- marking --------------------------------------------------------------------------

    def mark(self, state: str, question_id: str | None = None) -> bool:
        """Set a question's state (default: the current one); False if it had that state."""
        if state not in QUESTION_STATES:
            raise InvalidInput("state", f"unknown question state '{state}'", f"use one of {', '.join(QUESTION_STATES)}",
                               code="interview.unknown_state",
                               params={"value": state, "choices": ", ".join(QUESTION_STATES)}, field="state")
        question_id = question_id or self.current or self.order()[0]
        self.find(question_id)
        entry = self.states.setdefault(question_id, QuestionState())
        if entry.state == state:
            return False
        self.settle()
        entry.state = state
        entry.changes.append(StateChange(state, self.elapsed()))
        self._event("mark", question_id, state)
        return True

    def mark_and_advance(self, state: str) -> str | None:
        """What the interviewer's keys do: mark the current question and go on to the next one
        not yet done.  Marking a question with the state it has undoes the mark (back to open)
        and stays.  Returns the current question id afterwards."""
        current = self.current or self.order()[0]
        if self.state_of(current) == state:
            self.mark("open", current)
            return self.current
        self.mark(state, current)
        following = self.next_unfinished()
        if following is not None:
            self.move(following)
        return self.current

    # -- notes ----------------------------------------------------------------------------

    def add_note(self, text: str, kind: str = "note") -> Note:
        text = text.strip()
        if not text:
            raise InvalidInput("note", "the note is empty", "type something first",
                               code="interview.empty_note")
        if kind not in NOTE_KINDS:
            raise InvalidInput("note kind", f"unknown note kind '{kind}'", f"use one of {', '.join(NOTE_KINDS)}",
                               code="interview.unknown_note_kind",
                               params={"value": kind, "choices": ", ".join(NOTE_KINDS)}, field="note-kind")
        section, question = self.current_question()
        note = Note(at=self.elapsed(), wall=iso(self.clock.now()), kind=kind, text=text, question=question.id,
                    section=section.id)
        self.notes.append(note)
        self._event("note", question.id, kind)
        return note

    # -- what is left -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(QUESTION_STATES, 0)
        for question_id in self.order():
            found[self.state_of(question_id)] += 1
        return found

    def open_questions(self, priorities: tuple[str, ...] = ("must", "should", "optional")) -> list[str]:
        """Questions not yet asked or skipped (open or left for later), in guide order."""
        return [q.id for _, q in self.guide.questions()
                if q.priority in priorities and self.state_of(q.id) not in DONE_STATES]

    def open_must_questions(self) -> list[str]:
        return self.open_questions(("must",))

    def suggestion(self) -> Suggestion | None:
        """When the time left is less than the open ``must`` questions need: which they are,
        and which optional and should questions could be dropped.  None while time suffices
        or no session length is known."""
        planned = self.planned_seconds()
        if planned is None:
            return None
        must = self.open_must_questions()
        if not must:
            return None
        remaining = planned - self.elapsed()
        needed = sum(self.estimate_seconds(q) for q in must)
        if remaining >= needed:
            return None
        drop = self.open_questions(("optional",)) + self.open_questions(("should",))
        return Suggestion(remaining_seconds=remaining, needed_seconds=needed, must_open=must, drop=drop)

    # -- storing --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The run as JSON-ready data; a running stretch is booked first (so nothing is lost)."""
        self.settle()
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "guide_record": self.record.to_dict(),
            "guide": guide_to_dict(self.guide),
            "audience": self.audience,
            "placeholders": self.placeholders,
            "planned_minutes": self.planned_minutes,
            "session_id": self.session_id,
            "current": self.current,
            "states": {qid: asdict(state) for qid, state in self.states.items()},
            "section_seconds": self.section_seconds,
            "question_seconds": self.question_seconds,
            "total_seconds": self.total_seconds,
            "running": self.running,
            "started": self.started,
            "ended": self.ended,
            "notes": [asdict(note) for note in self.notes],
            "events": [asdict(event) for event in self.events],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any], clock: Clock | None = None) -> InterviewRun:
        clock = clock or SystemClock()
        run = cls(
            guide=guide_from_dict(data["guide"]),
            record=GuideRecord.from_dict(data["guide_record"]),
            audience=data.get("audience", "individual"),
            placeholders=dict(data.get("placeholders", {})),
            planned_minutes=data.get("planned_minutes"),
            session_id=data.get("session_id"),
            current=data.get("current"),
            states={qid: QuestionState(state=s["state"], changes=[StateChange(**c) for c in s.get("changes", [])])
                    for qid, s in data.get("states", {}).items()},
            section_seconds={k: float(v) for k, v in data.get("section_seconds", {}).items()},
            question_seconds={k: float(v) for k, v in data.get("question_seconds", {}).items()},
            total_seconds=float(data.get("total_seconds", 0.0)),
            running=bool(data.get("running", False)),
            started=data.get("started"),
            ended=data.get("ended"),
            notes=[Note(**n) for n in data.get("notes", [])],
            events=[Event(**e) for e in data.get("events", [])],
            clock=clock,
        )
        # A run that was running goes on from now: the time the app was closed is not counted.
        run._mark = clock.monotonic() if run.running else None
        return run

    @classmethod
    def from_bytes(cls, raw: bytes, clock: Clock | None = None, where: str = "interview.age") -> InterviewRun:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise VaultCorrupt(where, f"the interview record is unreadable ({exc})",
                               "restore it from a backup",
                               code="interview.record_unreadable", params={"detail": exc}) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise VaultCorrupt(where, "not an interview record", "restore it from a backup",
                               code="interview.not_a_record")
        if not isinstance(data.get("version"), int) or data["version"] > FORMAT_VERSION:
            raise VaultCorrupt(where, f"made by a newer interviewkit (format {data.get('version')})",
                               "upgrade interviewkit",
                               code="vault.newer_format")
        try:
            return cls.from_dict(data, clock)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise VaultCorrupt(where, f"the interview record is unreadable ({type(exc).__name__}: {exc})",
                               "restore it from a backup",
                               code="interview.record_unreadable", params={"detail": exc}) from None
