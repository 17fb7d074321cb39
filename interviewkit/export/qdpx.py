"""The REFI-QDA export: a ``.qdpx`` project (NVivo, ATLAS.ti, MAXQDA, QualCoder) and a ``.qdc`` codebook.

A ``.qdpx`` is a zip: ``project.qde`` (QDA-XML, namespace ``urn:QDA-XML:project:1.0``) and the
files in ``sources/``.  What goes where:

* one ``TextSource`` per session (``plainTextPath="internal://<GUID>.txt"``).  The text is
  :func:`session_text`: ``ExportSession.plain_text("\\n")`` with each turn NFC-normalised and CR/CRLF
  turned into LF — one turn a line, ``CODE: text``, no timestamps in the text;
* each turn is a ``PlainTextSelection`` named by its speaker code, covering the spoken text only
  (not the ``CODE: `` prefix); its ``Description`` holds the turn's session time (``hh:mm:ss–hh:mm:ss``)
  and, when the speaker gave no consent to direct quotes, a sentence saying so plus a ``NoteRef`` to
  one shared ``Note``;
* one ``Case`` per participant (``SourceRef`` to their sessions, ``SelectionRef`` to their turns) with
  the variables ``code``, ``role``, ``group`` (the group sessions they were in) and a Boolean
  ``consent_<item>`` per consent item (an item not recorded is written as false: no consent);
* with audio, one ``AudioSource`` per take (``path="internal://<GUID>.ogg"``) holding a ``Transcript``
  of that take's turns (its own text file, laid out the same way) with ``SyncPoint``s at the start and
  end of each turn's line (``timeStamp`` in ms into the take's file) and a ``TranscriptSelection``
  per turn between them;
* codings (:mod:`interviewkit.export.codebook`) become ``Coding``s on the selection with their span
  (the turn's own selection when the span is exactly a turn).

Tool quirks handled: the folder is a lowercase ``sources/`` (ATLAS.ti rejects ``Sources/``); no
``richTextPath`` on plain text (ATLAS.ti rejects it); positions are Unicode code points
(``endPosition`` exclusive, like a slice) into NFC, LF-only, BOM-less UTF-8 text (byte offsets or CRLF shift every selection in NVivo/QualCoder);
empty ``CodeBook``/``Cases``/``Notes`` are left out (the schema wants at least one child); XML
control characters are dropped from the XML (the .txt files keep the text as is); GUIDs are
uppercase uuid5s seeded by the project title and export time, so the same export gives the same
bytes; the zip has fixed entry times, forward slashes and no folder or ``__MACOSX`` entries.
"""

# The schemas in schemas/ (Project.xsd, Codebook.xsd) are QDA-XML 1.0 of 18 March 2019, published
# by REFI (the Rotterdam Exchange Format Initiative, www.qdasoftware.org) under the MIT licence
# (the notice is inside Project.xsd); typographic hyphens cleaned so that lxml/xmlschema load them.

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from xml.etree import ElementTree as ET

from interviewkit import __version__
from interviewkit.export.codebook import Code, Codebook, Coding
from interviewkit.export.labels import export_labels
from interviewkit.export.model import ExportAudio, ExportProject, ExportSegment, ExportSession

__all__ = ["NS_CODEBOOK", "NS_PROJECT", "Code", "Codebook", "Coding", "schema", "session_text", "write_qdc",
           "write_qdpx"]

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"interviewkit {__version__}"
CODE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "interviewkit:refi-qda:code")  # the same in .qdc and .qdpx
CONSENT_ORDER = ("participation", "audio", "video", "quotes", "archiving", "followup")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")



def schema(name: str = "Project.xsd") -> Traversable:
    """The shipped QDA-XML schema ``Project.xsd`` or ``Codebook.xsd``."""
    return files("interviewkit.export") / "schemas" / name


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _xml(text: str) -> str:
    return _CONTROL.sub("", text)


