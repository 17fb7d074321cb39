"""The pattern detector: e-mail, URL, phone, national id, birth date and address by shape."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewkit.anonymise.detectors.patterns import PatternDetector, valid_national_id
from interviewkit.anonymise.hits import ENTITY_TYPES, Hit
from interviewkit.anonymise.text import Document

DETECTOR = PatternDetector()


def detect(text: str) -> list[Hit]:
    doc = Document(text)
    hits = list(DETECTOR.detect(doc))
    for hit in hits:
        assert doc.text[hit.start:hit.end] == hit.text
        assert hit.detector == "patterns"
    return hits


def found(text: str, kind: str) -> list[str]:
    return [h.text for h in detect(text) if h.type == kind]


# --- national id generator --------------------------------------------------------------------

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def control(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return None if remainder == 1 else (11 - remainder) % 11


def with_controls(nine: str) -> str | None:
    k1 = control(nine, W1)
    if k1 is None:
        return None
    k2 = control(nine + str(k1), W2)
    return None if k2 is None else f"{nine}{k1}{k2}"


def generated_ids(count: int, *, day_add: int = 0, month_add: int = 0, seed: int = 7) -> list[str]:
    """Checksum-valid numbers for random real birth dates 1940–2039 with a fitting individual
    number (000–499 for the 1900s, 500–999 for the 2000s)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 100))
        individual = rng.randrange(500) + (500 if born.year >= 2000 else 0)
        nine = f"{born.day + day_add:02d}{born.month + month_add:02d}{born.year % 100:02d}{individual:03d}"
        number = with_controls(nine)
        if number:
            out.append(number)
    return out


def test_hand_worked_example() -> None:
    # 0 1 0 1 9 0 1 2 4 · 3 7 6 1 8 9 4 5 2 = 102, 102 % 11 = 3, k1 = 8;
    # 0 1 0 1 9 0 1 2 4 8 · 5 4 3 2 7 6 5 4 3 2 = 110, 110 % 11 = 0, k2 = 0
    assert valid_national_id("01019012480")
    # 010190123: the first sum is 100, remainder 1, so no control digit exists
    assert control("010190123", W1) is None
    assert not any(valid_national_id(f"010190123{k:02d}") for k in range(100))


@pytest.mark.parametrize(("label", "day_add", "month_add"),
                         [("fødselsnummer", 0, 0), ("D-number", 40, 0), ("H-number", 0, 40), ("synthetic", 0, 80)])
def test_valid_numbers_are_found_and_every_one_digit_change_is_rejected(label: str, day_add: int,
                                                                        month_add: int) -> None:
    for number in generated_ids(25, day_add=day_add, month_add=month_add):
        assert valid_national_id(number), (label, number)
        hits = detect(f"Nummeret er {number}.")
        assert [(h.type, h.text, h.confidence) for h in hits] == [("national_id", number, 1.0)]
        for position in range(11):
            for digit in "0123456789":
                if digit != number[position]:
                    changed = number[:position] + digit + number[position + 1:]
                    assert not valid_national_id(changed), (number, changed)
                    assert detect(f"Nummeret er {changed}.") == []


def first_with_controls(six: str) -> str:
    for individual in range(500):
        number = with_controls(f"{six}{individual:03d}")
        if number:
            return number
    raise AssertionError(six)


@pytest.mark.parametrize("six", ["320190", "311190", "300290", "290290", "011390", "000190", "010090", "725190",
                                 "015390", "019390"])
def test_checksum_valid_but_impossible_date_is_rejected(six: str) -> None:
    number = first_with_controls(six)
    assert not valid_national_id(number)
    assert detect(f"Nummeret er {number}.") == []


def test_leap_day_needs_a_leap_year() -> None:
    assert valid_national_id(first_with_controls("290288"))
    assert valid_national_id(first_with_controls("690288"))  # D-number
    assert not valid_national_id(first_with_controls("290289"))


@pytest.mark.parametrize("separator", ["", " ", "."])
def test_separator_after_sixth_digit(separator: str) -> None:
    number = generated_ids(1)[0]
    written = number[:6] + separator + number[6:]
    assert found(f"fnr {written}", "national_id") == [written]
    assert found(f"fnr:{written}", "national_id") == [written]


def test_bad_checksum_only_with_a_cue_word_and_lower_confidence() -> None:
    bad = "01019012346" if not valid_national_id("01019012346") else "01019012347"
    assert detect(f"Saken har nummer {bad}.") == []
    for cue in ("fødselsnummer", "Fødselsnummeret mitt er", "personnummer:", "fnr.", "D-nummer", "national id"):
        hits = detect(f"{cue} {bad}")
        assert [(h.type, h.confidence) for h in hits] == [("national_id", 0.6)], cue


