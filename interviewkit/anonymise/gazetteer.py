"""Gazetteers: the names the gazetteer detector looks up, loaded once per process.

* Municipalities (``data/kommuner.txt``, SSB KLASS 131, 1 January 2024), towns, districts,
  islands and regions (``data/steder.txt``, a subset of names from Kartverket's SSR), counties
  and a few English-speaking places (``data/counties.txt``).
* First names and surnames from Faker's person providers (MIT licence), read at run time:
  Norwegian (``no_NO``), Swedish and Danish (``sv_SE``, ``da_DK``: the names of Norway's
  neighbours are common in Norway, and their lists carry many names of immigrants too) and
  English (``en_GB``, ``en_US``).

The detector supplements these with the capitalised entries of the system word lists
(``Lexicon.is_proper_noun``: many Norwegian given names and places are there), at a lower
confidence since those lists do not say what kind of proper noun an entry is.

Counties (the ``[fylker]`` and ``[tidligere-fylker]`` sections) are marked ``weak``: too large
to identify anyone, the detector reports them below the pipeline's default threshold.

Keys are lower-case.  A name of one token (``Levanger``, ``Nord-Fron``: the tokenizer keeps
hyphenated words whole) is a key of ``places``; a name of several tokens (``Indre Østfold``,
``Mo i Rana``, ``St. Hanshaugen``) is a :class:`Phrase` indexed by its first token.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from interviewkit.anonymise.text import WORD, Document

DATA_DIR = Path(__file__).resolve().parent / "data"

FAKER_LOCALES: tuple[str, ...] = ("no_NO", "sv_SE", "da_DK", "en_GB", "en_US")

# Which entity type each list (and each section of counties.txt) gives its names.
SECTION_TYPES: dict[str, str] = {
    "kommuner": "municipality",
    "steder": "place",
    "fylker": "place",
    "tidligere-fylker": "place",
    "english-counties": "municipality",  # hits.py: "a Norwegian kommune (or an English county/borough)"
    "english-cities": "place",
}

# Sections whose names are too large to identify anyone by themselves (a county holds 75 000
# to 1.3 million people): the detector reports them below the pipeline's default threshold.
WEAK_SECTIONS: frozenset[str] = frozenset({"fylker", "tidligere-fylker"})

# Endings that mark a Norwegian proper noun as a place rather than a person (used for proper
# nouns of the system word lists, which do not say which they are).  Surnames come from farm
# names, so only endings that surnames rarely have are listed.
PLACE_SUFFIXES: tuple[str, ...] = (
    "elva", "elv", "sund", "sundet", "fjord", "fjorden", "øya", "øyene", "havn", "hamn", "bukt",
    "bukta", "vågen", "botn", "sjøen", "vatn", "vatnet", "vannet", "fjellet", "byen", "bygda",
    "eidet", "neset", "odden", "vika", "kollen", "toppen", "brygge", "gata", "gaten", "veien",
    "vegen", "plassen", "torget", "sletta", "marka",
)


@dataclass(frozen=True)
class NameLine:
    """One line of a gazetteer file: its label as written (``Våler (Østfold)``) and its names
    without the parenthesised qualifier (``Våler``; ``Kautokeino``, ``Guovdageaidnu``)."""

    label: str
    names: tuple[str, ...]
    section: str


@dataclass(frozen=True)
class Phrase:
    """A name of several tokens, as the tokenizer of ``text.Document`` splits it."""

    tokens: tuple[str, ...]   # lower-case tokens: ("mo", "i", "rana")
    gaps: tuple[str, ...]     # what stands between them besides spaces: ("", "") or (".",)
    type: str
    label: str
    capitalised: tuple[bool, ...] = ()  # which tokens are capitalised in the name: (True, False, True)
    weak: bool = False                  # a county: see WEAK_SECTIONS

    def __len__(self) -> int:
        return len(self.tokens)


def _strip_qualifier(name: str) -> str:
    if name.endswith(")") and " (" in name:
        return name[:name.rindex(" (")].strip()
    return name.strip()


def read_name_file(path: Path | str, section: str | None = None) -> list[NameLine]:
    """Parse a gazetteer file: ``#`` comments and blank lines skipped, ``[section]`` lines
    switch the section (default: the file's stem), names on a line separated by ``|``."""
    path = Path(path)
    current = section or path.stem
    lines: list[NameLine] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        fields = [f.strip() for f in line.split("|")]
        names = tuple(n for n in (_strip_qualifier(f) for f in fields) if n)
        if names:
            lines.append(NameLine(fields[0], names, current))
    return lines


def municipality_lines() -> list[NameLine]:
    return read_name_file(DATA_DIR / "kommuner.txt")


def tokenize_name(name: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    """Split a name the way ``Document.tokens`` does: its lower-case tokens, the non-space
    characters between them, and which tokens are capitalised."""
    tokens: list[str] = []
    gaps: list[str] = []
    capitalised: list[bool] = []
    previous_end = None
    for match in WORD.finditer(name):
        if previous_end is not None:
            gaps.append(name[previous_end:match.start()].strip())
        word = match.group().rstrip(".")
        tokens.append(word.lower())
        capitalised.append(word[:1].isupper())
        previous_end = match.start() + len(word)
    return tuple(tokens), tuple(gaps), tuple(capitalised)


def faker_names(locales: Iterable[str] = FAKER_LOCALES) -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case first names and surnames of Faker's person providers for ``locales``.
    Names of several words are left out (the detector joins adjacent names itself).
    Returns empty sets when Faker is not installed."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr, target in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("first_names_nonbinary", first),
                             ("last_names", last), ("last_names_male", last), ("last_names_female", last)):
            target.update(_single_words(getattr(provider, attr, ())))
    return frozenset(first), frozenset(last)


def _single_words(names: Iterable[str]) -> Iterator[str]:
    for name in names:
        if isinstance(name, str) and name and " " not in name and name[:1].isalpha():
            yield name.lower()


class Gazetteer:
    """Lookups for the gazetteer detector; all keys lower-case."""

    def __init__(self, lines: Iterable[NameLine], first_names: Iterable[str], surnames: Iterable[str]) -> None:
        self.first_names: frozenset[str] = frozenset(first_names)
        self.surnames: frozenset[str] = frozenset(surnames)
        places: dict[str, str] = {}
        labels: dict[str, str] = {}
        weak: set[str] = set()
        phrases: dict[str, dict[tuple[str, ...], Phrase]] = {}
        # a municipality outranks a place, and a place a county
        rank = {"municipality": 2, "place": 1}
        for line in lines:
            kind = SECTION_TYPES.get(line.section, "place")
            is_weak = line.section in WEAK_SECTIONS
            score = rank.get(kind, 1) * 2 - is_weak
            for name in line.names:
                tokens, gaps, capitalised = tokenize_name(name)
                if not tokens:
                    continue
                if len(tokens) == 1:
                    key = tokens[0]
                    known_kind = places.get(key)
                    if known_kind is None or score > rank.get(known_kind, 1) * 2 - (key in weak):
                        places[key] = kind
                        labels[key] = _strip_qualifier(line.label)
                        weak.discard(key)
                        if is_weak:
                            weak.add(key)
                    continue
                known = phrases.setdefault(tokens[0], {}).get(tokens)
                if known is None or score > rank.get(known.type, 1) * 2 - known.weak:
                    phrases[tokens[0]][tokens] = Phrase(tokens, gaps, kind, _strip_qualifier(line.label),
                                                       capitalised, is_weak)
        self.places: dict[str, str] = places
        self.weak: frozenset[str] = frozenset(weak)
        self.labels: dict[str, str] = labels
        # longest first, so that the longest name at a position wins
        self.phrases: dict[str, tuple[Phrase, ...]] = {
            first: tuple(sorted(by_tokens.values(), key=len, reverse=True)) for first, by_tokens in phrases.items()
        }

    def place_type(self, word_lower: str) -> str | None:
        """``municipality`` or ``place`` for a one-token place name, else None."""
        return self.places.get(word_lower)

    def is_weak(self, word_lower: str) -> bool:
        """A county name (Trøndelag, Hordaland): a place too large to identify anyone."""
        return word_lower in self.weak

    def is_first_name(self, word_lower: str) -> bool:
        return word_lower in self.first_names

    def is_surname(self, word_lower: str) -> bool:
        return word_lower in self.surnames

    def is_name(self, word_lower: str) -> bool:
        return word_lower in self.first_names or word_lower in self.surnames

    def phrases_from(self, first_lower: str) -> tuple[Phrase, ...]:
        return self.phrases.get(first_lower, ())

    def match_phrase(self, doc: Document, i: int) -> tuple[Phrase, int, int] | None:
        """The longest name of several tokens starting at token ``i`` of ``doc``: the phrase,
        the index of its last token and the end offset of the match (before a genitive ``s``
        on the last token).  Tokens must be separated by spaces (and the name's own full stops,
        ``St. Hanshaugen``), not by a line break; capitalised words of the name must be
        capitalised in the text."""
        tokens = doc.tokens
        if i >= len(tokens):
            return None
        for phrase in self.phrases.get(tokens[i].text.lower(), ()):
            end = _phrase_end(doc, i, phrase)
            if end is not None:
                return phrase, i + len(phrase) - 1, end
        return None

    def is_known(self, word_lower: str) -> bool:
        """Any one-token name of the gazetteer: a place, a first name or a surname."""
        return word_lower in self.places or word_lower in self.first_names or word_lower in self.surnames


def _phrase_end(doc: Document, i: int, phrase: Phrase) -> int | None:
    tokens, text = doc.tokens, doc.text
    size = len(phrase)
    if i + size > len(tokens):
        return None
    for k in range(1, size):
        left, right = tokens[i + k - 1], tokens[i + k]
        gap = text[left.end:right.start]
        if "\n" in gap or gap.strip(" ") != phrase.gaps[k - 1] or not gap.endswith(" "):
            return None
        if k < size - 1 and right.text.lower() != phrase.tokens[k]:
            return None
    last = tokens[i + size - 1]
    lower = last.text.lower()
    expected = phrase.tokens[-1]
    if lower == expected:
        end = last.end
    elif lower in (expected + "s", expected + "'s", expected + "’s"):
        end = last.start + len(expected)
    else:
        return None
    for k in range(size):
        if phrase.capitalised[k] and not tokens[i + k].text[:1].isupper():
            return None
    return end


def looks_like_place(word: str) -> bool:
    """A proper noun whose ending marks it as a place (``Krokstadelva``, ``Hommelvik`` is not)."""
    lower = word.lower()
    return any(lower.endswith(suffix) and len(lower) > len(suffix) + 1 for suffix in PLACE_SUFFIXES)


def gazetteer_lines(data_dir: Path = DATA_DIR) -> list[NameLine]:
    lines: list[NameLine] = []
    for name in ("kommuner", "steder", "counties"):
        lines.extend(read_name_file(data_dir / f"{name}.txt"))
    return lines


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped place lists and Faker's names, loaded once per process."""
    first, last = faker_names()
    return Gazetteer(gazetteer_lines(), first, last)
