"""What a project (one study) is: title, responsibility, approvals, legal basis,
end date, who has access and what is deleted or anonymised when."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from interviewkit.errors import InvalidInput

LEGAL_BASES = ("consent", "public-interest", "legitimate-interest", "other")
APPROVAL_KINDS = ("sikt", "nsd", "rek", "other")
# What happens to a kind of data at project end.
RETENTION_ACTIONS = ("delete-at-end", "anonymise-at-end", "archive", "keep")


def parse_date(value: str | None, where: str) -> str | None:
    """Check an ISO date (YYYY-MM-DD) and return it as text."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise InvalidInput(where, f"'{value}' is not a date", "write it as YYYY-MM-DD, e.g. 2027-06-30",
                           code="input.bad_date", params={"value": value}) from None


@dataclass
class Approval:
    """A data-protection or ethics approval: Sikt/NSD reference, REK decision, amendments."""

    kind: str
    reference: str
    date: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in APPROVAL_KINDS:
            raise InvalidInput("approval", f"unknown approval kind '{self.kind}'", f"use one of {', '.join(APPROVAL_KINDS)}",
                               code="study.unknown_approval_kind",
                               params={"value": self.kind, "choices": ", ".join(APPROVAL_KINDS)})
        if not self.reference.strip():
            raise InvalidInput("approval", "the approval reference is empty", "give the reference number",
                               code="study.approval_reference_empty")


@dataclass
class DeletionPolicy:
    """What is deleted or anonymised when (the retention issue turns this into dated actions)."""

    audio: str = "delete-at-end"
    linkage_key: str = "delete-at-end"
    transcripts: str = "anonymise-at-end"
    years_after_end: int | None = None
    event: str = ""

    def __post_init__(self) -> None:
        for name in ("audio", "linkage_key", "transcripts"):
            value = getattr(self, name)
            if value not in RETENTION_ACTIONS:
                raise InvalidInput(f"deletion policy ({name})", f"unknown action '{value}'",
                                   f"use one of {', '.join(RETENTION_ACTIONS)}",
                                   code="retention.unknown_action",
                                   params={"value": value, "choices": ", ".join(RETENTION_ACTIONS)},
                                   field="deletion-policy")


@dataclass
class StudyInfo:
    title: str
    institution: str = ""
    responsible: str = ""
    legal_basis: str = "consent"
    end_date: str | None = None
    approvals: list[Approval] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    deletion: DeletionPolicy = field(default_factory=DeletionPolicy)
    language: str = "nb"
    # Values for guide placeholders such as {municipality}: kept here, encrypted, so that
    # guide files hold no identifying names.
    placeholders: dict[str, str] = field(default_factory=dict)
    # Words transcription should spell right (places, programmes, local terms): the prompt for
    # Whisper.  Encrypted with the study, since place names can identify.
    vocabulary: list[str] = field(default_factory=list)
    # How identifiers are replaced: labels ([Person 3]), generic ([navn]) or pseudonyms.
    anonymisation: str = "labels"
    created: str = field(default_factory=lambda: dt.date.today().isoformat())

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise InvalidInput("--title", "the project title is empty", "give the study a title",
                               code="study.title_empty")
        if self.legal_basis not in LEGAL_BASES:
            raise InvalidInput("--legal-basis", f"unknown legal basis '{self.legal_basis}'",
                               f"use one of {', '.join(LEGAL_BASES)}",
                               code="study.unknown_legal_basis",
                               params={"value": self.legal_basis, "choices": ", ".join(LEGAL_BASES)})
        self.end_date = parse_date(self.end_date, "--end-date")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudyInfo:
        data = dict(data)
        data["approvals"] = [Approval(**a) for a in data.get("approvals", [])]
        data["deletion"] = DeletionPolicy(**data.get("deletion", {}))
        return cls(**data)

    def approval_summary(self) -> str:
        return ", ".join(f"{a.kind.upper()} {a.reference}" for a in self.approvals)
