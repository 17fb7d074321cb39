"""Anonymising a plain text file, without a project: the names list, one pass, one map.

``NAMES.txt`` holds one known term a line: a name (a person), or ``TYPE: term`` for another kind
(``municipality: Levanger``, ``workplace: Nordlys barnehage``; Norwegian type words work too:
``kommune:``, ``sted:``, ``arbeidsplass:``, ``prosjekt:``, ``person:``/``navn:``).  Blank lines and
lines starting with ``#`` are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interviewkit.anonymise.detectors.vocabulary import Term
from interviewkit.anonymise.hits import ENTITY_TYPES
from interviewkit.anonymise.indirect import IndirectWarning, indirect_identifiers
from interviewkit.anonymise.pipeline import find_identifiers
from interviewkit.anonymise.pseudonyms import PseudonymMap
from interviewkit.anonymise.review import apply_replacements
from interviewkit.errors import InvalidInput

TYPE_WORDS = {"navn": "person", "kommune": "municipality", "sted": "place", "arbeidsplass": "workplace",
              "prosjekt": "project", **{t: t for t in ENTITY_TYPES}}


@dataclass(frozen=True)
class Replacement:
    start: int  # code-point offsets into the original text
    end: int
    text: str
    type: str
    replacement: str
    confidence: float
    detector: str


@dataclass(frozen=True)
class AnonymisedText:
    text: str
    replacements: list[Replacement]
    warnings: list[IndirectWarning]


def read_names(path: Path) -> list[Term]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InvalidInput(path, "the names file is not UTF-8 text", "save it as UTF-8 and try again",
                           code="anonymise.names_not_utf8") from None
    terms = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, term = line.partition(":")
        if sep and " " not in kind.strip():
            type_ = TYPE_WORDS.get(kind.strip().lower())
            if type_ is None:
                raise InvalidInput(f"{path}:{number}", f"unknown kind '{kind.strip()}'",
                                   f"use one of {', '.join(sorted(TYPE_WORDS))}, or just the name",
                                   code="anonymise.names_unknown_kind",
                                   params={"value": kind.strip(), "choices": ", ".join(sorted(TYPE_WORDS))})
        else:
            type_, term = "person", line
        if not term.strip():
            raise InvalidInput(f"{path}:{number}", "the term is empty", "write TYPE: term, or a name",
                               code="anonymise.names_empty_term")
        terms.append(Term(type_, " ".join(term.split())))
    return terms


def anonymise_text(text: str, language: str = "no", terms: list[Term] | None = None,
                   convention: str = "labels", ner: bool = False) -> AnonymisedText:
    pmap = PseudonymMap(convention, "en" if language == "en" else "no")
    replacements = []
    for hit in find_identifiers(text, language=language, vocabulary=terms or [], ner=ner):
        entity = pmap.entity_for(hit)
        replacements.append(Replacement(hit.start, hit.end, hit.text, hit.type, pmap.replacement(entity, hit.text),
                                        hit.confidence, hit.detector))
    new = apply_replacements(text, [(r.start, r.end, r.replacement) for r in replacements])
    return AnonymisedText(new, replacements, list(indirect_identifiers(text)))