@pytest.mark.parametrize("text", ["0101901234567", "1010190123456", "konto 1234.56.78901", "tel 0101-9012345"])
def test_national_id_needs_exactly_eleven_free_digits(text: str) -> None:
    assert found(text, "national_id") == []


# --- email and url ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Send til kari.nordmann@nav.no.", "kari.nordmann@nav.no"),
    ("øyvind.åsen@post.uio.no svarte", "øyvind.åsen@post.uio.no"),
    ("(ola_n+intervju@student.ntnu.no)", "ola_n+intervju@student.ntnu.no"),
    ("Write to John.Smith@Example.CO.UK, please", "John.Smith@Example.CO.UK"),
    ("mailto:kari@nav.no", "kari@nav.no"),
])
def test_email(text: str, expected: str) -> None:
    hits = detect(text)
    assert [(h.type, h.text, h.confidence) for h in hits] == [("email", expected, 1.0)]


@pytest.mark.parametrize("text", ["@kari sa hei", "kari@nav", "kari@ og ola", "a @ b.no", "se @nav.no"])
def test_not_email(text: str) -> None:
    assert found(text, "email") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Se https://www.nav.no/kontakt.", "https://www.nav.no/kontakt"),
    ("(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("Gå til www.uio.no, så ser du", "www.uio.no"),
    ("står på nav.no/kontakt) i dag", "nav.no/kontakt"),
    ("http://example.com/a?b=1&c=2#d!", "http://example.com/a?b=1&c=2#d"),
    ("see ftp://files.example.org/x;", "ftp://files.example.org/x"),
])
def test_url(text: str, expected: str) -> None:
    hits = detect(text)
    assert [(h.type, h.text, h.confidence) for h in hits] == [("url", expected, 0.95)]


@pytest.mark.parametrize("text", ["nav.no er bra", "f.eks. dette", "og/eller", "http:// x", "bl.a./osv"])
def test_not_url(text: str) -> None:
    assert found(text, "url") == []


def test_email_wins_over_its_domain_and_a_url_over_what_it_contains() -> None:
    assert [(h.type, h.text) for h in detect("kari@nav.no/kontakt")] == [("email", "kari@nav.no")]
    assert [h.type for h in detect("skriv til kari@www.nav.no")] == ["email"]
    text = "https://nav.no/skjema?til=kari@nav.no&tlf=48123456"
    assert [(h.type, h.text) for h in detect(text)] == [("url", text)]


# --- phone ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "confidence"), [
    ("Nummeret 48123456 virker", "48123456", 0.8),
    ("Det er 481 23 456 som gjelder", "481 23 456", 0.9),
    ("Det er 48 12 34 56.", "48 12 34 56", 0.9),
    ("sentralbordet, 22 33 44 55", "22 33 44 55", 0.9),
    ("+47 48123456", "+47 48123456", 1.0),
    ("+4748123456", "+4748123456", 1.0),
    ("0047 481 23 456", "0047 481 23 456", 1.0),
    ("(+47) 48 12 34 56", "(+47) 48 12 34 56", 1.0),
    ("+47 4812 3456", "+47 4812 3456", 1.0),
    ("tlf 48123456", "48123456", 1.0),
    ("Tlf:48123456", "48123456", 1.0),
    ("Tlf.: 22 33 44 55", "22 33 44 55", 1.0),
    ("Telefonnummeret mitt er 481 23 456.", "481 23 456", 1.0),
    ("mobil: 4812 3456", "4812 3456", 1.0),
    ("ring meg på 481 234 56", "481 234 56", 1.0),
    ("call me at 48 123 456", "48 123 456", 1.0),
    ("phone 90 12 34 56", "90 12 34 56", 1.0),
    ("Ring 0047 48123456", "0047 48123456", 1.0),
    ("Sweden: +46 70 123 45 67.", "+46 70 123 45 67", 1.0),
    ("London +44 20 7946 0958", "+44 20 7946 0958", 1.0),
    ("US +1 (555) 123-4567", "+1 (555) 123-4567", 1.0),
    ("+46701234567", "+46701234567", 1.0),
    ("Or my mobile, 07700 900123, but", "07700 900123", 1.0),
    ("ring the centre on 0114 496 0321.", "0114 496 0321", 1.0),
    ("the landline, 01632 960 215, or", "01632 960 215", 0.9),
    ("London 020 7946 0958", "020 7946 0958", 0.9),
])
def test_phone(text: str, expected: str, confidence: float) -> None:
    hits = detect(text)
    assert [(h.type, h.text, h.confidence) for h in hits] == [("phone", expected, confidence)]


