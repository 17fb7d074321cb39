"""The guide an interview used, kept with the run: the model as JSON (so a run never needs the
guide file again) plus the file's own text and its SHA-256 (so the exact version is known).

Guide files are read through the guide loader (``interviewkit.guides.loader``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from interviewkit.errors import InvalidInput
from interviewkit.guides import loader, shipped
from interviewkit.guides.bounds import read_guide_text
from interviewkit.guides.model import Guide, GuideInfo, Question, Section, Wording


def guide_to_dict(guide: Guide) -> dict[str, Any]:
    return asdict(guide)


def _wording(data: dict[str, Any] | None) -> Wording | None:
    return Wording(**data) if data is not None else None


def guide_from_dict(data: dict[str, Any]) -> Guide:
    sections = []
    for s in data.get("sections", []):
        questions = [Question(id=q["id"], text=Wording(**q["text"]), probes=[Wording(**p) for p in q.get("probes", [])],
                              priority=q.get("priority", "should"), condition=q.get("condition"), note=q.get("note"))
                     for q in s.get("questions", [])]
        sections.append(Section(id=s["id"], title=Wording(**s["title"]), questions=questions,
                                budget_minutes=s.get("budget_minutes"), note=s.get("note"),
                                kind=s.get("kind", "theme")))
    return Guide(info=GuideInfo(**data["info"]), sections=sections, introduction=_wording(data.get("introduction")),
                 consent_script=_wording(data.get("consent_script")), base=data.get("base"))


def canonical_source(guide: Guide) -> str:
    """The source text of a guide built in code (no file): its model as sorted JSON."""
    return json.dumps(guide_to_dict(guide), ensure_ascii=False, sort_keys=True, indent=1)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class GuideRecord:
    """Which guide a run used, forever: its identity and its full source text."""

    title: str
    version: str
    language: str
    audience: str  # the guide's own audience: individual | group | both
    sha256: str  # of ``source``
    source: str  # the guide file's text (a guide built in code: its canonical JSON)
    source_name: str | None = None  # the file's name, e.g. "demo.yaml" (never a full path)
    base_sources: dict[str, str] = field(default_factory=dict)  # file name → text of each guide it extends

    @classmethod
    def of(cls, guide: Guide, source: str | None = None, source_name: str | None = None,
           base_sources: dict[str, str] | None = None) -> GuideRecord:
        text = source if source is not None else canonical_source(guide)
        info = guide.info
        return cls(title=info.title, version=info.version, language=info.language, audience=info.audience,
                   sha256=sha256_text(text), source=text, source_name=source_name,
                   base_sources=dict(base_sources or {}))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GuideRecord:
        return cls(**data)


@dataclass
class LoadedGuide:
    """A guide read from a file, with the text it was read from."""

    guide: Guide
    record: GuideRecord


def shipped_guide_names() -> list[str]:
    """The names of the guides shipped with interviewkit."""
    return sorted(dict.fromkeys(Path(item).stem for item in shipped.shipped_guides()))


def resolve_guide(spec: str | Path) -> LoadedGuide:
    """Load a guide from a file path, or a shipped guide by name (``demo``).

    Raises the loader's ``GuideError`` (an ``InterviewkitError``) for a bad file, ``NotFound``
    for an unknown name.
    """
    text = str(spec).strip()
    if not text:
        raise InvalidInput("--guide", "no guide given", "give the path of a guide (.yaml) or a shipped guide's name",
                           code="guide.none_given")
    path = Path(text).expanduser()
    if not path.is_file():
        # A bare name is a shipped guide's even where the current folder holds a folder of that name.
        shipped_name = text.removesuffix(".yaml") in shipped_guide_names()
        if path.suffix not in ("", ".yaml") or "/" in text or (path.exists() and not shipped_name):
            raise InvalidInput(text, "no such guide file", "give the path of a guide (.yaml) or a shipped "
                               f"guide's name ({', '.join(shipped_guide_names()) or 'none'})",
                               code="guide.not_found", params={"names": ", ".join(shipped_guide_names()) or "–"})
        path = Path(shipped.shipped_guide(text))
    guide = loader.load_guide(path)
    source = _read_text(path)
    base_sources: dict[str, str] = {}
    for base in loader.base_chain(path)[1:]:
        base_sources.setdefault(Path(base).name, _read_text(Path(base)))
    return LoadedGuide(guide, GuideRecord.of(guide, source, path.name, base_sources))


def _read_text(path: Path) -> str:
    try:
        return read_guide_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(path, f"cannot read the guide ({exc})", "check the file",
                           code="guide.unreadable", params={"detail": exc}) from None
