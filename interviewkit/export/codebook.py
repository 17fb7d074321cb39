"""A small codebook for the REFI-QDA export: codes (a tree), and codings that tie a code to a span
of a session's exported plain text.

A project has no codes of its own yet: an interview guide gives a deductive starter codebook
(``codebook_from_guide``: themes and their questions), and later features fill in codings.  A coding names its session by
id and its span by Unicode code-point offsets (``start`` inclusive, ``end`` exclusive, like a Python
slice) into the text that :func:`interviewkit.export.qdpx.session_text` returns for that session —
the exact text the ``.qdpx`` carries.  Offsets into de-identified text do not fit identifiable text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewkit.guides.model import Guide

RGB = re.compile(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")


@dataclass(frozen=True)
class Coding:
    session: str   # the session id
    start: int     # code-point offset into the session's exported plain text (inclusive)
    end: int       # exclusive


@dataclass(frozen=True)
class Code:
    name: str
    description: str = ""
    color: str | None = None          # "#RRGGBB" or "#RGB"
    codable: bool = True              # False: a grouping code that holds only child codes
    children: tuple[Code, ...] = ()
    codings: tuple[Coding, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a code needs a name")
        if self.color is not None and not RGB.fullmatch(self.color):
            raise ValueError(f"code {self.name!r}: colour {self.color!r} is not #RRGGBB")
        if self.codings and not self.codable:
            raise ValueError(f"code {self.name!r} is not codable but has codings")
        for coding in self.codings:
            if not 0 <= coding.start < coding.end:
                raise ValueError(f"code {self.name!r}: empty or negative span {coding.start}–{coding.end}")


@dataclass(frozen=True)
class Codebook:
    codes: tuple[Code, ...] = ()

    def walk(self) -> Iterator[tuple[tuple[str, ...], Code]]:
        """Every code, depth first, with its path of names from the top (the path keys its GUID)."""
        def visit(code: Code, parent: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Code]]:
            path = (*parent, code.name)
            yield path, code
            for child in code.children:
                yield from visit(child, path)

        seen: set[tuple[str, ...]] = set()
        for top in self.codes:
            for path, code in visit(top, ()):
                if path in seen:
                    raise ValueError(f"code {' > '.join(path)!r} appears twice")
                seen.add(path)
                yield path, code


def codebook_from_guide(guide: Guide) -> Codebook:
    """A deductive starter codebook from an interview guide: each theme a code, its questions
    (by id, the question as description) codes beneath it; the closing round is left out."""
    codes = []
    for section in guide.sections:
        if section.kind == "closing":
            continue
        children = tuple(Code(question.id, question.text.default) for question in section.questions)
        codes.append(Code(section.title.default.strip() or section.id, section.note or "", None, True, children))
    return Codebook(tuple(codes))
