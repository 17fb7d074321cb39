"""What a detector reports: a typed span of the text, with how sure it is and who found it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The kinds of identifier the tool knows.  Direct identifiers are replaced; indirect ones
# (see ``indirect.py``) are only warned about.
EntityType = Literal[
    "person",        # a person's first name, surname or full name
    "municipality",  # a Norwegian kommune (or an English county/borough)
    "place",         # a town, village, district, street-less place name, country part
    "workplace",     # a school, firm, hospital, NAV office, kindergarten …
    "project",       # a named local project or programme
    "email",
    "phone",
    "national_id",   # fødselsnummer / D-number (checksum-valid)
    "birth_date",
    "address",       # street address and/or postcode + town, PO box
    "url",
]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, order=True)
class Hit:
    """One detection.  ``start``/``end`` are code-point offsets into the text the detector was
    given (``Document.text``); the pipeline maps them back to the caller's original string."""

    start: int
    end: int
    type: str          # one of ENTITY_TYPES
    confidence: float  # 0..1: how sure the detector is that this is an identifier of `type`
    detector: str      # the detector's name, e.g. "patterns", "vocabulary", "gazetteer"
    text: str = ""     # the covered text (filled in by the detector: doc.text[start:end])
    canonical: str = ""  # the known term this is a form of (vocabulary hits), else empty

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative span {self.start}..{self.end}")
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {self.type!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} outside 0..1")
