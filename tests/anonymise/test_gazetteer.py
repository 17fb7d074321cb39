"""The shipped gazetteers and the gazetteer detector: known first names, surnames,
municipalities and places, with Norwegian inflection and names that are also common words."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.anonymise.detectors.gazetteer import GazetteerDetector
from interviewkit.anonymise.gazetteer import (
    DATA_DIR,
    Gazetteer,
    NameLine,
    faker_names,
    load_gazetteer,
    looks_like_place,
    municipality_lines,
    read_name_file,
)
from interviewkit.anonymise.hits import ENTITY_TYPES
from interviewkit.anonymise.lexicon import load_lexicon
from interviewkit.anonymise.text import Document
from tests.anonymise.conftest import SYSTEM_LISTS, needs_system_lists  # noqa: F401


@pytest.fixture(scope="module")
def detector(lexicon):
    return GazetteerDetector(lexicon=lexicon)


def hits(detector, text):
    doc = Document(text)
    found = list(detector.detect(doc))
    for hit in found:
        assert doc.text[hit.start:hit.end] == hit.text
        assert hit.detector == "gazetteer" and hit.type in ENTITY_TYPES
    return found


def spans(detector, text):
    return [(h.text, h.type, h.confidence) for h in hits(detector, text)]


# -- the data files ------------------------------------------------------------------------

def test_there_are_357_municipalities_with_unique_labels():
    lines = municipality_lines()
    assert len(lines) == 357
    labels = [line.label for line in lines]
    assert len(set(labels)) == 357
    names = [line.names[0] for line in lines]
    # only two names occur twice in Norway, told apart by their county as SSB does
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert duplicates == ["Herøy", "Våler"]
    assert {"Våler (Østfold)", "Våler (Innlandet)", "Herøy (Nordland)", "Herøy (Møre og Romsdal)"} <= set(labels)
    every_name = [n for line in lines for n in line.names]
    assert len(set(every_name)) == len(every_name) - 2


def test_municipality_file_content():
    by_label = {line.label: line.names for line in municipality_lines()}
    assert by_label["Kautokeino"] == ("Kautokeino", "Guovdageaidnu")
    assert by_label["Våler (Østfold)"] == ("Våler",)
    for name in ("Oslo", "Levanger", "Nord-Fron", "Sør-Varanger", "Indre Østfold", "Midtre Gauldal",
                 "Nore og Uvdal", "Evje og Hornnes", "Haram", "Ålesund", "Aurskog-Høland", "Lillestrøm"):
        assert name in by_label, name
    for gone in ("Skedsmo", "Ski", "Nedre Eiker", "Sandefjord og Larvik"):  # merged before 2024
        assert gone not in by_label


@pytest.mark.parametrize("name", ["kommuner.txt", "steder.txt", "counties.txt"])
def test_data_files_say_their_source_and_licence(name):
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert header, "each file starts with # comment lines"
    joined = " ".join(header)
    assert "Source" in joined or "Source:" in joined or "source" in joined.lower()
    assert "CC BY" in joined or "NLOD" in joined
    assert unicodedata.is_normalized("NFC", text)
    for line in text.splitlines():
        assert line == line.strip(), f"stray spaces in {line!r}"


def test_places_are_a_few_hundred_and_do_not_repeat_municipalities():
    places = read_name_file(DATA_DIR / "steder.txt")
    assert 300 <= len(places) <= 1000
    names = [n for line in places for n in line.names]
    assert len(names) == len(set(names))
    municipalities = {n for line in municipality_lines() for n in line.names}
    assert not municipalities & set(names)
    assert {"Innherred", "Vesterålen", "Mo i Rana", "St. Hanshaugen", "Grünerløkka", "Ski"} <= set(names)


def test_counties_file_sections():
    sections: dict[str, list[NameLine]] = {}
    for line in read_name_file(DATA_DIR / "counties.txt"):
        sections.setdefault(line.section, []).append(line)
    assert set(sections) == {"fylker", "tidligere-fylker", "english-counties", "english-cities"}
    assert len(sections["fylker"]) == 15
    english = len(sections["english-counties"]) + len(sections["english-cities"])
    assert 80 <= english <= 150


# -- the lookups ---------------------------------------------------------------------------

def test_gazetteer_lookups():
    g = load_gazetteer()
    assert load_gazetteer() is g  # once per process
    assert g.place_type("levanger") == "municipality"
    assert g.place_type("nord-fron") == "municipality"   # hyphenated names are one token
    assert g.place_type("sør-varanger") == "municipality"
    assert g.place_type("guovdageaidnu") == "municipality"
    assert g.place_type("oslo") == "municipality"        # municipality outranks county
    assert g.place_type("ski") == "place"
    assert g.place_type("innherred") == "place"
    assert g.place_type("kent") == "municipality"        # an English county
    assert g.place_type("manchester") == "place"
    assert g.place_type("norge") is None
    phrases = {p.tokens: p for first in g.phrases.values() for p in first}
    assert phrases[("indre", "østfold")].type == "municipality"
    assert phrases[("midtre", "gauldal")].type == "municipality"
    assert phrases[("nore", "og", "uvdal")].capitalised == (True, False, True)
    assert phrases[("st", "hanshaugen")].gaps == (".",)
    assert phrases[("møre", "og", "romsdal")].type == "place"
    assert g.is_first_name("kari") and g.is_first_name("ole") and g.is_first_name("bjørn")
    assert g.is_surname("hansen") and g.is_surname("smith")


def test_faker_names():
    first, last = faker_names(["no_NO"])
    assert {"kari", "ole", "bjørn"} <= first and "hansen" in last
    assert all(name == name.lower() and " " not in name for name in first | last)
    assert faker_names(["xx_XX"]) == (frozenset(), frozenset())  # an unknown locale is skipped


def test_place_endings():
    assert looks_like_place("Krokstadelva") and looks_like_place("Hadselfjorden")
    assert not looks_like_place("Mykle") and not looks_like_place("Elva")


def test_a_handmade_gazetteer():
    lines = [NameLine("Testby", ("Testby", "Testbyen Sámi"), "kommuner"),
             NameLine("Testby", ("Testby",), "steder")]
    g = Gazetteer(lines, ["ola"], ["testesen"])
    assert g.place_type("testby") == "municipality"  # the municipality wins
    assert g.phrases_from("testbyen")[0].tokens == ("testbyen", "sámi")
    assert g.is_known("ola") and g.is_known("testesen") and not g.is_known("ukjent")


# -- the detector: Norwegian --------------------------------------------------------------

@needs_system_lists
def test_full_names(detector):
    assert spans(detector, "Jeg snakket med Kari Nordmann i går.") == [("Kari Nordmann", "person", 0.95)]
    assert spans(detector, "Ole Johan Hansen var der.") == [("Ole Johan Hansen", "person", 0.95)]
    # an unknown surname after a known first name
    assert spans(detector, "Vi ringte Kari Bakkevikstad.") == [("Kari Bakkevikstad", "person", 0.95)]
    # two names separated by punctuation or a line break are two hits
    assert [h.text for h in hits(detector, "Kari, Ole og Per kom.")] == ["Kari", "Ole", "Per"]
    assert [h.text for h in hits(detector, "hilsen Kari\nHansen kom")] == ["Kari", "Hansen"]


@needs_system_lists
def test_bjorn_the_name_and_the_animal(detector):
    assert spans(detector, "Vi så en bjørn i skogen.") == []
    assert spans(detector, "Jeg snakket med Bjørn i går.") == [("Bjørn", "person", 0.85)]
    # sentence-initial and a common word: kept, below the pipeline's default 0.5
    assert spans(detector, "Bjørn kom hjem.") == [("Bjørn", "person", 0.3)]
    # sentence-initial, not a common word
    assert spans(detector, "Kari kom hjem.") == [("Kari", "person", 0.75)]
    assert spans(detector, "Per i dag er det slik.") == [("Per", "person", 0.3)]
    assert spans(detector, "Det koster 10 kroner per dag. Liv og lære. livet") == [("Liv", "person", 0.3)]


@needs_system_lists
def test_ski_the_town_and_ski_the_sport(detector):
    assert spans(detector, "Vi gikk på ski hele dagen.") == []
    assert spans(detector, "Hun bor på Ski.") == [("Ski", "place", 0.9)]
    assert spans(detector, "Ski er en by i Nordre Follo.") == [("Ski", "place", 0.3),
                                                               ("Nordre Follo", "municipality", 0.95)]


@needs_system_lists
def test_municipalities(detector):
    assert spans(detector, "Jeg er fra Levanger.") == [("Levanger", "municipality", 0.9)]
    assert spans(detector, "Levanger er fint.") == [("Levanger", "municipality", 0.85)]
    # the hit covers the name, not the word kommune
    assert spans(detector, "Jeg jobber i Levanger kommune.") == [("Levanger", "municipality", 0.95)]
    assert spans(detector, "I kommunen Levanger bor det folk.") == [("Levanger", "municipality", 0.9)]
    moved = "Han flyttet fra Nord-Fron til Sør-Varanger."
    assert [h.text for h in hits(detector, moved)] == ["Nord-Fron", "Sør-Varanger"]


@needs_system_lists
def test_multi_word_municipalities_and_places(detector):
    text = "Hun bodde i Indre Østfold, Midtre Gauldal, Nore og Uvdal og Mo i Rana."
    assert spans(detector, text) == [
        ("Indre Østfold", "municipality", 0.95), ("Midtre Gauldal", "municipality", 0.95),
        ("Nore og Uvdal", "municipality", 0.95), ("Mo i Rana", "place", 0.95)]
    assert spans(detector, "Vi bor på St. Hanshaugen.") == [("St. Hanshaugen", "place", 0.95)]
    # not across a line break, and capitalised words must be capitalised
    assert [h.text for h in hits(detector, "Indre\nØstfold")] == ["Østfold"]
    assert [h.text for h in hits(detector, "det indre Østfold")] == ["Østfold"]
    assert spans(detector, "Vi var i Nordre Land.") == [("Nordre Land", "municipality", 0.95)]


@needs_system_lists
def test_genitive_and_hyphen_compounds(detector):
    # the hit covers the stem: Karis and Kari are the same name
    assert spans(detector, "Det var Karis idé.") == [("Kari", "person", 0.85)]
    assert spans(detector, "Det var Kari's idea.") == [("Kari", "person", 0.85)]
    assert spans(detector, "Han er Levangers ordfører.") == [("Levanger", "municipality", 0.9)]
    assert spans(detector, "Jeg bor i Indre Østfolds største by.") == [("Indre Østfold", "municipality", 0.95)]
    assert spans(detector, "Det var Kari Nordmanns bil.") == [("Kari Nordmann", "person", 0.95)]
    assert spans(detector, "Hele Levanger-området.") == [("Levanger", "municipality", 0.9)]
    assert spans(detector, "Vi møtte Kari-Anne.") == [("Kari-Anne", "person", 0.85)]
    assert spans(detector, "Hun heter Hans.") == [("Hans", "person", 0.85)]  # not the genitive of Han


@needs_system_lists
def test_sami_names_and_counties(detector):
    assert spans(detector, "Hun kommer fra Guovdageaidnu.") == [("Guovdageaidnu", "municipality", 0.9)]
    # a county is too large to identify anyone: reported below the pipeline's default 0.5
    assert spans(detector, "Han bor i Trøndelag.") == [("Trøndelag", "place", 0.45)]
    assert spans(detector, "Hun kom fra Møre og Romsdal.") == [("Møre og Romsdal", "place", 0.45)]
    assert spans(detector, "Vi bor i Oslo.") == [("Oslo", "municipality", 0.9)]  # county and municipality
    assert spans(detector, "Vi bodde i Innherred.") == [("Innherred", "place", 0.9)]
    assert spans(detector, "Jeg er fra Norge.") == []  # a country identifies nobody


# -- the detector: English ----------------------------------------------------------------

@needs_system_lists
def test_english_sentences(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "lexicon-cache"
    english = GazetteerDetector("en", lexicon=load_lexicon("en", cache=cache))
    assert spans(english, "I talked to John Smith about it.") == [("John Smith", "person", 0.95)]
    assert spans(english, "She moved to Manchester in May.") == [("Manchester", "place", 0.9)]
    assert spans(english, "We met in June. Will you come? May I ask?") == []
    assert spans(english, "Mark said it was fine.") == [("Mark", "person", 0.3)]
    assert spans(english, "I asked Mark about it.") == [("Mark", "person", 0.85)]
    assert spans(english, "I asked June Carter.") == [("June Carter", "person", 0.95)]
    assert spans(english, "He lives in Kent.") == [("Kent", "municipality", 0.9)]


@needs_system_lists
def test_first_name_that_is_a_place(detector):
    assert spans(detector, "Vi snakket med Lena.") == [("Lena", "person", 0.85)]
    assert spans(detector, "Hun bor på Lena.") == [("Lena", "place", 0.9)]


@needs_system_lists
def test_known_names_inside_institution_names_are_workplaces(detector):
    assert spans(detector, "Hun ble født på Levanger sykehus.") == [("Levanger sykehus", "workplace", 0.85)]
    assert spans(detector, "Vi måtte til Sykehuset Levanger.") == [("Sykehuset Levanger", "workplace", 0.85)]
    assert spans(detector, "Ho er på NAV Ulstein no.") == [("NAV Ulstein", "workplace", 0.85)]
    assert spans(detector, "Ein forskar frå Høgskulen i Volda.") == [("Høgskulen i Volda", "workplace", 0.85)]
    assert spans(detector, "Han gikk på Ole Vig videregående skole.") == [
        ("Ole Vig videregående skole", "workplace", 0.85)]
    assert spans(detector, "Hun lå på St. Olavs hospital.") == [("St. Olavs hospital", "workplace", 0.85)]
    # a genitive before a lower-case institution word is a possession
    assert spans(detector, "Det var Karis barnehage.") == [("Kari", "person", 0.85)]
    assert spans(detector, "Hun jobber i Levanger kommune.") == [("Levanger", "municipality", 0.95)]
    # lower case: a description, not a name
    assert spans(detector, "Vi var på sykehuset i Levanger.") == [("Levanger", "municipality", 0.9)]


@needs_system_lists
def test_a_name_found_with_confidence_raises_its_doubtful_repeats(detector):
    assert spans(detector, "Bjørn kom hjem. Vi snakket med Bjørn.") == [
        ("Bjørn", "person", 0.7), ("Bjørn", "person", 0.85)]
    english = "Mark in finance, Mark Bellamy, he's lovely."
    assert spans(detector, english) == [("Mark", "person", 0.7), ("Mark Bellamy", "person", 0.95)]


@needs_system_lists
def test_proper_nouns_of_the_word_lists(detector):
    # a name that is also a common word, inside a sentence: weak but kept
    assert spans(detector, "Eg hugsar at Sol, ho jenta, sa det.") == [("Sol", "person", 0.6)]
    # … but not after a bracketed note that opens a sentence
    assert spans(detector, "Det var kaldt. (ler) Ute var det regn.") == []
    # the genitive of a word of its own is the word: Hals, not Hal
    assert spans(detector, "Er det Gunnar Hals du tenker på?") == [("Gunnar Hals", "person", 0.95)]
    # typed by a place preposition
    assert spans(detector, "I came from Cebu, and an agency in Manila found me.")[1][:2] == ("Manila", "place")
    assert spans(detector, "We met on Thursdays and Fridays.") == []


def test_no_system_lists_still_detects(tmp_path):
    empty = tmp_path / "no-dict"
    empty.mkdir()
    lex = load_lexicon("no", dict_dir=empty, cache=tmp_path / "cache")
    assert not lex.available
    fallback = GazetteerDetector(lexicon=lex)
    assert [(h.text, h.type) for h in hits(fallback, "Jeg snakket med Kari Nordmann i Levanger kommune.")] == [
        ("Kari Nordmann", "person"), ("Levanger", "municipality")]


@needs_system_lists
def test_offsets_map_back_through_odd_unicode(detector):
    original = "Hun heter Kari\u200b Nordmann og bor i Leva\u00adnger.\u00a0Bjo\u0308rn kom."
    doc = Document(original)
    found = list(detector.detect(doc))
    assert [h.text for h in found] == ["Kari Nordmann", "Levanger", "Björn"]  # o + U+0308 composed
    for hit in found:
        assert doc.text[hit.start:hit.end] == hit.text
        start, end = doc.to_original(hit.start, hit.end)
        assert unicodedata.normalize("NFC", original[start:end]).replace("\u200b", "").replace("\u00ad", "") \
            .replace("\u00a0", " ") == hit.text


PIECES = ["Kari", "Nordmann", "Levanger", "Indre", "Østfold", "Mo", "i", "Rana", "St", "Bjørn", "kommune",
          "Ski", "Per", "-området", "s", "'s", "Nord-Fron", "May", "Hanshaugen", "Kari-", "AS", "skole"]
SEPARATORS = [" ", "  ", ".", ". ", ",", ":", "\n", "-", "'", "’", "\u0301", "\u0308", "\u200b", "\u00ad", "\u00a0"]
odd_text = st.lists(st.one_of(st.text(max_size=3), st.sampled_from(PIECES), st.sampled_from(SEPARATORS)),
                    max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(odd_text)
def test_arbitrary_text_never_raises_and_offsets_are_in_range(detector, text):
    doc = Document(text)
    for hit in detector.detect(doc):
        assert 0 <= hit.start < hit.end <= len(doc.text)
        assert doc.text[hit.start:hit.end] == hit.text
        assert 0.0 <= hit.confidence <= 1.0
