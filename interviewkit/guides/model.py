"""The interview guide as data: sections (themes) of questions with probes, priorities,
conditions and notes, plus wording variants for individual and group interviews.

This module is the contract between the loader (``guides.loader``), the validator, the
interview run (``interview``) and the screens.  It knows nothing of YAML or of the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AUDIENCES = ("individual", "group")
GUIDE_AUDIENCES = ("individual", "group", "both")
PRIORITIES = ("must", "should", "optional")
SECTION_KINDS = ("theme", "closing")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Wording:
    """A text with an optional group variant: ``for_audience('group')`` falls back to the default."""

    default: str
    group: str | None = None

    def for_audience(self, audience: str) -> str:
        return self.group if audience == "group" and self.group else self.default

    def placeholders(self) -> set[str]:
        found = set(PLACEHOLDER.findall(self.default))
        if self.group:
            found |= set(PLACEHOLDER.findall(self.group))
        return found


@dataclass
class Question:
    id: str
    text: Wording
    probes: list[Wording] = field(default_factory=list)
    priority: str = "should"
    condition: str | None = None  # e.g. "if the participant is a pupil"
    note: str | None = None  # to the interviewer, never read aloud


@dataclass
class Section:
    id: str
    title: Wording
    questions: list[Question] = field(default_factory=list)
    budget_minutes: float | None = None
    note: str | None = None
    kind: str = "theme"  # "closing" for the closing round


@dataclass
class GuideInfo:
    title: str
    language: str = "nb"  # nb | nn | en
    version: str = "1"
    audience: str = "individual"  # individual | group | both
    author: str | None = None
    date: str | None = None  # ISO date


@dataclass
class Guide:
    info: GuideInfo
    sections: list[Section] = field(default_factory=list)  # themes, then the closing section last
    introduction: Wording | None = None  # read aloud to the participant
    consent_script: Wording | None = None  # read before the recorder starts
    base: str | None = None  # the base guide this one extends (file name), if any

    def questions(self) -> list[tuple[Section, Question]]:
        return [(section, question) for section in self.sections for question in section.questions]

    def find_question(self, question_id: str) -> tuple[Section, Question] | None:
        return next(((s, q) for s, q in self.questions() if q.id == question_id), None)

    def placeholders(self) -> set[str]:
        """Every ``{name}`` used anywhere in texts read aloud or shown."""
        found: set[str] = set()
        for wording in (self.introduction, self.consent_script):
            if wording:
                found |= wording.placeholders()
        for section in self.sections:
            found |= section.title.placeholders()
            for question in section.questions:
                found |= question.text.placeholders()
                for probe in question.probes:
                    found |= probe.placeholders()
        return found

    def total_budget_minutes(self) -> float | None:
        budgets = [s.budget_minutes for s in self.sections if s.budget_minutes is not None]
        return sum(budgets) if budgets else None


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders that have a value; leave the others visible."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
