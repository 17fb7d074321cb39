"""The consent gates over the demo project, and every format through them: what a participant
did not consent to never reaches a file."""

from __future__ import annotations

import io
import zipfile

import pytest

from interviewkit.anonymise import review
from interviewkit.errors import InvalidInput
from interviewkit.export.selection import build_export, log_export
from interviewkit.export.writers import FORMATS, render
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import save_transcript

MARKER = "Zebrafinke-Kvitre"  # said by D5, who withdrew: must be in no export


def group_transcript(project) -> None:
    turns = [("I", "Velkommen alle sammen. Hva tenker dere om tilbudet?"),
             ("D2", "Jeg syns fritidsklubben er bra, særlig på fredager."),
             ("D3", "Ventetida hos helsesykepleier er for lang – tre uker."),
             ("D5", f"Jeg vil si noe om {MARKER} og Ola Demo fra Eksempelby."),
             ("D4", "Enig, og det trengs flere voksne på kveldstid.")]
    session = project.index.find_session("G01")
    save_transcript(project, session, Transcript(
        [Segment(f"g{i}", "take", i * 6.0, i * 6.0 + 5, text, code) for i, (code, text) in enumerate(turns)], {}, "no"))


def review_all(project) -> None:
    for session_id in ("G01", "S02"):
        session = project.index.find_session(session_id)
        found = review.analyse_session(project, session)
        if found.occurrences:
            review.decide(project, session, sorted({o.entity_id for o in found.occurrences}), "accepted")


@pytest.fixture
def project(demo_project):
    group_transcript(demo_project)
    return demo_project


def texts(export) -> str:
    return "\n".join(s.text for session in export.sessions for s in session.segments)


def test_unreviewed_sessions_stop_the_export(project) -> None:
    with pytest.raises(InvalidInput, match="not reviewed"):
        build_export(project)
    assert build_export(project, unreviewed_ok=True).sessions


def test_withdrawn_left_out_no_quotes_marked_de_identified(project) -> None:
    review_all(project)
    export = build_export(project)
    assert [s.id for s in export.sessions] == ["G01", "S02"]  # S01 has no transcript
    assert MARKER not in texts(export) and "D5" not in {p.code for p in export.participants}
    g01 = export.sessions[0]
    assert [s.speaker for s in g01.segments] == ["I", "D2", "D3", "D4"]
    assert {s.speaker: s.quotes_allowed for s in g01.segments} == {"I": True, "D2": True, "D3": False, "D4": True}
    assert any("D5" in line and "withdrew" in line for line in export.left_out)
    assert any("S01" in line and "not transcribed" in line for line in export.left_out)
    assert not export.identifiable


def test_archive_purpose_keeps_only_those_who_consented_to_archiving(project) -> None:
    review_all(project)
    export = build_export(project, purpose="archive")
    speakers = {s.speaker for session in export.sessions for s in session.segments}
    assert "D3" not in speakers and "D2" in speakers and "D4" in speakers  # D3 gave no archiving consent
    assert any(line.startswith("D3:") for line in export.left_out)


def test_identifiable_text_only_on_request_and_logged(project) -> None:
    review_all(project)
    plain = build_export(project, sessions=["G01"], identifiable=True)
    assert plain.identifiable
    log_export(project, plain, "txt", encrypted=False)
    entry = project.verify_audit()[0][-1]
    assert entry.action == "export" and entry.details["identifiable"] is True and entry.details["sessions"] == ["G01"]


def test_audio_only_where_everyone_consented(project) -> None:
    review_all(project)
    export = build_export(project, audio=True)
    by_id = {s.id: s for s in export.sessions}
    assert by_id["S02"].audio and by_id["S02"].audio[0].read()[:4] == b"OggS"
    assert not by_id["G01"].audio  # no audio takes in the demo group (and D3/D5 would stop it)


def _all_text(files: dict[str, bytes]) -> str:
    """Every byte of every file as text (zip members unpacked: qdpx and docx are zips)."""
    out = []
    for data in files.values():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                out += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        else:
            out.append(data.decode("utf-8-sig", "replace"))
    return "\n".join(out)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "qdc"])  # qdc: codes only, no text
def test_a_withdrawn_participants_words_are_in_no_format(project, fmt: str) -> None:
    review_all(project)
    for export in (build_export(project), build_export(project, identifiable=True),
                   build_export(project, purpose="archive")):
        content = _all_text(render(export, fmt))
        assert MARKER not in content
        assert ("Ventetida" in content) == (export.purpose != "archive")  # D3: no consent to archiving
        if not export.identifiable:
            assert "Ola Demo" not in content
