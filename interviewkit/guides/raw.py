"""A guide file's parts before they become a Guide: ids may still be missing and the base
not yet merged.  Each part keeps the node it came from, so that the later steps
(``loader``) can still point at the file, line and column of a duplicate id or of a
placeholder without a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from interviewkit.guides.model import Question, Section
from interviewkit.guides.problems import GuideProblem


class Keys(dict):
    """A mapping's keys → (key node, value node); ``guessed``: known keys an unknown key was taken for."""

    guessed: set[str]


@dataclass
class Located:
    """Where a value came from: for problems found after parsing (duplicates, placeholders)."""

    file: str
    node: Node

    def problem(self, message: str, hint: str = "") -> GuideProblem:
        mark = self.node.start_mark
        return GuideProblem(self.file, mark.line + 1, mark.column + 1, message, hint)

    @property
    def place(self) -> str:
        mark = self.node.start_mark
        return f"{self.file}:{mark.line + 1}:{mark.column + 1}"


@dataclass
class RawQuestion:
    question: Question
    at: Located
    id_at: Located | None  # None: the id is generated


@dataclass
class RawSection:
    section: Section  # its questions are filled in when the guide is put together
    questions: list[RawQuestion]
    at: Located
    id_at: Located | None
    texts: list[tuple[str, Located]] = field(default_factory=list)  # read-aloud texts, for placeholders


@dataclass
class RawGuide:
    file: str
    root: Located | None
    values: dict[str, Any] = field(default_factory=dict)  # top-level keys present in this file
    texts: dict[str, list[tuple[str, Located]]] = field(default_factory=dict)  # per top-level key
    base: tuple[str, Located] | None = None
    sections: list[RawSection] | None = None  # None: the key is absent
    closing: RawSection | None = None
    problems: list[GuideProblem] = field(default_factory=list)  # found in this file
    guessed: set[str] = field(default_factory=set)  # keys that were misspelt (already reported)


def duplicate_id(what: str, value: str, first: Located, again: Located) -> GuideProblem:
    return again.problem(f"duplicate {what} id '{value}' (first used at {first.place})",
                         f"give each {what} its own id")