def _layout(segments: tuple[ExportSegment, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    """The text, and per segment (line start, text start, text end) in code points."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    at = 0
    for segment in segments:
        prefix = f"{_clean(segment.speaker)}: " if segment.speaker else ""
        body = _clean(segment.text)
        spans.append((at, at + len(prefix), at + len(prefix) + len(body)))
        parts.append(prefix + body)
        at += len(prefix) + len(body) + 1
    return "\n".join(parts), spans


def session_text(session: ExportSession) -> str:
    """The session's text exactly as the ``.qdpx`` carries it (what coding offsets count in)."""
    return _layout(session.segments)[0]


def _hms(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str | None] | None = None, text: str | None = None
         ) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _xml(v) for k, v in (attrib or {}).items() if v is not None})
    if text is not None:
        element.text = _xml(text)
    return element


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _code_guid(path: tuple[str, ...]) -> str:
    return str(uuid.uuid5(CODE_NAMESPACE, "\x00".join(path))).upper()


def _add_codes(parent: ET.Element, codes: tuple[Code, ...], path: tuple[str, ...] = ()) -> None:
    for code in codes:
        here = (*path, code.name)
        element = _sub(parent, "Code", {"guid": _code_guid(here), "name": code.name,
                                        "isCodable": "true" if code.codable else "false", "color": code.color})
        if code.description:
            _sub(element, "Description", text=code.description)
        _add_codes(element, code.children, here)


def write_qdc(codebook: Codebook) -> bytes:
    """The codebook alone as a ``.qdc`` (QDA-XML codebook); the schema wants at least one code."""
    if not codebook.codes:
        raise ValueError("a .qdc needs at least one code (the REFI-QDA codebook schema requires one)")
    list(codebook.walk())  # checks for duplicate paths
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK, "origin": ORIGIN})
    _add_codes(_sub(root, "Codes"), codebook.codes)
    return _serialise(root)


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    name: str | None = None
    lines: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    no_quotes: set[str] = field(default_factory=set)


