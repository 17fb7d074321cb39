"""The pseudonym map: the same label for the same thing in every session, in each convention."""

from __future__ import annotations

from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.pseudonyms import PseudonymMap


def hit(text: str, type_: str = "person", canonical: str = "") -> Hit:
    return Hit(0, len(text), type_, 0.9, "test", text, canonical)


def test_labels_are_numbered_per_type_and_stable() -> None:
    pmap = PseudonymMap("labels", "no")
    kari = pmap.entity_for(hit("Kari Nordmann"))
    ola = pmap.entity_for(hit("Ola"))
    levanger = pmap.entity_for(hit("Levanger", "municipality"))
    steinkjer = pmap.entity_for(hit("Steinkjer", "municipality"))
    assert (kari.label, ola.label, levanger.label, steinkjer.label) == ("Person 1", "Person 2", "Kommune A", "Kommune B")
    assert pmap.entity_for(hit("kari nordmann")) is kari  # case
    assert pmap.entity_for(hit("Kari")) is kari  # a part of the one known full name
    assert pmap.entity_for(hit("Levangers", "municipality")) is levanger  # genitive
    assert pmap.replacement(levanger, "Levangers") == "[Kommune A]s"
    assert pmap.replacement(kari, "Kari") == "[Person 1]"
    again = PseudonymMap.from_dict(pmap.to_dict())  # saved and read back: same labels, numbering goes on
    assert again.entity_for(hit("Ola")).label == "Person 2"
    assert again.entity_for(hit("Per")).label == "Person 3"


def test_participants_keep_their_codes() -> None:
    pmap = PseudonymMap("labels", "no")
    entity = pmap.entity_for(hit("Eva", canonical="Eva Demo"), code="D6")
    assert entity.label == "D6" and pmap.replacement(entity, "Eva") == "[D6]"
    assert pmap.entity_for(hit("Eva Demo")) is entity


def test_generic_pseudonym_and_english_conventions() -> None:
    generic = PseudonymMap("generic", "no")
    assert generic.replacement(generic.entity_for(hit("Kari")), "Kari") == "[navn]"
    assert generic.replacement(generic.entity_for(hit("Levanger", "municipality")), "Levanger") == "[kommune]"
    realistic = PseudonymMap("pseudonyms", "no")
    person = realistic.entity_for(hit("Kari Nordmann"))
    assert realistic.replacement(person, "Kari Nordmann") == person.label and " " in person.label
    phone = realistic.entity_for(hit("481 23 456", "phone"))
    assert realistic.replacement(phone, "481 23 456") == "[telefonnummer]"  # never a fake number
    english = PseudonymMap("labels", "en")
    assert english.entity_for(hit("Leeds", "municipality")).label == "Municipality A"
    assert english.replacement(english.entity_for(hit("Anna")), "Anna's") == "[Person 1]'s"


def test_a_change_of_convention_relabels_but_keeps_numbers_and_codes() -> None:
    pmap = PseudonymMap("labels", "no")
    pmap.entity_for(hit("Kari"))
    pmap.entity_for(hit("Eva"), code="D6")
    pmap.convention = "generic"
    pmap.relabel_all()
    assert [e.label for e in pmap.entities.values()] == ["navn", "D6"]


def test_merging_two_entities() -> None:
    pmap = PseudonymMap("labels", "no")
    a = pmap.entity_for(hit("Kari"))
    b = pmap.entity_for(hit("Karianne"))
    pmap.merge_into(b.id, a.id)
    assert pmap.entity_for(hit("Karianne")) is a and b.id not in pmap.entities
