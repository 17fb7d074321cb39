"""The proper-noun detector: capitalised words no list knows, typed by context cues."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewkit.anonymise.detectors.gazetteer import GazetteerDetector
from interviewkit.anonymise.detectors.proper_nouns import (
    NON_IDENTIFYING,
    ProperNounDetector,
    effectively_initial,
    is_acronym,
    is_name_shaped,
    lookup_forms,
)
from interviewkit.anonymise.lexicon import load_lexicon
from interviewkit.anonymise.text import Document
from tests.anonymise.conftest import SYSTEM_LISTS, needs_system_lists  # noqa: F401


@pytest.fixture(scope="module")
def detector(lexicon):
    return ProperNounDetector(lexicon=lexicon)


def spans(detector, text):
    doc = Document(text)
    found = list(detector.detect(doc))
    for hit in found:
        assert doc.text[hit.start:hit.end] == hit.text
        assert hit.detector == "proper_nouns"
    return [(h.text, h.type, h.confidence) for h in found]


# -- helpers -------------------------------------------------------------------------------

def test_token_helpers():
    assert is_name_shaped("Kari") and is_name_shaped("Kari-Anne") and is_name_shaped("O'Brien")
    assert not is_name_shaped("kari") and not is_name_shaped("K") and not is_name_shaped("E6")
    assert is_acronym("UNN") and is_acronym("NTNU") and not is_acronym("Kari") and not is_acronym("ABCDEF")
    assert lookup_forms("Karis") == [("Karis", 5), ("Kari", 4)]
    assert lookup_forms("Kari's") == [("Kari's", 6), ("Kari", 4)]
    assert lookup_forms("Moss") == [("Moss", 4)]
    assert lookup_forms("Oslo-området") == [("Oslo-området", 12), ("Oslo", 4)]
    stop = {"nav", "norge", "norway", "english", "gud", "jesus", "facebook", "teams", "zoom", "covid"}
    assert stop <= NON_IDENTIFYING
    doc = Document("Vi møtte Dr. Hansen. Han kom.")
    initial = [effectively_initial(doc.tokens, doc.text, i) for i in range(len(doc.tokens))]
    assert initial == [True, False, False, False, True, False]


# -- cues ------------------------------------------------------------------------------------

@needs_system_lists
def test_an_unknown_name_without_a_cue(detector):
    assert spans(detector, "Vi snakket med Tuvstad i går.") == [("Tuvstad", "person", 0.6)]
    assert spans(detector, "Vi snakket med Ole Kristian Tuvstad.") == [("Ole Kristian Tuvstad", "person", 0.6)]
    # known names are the gazetteer detector's, without a cue
    assert spans(detector, "Vi snakket med Kari i Levanger.") == []


@needs_system_lists
def test_person_cues(detector):
    assert spans(detector, "Hun heter Tuvstad.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "Han ble kalt Gnirk av alle.") == [("Gnirk", "person", 0.9)]
    assert spans(detector, "«Nei», sa Tuvstad.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "Jeg sa til Tuvstad at det var greit.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "Vi møtte fru Tuvstad og Dr. Gnirkesen.") == [
        ("Tuvstad", "person", 0.9), ("Gnirkesen", "person", 0.9)]
    assert spans(detector, "Hello, my name is Tuvstad.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "I spoke to Mrs Gnirkesen.") == [("Gnirkesen", "person", 0.9)]
    assert spans(detector, "Then Gnirkesen said no.") == [("Gnirkesen", "person", 0.9)]
    # a strong cue admits a sentence-initial word and a known name
    assert spans(detector, "Tuvstad sa at det gikk bra.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "Per sa nei.") == [("Per", "person", 0.9)]
    assert spans(detector, "Mark said no.") == [("Mark", "person", 0.9)]


@needs_system_lists
def test_place_cues(detector):
    assert spans(detector, "Hun flyttet fra Gnirkvika til Tuvstad.") == [
        ("Gnirkvika", "place", 0.7), ("Tuvstad", "place", 0.7)]
    assert spans(detector, "I Tuvstad var det kaldt.") == [("Tuvstad", "place", 0.7)]  # Norwegian "I"
    assert spans(detector, "She grew up in Tuvstad.") == [("Tuvstad", "place", 0.7)]
    # known places are the gazetteer detector's
    assert spans(detector, "Hun flyttet fra Levanger.") == []


@needs_system_lists
def test_municipality_cue_covers_only_the_name(detector):
    assert spans(detector, "Jeg jobber i Tuvstad kommune.") == [("Tuvstad", "municipality", 0.9)]
    assert spans(detector, "She lives in Tuvshire county.") == [("Tuvshire", "municipality", 0.9)]


@needs_system_lists
def test_workplaces_cover_the_name_and_the_institution(detector):
    assert spans(detector, "Hun jobber på Nordlys skole.") == [("Nordlys skole", "workplace", 0.8)]
    assert spans(detector, "Hun går på Levanger videregående skole.") == [
        ("Levanger videregående skole", "workplace", 0.8)]
    assert spans(detector, "Han jobbet i Hansen Bil AS.") == [("Hansen Bil AS", "workplace", 0.8)]
    assert spans(detector, "Hun var på Tuvstad sykehjem.") == [("Tuvstad sykehjem", "workplace", 0.8)]
    assert spans(detector, "She works at Gnirk Ltd.") == [("Gnirk Ltd", "workplace", 0.8)]
    assert spans(detector, "He was at Oakbridge Primary School.") == [("Oakbridge Primary School", "workplace", 0.8)]
    assert spans(detector, "She was taken to Tuvstad hospital.") == [("Tuvstad hospital", "workplace", 0.8)]
    assert spans(detector, "Han jobber på Posten.") == [("Posten", "workplace", 0.8)]
    assert spans(detector, "I worked at Gnirkco for years.") == [("Gnirkco", "workplace", 0.8)]
    assert spans(detector, "Vi var på Indre Østfold sykehus.") == [("Indre Østfold sykehus", "workplace", 0.8)]


@needs_system_lists
def test_institution_words_before_the_name_and_possession(detector):
    assert spans(detector, "Vi var på Sykehuset Tuvstad.") == [("Sykehuset Tuvstad", "workplace", 0.8)]
    assert spans(detector, "Ein forskar frå Høgskulen i Tuvstad.") == [("Høgskulen i Tuvstad", "workplace", 0.8)]
    assert spans(detector, "Hun er på NAV Tuvstad.") == [("NAV Tuvstad", "workplace", 0.8)]
    assert spans(detector, "The kitchen at St Anne's Community Hub in Wath.") == [
        ("St Anne's Community Hub", "workplace", 0.8), ("Wath", "place", 0.7)]
    assert spans(detector, "My two go to the club at Bellfield Primary.") == [("Bellfield Primary", "workplace", 0.8)]
    # Kari's kindergarten is no kindergarten's name
    assert spans(detector, "Karis barnehage er fin, sa hun.") == []
    assert spans(detector, "Hansens skole var stengt.") == []


@needs_system_lists
def test_acronyms_only_with_a_cue(detector):
    assert spans(detector, "Vi snakket om UNN og TTK.") == []
    assert spans(detector, "Hun jobber på UNN.") == [("UNN", "workplace", 0.8)]
    assert spans(detector, "Han var innlagt på UNN.") == [("UNN", "place", 0.7)]
    assert spans(detector, "Jeg har kontakt med NAV.") == []
    assert spans(detector, "Hun jobber på NAV.") == []  # stop-listed


@needs_system_lists
def test_sentence_initial_words_need_a_strong_cue(detector):
    assert spans(detector, "Tuvstad var stengt.") == []
    assert spans(detector, "Gnirkesen Tuvstad kom.") == [("Tuvstad", "person", 0.6)]
    assert spans(detector, "Hei. Tuvstad kom.\nGnirk kom også.") == []
    # a name seen inside a sentence is a name at the start of one too
    assert spans(detector, "Tuvstad var stengt. Vi ringte Tuvstad.") == [
        ("Tuvstad", "person", 0.6), ("Tuvstad", "person", 0.6)]
    # a bracketed note that opens a sentence
    assert spans(detector, "Nei. (ler) Gnirk var der.") == []


@needs_system_lists
def test_common_words_and_stop_list(detector):
    # a capitalised common word needs a strong cue
    assert spans(detector, "Vi dro til Nordlys.") == []
    assert spans(detector, "Vi bruker Teams og Zoom, og så Facebook.") == []
    assert spans(detector, "Jeg er fra Norge, og han snakker English.") == []
    assert spans(detector, "Gud vet. Takk Gud. Etter Covid-19 ble alt annerledes.") == []
    assert spans(detector, "I think I'm right, and I've said so.") == []
    assert spans(detector, "We met in May and June, on Monday and on Thursdays.") == []
    assert spans(detector, "I'll call her May.") == [("May", "person", 0.9)]
    # Norwegian "at" is "that", no place preposition
    assert spans(detector, "Eg hugsar at Tuvstad sa det.") == [("Tuvstad", "person", 0.9)]
    assert spans(detector, "Vi snakket med Røde Kors.") == []
    assert spans(detector, "The school nurse is good. Den skolen er fin.") == []


@needs_system_lists
def test_english_lexicon(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "lexicon-cache"
    english = ProperNounDetector("en", lexicon=load_lexicon("en", cache=cache))
    assert spans(english, "We met Gnirkesen about the Tuvstad project.") == [
        ("Gnirkesen", "person", 0.6), ("Tuvstad", "person", 0.6)]
    assert spans(english, "The English teacher said so.") == []


def test_no_system_lists_still_detects(tmp_path):
    empty = tmp_path / "no-dict"
    empty.mkdir()
    fallback = ProperNounDetector(lexicon=load_lexicon("no", dict_dir=empty, cache=tmp_path / "cache"))
    assert spans(fallback, "Hun heter Tuvstad og jobber på Gnirk skole.") == [
        ("Tuvstad", "person", 0.9), ("Gnirk skole", "workplace", 0.8)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.text(max_size=3),
    st.sampled_from(["Tuvstad", "Kari", "heter", "sa", "fra", "i", "I", "på", "Dr", "fru", "kommune", "skole",
                     "videregående", "AS", "UNN", "jobber", "works", "at", "NAV", "St", "Indre", "Østfold", "Mo",
                     "Rana", "my", "name", "is", "May"]),
    st.sampled_from([" ", "  ", ".", ". ", ",", ":", "\n", "-", "'", "\u0301", "\u200b", "\u00ad", "\u00a0"])),
    max_size=30).map("".join))
def test_arbitrary_text_never_raises_and_offsets_are_in_range(detector, text):
    doc = Document(text)
    for hit in detector.detect(doc):
        assert 0 <= hit.start < hit.end <= len(doc.text)
        assert doc.text[hit.start:hit.end] == hit.text


# -- speed ---------------------------------------------------------------------------------

@needs_system_lists
def test_both_detectors_handle_ten_thousand_words_quickly(lexicon):
    gazetteer, proper = GazetteerDetector(lexicon=lexicon), ProperNounDetector(lexicon=lexicon)
    words = ["Jeg", "snakket", "med", "Kari", "Nordmann", "i", "Levanger", "kommune", "om", "jobben", "på", "Nordlys", "skole", ",", "og", "Tuvstad", "sa", "at", "Bjørn", "flyttet", "fra", "Indre", "Østfold", "til", "Ski", "i", "fjor", ".", "Hun", "heter", "Gnirkesen"]
    unique = [f"Ord{i}" if i % 7 == 0 else f"ord{i}" for i in range(3000)]  # defeat the memo a little
    text = " ".join((words * 400)[:7600] + unique)
    doc = Document(text)
    assert len(doc.tokens) >= 10_000  # tokenised before the clock starts
    started = time.perf_counter()
    found = list(gazetteer.detect(doc)) + list(proper.detect(doc))
    elapsed = time.perf_counter() - started
    assert found
    print(f"\n10 000 words, both detectors: {elapsed:.3f} s")
    assert elapsed < 1.5  # well under 0.3 s on a developer machine; generous for slow CI