@pytest.mark.parametrize("text", [
    "I 2019 og 2020 var det mye",
    "Vi fikk 1 000 000 kr i støtte",
    "Det kostet kr 12 500 i måneden",
    "lønn på 45 000 kroner",
    "kr 22334455 eller 22334455 kr eller 22 33 44 55 kroner eller NOK 48123456",
    "Klokka 12.30 eller 14:45",
    "den 12.03.2019, 2019-03-12, 12/03/2019",
    "datoen 20190312 og 25121985",
    "45 % og 22 33 44 55 %",
    "postnummer 7600",
    "8 av 10",
    "12 34 56 78 (starts with 1)",
    "48 12 34 56 78 (too many pairs)",
    "4812 3456 (split in halves without a cue)",
    "48 123 456 without a cue",
    "ring i 2019-2020 eller 2019 2020",
    "orgnr 987 654 321",
    "123456789 og 4812345678",
    "en økning på +10 000 000",
    "01019012345",
    "0150 Oslo og 0 300 000",
    "sak 0114 496",
])
def test_not_phone(text: str) -> None:
    assert found(text, "phone") == []


def test_phone_with_non_breaking_spaces_maps_back_to_the_original() -> None:
    original = "Ring 481\u00a023\u00a0456 i dag"
    doc = Document(original)
    hits = list(DETECTOR.detect(doc))
    assert [(h.type, h.text) for h in hits] == [("phone", "481 23 456")]
    start, end = doc.to_original(hits[0].start, hits[0].end)
    assert original[start:end] == "481\u00a023\u00a0456"


def test_email_with_zero_width_characters_maps_back() -> None:
    original = "Skriv til kari.\u200bnord\u200dmann@nav\ufeff.no i morgen"
    doc = Document(original)
    hits = list(DETECTOR.detect(doc))
    assert [(h.type, h.text) for h in hits] == [("email", "kari.nordmann@nav.no")]
    start, end = doc.to_original(hits[0].start, hits[0].end)
    assert original[start:end] == "kari.\u200bnord\u200dmann@nav\ufeff.no"


def test_decomposed_letters_in_an_email() -> None:
    assert found("a\u030asen@nav.no", "email") == ["åsen@nav.no"]


# --- birth date -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "confidence"), [
    ("Han er født 12.03.1985 i Levanger.", "12.03.1985", 0.9),
    ("Ho er fødd 12. mars 1985.", "12. mars 1985", 0.9),
    ("Kari (f. 12.3.85) sa", "12.3.85", 0.9),
    ("født 12 mars 1985", "12 mars 1985", 0.9),
    ("fødd 1. januar 2001", "1. januar 2001", 0.9),
    ("født 24. des. 1979", "24. des. 1979", 0.9),
    ("Fødselsdato: 1985-03-12", "1985-03-12", 0.9),
    ("fødselsdagen min er 12. mars", "12. mars", 0.9),
    ("Hun ble født i Oslo den 12. mars 1985", "12. mars 1985", 0.9),
    ("Date of birth: 3 March 1985.", "3 March 1985", 0.9),
    ("She was born on the 3rd of March 1985.", "3rd of March 1985", 0.9),
    ("DOB 12/3/1985", "12/3/1985", 0.9),
    ("DOB: 3/25/1985", "3/25/1985", 0.9),
    ("Birthday: March 3, 1985", "March 3, 1985", 0.9),
    ("born Sept. 9, 1971", "Sept. 9, 1971", 0.9),
    ("født i mars 1985", "mars 1985", 0.8),
    ("født i 1985", "1985", 0.7),
    ("Han er fødd 1962 og", "1962", 0.7),
    ("I was born in 1985.", "1985", 0.7),
])
def test_birth_date(text: str, expected: str, confidence: float) -> None:
    hits = detect(text)
    assert [(h.type, h.text, h.confidence) for h in hits] == [("birth_date", expected, confidence)]


@pytest.mark.parametrize("text", [
    "Han kom hjem 12.03.1985.",
    "I mars 1985 var det kaldt.",
    "Møtet var 3 March 1985.",
    "Han ble født. 12.03.1985 flyttet han.",
    "født\n12.03.1985",
    "født på et lite sted langt nord i landet, og i 1985 flyttet vi",
    "f.eks. 12.03.1985",
    "født 31.02.1985",
    "born 13/13/1985",
    "født i 19851",
    "Birthday party on the 5th",
])
def test_not_birth_date(text: str) -> None:
    assert found(text, "birth_date") == []