class _Writer:
    def __init__(self, export: ExportProject, codebook: Codebook | None) -> None:
        self.export, self.codebook = export, codebook or Codebook()
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"interviewkit:qdpx:{export.title}\x00{export.created}")
        self.label = export_labels("qdpx", export.language)
        self.created = dt.datetime.fromisoformat(export.created).isoformat()
        self.user = self.guid("user", export.exported_by)
        self.stamp = {"creatingUser": self.user, "creationDateTime": self.created}
        self.files: dict[str, bytes] = {}
        self.case_sources: dict[str, list[str]] = {p.code: [] for p in export.participants}
        self.case_selections: dict[str, list[str]] = {p.code: [] for p in export.participants}
        self.note = self.guid("note", "no-quotes")
        self.note_used = False
        self.codings: dict[str, list[tuple[str, Coding]]] = {}
        for path, code in self.codebook.walk():
            for coding in code.codings:
                self.codings.setdefault(coding.session, []).append((_code_guid(path), coding))

    def guid(self, *parts: str) -> str:
        return str(uuid.uuid5(self.ns, "\x00".join(parts))).upper()

    def project(self) -> bytes:
        export, label = self.export, self.label
        root = ET.Element("Project", {"xmlns": NS_PROJECT, "name": _xml(export.title), "origin": ORIGIN,
                                      "creatingUserGUID": self.user, "creationDateTime": self.created})
        _sub(_sub(root, "Users"), "User", {"guid": self.user, "name": export.exported_by})
        if self.codebook.codes:
            _add_codes(_sub(_sub(root, "CodeBook"), "Codes"), self.codebook.codes)
        sources = ET.Element("Sources")
        for session in export.sessions:
            self.session(sources, session)
        unknown = set(self.codings) - {s.id for s in export.sessions}
        if unknown:
            raise ValueError(f"codings for sessions not in this export: {', '.join(sorted(unknown))}")
        self.cases(root)
        if len(sources):
            root.append(sources)
        if self.note_used:
            note = _sub(_sub(root, "Notes"), "Note", {"guid": self.note, "name": label["no_quotes_note"],
                                                      **self.stamp})
            _sub(note, "PlainTextContent", text=label["no_quotes_text"])
        lines = [export.title, f"{label['institution']}: {export.institution}",
                 f"{label['responsible']}: {export.responsible}", f"{label['approvals']}: {export.approvals}",
                 f"{label['purpose']}: {label.get(export.purpose, export.purpose)}",
                 f"{label['language']}: {export.language}",
                 label["identifiable" if export.identifiable else "deidentified"], label["layout"],
                 label["exported"].format(export.exported_by, export.created),
                 *(label["left_out"].format(line) for line in export.left_out)]
        _sub(root, "Description", text="\n".join(lines))
        return _serialise(root)

    def cases(self, root: ET.Element) -> None:
        participants = self.export.participants
        if not participants:
            return
        kinds = {s.id: s.kind for s in self.export.sessions}
        items = [i for i in CONSENT_ORDER if any(i in p.consent for p in participants)]
        items += sorted({i for p in participants for i in p.consent} - set(CONSENT_ORDER))
        names = [("code", "Text"), ("role", "Text"), ("group", "Text"), *((f"consent_{i}", "Boolean") for i in items)]
        variables = _sub(root, "Variables")
        for name, kind in names:
            _sub(variables, "Variable", {"guid": self.guid("variable", name), "name": name, "typeOfVariable": kind})
        cases = _sub(root, "Cases")
        for person in participants:
            case = _sub(cases, "Case", {"guid": self.guid("case", person.code), "name": person.code})
            if not person.quotes_allowed:
                _sub(case, "Description", text=self.label["no_quotes"].format(person.code))
            groups = ", ".join(s for s in person.sessions if kinds.get(s) == "group")
            values: list[tuple[str, str, str | None]] = [
                ("code", "TextValue", person.code), ("role", "TextValue", person.role),
                ("group", "TextValue", groups or None),
                *((f"consent_{i}", "BooleanValue", "true" if person.consent.get(i) else "false") for i in items)]
            for name, tag, value in values:
                if value is not None:
                    element = _sub(case, "VariableValue")
                    _sub(element, "VariableRef", {"targetGUID": self.guid("variable", name)})
                    _sub(element, tag, text=value)
            for tag, targets in (("SourceRef", self.case_sources[person.code]),
                                 ("SelectionRef", self.case_selections[person.code])):
                for target in targets:
                    _sub(case, tag, {"targetGUID": target})

    def session(self, sources: ET.Element, session: ExportSession) -> None:
        text, spans = _layout(session.segments)
        guid = self.guid("source", session.id)
        self.files[f"sources/{guid}.txt"] = text.encode("utf-8")
        source = _sub(sources, "TextSource", {"guid": guid, "name": session.id,
                                              "plainTextPath": f"internal://{guid}.txt", **self.stamp})
        _sub(source, "Description", text=self.label["session"].format(self.label.get(session.kind, session.kind),
             session.date or "–", session.language or "–", ", ".join(session.participants)))
        self.link(session, guid)
        selections: dict[tuple[int, int], _Selection] = {}
        quiet: list[tuple[int, int, str]] = []  # spans of turns without quote consent
        for index, (segment, (_, start, end)) in enumerate(zip(session.segments, spans, strict=True)):
            if not segment.quotes_allowed:
                quiet.append((start, end, segment.speaker or "?"))
            if start == end:
                continue
            selection = _Selection(self.guid("turn", session.id, str(index)), start, end, segment.speaker)
            selection.lines.append(f"{_hms(segment.offset + segment.start)}–{_hms(segment.offset + segment.end)}")
            selections[start, end] = selection
            if segment.speaker in self.case_selections:
                self.case_selections[segment.speaker].append(selection.guid)
        for code_guid, coding in self.codings.get(session.id, []):
            if coding.end > len(text):
                raise ValueError(f"coding {coding.start}–{coding.end} runs past the end of session {session.id}'s "
                                 f"text ({len(text)} characters)")
            span = (coding.start, coding.end)
            if span not in selections:
                selections[span] = _Selection(self.guid("selection", session.id, *map(str, span)), *span)
            if code_guid not in selections[span].codes:
                selections[span].codes.append(code_guid)
        for selection in sorted(selections.values(), key=lambda s: (s.start, s.end)):
            selection.no_quotes = {who for a, b, who in quiet if a < selection.end and selection.start < b}
            self.selection(source, selection)
        for audio in session.audio:
            self.audio(sources, session, audio)

    def selection(self, source: ET.Element, selection: _Selection) -> None:
        element = _sub(source, "PlainTextSelection", {
            "guid": selection.guid, "name": selection.name, "startPosition": str(selection.start),
            "endPosition": str(selection.end), **self.stamp})
        lines = selection.lines + ([self.label["no_quotes"].format(", ".join(sorted(selection.no_quotes)))]
                                   if selection.no_quotes else [])
        if lines:
            _sub(element, "Description", text="\n".join(lines))
        for code_guid in selection.codes:
            coding = _sub(element, "Coding", {"guid": self.guid("coding", selection.guid, code_guid), **self.stamp})
            _sub(coding, "CodeRef", {"targetGUID": code_guid})
        self.note_ref(element, bool(selection.no_quotes))

    def link(self, session: ExportSession, source_guid: str) -> None:
        for code in session.participants:
            self.case_sources.get(code, []).append(source_guid)

    def note_ref(self, element: ET.Element, needed: bool) -> None:
        if needed:
            self.note_used = True
            _sub(element, "NoteRef", {"targetGUID": self.note})

    def audio(self, sources: ET.Element, session: ExportSession, audio: ExportAudio) -> None:
        if not _SUFFIX.fullmatch(audio.suffix):
            raise ValueError(f"unexpected audio file suffix {audio.suffix!r}")
        take, file = audio.take, f"{self.guid('audio', session.id, audio.take)}{audio.suffix.lower()}"
        guid = file.split(".")[0]
        self.files[f"sources/{file}"] = audio.read()
        source = _sub(sources, "AudioSource", {"guid": guid, "name": f"{session.id} {take}",
                                               "path": f"internal://{file}", **self.stamp})
        _sub(source, "Description", text=self.label["take"].format(take, session.id, round(audio.duration, 3),
                                                                   round(audio.offset, 3)))
        self.link(session, guid)
        turns = tuple(s for s in session.segments if s.take == take)
        if not turns:
            return
        text, spans = _layout(turns)
        transcript_guid = self.guid("transcript", session.id, take)
        self.files[f"sources/{transcript_guid}.txt"] = text.encode("utf-8")
        transcript = _sub(source, "Transcript", {"guid": transcript_guid, "name": f"{session.id} {take}",
                                                 "plainTextPath": f"internal://{transcript_guid}.txt", **self.stamp})
        points: list[tuple[str, str]] = []
        for index, (turn, (line_start, _, line_end)) in enumerate(zip(turns, spans, strict=True)):
            pair = (self.guid("sync", session.id, take, str(index), "from"),
                    self.guid("sync", session.id, take, str(index), "to"))
            _sub(transcript, "SyncPoint", {"guid": pair[0], "timeStamp": str(_ms(turn.start)),
                                           "position": str(line_start)})
            _sub(transcript, "SyncPoint", {"guid": pair[1], "timeStamp": str(_ms(max(turn.start, turn.end))),
                                           "position": str(line_end)})
            points.append(pair)
        for index, (turn, (first, last)) in enumerate(zip(turns, points, strict=True)):
            element = _sub(transcript, "TranscriptSelection", {
                "guid": self.guid("transcript-turn", session.id, take, str(index)), "name": turn.speaker,
                "fromSyncPoint": first, "toSyncPoint": last, **self.stamp})
            if not turn.quotes_allowed:
                _sub(element, "Description", text=self.label["no_quotes"].format(turn.speaker or "?"))
            self.note_ref(element, not turn.quotes_allowed)


def write_qdpx(export: ExportProject, codebook: Codebook | None = None) -> bytes:
    """The export as a REFI-QDA ``.qdpx`` (zip bytes); ``codebook`` adds codes and codings."""
    writer = _Writer(export, codebook)
    entries = {"project.qde": writer.project(), **writer.files}
    t = dt.datetime.fromisoformat(export.created)  # fixed entry times: the same export gives the same bytes
    when = (t.year, t.month, t.day, t.hour, t.minute, t.second) if t.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system, info.external_attr = 3, 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name.endswith((".ogg", ".opus")) else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
