"""Detectors: each finds one family of identifiers in a ``Document`` and yields ``Hit``s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.text import Document


class Detector(Protocol):
    name: str

    def detect(self, doc: Document) -> Iterator[Hit]:
        """Yield hits with offsets into ``doc.text`` (the normalised text)."""
        ...
