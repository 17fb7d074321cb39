"""The Word export: one .docx with a title block and, per session, a two-column coding table.

Social scientists code transcripts in Word: the transcript turns go in the left column (line
number, speaker code in bold, ``[hh:mm:ss]`` start time, text), the right column is left empty
for codes and notes. One table row per turn, numbered from 1 in each session; the header row is
repeated on every page. Turns whose speaker gave no consent to direct quotes are marked. Reads
only the :class:`~interviewkit.export.model.ExportProject`, never the project itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.run import Run

from interviewkit.export.labels import export_labels, label_language
from interviewkit.export.model import ExportProject, ExportSegment, ExportSession

__all__ = ["NO_QUOTES_SHADE", "SPEAKER_SHADES", "timestamp", "write_docx"]

# Light fills (hex RGB) for ``highlight=True``: one per speaker, in order of first appearance.
SPEAKER_SHADES: tuple[str, ...] = ("DCE9F7", "E2F0D9", "FFF2CC", "EADCF2", "DDEFEF", "F2E6D9")
NO_QUOTES_SHADE = "F8D7DA"
HEADER_SHADE = "D9D9D9"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_SHARE = 0.65  # the transcript column's share of the text width; the notes column gets the rest

# Proofing language of the transcript text, so Word does not underline a Norwegian text as English.
PROOFING = {"no": "nb-NO", "nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


def _labels(export: ExportProject, language: str | None) -> dict[str, str]:
    return export_labels("docx", language or export.language)


def timestamp(seconds: float) -> str:
    """``[hh:mm:ss]`` for a time in seconds (rounded down)."""
    total = max(0, int(seconds))
    return f"[{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}]"


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_as_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_proofing(run: Run, language: str | None) -> None:
    tag = PROOFING.get((language or "").lower())
    if tag:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        run._r.get_or_add_rPr().append(lang)


def _page_setup(doc: DocumentObject, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    # Footer: the project title and the page number (a PAGE field).
    paragraph = section.footer.paragraphs[0]
    paragraph.text = f"{title} — "
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == "PAGE" else "w:t")
            element.text = text
        run._r.append(element)


def _title_block(doc: DocumentObject, export: ExportProject, labels: dict[str, str]) -> None:
    doc.add_heading(export.title, level=0)
    for key, value in (("institution", export.institution), ("responsible", export.responsible),
                       ("approvals", export.approvals),
                       ("purpose", labels.get(export.purpose, export.purpose))):
        if value:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{labels[key]}: ").bold = True
            paragraph.add_run(value)
    paragraph = doc.add_paragraph()
    if export.identifiable:
        run = paragraph.add_run(labels["identifiable"])
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    else:
        paragraph.add_run(labels["deidentified"]).italic = True
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{labels['exported']}: ").bold = True
    by = f" ({labels['by']} {export.exported_by})" if export.exported_by else ""
    paragraph.add_run(f"{export.created[:10]}{by}")
    for line in export.left_out:
        doc.add_paragraph(labels["left_out"].format(line))


def _session_heading(doc: DocumentObject, session: ExportSession, labels: dict[str, str], new_page: bool) -> None:
    heading = doc.add_heading(f"{session.id} — {labels.get(session.kind, session.kind)}", level=1)
    heading.paragraph_format.page_break_before = new_page
    parts = []
    if session.date:
        parts.append(f"{labels['date']}: {session.date}")
    if session.language:
        parts.append(f"{labels['language']}: {labels.get('lang.' + session.language, session.language)}")
    if session.participants:
        parts.append(f"{labels['participants']}: {', '.join(session.participants)}")
    if parts:
        doc.add_paragraph(" · ".join(parts))


def _turn(cell: _Cell, number: int, segment: ExportSegment, language: str | None, labels: dict[str, str]) -> None:
    paragraph = cell.paragraphs[0]
    number_run = paragraph.add_run(f"{number}  ")
    number_run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    number_run.font.size = Pt(8)
    if segment.speaker:
        paragraph.add_run(segment.speaker).bold = True
        paragraph.add_run(" ")
    time_run = paragraph.add_run(timestamp(segment.offset + segment.start) + " ")
    time_run.font.color.rgb = RGBColor(0x60, 0x60, 0x60)
    text_run = paragraph.add_run(segment.text)
    _set_proofing(text_run, language)
    if not segment.quotes_allowed:
        mark = paragraph.add_run(" " + labels["no_quotes"])
        mark.italic = True
        mark.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)


def _session_table(doc: DocumentObject, session: ExportSession, labels: dict[str, str],
                   highlight: bool, shades: Sequence[str]) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = PAGE_WIDTH - 2 * MARGIN
    widths = (int(usable * TEXT_SHARE), usable - int(usable * TEXT_SHARE))
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid (LibreOffice); the cells below carry it for Word
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, key, width in zip(header.cells, ("transcript", "notes"), widths):
        cell.width = width
        cell.paragraphs[0].add_run(labels[key]).bold = True
        _shade(cell, HEADER_SHADE)
    speaker_shade: dict[str | None, str] = {}
    for number, segment in enumerate(session.segments, start=1):
        left, right = table.add_row().cells
        left.width, right.width = widths
        _turn(left, number, segment, session.language, labels)
        if highlight:
            if segment.speaker not in speaker_shade and shades:
                speaker_shade[segment.speaker] = shades[len(speaker_shade) % len(shades)]
            fill = NO_QUOTES_SHADE if not segment.quotes_allowed else speaker_shade.get(segment.speaker)
            if fill:
                _shade(left, fill)


def write_docx(export: ExportProject, highlight: bool = False, language: str | None = None, *,
               shades: Sequence[str] = SPEAKER_SHADES) -> bytes:
    """The export as .docx bytes.

    ``language`` picks the labels (nb/nn/no: Norwegian bokmål, else English; default: the
    export's language). ``highlight`` shades each speaker's turns (``shades``, cycled) and the
    turns without consent to direct quotes (:data:`NO_QUOTES_SHADE`).
    """
    labels = _labels(export, language)
    doc = Document()
    _page_setup(doc, export.title)
    properties = doc.core_properties
    properties.title = export.title
    properties.author = properties.last_modified_by = export.exported_by
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    properties.language = "nb-NO" if label_language(language or export.language) == "nb" else "en-GB"
    properties.revision = 1
    try:  # the template's own dates (2013) would otherwise be kept
        created = datetime.fromisoformat(export.created)
        properties.created = properties.modified = created.astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        pass
    _title_block(doc, export, labels)
    for index, session in enumerate(export.sessions):
        _session_heading(doc, session, labels, new_page=index > 0)
        if session.segments:
            _session_table(doc, session, labels, highlight, shades)
        else:
            doc.add_paragraph(labels["no_turns"]).runs[0].italic = True
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
