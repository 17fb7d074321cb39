"""The project-vocabulary detector: known names found however the transcript writes them."""

from __future__ import annotations

from interviewkit.anonymise.detectors.vocabulary import Term, VocabularyDetector
from interviewkit.anonymise.text import Document

COMMON = {"barnehage", "sol", "og", "ski", "på", "gikk", "vi"}
TERMS = [Term("person", "Kari Nordmann", "D1"), Term("municipality", "Levanger"),
         Term("workplace", "Nordlys barnehage"), Term("person", "Kjersti Holm"), Term("person", "Sol Berg")]


def found(text: str, terms=TERMS) -> list[tuple[str, str, str]]:
    doc = Document(text)
    detector = VocabularyDetector(terms, lambda w: w in COMMON)
    hits = list(detector.detect(doc))
    for hit in hits:
        assert doc.text[hit.start:hit.end] == hit.text
    return [(h.text, h.type, h.canonical) for h in hits]


def test_full_names_parts_genitive_and_case() -> None:
    assert found("Kari Nordmann sa det. Karis mor og KARI. Nordmanns bil.") == [
        ("Kari Nordmann", "person", "Kari Nordmann"), ("Karis", "person", "Kari Nordmann"),
        ("KARI", "person", "Kari Nordmann"), ("Nordmanns", "person", "Kari Nordmann")]


def test_inflected_places_and_definite_workplaces() -> None:
    assert found("i Levangers sentrum, på Nordlys barnehagen") == [
        ("Levangers", "municipality", "Levanger"), ("Nordlys barnehagen", "workplace", "Nordlys barnehage")]
    # the distinctive word alone still points at the workplace
    assert found("vi gikk til Nordlys") == [("Nordlys", "workplace", "Nordlys barnehage")]


def test_small_misspellings_of_the_recogniser() -> None:
    assert found("Da sa Kjersi at") == [("Kjersi", "person", "Kjersti Holm")]
    assert found("Kjersi Holm var der") == [("Kjersi Holm", "person", "Kjersti Holm")]
    assert found("Da sa Kristin at") == []  # two edits in a short name: another name


def test_a_name_that_is_a_common_word() -> None:
    assert found("Sol Berg kom. sol og regn") == [("Sol Berg", "person", "Sol Berg")]
    assert found("Vi snakket med Sol i går") == [("Sol", "person", "Sol Berg")]


def test_no_vocabulary_finds_nothing() -> None:
    assert found("Kari Nordmann i Levanger", terms=[]) == []
