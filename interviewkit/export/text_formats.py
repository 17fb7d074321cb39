"""Text exports of an :class:`~interviewkit.export.model.ExportProject`: plain text, Markdown,
subtitles (SubRip, WebVTT), CSV and JSON.

Every writer takes the export and returns ``{file name: UTF-8 bytes}``; ``FORMATS`` lists them by
name with a one-line description (for the CLI and the TUI). The per-session formats (txt, md,
srt, vtt) give one ``<session id>.<ext>`` file per session; csv and json give one file in all.
Times are session times: ``segment.offset + segment.start`` (the take's place in the session's
audio plus the time in the take). Text is NFC, without control characters, LF line ends (CRLF in
CSV, per RFC 4180), UTF-8 without BOM (with BOM in CSV, so that Excel reads æøå right).

* ``txt``: one turn a line, ``[hh:mm:ss] D2: text``, nothing else (an import is for coding, so a
  header would be coded as text). ``[hh:mm:ss]`` at the start of a line is a form that both
  QualCoder and MAXQDA link to the media: QualCoder's ``get_timestamps_from_transcription``
  (``view_av.py``) reads ``[hh:mm:ss]``, ``[mm:ss]``, ``[hh.mm.ss]``, ``{hh:mm:ss}``,
  ``#hh:mm:ss.sss#`` and SRT timings; for MAXQDA's *Import > Transcripts with timestamps*,
  ``[hh:mm:ss]`` at the start of a paragraph is what aTrain's ``_maxqda.txt`` output uses.
  Times are rounded down to the second, so playback starts just before the turn.
* ``md``: ``# title``, a short metadata list, ``## <session> (<kind>, <date>)`` and one paragraph
  a turn: ``**D2** [00:01:23]: text``.
* ``srt``/``vtt``: one cue a segment (segments with no text are left out), ordered by start time;
  a cue lasts at least 0.5 s and never ends before it starts; overlapping speech stays
  overlapping (both formats allow simultaneous cues). Text is wrapped at 42 characters; a turn
  longer than two such lines gets more lines, never a second cue. SRT prefixes ``D2: ``; VTT uses
  a voice span ``<v D2>`` and escapes ``&``, ``<`` and ``>`` (so ``-->`` can never end a cue).
* Turns of a speaker who did not consent to direct quotes end with ``(no direct quotes)`` /
  ``(ikke direkte sitat)`` (by the export's language) in txt, md, srt and vtt; csv and json carry
  a ``quotes_allowed`` field instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import unicodedata
from collections.abc import Callable

from interviewkit.export.labels import export_labels
from interviewkit.export.model import ExportProject, ExportSegment, ExportSession

__all__ = ["FORMATS", "Writer", "clean", "clock", "one_line", "stamp", "write_csv", "write_json", "write_md",
           "write_srt", "write_txt", "write_vtt"]

Writer = Callable[[ExportProject], dict[str, bytes]]

MIN_CUE_MS = 500   # the shortest cue shown
LINE_WIDTH = 42    # characters a subtitle line (the usual broadcast limit)
CSV_COLUMNS = ("session", "kind", "date", "index", "start_seconds", "end_seconds", "start", "speaker",
               "role", "quotes_allowed", "text")



def _labels(export: ExportProject) -> dict[str, str]:
    return export_labels("text", export.language)


# -- text and time helpers

def clean(text: str) -> str:
    """NFC, every line break as ``\\n``, no other control characters (nor lone surrogates)."""
    text = "\n".join(text.splitlines())
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    return unicodedata.normalize("NFC", kept)


def one_line(text: str) -> str:
    """The cleaned text on one line, runs of whitespace as one space."""
    return " ".join(clean(text).split())


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def clock(ms: int, separator: str | None = None) -> str:
    """``hh:mm:ss`` for a time in milliseconds, with ``<separator>mmm`` when a separator is given."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return text if separator is None else f"{text}{separator}{millis:03d}"


def stamp(seconds: float) -> str:
    """``[hh:mm:ss]``: the time rounded down to the second."""
    return f"[{clock(_ms(seconds) // 1000 * 1000)}]"


