"""One pipeline over all detectors: run them, drop the unsure, merge overlaps, map offsets back.

Overlapping hits become one hit covering their union; its type comes from a hit spanning the
whole union if there is one, and among those (or all) from the most trusted detector (patterns,
then the project vocabulary, then NER, then the gazetteers, then the proper-noun heuristic;
confidence breaks ties).  Offsets returned are code-point offsets into
the caller's original string, whatever invisible or decomposed characters it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from interviewkit.anonymise.detectors import Detector
from interviewkit.anonymise.detectors.vocabulary import Term, VocabularyDetector
from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.text import Document

MIN_CONFIDENCE = 0.5
TRUST = {"patterns": 5, "vocabulary": 4, "ner": 3, "gazetteer": 2, "proper_nouns": 1}
LANGUAGES = ("no", "nb", "nn", "en")


def _terms(vocabulary: Iterable[Term | tuple[str, str]]) -> list[Term]:
    return [t if isinstance(t, Term) else Term(t[0], t[1]) for t in vocabulary]


def default_detectors(language: str = "no", vocabulary: Iterable[Term | tuple[str, str]] = (),
                      ner: bool = False) -> list[Detector]:
    """The detectors for a language: patterns, vocabulary, gazetteers, proper nouns (and NER when
    asked for and installed)."""
    from interviewkit.anonymise.detectors.gazetteer import GazetteerDetector
    from interviewkit.anonymise.detectors.patterns import PatternDetector
    from interviewkit.anonymise.detectors.proper_nouns import ProperNounDetector
    from interviewkit.anonymise.lexicon import load_lexicon

    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    lexicon = load_lexicon(language)
    detectors: list[Detector] = [PatternDetector(), VocabularyDetector(_terms(vocabulary), lexicon.is_common_word),
                                 GazetteerDetector(language), ProperNounDetector(language)]
    if ner:
        from interviewkit.anonymise.detectors.ner import NerDetector
        detectors.append(NerDetector(language))
    return detectors


def _winner(group: list[Hit], start: int, end: int) -> Hit:
    """The hit whose type the union takes: one that spans all of it if there is one (*Sykehuset
    Levanger* is a workplace, though *Levanger* is a municipality), the most trusted of those."""
    whole = [h for h in group if h.start == start and h.end == end] or group
    return max(whole, key=lambda h: (TRUST.get(h.detector, 0), h.confidence, h.end - h.start))


def merge(hits: Iterable[Hit], min_confidence: float = MIN_CONFIDENCE) -> list[Hit]:
    """Keep hits at or above ``min_confidence`` and fuse overlapping ones (see the module doc)."""
    kept = sorted((h for h in hits if h.confidence >= min_confidence), key=lambda h: (h.start, -h.end))
    merged: list[Hit] = []
    group: list[Hit] = []
    group_end = -1
    for hit in kept + [None]:  # type: ignore[list-item]
        if hit is not None and group and hit.start < group_end:
            group.append(hit)
            group_end = max(group_end, hit.end)
            continue
        if group:
            start = group[0].start
            best = _winner(group, start, group_end)
            merged.append(replace(best, start=start, end=group_end, confidence=max(h.confidence for h in group),
                                  text="" if (start, group_end) != (best.start, best.end) else best.text))
        if hit is not None:
            group, group_end = [hit], hit.end
    return merged


def detect(doc: Document, detectors: Sequence[Detector], min_confidence: float = MIN_CONFIDENCE) -> list[Hit]:
    """Hits in ``doc.original`` offsets (their ``text`` is the original's characters)."""
    hits = merge((h for d in detectors for h in d.detect(doc)), min_confidence)
    out = []
    for hit in hits:
        start, end = doc.to_original(hit.start, hit.end)
        out.append(replace(hit, start=start, end=end, text=doc.original[start:end]))
    return out


def find_identifiers(text: str, *, language: str = "no", vocabulary: Iterable[Term | tuple[str, str]] = (),
                     ner: bool = False, min_confidence: float = MIN_CONFIDENCE) -> list[Hit]:
    """Every identifier found in ``text``: hits with offsets into ``text``, sorted, not overlapping."""
    return detect(Document(text), default_detectors(language, vocabulary, ner), min_confidence)
