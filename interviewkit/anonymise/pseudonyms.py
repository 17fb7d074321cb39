"""The pseudonym map: which identifier becomes which label, the same in every session.

The map is part of the linkage key (``linkage.age``, its own recipients), since it says who
``[Person 3]`` is.  Three conventions (the project chooses one):

``labels``      bracketed category labels numbered across the project: ``[Person 3]``,
                ``[Kommune A]``, ``[Arbeidsplass 2]`` (English projects: ``[Municipality A]`` …);
``generic``     one label per category: ``[navn]``, ``[kommune]``, ``[arbeidsplass]``;
``pseudonyms``  realistic invented names for persons and places (other categories get labels).

Participants keep their speaker codes (``[D2]``).  Contact details, numbers and dates always get
a category label: a realistic fake phone number would only mislead.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from interviewkit.anonymise.hits import Hit

CONVENTIONS = ("labels", "generic", "pseudonyms")
NUMBERED = ("person", "municipality", "place", "workplace", "project")
LETTERED = ("municipality",)  # counted A, B, C … (as the seed theses do: "Kommune A")

LABELS = {
    "no": {"person": "Person", "municipality": "Kommune", "place": "Sted", "workplace": "Arbeidsplass",
           "project": "Prosjekt", "email": "e-post", "phone": "telefonnummer", "national_id": "fødselsnummer",
           "birth_date": "fødselsdato", "address": "adresse", "url": "nettadresse"},
    "en": {"person": "Person", "municipality": "Municipality", "place": "Place", "workplace": "Workplace",
           "project": "Project", "email": "email", "phone": "phone number", "national_id": "national ID number",
           "birth_date": "date of birth", "address": "address", "url": "web address"},
}
GENERIC = {"no": {"person": "navn"}, "en": {"person": "name"}}

# Invented, deliberately ordinary-sounding names (not drawn from any participant list).
PSEUDONYM_FIRST = ("Anne", "Berit", "Camilla", "Dagny", "Eli", "Frida", "Guro", "Hege", "Ida", "Janne",
                   "Arne", "Bjarte", "Christian", "Dag", "Einar", "Frode", "Geir", "Håkon", "Ivar", "Jon")
PSEUDONYM_LAST = ("Aas", "Berg", "Dahl", "Eide", "Fjeld", "Haug", "Lie", "Moe", "Nes", "Strand")
PSEUDONYM_PLACE = ("Nordvik", "Sørdal", "Vestby", "Austmark", "Fjellstad", "Elvheim", "Bakkestad",
                   "Sjøvik", "Lindås", "Granli", "Myrvang", "Åsheim")


def form_key(text: str) -> str:
    """How a surface form is looked up: case-folded, one space between words."""
    return " ".join(text.split()).casefold()


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


@dataclass
class Entity:
    """One identified thing (a person, a municipality …) wherever it is mentioned."""

    id: str                  # e.g. "person-3"
    type: str
    name: str                # the form it was first seen as, or the known term
    label: str               # what replaces it, without brackets: "Person 3", "D2", "Kommune A"
    code: str | None = None  # a participant's speaker code
    status: str = "pending"  # pending | accepted | rejected | ask (the reviewer's decision)
    note: str = ""


@dataclass
class PseudonymMap:
    convention: str = "labels"
    language: str = "no"
    entities: dict[str, Entity] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)      # form key → entity id
    counters: dict[str, int] = field(default_factory=dict)   # type → last number given

    # -- lookup ---------------------------------------------------------------------------------
    def find(self, type_: str, text: str) -> Entity | None:
        key = form_key(text)
        for candidate in (key, key[:-1] if key.endswith("s") else None,
                          re.sub(r"['’]s?$", "", key)):
            if candidate and candidate in self.forms:
                return self.entities[self.forms[candidate]]
        if type_ == "person" and " " not in key:
            # a first name or surname alone: the one known person whose full name has it
            owners = {eid for form, eid in self.forms.items()
                      if self.entities[eid].type == "person" and key in form.split()}
            if len(owners) == 1:
                return self.entities[owners.pop()]
        return None

    def entity_for(self, hit: Hit, code: str | None = None) -> Entity:
        """The entity a hit names, created (and numbered) if new."""
        entity = (self.find(hit.type, hit.canonical) if hit.canonical else None) or self.find(hit.type, hit.text)
        if entity is None:
            entity = self._new(hit.type, hit.canonical or hit.text, code)
            if hit.canonical:
                self.forms[form_key(hit.canonical)] = entity.id
        self.forms.setdefault(form_key(hit.text), entity.id)
        return entity

    def _new(self, type_: str, name: str, code: str | None) -> Entity:
        number = self.counters.get(type_, 0) + 1
        self.counters[type_] = number
        entity_id = f"{type_}-{number}"
        entity = Entity(entity_id, type_, " ".join(name.split()), self._label(type_, number, name, code), code)
        self.entities[entity_id] = entity
        return entity

    def _label(self, type_: str, number: int, name: str, code: str | None) -> str:
        if code:
            return code
        words = LABELS["en" if self.language == "en" else "no"]
        if self.convention == "pseudonyms" and type_ == "person":
            first = PSEUDONYM_FIRST[(number - 1) % len(PSEUDONYM_FIRST)]
            if len(name.split()) > 1:
                return f"{first} {PSEUDONYM_LAST[(number - 1) % len(PSEUDONYM_LAST)]}"
            return first
        if self.convention == "pseudonyms" and type_ in ("municipality", "place"):
            return PSEUDONYM_PLACE[(number - 1) % len(PSEUDONYM_PLACE)]
        if self.convention == "generic" or type_ not in NUMBERED:
            generic = GENERIC["en" if self.language == "en" else "no"].get(type_, words[type_])
            return generic if type_ == "person" else words[type_].lower()
        return f"{words[type_]} {_letters(number) if type_ in LETTERED else number}"

    # -- replacement ----------------------------------------------------------------------------
    def replacement(self, entity: Entity, surface: str) -> str:
        """What replaces ``surface``: the label (bracketed unless a pseudonym), keeping a genitive."""
        realistic = self.convention == "pseudonyms" and entity.type in ("person", "municipality", "place") \
            and not entity.code
        text = entity.label if realistic else f"[{entity.label}]"
        key = form_key(surface)
        for ending in ("'s", "’s", "s"):
            stem = key[:-len(ending)]
            if key.endswith(ending) and not form_key(entity.name).endswith(ending) and \
                    (self.forms.get(stem) == entity.id or stem in form_key(entity.name).split()):
                return text + surface[-len(ending):]
        return text

    def rename(self, entity_id: str, label: str) -> None:
        label = " ".join(label.strip().strip("[]").split())
        if not label:
            raise ValueError("the label is empty")
        self.entities[entity_id].label = label

    def relabel_all(self) -> None:
        """Labels made anew after a change of convention (numbers and codes kept)."""
        for entity in self.entities.values():
            number = int(entity.id.rsplit("-", 1)[1])
            entity.label = self._label(entity.type, number, entity.name, entity.code)

    def merge_into(self, source_id: str, target_id: str) -> None:
        """Make ``source`` another form of ``target`` (the reviewer says they are the same)."""
        for form, eid in list(self.forms.items()):
            if eid == source_id:
                self.forms[form] = target_id
        del self.entities[source_id]

    # -- storage (inside linkage.age) --------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"convention": self.convention, "language": self.language,
                "entities": {k: asdict(v) for k, v in self.entities.items()},
                "forms": self.forms, "counters": self.counters}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PseudonymMap:
        return cls(data.get("convention", "labels"), data.get("language", "no"),
                   {k: Entity(**v) for k, v in data.get("entities", {}).items()},
                   dict(data.get("forms", {})), dict(data.get("counters", {})))
