"""The whole pipeline: merged hits, offsets always right in the caller's string, bad input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.pipeline import find_identifiers, merge

VOCABULARY = [("person", "Kari Nordmann"), ("municipality", "Levanger")]


def spans(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(text[h.start:h.end], h.type) for h in find_identifiers(text, **kwargs)]


def test_overlapping_hits_become_one_with_the_type_of_the_hit_spanning_them() -> None:
    hits = [Hit(10, 28, "workplace", 0.8, "proper_nouns"), Hit(19, 28, "municipality", 0.99, "vocabulary"),
            Hit(0, 4, "person", 0.3, "gazetteer")]
    assert [(h.start, h.end, h.type) for h in merge(hits)] == [(10, 28, "workplace")]  # 0.3 dropped
    hits = [Hit(0, 4, "person", 0.85, "gazetteer"), Hit(2, 9, "email", 1.0, "patterns")]
    assert [(h.start, h.end, h.type, h.detector) for h in merge(hits)] == [(0, 9, "email", "patterns")]


def test_norwegian_sentence() -> None:
    text = ("Kari Nordmann fra Levanger sa at Håvard Strømsholm ringte fra 481 23 456. "
            "Han bor i Storgata 12, 7600 Levanger, og e-posten er h.strom@example.no.")
    found = spans(text, vocabulary=VOCABULARY)
    assert ("Kari Nordmann", "person") in found and ("Håvard Strømsholm", "person") in found
    assert ("481 23 456", "phone") in found and ("h.strom@example.no", "email") in found
    assert any(t.startswith("Storgata 12") and kind == "address" for t, kind in found)


@pytest.mark.parametrize(("text", "expected"), [
    ("Vi så en bjørn i skogen.", []),
    ("Jeg snakket med Bjørn Hansen i går.", [("Bjørn Hansen", "person")]),
    ("Sola skinte hele dagen, og vi gikk på ski.", []),
    ("Hun bor i Ski nå.", [("Ski", "place")]),
])
def test_names_that_are_common_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t, "place" if k in ("place", "municipality") else k) for t, k in spans(text)] == expected


def test_odd_unicode_offsets_land_on_the_original_characters() -> None:
    nfd = ("Kari Nordmann bor i Bodo\u0308 og Ha\u030avard\u00a0Strømsholm ringte 481\u00a023\u200b 456, "
           "e-post ka\u200bri@nav.no.")
    found = find_identifiers(nfd, vocabulary=VOCABULARY)
    texts = [nfd[h.start:h.end] for h in found]
    assert texts == [h.text for h in found]
    assert "Ha\u030avard\u00a0Strømsholm" in texts and "481\u00a023\u200b 456" in texts
    assert "ka\u200bri@nav.no" in texts
    assert any(t.startswith("Bodo\u0308") for t in texts)


def test_empty_and_identifier_free_text() -> None:
    assert find_identifiers("") == [] and find_identifiers("   \n\u200b ") == []
    assert find_identifiers("Det var en fin dag, og vi snakket om skolen.") == []


def test_mixed_languages() -> None:
    text = "I: Kan du fortelle om jobben? P: Sure, I worked with Mary Johnson in Leeds, og så flyttet jeg til Bodø."
    found = dict(spans(text, language="no"))
    assert found.get("Mary Johnson") == "person" and "Leeds" in found and "Bodø" in found


odd_text = st.lists(st.one_of(
    st.sampled_from(list("abcæøå ÆØÅKBTLeviang.,:;!?-@+0123456789\n")),
    st.sampled_from(["\u0308", "\u030a", "\u200b", "\u00a0", "\u00ad", "\ufeff", "Kari ", "Levanger ", "Bjørn ",
                     "Sol ", "Ski ", "481 23 456 ", "kari@nav.no ", "Nordmanns ", "Bodo\u0308 "])), max_size=120).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_text)
def test_offsets_are_always_right_in_the_original(text: str) -> None:
    hits = find_identifiers(text, vocabulary=VOCABULARY)
    previous_end = 0
    for hit in hits:
        assert previous_end <= hit.start < hit.end <= len(text)
        assert text[hit.start:hit.end] == hit.text
        previous_end = hit.end


@pytest.mark.slow
def test_a_million_words() -> None:
    paragraph = ("Kari Nordmann fra Levanger sa at vi måtte ringe 481 23 456, og så gikk vi på ski med Bjørn. "
                 "Det var en vanlig dag på skolen, og elevene snakket om sommeren. ")
    words = len(paragraph.split())
    text = paragraph * (1_000_000 // words + 1)
    began = time.perf_counter()
    hits = find_identifiers(text, vocabulary=VOCABULARY)
    assert len(hits) >= 3 * (1_000_000 // words)  # name, place, phone in every repeat
    assert all(text[h.start:h.end] == h.text for h in hits[:1000])
    assert time.perf_counter() - began < 120  # no blow-up (speed itself is measured in benchmarks/)
