"""Text as detectors see it, and the way back to the caller's offsets.

Transcripts and pasted text carry odd Unicode: decomposed letters (``a`` + U+030A for *å*),
zero-width spaces and joiners, soft hyphens, non-breaking spaces.  Detectors work on a
normalised copy (NFC, invisible characters dropped, every kind of space a plain space) and
every offset they report is mapped back to the original string, so a replacement always lands
on the right characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

# Characters that render as nothing: removed before detection.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Characters that render as a space: turned into U+0020.
SPACES = frozenset("\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\t")

WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
BREAK = re.compile(r"[.!?…:;\n]")  # what ends a sentence (or a line) between two words


@dataclass(frozen=True)
class Token:
    """A word of the normalised text."""

    start: int
    end: int
    text: str
    sentence_initial: bool  # first word of the text, of a line or after . ! ? : …

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def normalise(original: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for every index of it (plus its end), the index in
    ``original`` where that character came from."""
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(original)
    while i < n:
        ch = original[i]
        if ch in INVISIBLE:
            i += 1
            continue
        # a base character with its combining marks forms one cluster
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        cluster = " " if ch in SPACES else original[i:j]
        if j - i > 1 or not cluster.isascii():
            cluster = unicodedata.normalize("NFC", cluster)
        for c in cluster:
            out.append(c)
            origin.append(i)
        i = j
    origin.append(n)
    return "".join(out), origin


@dataclass
class Document:
    """The normalised text detectors run on, its tokens, and the map to the original."""

    original: str
    text: str = field(init=False)
    _origin: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text, self._origin = normalise(self.original)

    @cached_property
    def tokens(self) -> list[Token]:
        tokens: list[Token] = []
        previous_end = 0
        for match in WORD.finditer(self.text):
            word = match.group().rstrip(".")
            gap = self.text[previous_end:match.start()]
            initial = not tokens or bool(BREAK.search(gap))
            tokens.append(Token(match.start(), match.start() + len(word), word, initial))
            previous_end = match.start() + len(word)
        return tokens

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``original`` that produced it."""
        begin = self._origin[start]
        # the end is where the next kept character starts (swallowing dropped invisibles
        # only when they lie inside the span)
        finish = self._origin[end - 1] + 1 if end > start else begin
        while finish < len(self.original) and unicodedata.combining(self.original[finish]):
            finish += 1
        return begin, finish
