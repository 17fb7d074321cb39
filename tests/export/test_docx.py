"""The Word export: it opens again in python-docx with the title block and one coding table per
session, labels follow the language, and LibreOffice turns it into a PDF with the text intact."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell

from interviewkit.export.docx import NO_QUOTES_SHADE, timestamp, write_docx
from interviewkit.export.model import ExportProject, ExportSegment


def _open(data: bytes) -> DocumentObject:
    return Document(BytesIO(data))


def _paragraphs(doc: DocumentObject) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _fill(cell: _Cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def _turns(table: Table) -> list[str]:
    return [row.cells[0].text for row in table.rows[1:]]


def test_title_block_and_core_properties(export: ExportProject) -> None:
    doc = _open(write_docx(export))
    text = _paragraphs(doc)
    assert text[0] == "Tjenester for unge i kommunen"
    joined = "\n".join(text)
    for expected in ("Institusjon: Demo University", "Ansvarlig: Kari Veileder", "Godkjenninger: SIKT 123456",
                     "Formål: analyse", "Avidentifisert", "2026-11-22", "Ikke inkludert: D5 (withdrawn) left out"):
        assert expected in joined
    assert "ADVARSEL" not in joined
    props = doc.core_properties
    assert props.title == export.title
    assert props.author == "test-user" and props.last_modified_by == "test-user"
    assert "python-docx" not in (props.comments or "")
    assert props.created.year == 2026


def test_one_table_per_session_with_numbered_turns(export: ExportProject) -> None:
    doc = _open(write_docx(export))
    assert len(doc.tables) == len(export.sessions) == 2
    for table, session in zip(doc.tables, export.sessions):
        assert len(table.rows) == 1 + len(session.segments)
        assert [c.text for c in table.rows[0].cells] == ["Transkripsjon", "Koder og notater"]
        for number, (row, segment) in enumerate(zip(table.rows[1:], session.segments), start=1):
            left, right = (cell.text for cell in row.cells)
            assert left.startswith(f"{number} ")  # numbering restarts at 1 in each session
            assert segment.speaker is not None and segment.speaker in left and segment.text in left
            assert timestamp(segment.offset + segment.start) in left
            assert right == ""  # the notes column is left for the researcher
            bold = [run.text for run in row.cells[0].paragraphs[0].runs if run.bold]
            assert bold == [segment.speaker]
    assert "[00:00:04]" in _turns(doc.tables[0])[1]
    assert "Æ syns det er for lite, særlig for de som går på ungdomsskolen." in _turns(doc.tables[0])[1]


def test_session_headings(export: ExportProject) -> None:
    joined = "\n".join(_paragraphs(_open(write_docx(export))))
    assert "G01 — gruppeintervju" in joined and "S02 — individuelt intervju" in joined
    assert "Dato: 2026-10-01" in joined and "Deltakere: I, D1, D2" in joined


def test_no_quotes_mark(export: ExportProject) -> None:
    turns = _turns(_open(write_docx(export)).tables[0])
    marked = [t for t in turns if "(ikke direkte sitat)" in t]
    assert len(marked) == 1 and "D2" in marked[0]


def test_english_labels(export: ExportProject) -> None:
    doc = _open(write_docx(export, language="en"))
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["Transcript", "Codes and notes"]
    assert any("(no direct quotes)" in t for t in _turns(doc.tables[0]))
    joined = "\n".join(_paragraphs(doc))
    assert "Not included: D5 (withdrawn) left out" in joined and "Institution: Demo University" in joined
    assert "Koder" not in joined
    # The export's own language picks the labels when none is given.
    english = _open(write_docx(replace(export, language="en")))
    assert english.tables[0].rows[0].cells[1].text == "Codes and notes"
    nynorsk = _open(write_docx(replace(export, language="nn")))
    assert nynorsk.tables[0].rows[0].cells[1].text == "Koder og notater"


def test_identifiable_warning(export: ExportProject) -> None:
    joined = "\n".join(_paragraphs(_open(write_docx(replace(export, identifiable=True)))))
    assert "ADVARSEL" in joined and "IDENTIFISERBAR" in joined
    assert "Avidentifisert tekst" not in joined
    english = "\n".join(_paragraphs(_open(write_docx(replace(export, identifiable=True), language="en"))))
    assert "WARNING" in english and "IDENTIFIABLE" in english


def test_times_add_the_take_offset(export: ExportProject) -> None:
    session = export.sessions[1]
    late = replace(session, segments=(ExportSegment(5.0, 9.0, "D6", "Later take.", "t3", offset=3600.0 + 60.0),
                                      ExportSegment(1.0, 2.0, None, "Nobody.", "t3")))
    turns = _turns(_open(write_docx(replace(export, sessions=(late,)))).tables[0])
    assert turns == ["1  D6 [01:01:05] Later take.", "2  [00:00:01] Nobody."]


def test_session_without_turns_has_no_table(export: ExportProject) -> None:
    empty = replace(export.sessions[0], segments=())
    doc = _open(write_docx(replace(export, sessions=(empty,))))
    assert doc.tables == [] and "Ingen transkriberte ytringer." in _paragraphs(doc)


def test_page_layout_and_repeated_header(export: ExportProject) -> None:
    doc = _open(write_docx(export))
    section = doc.sections[0]
    assert section.page_width and section.page_height and section.left_margin and section.right_margin
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert section.left_margin >= Mm(15) and section.right_margin >= Mm(15)
    for table in doc.tables:
        assert table.style is not None and table.style.name == "Table Grid"
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
        left, right = (cell.width for cell in table.rows[1].cells)
        assert 0.6 < left / (left + right) < 0.7


def test_highlight_shades_speakers_and_no_quotes(export: ExportProject) -> None:
    plain = _open(write_docx(export)).tables[0]
    assert all(_fill(row.cells[0]) is None for row in plain.rows[1:])
    table = _open(write_docx(export, highlight=True)).tables[0]
    fills = [_fill(row.cells[0]) for row in table.rows[1:]]  # I, D1, D2 (no quotes), D1
    assert fills[2] == NO_QUOTES_SHADE
    assert fills[1] == fills[3] and fills[0] != fills[1] and None not in fills
    assert all(_fill(row.cells[1]) is None for row in table.rows[1:])  # the notes column stays white
    custom = _open(write_docx(export, highlight=True, shades=("AAAAAA",))).tables[0]
    assert _fill(custom.rows[1].cells[0]) == "AAAAAA"


def _office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _pdf_text(pdf: Path) -> str:
    """The PDF's text through pypdf (a test dependency): the same reader on every machine."""
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.slow
def test_libreoffice_converts_to_pdf(export: ExportProject, tmp_path: Path) -> None:
    office = _office()
    if office is None:
        pytest.skip("neither libreoffice nor soffice is installed")
    source = tmp_path / "export.docx"
    source.write_bytes(write_docx(export, highlight=True))
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no home profile, parallel runs
    result = subprocess.run([office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(out), str(source)], check=False, capture_output=True, text=True,
                            timeout=180)
    pdf = out / "export.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    text = " ".join(_pdf_text(pdf).split())  # lines wrap inside the cells: compare word by word
    for expected in ("Tjenester for unge i kommunen", "Koder og notater", "[00:00:04]", "(ikke direkte sitat)",
                     "Æ syns det er for lite", "særlig for de som går på", "ventetida hos helsesykepleier",
                     "på fritidsklubben gjør en", "kjempejobb, altså.", "Thank you for taking part in this interview."):
        assert expected in text, expected
