"""The linkage key (koblingsnøkkel): participant code ↔ name and contact.

It lives in its own age file with its own recipients, apart from the data, so that a
transcriber who may read transcripts cannot read names, and so that it can be
destroyed at project end (which turns pseudonymised data into anonymous data).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class LinkageEntry:
    code: str
    name: str
    contact: str = ""


@dataclass
class LinkageKey:
    entries: dict[str, LinkageEntry] = field(default_factory=dict)  # participant id → entry
    # The anonymisation state (pseudonym map, reviewer's terms and decisions): it names people,
    # so it lives here, with the linkage recipients (see interviewkit.anonymise.review).
    anonymisation: dict[str, Any] = field(default_factory=dict)
    # Speaker display names of the transcripts (names of people, so here, not in the data scope):
    # session key → speaker code → display name (see interviewkit.transcript.store).
    speakers: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {"format": "interviewkit-linkage", "version": 1,
                "entries": {pid: asdict(e) for pid, e in self.entries.items()},
                "anonymisation": self.anonymisation, "speakers": self.speakers}
        return json.dumps(data, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> LinkageKey:
        data = json.loads(raw)
        return cls({pid: LinkageEntry(**e) for pid, e in data.get("entries", {}).items()},
                   dict(data.get("anonymisation", {})),
                   {str(key): {str(code): str(name) for code, name in dict(names).items()}
                    for key, names in dict(data.get("speakers") or {}).items()})
