"""One guide file's node tree → its raw parts (``raw``), with a located problem for
everything wrong: wrong types, unknown or duplicate keys, empty texts, bad values."""

from __future__ import annotations

import datetime as dt
import math
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from interviewkit.guides import keys
from interviewkit.guides.model import Question, Section, Wording
from interviewkit.guides.problems import GuideProblem
from interviewkit.guides.raw import Keys, Located, RawGuide, RawQuestion, RawSection, duplicate_id

NULL = "tag:yaml.org,2002:null"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
ID_PATTERN = re.compile(r"^\S+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class FileParser:
    """Walks one file's node tree; collects problems instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[GuideProblem] = []

    # -- the parts of a guide

    def guide(self, root: Node | None) -> RawGuide:
        raw = RawGuide(self.file, Located(self.file, root) if root is not None else None, problems=self.problems)
        if root is None or (isinstance(root, ScalarNode) and root.tag == NULL):
            self.problems.append(GuideProblem(self.file, 0, 0, "the file is empty",
                                              "start it with a title: line and a list of sections:"))
            return raw
        items = self.mapping(root, keys.TOP_KEYS, "the guide",
                             "a guide is a set of keys: title:, introduction:, sections: …")
        if items is None:
            return raw
        raw.guessed = items.guessed
        for key, (_, value) in items.items():
            if key in ("introduction", "consent_script"):
                texts: list[tuple[str, Located]] = []
                raw.values[key] = self.wording(value, key.replace("_", " "), texts)
                raw.texts[key] = texts
            elif key == "title":
                raw.values[key] = self.text(value, "the title", required=True)
            elif key in ("language", "audience"):
                raw.values[key] = self.choice(value, key)
            elif key == "date":
                raw.values[key] = self.date(value)
            elif key in ("version", "author"):
                raw.values[key] = self.text(value, f"the {key}")
            elif key == "base":
                base = self.text(value, "base", required=True)
                if base:
                    raw.base = (base, self.at(value))
            elif key == "sections":
                raw.sections = self.sections(value)
            elif key == "closing":
                if not self.is_null(value):
                    raw.closing = self.section(value, "the closing round", closing=True)
        return raw

    def sections(self, node: Node) -> list[RawSection]:
        if self.is_null(node) or (isinstance(node, SequenceNode) and not node.value):
            self.add(node, "sections is empty", "add at least one theme: '- title: …' with questions:")
            return []
        if not isinstance(node, SequenceNode):
            self.add(node, f"sections must be a list, not {describe(node)}",
                     "write each section on its own line starting with '- ', e.g. '- title: Om deg'")
            return []
        found = [self.section(item, f"section {i}") for i, item in enumerate(node.value, 1)]
        sections = [section for section in found if section is not None]
        seen: dict[str, Located] = {}
        for section in sections:
            if section.id_at:
                value = section.id_at.node.value
                if value in seen:
                    self.problems.append(duplicate_id("section", value, seen[value], section.id_at))
                else:
                    seen[value] = section.id_at
        return sections

    def section(self, node: Node, what: str, closing: bool = False) -> RawSection | None:
        items = self.mapping(node, keys.SECTION_KEYS, what, "a section has title: and questions:")
        if items is None:
            return None
        texts: list[tuple[str, Located]] = []
        id_at = self.identifier(items, "section")
        title = self.wording(items["title"][1], "the section title", texts) if "title" in items else None
        if "title" not in items and "title" not in items.guessed and not closing:
            self.add(node, f"{what} has no title", "add title: with the theme's name")
        name = f"section '{title.default}'" if title else what
        questions: list[RawQuestion] = []
        if "questions" in items.guessed:
            pass  # the misspelt key is reported
        elif "questions" not in items or self.is_null(items["questions"][1]):
            self.add(node, f"{name} has no questions", "add questions: with at least one question, "
                     "or remove the section")
        else:
            questions = self.questions(items["questions"][1], name, texts)
        section = Section(
            id=id_at.node.value if id_at else "",
            title=title or Wording(""),
            budget_minutes=self.budget(items["budget"][1]) if "budget" in items else None,
            note=self.text(items["note"][1], "the note") if "note" in items else None,
            kind="closing" if closing else "theme",
        )
        return RawSection(section, questions, Located(self.file, node), id_at, texts)

    def questions(self, node: Node, name: str, texts: list[tuple[str, Located]]) -> list[RawQuestion]:
        if not isinstance(node, SequenceNode):
            self.add(node, f"questions must be a list, not {describe(node)}",
                     "write each question on its own line starting with '- '")
            return []
        if not node.value:
            self.add(node, f"{name} has no questions", "add at least one question, or remove the section")
        found = [self.question(item, texts) for item in node.value]
        return [question for question in found if question is not None]

    def question(self, node: Node, texts: list[tuple[str, Located]]) -> RawQuestion | None:
        if self.is_null(node):
            self.add(node, "empty question", "write the question after the '- ', or remove the line")
            return None
        if isinstance(node, ScalarNode):  # shorthand: the question's text alone
            text = self.wording(node, "the question text", texts)
            return RawQuestion(Question(id="", text=text), self.at(node), None) if text else None
        items = self.mapping(node, keys.QUESTION_KEYS, "a question",
                             "a question is either its text or a set of keys: text:, probes:, priority: …")
        if items is None:
            return None
        id_at = self.identifier(items, "question")
        text = self.wording(items["text"][1], "the question text", texts) if "text" in items else None
        if "text" not in items and "text" not in items.guessed:
            self.add(node, "the question has no text", "add text: with the question as you will ask it")
        probes: list[Wording] = []
        if "probes" in items:
            probes = self.probes(items["probes"][1], texts)
        question = Question(
            id=id_at.node.value if id_at else "",
            text=text or Wording(""),
            probes=probes,
            priority=(self.choice(items["priority"][1], "priority") or "should") if "priority" in items else "should",
            condition=self.text(items["condition"][1], "the condition") if "condition" in items else None,
            note=self.text(items["note"][1], "the note") if "note" in items else None,
        )
        return RawQuestion(question, self.at(node), id_at)

    def probes(self, node: Node, texts: list[tuple[str, Located]]) -> list[Wording]:
        if self.is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.add(node, f"probes must be a list, not {describe(node)}",
                     "write each probe on its own line starting with '- '")
            return []
        found = [self.wording(item, "the probe", texts) for item in node.value]
        return [probe for probe in found if probe is not None]

    # -- values

    def mapping(self, node: Node, known: tuple[str, ...], what: str, hint: str) -> Keys | None:
        """The keys of a mapping (first of duplicates), reporting duplicates and unknown keys."""
        if not isinstance(node, MappingNode):
            self.add(node, f"{what} must be a set of keys, not {describe(node)}", hint)
            return None
        items = Keys()
        items.guessed = set()
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.add(key, "a key must be a plain word", f"use one of {keys.one_of(known)}")
                continue
            name = key.value
            if name in items:
                first = items[name][0].start_mark
                self.add(key, f"duplicate key '{name}' (first at line {first.line + 1})",
                         "remove one of them; YAML keeps only one")
            elif name not in known:
                self.add(key, *unknown_key(name, known))
                items.guessed.add(keys.closest(name, known) or "")
            else:
                items[name] = (key, value)
        return items

    def identifier(self, items: Keys, what: str) -> Located | None:
        if "id" not in items:
            return None
        node = items["id"][1]
        value = self.text(node, f"the {what} id")
        if value is None:
            return None
        if not ID_PATTERN.match(value):
            self.add(node, f"{what} id '{value}' contains spaces" if value.strip() else f"the {what} id is empty",
                     "use a short word without spaces, e.g. skole-og-fritid, or leave the id out")
            return None
        return self.at(node)

    def wording(self, node: Node, what: str, texts: list[tuple[str, Located]]) -> Wording | None:
        """A text read aloud: a string, or {individual: …, group: …}."""
        if isinstance(node, MappingNode):
            if node.flow_style and all(isinstance(v, ScalarNode) and v.tag == NULL for _, v in node.value):
                self.add(node, f"{what} starts with '{{' and so reads as a YAML mapping",
                         "put the whole text in quotes, e.g. \"{municipality} kommune …\"")
                return None
            items = self.mapping(node, keys.WORDING_KEYS, what, "")
            if items is None:
                return None
            if "individual" not in items:
                self.add(node, f"{what} has no 'individual' wording",
                         "add individual: with the wording for individual interviews (also the default)")
                return None
            default = self.spoken(items["individual"][1], what, texts)
            group = self.spoken(items["group"][1], f"{what} (group)", texts) if "group" in items else None
            return Wording(default, group) if default is not None else None
        default = self.spoken(node, what, texts)
        return Wording(default) if default is not None else None

    def spoken(self, node: Node, what: str, texts: list[tuple[str, Located]]) -> str | None:
        value = self.text(node, what, required=True)
        if value is not None:
            texts.append((value, self.at(node)))
        return value

    def text(self, node: Node, what: str, required: bool = False) -> str | None:
        """A scalar's text as written (so `version: 1.10` stays "1.10"); None when absent."""
        if not isinstance(node, ScalarNode):
            self.add(node, f"{what} must be text, not {describe(node)}",
                     "write it on the same line after the key, in quotes if it contains ': ' or starts with - { [")
            return None
        if node.tag == NULL:
            if required:
                self.add(node, f"{what} is empty", "write the text after the key, or remove the key")
            return None
        if required and not node.value.strip():
            self.add(node, f"{what} is empty", "write the text, or remove the key")
            return None
        return node.value

    def choice(self, node: Node, what: str) -> str | None:
        value = self.text(node, what, required=True)
        choices = keys.CHOICES[what]
        if value is None or value in choices:
            return value
        guess = keys.closest(value, choices, keys.VALUE_ALIASES)
        hint = f"did you mean '{guess}'? " if guess else ""
        self.add(node, f"unknown {what} '{value}'", f"{hint}use {keys.one_of(choices)}")
        return None

    def date(self, node: Node) -> str | None:
        value = self.text(node, "the date", required=True)
        if value is None:
            return None
        try:
            if not DATE_PATTERN.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            self.add(node, f"date '{value}' is not a date in the form YYYY-MM-DD", "e.g. date: 2026-09-01")
            return None
        return value

    def budget(self, node: Node) -> float | None:
        if isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
            number = float(_CONSTRUCTOR.construct_yaml_int(node) if node.tag == INT
                           else _CONSTRUCTOR.construct_yaml_float(node))
            if math.isfinite(number) and number > 0:
                return number
            self.add(node, f"budget must be a positive number of minutes, not {node.value}", "e.g. budget: 10")
            return None
        if isinstance(node, ScalarNode) and node.tag == NULL:
            return None
        shown = f"'{node.value}'" if isinstance(node, ScalarNode) else describe(node)
        self.add(node, f"budget {shown} is not a number", "write the minutes as a number, e.g. budget: 10")
        return None

    # -- helpers

    def is_null(self, node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.tag == NULL

    def at(self, node: Node) -> Located:
        return Located(self.file, node)

    def add(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(self.at(node).problem(message, hint))


def unknown_key(name: str, known: tuple[str, ...]) -> tuple[str, str]:
    guess = keys.closest(name, known)
    if guess:
        return f"unknown key '{name}'", f"did you mean '{guess}'?"
    if " " in name.strip():
        return (f"unknown key '{name}'", "if this is a text that contains ': ', put the whole text in quotes")
    return f"unknown key '{name}'", f"known keys here: {', '.join(known)}"


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a set of keys"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    return f"'{node.value}'" if len(node.value) <= 40 else "a text"