# --- address ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Jeg bor i Storgata 5.", ["Storgata 5"]),
    ("Adressen er Storgata 5, 7600 Levanger.", ["Storgata 5, 7600 Levanger"]),
    ("Elvegata 12b og Storgata 5 B", ["Elvegata 12b", "Storgata 5 B"]),
    ("i Kirkeveien 3 og Skolevegen 14", ["Kirkeveien 3", "Skolevegen 14"]),
    ("Solbakken 4, Fjellstien 2, Sjøbrygge 1, Solhaugen 7", ["Solbakken 4", "Fjellstien 2", "Sjøbrygge 1",
                                                            "Solhaugen 7"]),
    ("Bygdøyallé 23 og Ringvegen 3-5", ["Bygdøyallé 23", "Ringvegen 3-5"]),
    ("kontoret i Kongens gate 5", ["Kongens gate 5"]),
    ("Dronning Mauds gate 3B, 0250 Oslo", ["Dronning Mauds gate 3B, 0250 Oslo"]),
    ("Ved Thorvald Meyers gate 12", ["Thorvald Meyers gate 12"]),
    ("Postboks 123, 0102 Oslo", ["Postboks 123, 0102 Oslo"]),
    ("send til Pb. 45 Sentrum", ["Pb. 45"]),
    ("Adresse: 7600 Levanger", ["7600 Levanger"]),
    ("0150 OSLO", ["0150 OSLO"]),
    ("2000 LILLESTRØM", ["2000 LILLESTRØM"]),
    ("Storgata 1\n2000 Lillestrøm\n", ["Storgata 1", "2000 Lillestrøm"]),
    ("He lived at 221B Baker Street.", ["221B Baker Street"]),
    ("10 Downing Street, London SW1A 2AA", ["10 Downing Street, London SW1A 2AA"]),
    ("at 5 Green Lane and 12 Oak Avenue", ["5 Green Lane", "12 Oak Avenue"]),
    ("postcode EH1 2NG or SW1A 1AA", ["EH1 2NG", "SW1A 1AA"]),
])
def test_address(text: str, expected: list[str]) -> None:
    hits = detect(text)
    assert [h.text for h in hits] == expected
    assert all(h.type == "address" and h.confidence == 0.9 for h in hits)


@pytest.mark.parametrize("text", [
    "I 2019 Trondheim-kontoret var stengt",
    "i 2019 Trondheim var det fint",
    "i 2019 Oslo-møtet",
    "In 1999 London was busy",
    "Alle 3 barna kom",
    "Julia 5 år og Emilia 3",
    "Solbakken 45 år gammel",
    "Storgata 2019",
    "postnummeret 7600",
    "år 3000 BC",
    "kostet ca 4500 Kroner",
    "kl. 1430 Oslo S",
    "på rom 3045 Heimdal",
    "Jeg gikk på gate 5",
    "veien 5 km",
    "12345 Levanger",
    "Det var 3 Gode grunner",
])
def test_not_address(text: str) -> None:
    assert found(text, "address") == []


# --- together ---------------------------------------------------------------------------------

def test_offsets_in_a_mixed_transcript() -> None:
    text = ("Intervjuer: Hvor bor du?\nKari: Storgata 5, 7600 Levanger. Ring 481 23 456 eller skriv til "
            "kari.nordmann@nav.no. Jeg er født 12. mars 1985. Se nav.no/kontakt.")
    hits = detect(text)
    expected = [("address", "Storgata 5, 7600 Levanger"), ("phone", "481 23 456"),
                ("email", "kari.nordmann@nav.no"), ("birth_date", "12. mars 1985"), ("url", "nav.no/kontakt")]
    assert [(h.type, h.text) for h in hits] == expected
    for hit in hits:
        assert hit.start == text.index(hit.text)
        assert hit.end == hit.start + len(hit.text)


def test_pathological_input_returns() -> None:
    rng = random.Random(3)
    noise = "".join(rng.choice("0123456789 .,-/:+()@%") for _ in range(150_000))
    runs = "1" * 20_000 + " " + "48 " * 5_000 + "+1 2 " * 3_000 + "a.b." * 3_000 + "Aa" * 5_000
    hits = list(DETECTOR.detect(Document(noise + runs)))
    assert all(0 <= h.start < h.end for h in hits)


FRAGMENTS = ["48123456", "481 23 456", "+47 ", "(+47)", "tlf ", "født ", "f. ", "12.03.1985", "12. mars 1985",
             "kari@nav.no", "nav.no/", "www.", "https://", "Storgata 5", ", 7600 Levanger", "Kongens gate ",
             "Postboks ", "221B Baker Street", "SW1A 1AA", "01019012345", "010190 12345", "fnr ", "kr ", "%",
             "2019 ", "Oslo", "\n", ". ", " ", "-", "/", "@", ")", "(", "æøå", "\u00a0", "\u200b"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.sampled_from(list("0123456789 .,:;/@+-()%\nabAæØå")), max_size=120),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join),
))
def test_detect_never_raises_and_hits_are_well_formed(text: str) -> None:
    doc = Document(text)
    hits = list(DETECTOR.detect(doc))
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(doc.text)
        assert hit.text == doc.text[hit.start:hit.end]
        assert hit.type in ENTITY_TYPES and 0.0 <= hit.confidence <= 1.0
    for kind in ENTITY_TYPES:
        spans = sorted((h.start, h.end) for h in hits if h.type == kind)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
