"""Write a Guide back as YAML text that loads to an equal Guide.

Texts are written so that any string survives: plain where YAML allows, quoted where it
would otherwise read as something else (``yes``, ``12``, ``: ``, ``#``, leading spaces), and
as a literal block (``|``) when it has line breaks.  Every id is written out, so the ids
stay the same even if sections are later moved.  A guide that extends another keeps its
``base:`` key; every section is written out, so it loads the same next to its base.
"""

from __future__ import annotations

from typing import Any

import yaml

from interviewkit.guides.model import Guide, Question, Section, Wording
from interviewkit.guides.source import no_gc


class _Dumper(yaml.SafeDumper):
    """Block style, keys in our order, list items indented under their key, multi-line texts as blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML: only escaped ("\N") do they survive


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(char in value for char in UNICODE_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_guide(guide: Guide, schema: str | None = None) -> str:
    """The guide as YAML text.  ``schema``: a path or URL for the yaml-language-server line at the top."""
    data = guide_to_data(guide)
    with no_gc():
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2,
                         default_flow_style=False)
    return (f"# yaml-language-server: $schema={schema}\n" + text) if schema else text


def guide_to_data(guide: Guide) -> dict[str, Any]:
    """The guide as plain dicts and lists, in the shape of the YAML file."""
    info = guide.info
    data: dict[str, Any] = {"title": info.title, "language": info.language, "version": info.version,
                            "audience": info.audience}
    _put(data, "author", info.author)
    _put(data, "date", info.date)
    _put(data, "base", guide.base)
    _put(data, "introduction", _wording(guide.introduction))
    _put(data, "consent_script", _wording(guide.consent_script))
    themes = [s for s in guide.sections if s.kind != "closing"]
    closings = [s for s in guide.sections if s.kind == "closing"]
    if len(closings) > 1 or (closings and guide.sections[-1] is not closings[0]):
        raise ValueError("a guide has at most one closing section, and it comes last")
    if themes:
        data["sections"] = [_section(s) for s in themes]
    if closings:
        data["closing"] = _section(closings[0])
    return data


def _section(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"id": section.id, "title": _wording(section.title)}
    budget = section.budget_minutes
    _put(data, "budget", int(budget) if budget is not None and float(budget).is_integer() else budget)
    _put(data, "note", section.note)
    data["questions"] = [_question(q) for q in section.questions]
    return data


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "text": _wording(question.text)}
    if question.probes:
        data["probes"] = [_wording(p) for p in question.probes]
    if question.priority != "should":
        data["priority"] = question.priority
    _put(data, "condition", question.condition)
    _put(data, "note", question.note)
    return data


def _wording(wording: Wording | None) -> str | dict[str, str] | None:
    if wording is None:
        return None
    if wording.group is None:
        return wording.default
    return {"individual": wording.default, "group": wording.group}


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value
