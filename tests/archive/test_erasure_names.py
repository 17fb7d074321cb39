"""What counts as the withdrawn person's name: forms, parts, genitives, Norwegian letters, and
the parts too generic to erase alone."""

from __future__ import annotations

import unicodedata

import pytest

from interviewkit import consent
from interviewkit.archive.erasure import MENTION, NameForms, _Redactor, name_forms


def _redact(names: NameForms, text: str) -> str:
    return _Redactor(names.pattern(), "D1", "no").text(text)


M = MENTION["no"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Jeg snakket med Kari Nordmann i går.", f"Jeg snakket med {M} i går."),
    ("KARI\n NORDMANN kom", f"{M} kom"),
    ("Karis datter, Kari's hus, Kari’s bil", f"{M} datter, {M} hus, {M} bil"),
    ("NORDMANN-familien og Nordmanns gård", f"{M}-familien og {M} gård"),
    ("Karianne og Nordmannsen og karikatur", "Karianne og Nordmannsen og karikatur"),  # other words
])
def test_forms_and_parts_are_whole_words_any_case_with_a_genitive(text, expected):
    assert _redact(NameForms(("Kari Nordmann",), ("Kari", "Nordmann")), text) == expected


def test_norwegian_letters_composed_or_not():
    names = NameForms(("Bjørn Åsheim",), ("Bjørn", "Åsheim"))
    decomposed = unicodedata.normalize("NFD", "Åsheims")
    assert decomposed != "Åsheims"
    assert _redact(names, f"BJØRN og {decomposed} hytte, åsheim") == f"{M} og {M} hytte, {M}"
    assert _redact(names, "bjørnebær") == "bjørnebær"
    assert _redact(NameForms((), ("Lars",)), "Lars' bil") == f"{M} bil"


def test_parts_too_generic_are_skipped(project):
    consent.add_participant(project, "D1", "Ole van der Li-Berg", consent_items=["all"])
    consent.add_participant(project, "D2", "Ole Hansen", consent_items=["all"])
    consent.add_participant(project, "D3", "Nils Berg", consent_items=["all"])
    consent.add_participant(project, "D4", "Eva Li", consent_items=["all"])
    consent.withdraw_participant(project, "D3")  # a withdrawn person's name no longer protects "Berg"
    names = name_forms(project, project.index.find_participant("D1"))
    assert names.forms == ("Ole van der Li-Berg",)
    assert names.parts == ("Li-Berg", "Berg")
    assert set(names.skipped) == {"Ole", "van", "der", "Li"}  # shared with D2, particles, two letters
    assert _redact(names, "Ole van der Li-Berg, Ole og Bergs hus") == f"{M}, Ole og {M} hus"


def test_no_name_no_pattern():
    assert NameForms((), ()).pattern() is None