def _start(segment: ExportSegment) -> float:
    return segment.offset + segment.start


def _turn(segment: ExportSegment, labels: dict[str, str]) -> str:
    """The turn's text on one line, with the no-quotes mark where the speaker did not consent."""
    text = one_line(segment.text)
    if segment.quotes_allowed:
        return text
    return f"{text} {labels['no_quotes']}".strip()


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def _file_name(session: ExportSession, ext: str) -> str:
    stem = _UNSAFE_NAME.sub("_", session.id).strip("._") or "session"
    return f"{stem}.{ext}"


def _per_session(export: ExportProject, ext: str, render: Callable[[ExportSession], str]) -> dict[str, bytes]:
    return {_file_name(s, ext): render(s).encode("utf-8") for s in export.sessions}


# -- plain text and Markdown

def write_txt(export: ExportProject) -> dict[str, bytes]:
    """One ``[hh:mm:ss] D2: text`` line per turn, one file per session."""
    labels = _labels(export)

    def render(session: ExportSession) -> str:
        lines = []
        for segment in session.segments:
            speaker = f"{one_line(segment.speaker)}: " if segment.speaker else ""
            lines.append(f"{stamp(_start(segment))} {speaker}{_turn(segment, labels)}".rstrip() + "\n")
        return "".join(lines)
    return _per_session(export, "txt", render)


