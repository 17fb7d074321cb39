"""The labelled evaluation set for identifier detection, and its scorer.

The set lives in ``tests/anonymise/data/evaluation/`` (one UTF-8 ``.txt`` file per group of
passages); ``tests/anonymise/test_evaluation.py`` and ``benchmarks/anonymise.py`` both load it
with :func:`load_passages` and measure a finder with :func:`score`.

File format::

    # language: no
    # source: where the passages come from
    # vocabulary: person=Kari Nordmann; municipality=Levanger; workplace=Nordlys barnehage

    I: Hva heter du?
    D1: Jeg heter [[Kari|person]] og jobber i [[Nordlys barnehage|workplace]].
    ---
    # source: this passage's own source (replaces the file's)
    # vocabulary: person=Bjørn Aas          (added to the file's vocabulary)
    D2: ...

* The ``# key: value`` lines at the top of the file (up to the first line that is not one) are
  the file's header; ``language`` (no, nn or en) and ``source`` are required, ``vocabulary``
  is optional and may be repeated.  A passage may begin with header lines of its own:
  ``language`` and ``source`` replace the file's, ``vocabulary`` adds to it.
* Passages are separated by a line ``---``.  Blank lines around a passage are dropped; the
  passage's text keeps its inner line breaks.
* ``[[text|type]]`` marks an identifier; ``type`` is one of ``ENTITY_TYPES``.  Markup does not
  nest or span lines, and the text has no surrounding spaces.  Single brackets are text.
* ``vocabulary`` lists the terms a project would know (participants, the municipality,
  workplaces) as ``type=term`` pairs separated by ``;``.  Third parties, colleagues,
  children and other towns are deliberately left out: a detector must find them unaided.

Annotation conventions (what counts as the identifier):

* Person: the name tokens, without titles (``rektor``, ``Mrs``); a genitive or inflected form
  is annotated as the whole word (``[[Karis|person]]``, ``[[Levangers|municipality]]``).
* Municipality: the name of a Norwegian municipality, without the word ``kommune``.
  Place: towns, villages, districts, islands, hills, and towns abroad.  Countries, counties and
  large regions (``Norge``, ``Trøndelag``) are not identifiers and are not annotated.
* Workplace: the whole name as written (``Nordlys barnehage``, ``Sykehuset Levanger``,
  ``NAV Levanger``); a name inside it is not annotated separately.
* Phone, national_id (fødselsnummer and D-number), birth_date (the date, not the cue word
  ``født``), address (street, number, postcode and town as one span), email, url: the whole
  expression as written, including spaces and ``+``.

Scoring (see :class:`Score`):

* An identifier counts as found when every letter or digit in it is covered by some hit, of
  any type (a missed name is a leak whatever it was labelled); label-correct recall
  additionally requires the covering hits to have the identifier's type.
* Ordinary-word survival: of the words (``\\w+``) that overlap no identifier, the share that
  no hit touches.
* False positives: hits that overlap no identifier; listed for inspection.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interviewkit.anonymise.hits import ENTITY_TYPES

LANGUAGES: tuple[str, ...] = ("no", "nn", "en")
PLACE_TYPES: tuple[str, ...] = ("municipality", "place")
HEADER_KEYS: tuple[str, ...] = ("language", "source", "vocabulary")
CONTEXT_CHARS = 40

_HEADER = re.compile(r"^#\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_WORD = re.compile(r"\w+")

Span = tuple[int, int, str]
#: ``find(text, language, vocabulary)`` → hits as ``(start, end, type)`` tuples (objects with
#: ``start``, ``end`` and ``type`` attributes, such as ``Hit``, are accepted too).
Finder = Callable[[str, str, Sequence[tuple[str, str]]], Iterable[Any]]


class EvaluationDataError(ValueError):
    """Bad markup or headers in an evaluation file; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Entity:
    """One gold identifier: ``text == passage.text[start:end]``."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True)
class Passage:
    id: str                                   # "<file stem>:<1-based index>"
    language: str                             # no | nn | en
    source: str
    text: str                                 # markup removed
    entities: tuple[Entity, ...]
    vocabulary: tuple[tuple[str, str], ...]   # (type, term) pairs
    path: str = ""                            # the file it came from
    line: int = 0                             # line of the passage's first text line

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def marked(self) -> str:
        """The text with its markup put back (``[[text|type]]``)."""
        parts, pos = [], 0
        for entity in self.entities:
            parts += [self.text[pos:entity.start], f"[[{entity.text}|{entity.type}]]"]
            pos = entity.end
        parts.append(self.text[pos:])
        return "".join(parts)


# --------------------------------------------------------------------------------- loading

def default_folder() -> Path:
    """The evaluation set in a source checkout (``tests/anonymise/data/evaluation``)."""
    return Path(__file__).resolve().parents[2] / "tests" / "anonymise" / "data" / "evaluation"


def load_passages(folder: Path | str | None = None) -> list[Passage]:
    """All passages of every ``*.txt`` file in ``folder`` (sorted by file name)."""
    folder = Path(folder) if folder is not None else default_folder()
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise EvaluationDataError(f"{folder}: no evaluation files (*.txt)")
    passages: list[Passage] = []
    for path in files:
        passages += load_file(path)
    return passages


def load_file(path: Path | str) -> list[Passage]:
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.name

    header: dict[str, Any] = {"vocabulary": []}
    index = _read_header(lines, 0, header, name, file_level=True)
    if not header.get("language"):
        raise EvaluationDataError(f"{name}:1: the file header has no '# language:' line")
    if not header.get("source"):
        raise EvaluationDataError(f"{name}:1: the file header has no '# source:' line")

    # Split the rest into passages at lines that are exactly '---'.
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = index
    for number in range(index, len(lines)):
        if lines[number].rstrip() == "---":
            chunks.append((start, current))
            current, start = [], number + 1
        else:
            current.append(lines[number])
    chunks.append((start, current))

    passages = []
    for chunk_start, chunk in chunks:
        local: dict[str, Any] = {"vocabulary": []}
        skip = _read_header(chunk, 0, local, name, file_level=False, offset=chunk_start)
        body = chunk[skip:]
        first = 0
        while first < len(body) and not body[first].strip():
            first += 1
        last = len(body)
        while last > first and not body[last - 1].strip():
            last -= 1
        first_line = chunk_start + skip + first + 1  # 1-based
        if first == last:
            raise EvaluationDataError(f"{name}:{first_line}: empty passage")
        text, entities = parse_markup("\n".join(body[first:last]), where=name, first_line=first_line)
        language = local.get("language") or header["language"]
        passages.append(Passage(
            id=f"{path.stem}:{len(passages) + 1}",
            language=language,
            source=local.get("source") or header["source"],
            text=text,
            entities=tuple(entities),
            vocabulary=tuple(dict.fromkeys(header["vocabulary"] + local["vocabulary"])),
            path=str(path),
            line=first_line,
        ))
    return passages


def _read_header(lines: list[str], index: int, into: dict[str, Any], name: str, *,
                 file_level: bool, offset: int = 0) -> int:
    """Read ``# key: value`` lines from ``lines[index:]`` (blank lines before them are
    skipped for a passage); returns the index of the first line after the header."""
    if not file_level:
        while index < len(lines) and not lines[index].strip():
            index += 1
    while index < len(lines) and lines[index].startswith("#"):
        where = f"{name}:{offset + index + 1}"
        match = _HEADER.match(lines[index])
        if not match:
            raise EvaluationDataError(f"{where}: expected a header line '# key: value', got {lines[index]!r}")
        key, value = match.group(1).lower(), match.group(2)
        if key not in HEADER_KEYS:
            raise EvaluationDataError(f"{where}: unknown header key {key!r} (known: {', '.join(HEADER_KEYS)})")
        if key == "language":
            if value not in LANGUAGES:
                raise EvaluationDataError(f"{where}: language {value!r} is not one of {', '.join(LANGUAGES)}")
            into["language"] = value
        elif key == "source":
            into["source"] = value
        else:
            into["vocabulary"] += _parse_vocabulary(value, where)
        index += 1
    return index


def _parse_vocabulary(value: str, where: str) -> list[tuple[str, str]]:
    pairs = []
    for item in value.split(";"):
        item = item.strip()
        if not item:
            continue
        kind, sep, term = (part.strip() for part in item.partition("="))
        if not sep or not term:
            raise EvaluationDataError(f"{where}: vocabulary item {item!r} is not 'type=term'")
        if kind not in ENTITY_TYPES:
            raise EvaluationDataError(f"{where}: vocabulary type {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
        pairs.append((kind, term))
    return pairs


def parse_markup(marked: str, *, where: str = "<text>", first_line: int = 1) -> tuple[str, list[Entity]]:
    """Remove ``[[text|type]]`` markup; returns the plain text and the entities in it.
    Errors name ``where`` and the line (``first_line`` is the line of ``marked``'s start)."""
    out: list[str] = []
    entities: list[Entity] = []
    length = 0
    pos = 0

    def fail(at: int, problem: str) -> EvaluationDataError:
        line = first_line + marked.count("\n", 0, at)
        snippet = marked[at:at + 50].split("\n", 1)[0]
        return EvaluationDataError(f"{where}:{line}: {problem}: {snippet!r}")

    while True:
        opening = marked.find("[[", pos)
        closing = marked.find("]]", pos)
        if closing != -1 and (opening == -1 or closing < opening):
            raise fail(closing, "']]' without a matching '[['")
        if opening == -1:
            out.append(marked[pos:])
            break
        out.append(marked[pos:opening])
        length += opening - pos
        end = marked.find("]]", opening + 2)
        if end == -1:
            raise fail(opening, "'[[' is never closed")
        inner = marked[opening + 2:end]
        if "\n" in inner:
            raise fail(opening, "markup spans a line break")
        if "[" in inner or "]" in inner:
            raise fail(opening, "nested or stray bracket inside markup")
        if inner.count("|") != 1:
            raise fail(opening, "expected '[[text|type]]' with exactly one '|'")
        text, kind = inner.split("|")
        if not text:
            raise fail(opening, "empty entity text")
        if text != text.strip():
            raise fail(opening, "entity text has leading or trailing spaces")
        if kind not in ENTITY_TYPES:
            raise fail(opening, f"unknown entity type {kind!r} (known: {', '.join(ENTITY_TYPES)})")
        entities.append(Entity(length, length + len(text), kind, text))
        out.append(text)
        length += len(text)
        pos = end + 2
    return "".join(out), entities


# --------------------------------------------------------------------------------- scoring

@dataclass
class TypeScore:
    gold: int = 0
    found: int = 0        # every letter/digit covered by some hit
    labelled: int = 0     # … by hits of the entity's own type

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def label_recall(self) -> float:
        return self.labelled / self.gold if self.gold else 1.0


@dataclass(frozen=True)
class Miss:
    """A gold identifier that was not (wholly) covered, or covered under another label."""

    passage: str
    entity: Entity
    context: str
    labels: tuple[str, ...] = ()   # the hit types that touch it


@dataclass(frozen=True)
class Stray:
    """A hit that overlaps no identifier, or an ordinary word that some hit touched."""

    passage: str
    start: int
    end: int
    type: str      # the hit's type ("" for a touched word: see the hits listed with it)
    text: str
    context: str


@dataclass
class Score:
    types: dict[str, TypeScore] = field(default_factory=dict)
    words: int = 0              # ordinary words (overlapping no identifier)
    words_kept: int = 0         # … that no hit touches
    hits: int = 0
    misses: list[Miss] = field(default_factory=list)
    mislabelled: list[Miss] = field(default_factory=list)
    false_positives: list[Stray] = field(default_factory=list)
    touched_words: list[Stray] = field(default_factory=list)
    passages: int = 0
    words_by_language: dict[str, int] = field(default_factory=dict)

    def _sum(self, types: Sequence[str]) -> TypeScore:
        chosen = types or tuple(self.types)
        total = TypeScore()
        for kind in chosen:
            part = self.types.get(kind, TypeScore())
            total.gold += part.gold
            total.found += part.found
            total.labelled += part.labelled
        return total

    def recall(self, *types: str) -> float:
        """Share of the identifiers of ``types`` (all when none given) that were covered by
        any hit; 1.0 when there are none."""
        return self._sum(types).recall

    def label_recall(self, *types: str) -> float:
        """Share covered by hits of the identifier's own type."""
        return self._sum(types).label_recall

    def gold(self, *types: str) -> int:
        return self._sum(types).gold

    @property
    def survival(self) -> float:
        """Share of the ordinary words that no hit touched."""
        return self.words_kept / self.words if self.words else 1.0

    def report(self) -> str:
        by_language = ", ".join(f"{lang} {n}" for lang, n in self.words_by_language.items())
        lines = [(f"Identifier detection on the evaluation set: {self.passages} passages, "
                  f"{sum(self.words_by_language.values())} words ({by_language}), {self.hits} hits"), ""]
        header = f"{'type':<26}{'gold':>6}{'found':>7}{'recall':>9}{'label-correct':>15}"
        lines += [header, "-" * len(header)]

        def row(name: str, part: TypeScore) -> str:
            return (f"{name:<26}{part.gold:>6}{part.found:>7}{100 * part.recall:>8.1f}%"
                    f"{100 * part.label_recall:>14.1f}%")

        for kind in ENTITY_TYPES:
            if kind in self.types and self.types[kind].gold:
                lines.append(row(kind, self.types[kind]))
        lines.append("-" * len(header))
        lines.append(row("places (municipality+place)", self._sum(PLACE_TYPES)))
        lines.append(row("all identifiers", self._sum(())))
        lines += ["",
                  (f"Ordinary-word survival: {self.words_kept} of {self.words} words outside identifiers "
                   f"untouched = {100 * self.survival:.2f} %"),
                  f"False positives (hits touching no identifier): {len(self.false_positives)}"]
        if self.misses:
            lines += ["", f"Misses ({len(self.misses)}): identifiers not wholly covered"]
            for miss in self.misses:
                touched = f" (partly, by {'/'.join(miss.labels)})" if miss.labels else ""
                lines.append(f"  {miss.entity.type:<12} {miss.entity.text!r}{touched}"
                             f"  [{miss.passage}]  {miss.context}")
        if self.mislabelled:
            lines += ["", f"Found under another label ({len(self.mislabelled)})"]
            for miss in self.mislabelled:
                lines.append(f"  {miss.entity.type:<12} {miss.entity.text!r} as {'/'.join(miss.labels)}"
                             f"  [{miss.passage}]  {miss.context}")
        if self.false_positives:
            lines += ["", f"False positives ({len(self.false_positives)})"]
            for stray in self.false_positives:
                lines.append(f"  {stray.type:<12} {stray.text!r}  [{stray.passage}]  {stray.context}")
        spilled = [w for w in self.touched_words if not any(
            fp.passage == w.passage and fp.start < w.end and w.start < fp.end for fp in self.false_positives)]
        if spilled:
            lines += ["", f"Ordinary words touched by hits that also cover an identifier ({len(spilled)})"]
            for word in spilled:
                lines.append(f"  {word.text!r}  [{word.passage}]  {word.context}")
        return "\n".join(lines)


def _as_span(hit: Any) -> Span:
    if isinstance(hit, tuple):
        start, end, kind = hit[0], hit[1], hit[2]
    else:
        start, end, kind = hit.start, hit.end, hit.type
    return int(start), int(end), str(kind)


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """``…before[[span]]after…`` with ``width`` characters each side, on one line."""
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    line = (("…" if start > width else "") + before + "[[" + text[start:end] + "]]" + after
            + ("…" if end + width < len(text) else ""))
    return line.replace("\n", " ⏎ ")


def score(passages: Sequence[Passage], find: Finder) -> Score:
    """Run ``find(text, language, vocabulary)`` over every passage and score its hits."""
    result = Score(types={}, passages=len(passages))
    for kind in ENTITY_TYPES:
        result.types[kind] = TypeScore()
    words_by_language: Counter[str] = Counter()
    for passage in passages:
        text = passage.text
        words_by_language[passage.language] += passage.words
        spans = [_as_span(hit) for hit in find(text, passage.language, list(passage.vocabulary))]
        covered = bytearray(len(text))
        covered_as: dict[str, bytearray] = {}
        for start, end, kind in spans:
            if not 0 <= start < end <= len(text):
                raise ValueError(f"{passage.id}: hit ({start}, {end}, {kind!r}) outside the text "
                                 f"(length {len(text)}) or empty")
            covered[start:end] = b"\x01" * (end - start)
            typed = covered_as.setdefault(kind, bytearray(len(text)))
            typed[start:end] = b"\x01" * (end - start)
        result.hits += len(spans)

        for entity in passage.entities:
            part = result.types.setdefault(entity.type, TypeScore())
            part.gold += 1
            chars = [i for i in range(entity.start, entity.end) if text[i].isalnum()] or \
                list(range(entity.start, entity.end))
            labels = tuple(sorted({kind for start, end, kind in spans if start < entity.end and entity.start < end}))
            where = context(text, entity.start, entity.end)
            if all(covered[i] for i in chars):
                part.found += 1
                typed = covered_as.get(entity.type)
                if typed is not None and all(typed[i] for i in chars):
                    part.labelled += 1
                else:
                    result.mislabelled.append(Miss(passage.id, entity, where, labels))
            else:
                result.misses.append(Miss(passage.id, entity, where, labels))

        gold = [(e.start, e.end) for e in passage.entities]
        for start, end, kind in spans:
            if not any(start < g_end and g_start < end for g_start, g_end in gold):
                result.false_positives.append(
                    Stray(passage.id, start, end, kind, text[start:end], context(text, start, end)))
        for match in _WORD.finditer(text):
            start, end = match.span()
            if any(start < g_end and g_start < end for g_start, g_end in gold):
                continue
            result.words += 1
            if any(covered[start:end]):
                result.touched_words.append(
                    Stray(passage.id, start, end, "", match.group(), context(text, start, end)))
            else:
                result.words_kept += 1
    result.types = {kind: part for kind, part in result.types.items() if part.gold}
    result.words_by_language = {lang: words_by_language[lang] for lang in LANGUAGES if lang in words_by_language}
    result.words_by_language.update({lang: n for lang, n in words_by_language.items() if lang not in LANGUAGES})
    return result


def pipeline_finder() -> Finder:
    """``interviewkit.anonymise.pipeline.find_identifiers`` as a :data:`Finder` (imported here,
    lazily, so that loading and scoring work without the pipeline)."""
    from interviewkit.anonymise.pipeline import find_identifiers

    def find(text: str, language: str, vocabulary: Sequence[tuple[str, str]]) -> list[Span]:
        return [(hit.start, hit.end, hit.type)
                for hit in find_identifiers(text, language=language, vocabulary=list(vocabulary))]

    return find


def summary(passages: Sequence[Passage]) -> str:
    """Entity counts per type and language, and words per language: a table of the set."""
    languages = [lang for lang in LANGUAGES if any(p.language == lang for p in passages)]
    counts: Counter[tuple[str, str]] = Counter()
    for passage in passages:
        for entity in passage.entities:
            counts[entity.type, passage.language] += 1
    header = f"{'type':<14}" + "".join(f"{lang:>7}" for lang in languages) + f"{'total':>8}"
    lines = [header, "-" * len(header)]
    for kind in ENTITY_TYPES:
        row = [counts[kind, lang] for lang in languages]
        if sum(row):
            lines.append(f"{kind:<14}" + "".join(f"{n:>7}" for n in row) + f"{sum(row):>8}")
    totals = [sum(counts[kind, lang] for kind in ENTITY_TYPES) for lang in languages]
    words = [sum(p.words for p in passages if p.language == lang) for lang in languages]
    lines += ["-" * len(header),
              f"{'identifiers':<14}" + "".join(f"{n:>7}" for n in totals) + f"{sum(totals):>8}",
              f"{'words':<14}" + "".join(f"{n:>7}" for n in words) + f"{sum(words):>8}",
              f"{'passages':<14}" + "".join(f"{sum(p.language == lang for p in passages):>7}"
                                            for lang in languages) + f"{len(passages):>8}"]
    return "\n".join(lines)
