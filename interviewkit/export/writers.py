"""Every export format by name: what it is for, and the function that writes it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from interviewkit.errors import InvalidInput
from interviewkit.export.codebook import Codebook
from interviewkit.export.model import ExportProject

# (export, options) → file name → bytes
Writer = Callable[[ExportProject, "Options"], dict[str, bytes]]


@dataclass(frozen=True)
class Options:
    highlight: bool = False            # Word: shade turns by speaker, mark no-quote turns
    codebook: Codebook | None = None   # REFI-QDA: codes (e.g. from the interview guide)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    write: Writer


def slug(title: str) -> str:
    """A file name from the project title (ASCII, dashes)."""
    plain = unicodedata.normalize("NFKD", title.replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
                                  .replace("Æ", "Ae")).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "export"


def _qdpx(export: ExportProject, options: Options) -> dict[str, bytes]:
    from interviewkit.export.qdpx import write_qdpx

    return {f"{slug(export.title)}.qdpx": write_qdpx(export, options.codebook)}


def _qdc(export: ExportProject, options: Options) -> dict[str, bytes]:
    from interviewkit.export.qdpx import write_qdc

    if options.codebook is None or not options.codebook.codes:
        raise InvalidInput("--guide", "the codebook is empty: the project has no codes of its own yet",
                           "give an interview guide (--guide FILE) to start one from its themes and questions",
                           code="export.codebook_empty")
    return {f"{slug(export.title)}-codebook.qdc": write_qdc(options.codebook)}


def _docx(export: ExportProject, options: Options) -> dict[str, bytes]:
    from interviewkit.export.docx import write_docx

    return {f"{slug(export.title)}.docx": write_docx(export, highlight=options.highlight)}


def _text(name: str) -> Writer:
    def write(export: ExportProject, options: Options) -> dict[str, bytes]:
        from interviewkit.export.text_formats import FORMATS as TEXT_FORMATS

        files = TEXT_FORMATS[name][0](export)
        if len(files) == 1 and name in ("csv", "json"):
            return {f"{slug(export.title)}.{name}": next(iter(files.values()))}
        return files
    return write


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("qdpx", "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder", _qdpx),
    Format("qdc", "REFI-QDA codebook alone (from the interview guide's themes and questions)", _qdc),
    Format("docx", "Word: a two-column table per session (turns | codes and notes)", _docx),
    Format("txt", "plain text, [hh:mm:ss] D2: … (QualCoder/MAXQDA synced import), one file per session", _text("txt")),
    Format("md", "Markdown, one file per session", _text("md")),
    Format("srt", "SubRip subtitles, one file per session", _text("srt")),
    Format("vtt", "WebVTT subtitles, one file per session", _text("vtt")),
    Format("csv", "one row per turn (R, Python, Excel)", _text("csv")),
    Format("json", "sessions and turns as JSON", _text("json")),
)}


def render(export: ExportProject, fmt: str, options: Options | None = None) -> dict[str, bytes]:
    if fmt not in FORMATS:
        raise InvalidInput("--format", f"unknown format '{fmt}'", f"use one of {', '.join(FORMATS)}",
                           code="export.unknown_format", params={"value": fmt, "choices": ", ".join(FORMATS)})
    return FORMATS[fmt].write(export, options or Options())