_MD_SPECIAL = re.compile(r"([\\`*_<>~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def write_md(export: ExportProject) -> dict[str, bytes]:
    """Markdown: title, metadata list, then per session a heading and one paragraph a turn."""
    labels = _labels(export)
    meta = [labels["identifiable"] if export.identifiable else labels["deidentified"],
            f"{labels['purpose']}: {labels.get(export.purpose, _md(one_line(export.purpose)))}",
            *(f"{labels['left_out']}: {_md(one_line(line))}" for line in export.left_out),
            f"{labels['exported']}: {_md(one_line(export.created))}"]

    def render(session: ExportSession) -> str:
        about = ", ".join(one_line(part) for part in (session.kind, session.date or "") if part)
        parts = [f"# {_md(one_line(export.title))}", "\n".join(f"- {line}" for line in meta),
                 f"## {_md(one_line(session.id))} ({_md(about)})" if about else f"## {_md(one_line(session.id))}"]
        for segment in session.segments:
            time = stamp(_start(segment))
            head = f"**{_md(one_line(segment.speaker))}** {time}:" if segment.speaker else f"\\{time}"
            parts.append(f"{head} {_md(_turn(segment, labels))}".rstrip())
        if not session.segments:
            parts.append(f"_{labels['no_turns']}_")
        return "\n\n".join(parts) + "\n"
    return _per_session(export, "md", render)


# -- subtitles

def _cues(session: ExportSession, labels: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start ms, end ms, speaker, text) per segment with text, ordered by start time."""
    cues = []
    for segment in session.segments:
        if not one_line(segment.text):
            continue
        text = _turn(segment, labels)
        start = _ms(_start(segment))
        end = max(_ms(segment.offset + segment.end), start + MIN_CUE_MS)
        cues.append((start, end, one_line(segment.speaker or ""), text))
    return sorted(cues, key=lambda cue: cue[0])  # stable: simultaneous turns keep their order


_SRT_INDEX_LINE = re.compile(r"-?[0-9]+\.?[0-9]*")


def _wrap(text: str) -> list[str]:
    """Lines of at most ``LINE_WIDTH`` characters, broken at spaces only (a longer word keeps its
    own line), so that joining the lines with a space gives the text back. A line of only a
    number is joined to the next: lenient SRT parsers would read it as the next cue's number."""
    lines = textwrap.wrap(text, LINE_WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    merged: list[str] = []
    for line in lines:
        if merged and _SRT_INDEX_LINE.fullmatch(merged[-1]):
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    return merged


def write_srt(export: ExportProject) -> dict[str, bytes]:
    """SubRip: numbered cues, ``hh:mm:ss,mmm`` times, the speaker as a ``D2: `` prefix."""
    labels = _labels(export)

    def render(session: ExportSession) -> str:
        blocks = []
        for number, (start, end, speaker, text) in enumerate(_cues(session, labels), start=1):
            body = "\n".join(_wrap(f"{speaker}: {text}" if speaker else text))
            blocks.append(f"{number}\n{clock(start, ',')} --> {clock(end, ',')}\n{body}\n")
        return "\n".join(blocks)
    return _per_session(export, "srt", render)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(export: ExportProject) -> dict[str, bytes]:
    """WebVTT: ``hh:mm:ss.mmm`` times, the speaker as a voice span ``<v D2>``, text escaped."""
    labels = _labels(export)

    def render(session: ExportSession) -> str:
        blocks = ["WEBVTT\n"]
        for start, end, speaker, text in _cues(session, labels):
            body = "\n".join(_vtt_escape(line) for line in _wrap(text))
            voice = f"<v {_vtt_escape(speaker)}>" if speaker else ""
            blocks.append(f"{clock(start, '.')} --> {clock(end, '.')}\n{voice}{body}\n")
        return "\n".join(blocks)
    return _per_session(export, "vtt", render)


# -- tables

def write_csv(export: ExportProject) -> dict[str, bytes]:
    """One row per turn across sessions (RFC 4180: CRLF, quoted where needed; UTF-8 with BOM)."""
    roles = {p.code: p.role for p in export.participants}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for session in export.sessions:
        for index, segment in enumerate(session.segments, start=1):
            start, end = _ms(_start(segment)), _ms(segment.offset + segment.end)
            writer.writerow([clean(session.id), clean(session.kind), session.date or "", index,
                             f"{start / 1000:.3f}", f"{end / 1000:.3f}", clock(start, "."),
                             clean(segment.speaker or ""), roles.get(segment.speaker or "", ""),
                             "true" if segment.quotes_allowed else "false", clean(segment.text)])
    return {"transcripts.csv": out.getvalue().encode("utf-8-sig")}


def write_json(export: ExportProject) -> dict[str, bytes]:
    """The export as one JSON document: project metadata, participants (codes, never names),
    sessions with their segments. Segment ``start``/``end`` are session times in seconds."""
    roles = {p.code: p.role for p in export.participants}
    document = {
        "project": {"title": clean(export.title), "institution": clean(export.institution),
                    "responsible": clean(export.responsible), "approvals": clean(export.approvals),
                    "language": export.language, "purpose": export.purpose, "identifiable": export.identifiable,
                    "exported_by": clean(export.exported_by), "created": export.created,
                    "left_out": [clean(line) for line in export.left_out]},
        "participants": [{"code": p.code, "role": p.role, "consent": dict(p.consent),
                          "quotes_allowed": p.quotes_allowed, "sessions": list(p.sessions)}
                         for p in export.participants],
        "sessions": [{"id": s.id, "kind": s.kind, "date": s.date, "language": s.language,
                      "participants": list(s.participants),
                      "audio": [{"take": a.take, "duration": a.duration, "offset": a.offset} for a in s.audio],
                      "segments": [{"index": i, "start": _ms(_start(g)) / 1000, "end": _ms(g.offset + g.end) / 1000,
                                    "speaker": g.speaker, "role": roles.get(g.speaker or ""), "text": clean(g.text),
                                    "take": g.take, "offset": g.offset, "quotes_allowed": g.quotes_allowed}
                                   for i, g in enumerate(s.segments, start=1)]}
                     for s in export.sessions],
    }
    return {"transcripts.json": (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}


FORMATS: dict[str, tuple[Writer, str]] = {
    "txt": (write_txt, "plain text, one '[hh:mm:ss] D2: text' line per turn (QualCoder/MAXQDA), one file per session"),
    "md": (write_md, "Markdown with a metadata list, one file per session"),
    "srt": (write_srt, "SubRip subtitles, one cue per turn, one file per session"),
    "vtt": (write_vtt, "WebVTT subtitles with voice spans, one file per session"),
    "csv": (write_csv, "one row per turn across sessions (UTF-8 with BOM, for Excel, R, Python)"),
    "json": (write_json, "project, participants (codes), sessions and turns as one JSON document"),
}
