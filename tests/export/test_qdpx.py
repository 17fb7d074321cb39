"""The REFI-QDA export: every .qdpx/.qdc validates against the shipped QDA-XML 1.0 schemas (with both
xmlschema and lxml), offsets are code points into the exported NFC/LF text, and a small reader of our
own gets sessions, cases, selections, codings and audio sync back."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
import zipfile

import pytest
import xmlschema
from lxml import etree

from interviewkit.export.model import ExportSegment
from interviewkit.export.qdpx import NS_PROJECT, Code, Codebook, Coding, schema, session_text, write_qdc, write_qdpx
from tests.export.conftest import sample_export

NS = {"q": NS_PROJECT}


@pytest.fixture(scope="module")
def validators() -> dict[str, tuple[xmlschema.XMLSchema, etree.XMLSchema]]:
    out = {}
    for name in ("Project.xsd", "Codebook.xsd"):
        path = str(schema(name))
        out[name] = (xmlschema.XMLSchema(path), etree.XMLSchema(etree.parse(path)))
    return out


def check(validators: dict, name: str, document: bytes) -> None:
    """Valid under both validators, or an AssertionError naming the first problem."""
    strict, libxml = validators[name]
    errors = [str(e) for e in strict.iter_errors(document.decode("utf-8"))]
    assert not errors, errors[0]
    assert libxml.validate(etree.fromstring(document)), libxml.error_log


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def internal(zipped: dict[str, bytes], url: str) -> bytes:
    assert url.startswith("internal://") and "/" not in url.removeprefix("internal://")
    return zipped["sources/" + url.removeprefix("internal://")]


def read_qdpx(data: bytes) -> dict:
    """A small independent reader: what a QDA tool would see."""
    zipped = unzip(data)
    root = etree.fromstring(zipped["project.qde"])
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    sessions = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = internal(zipped, source.get("plainTextPath")).decode("utf-8")
        selections = []
        for sel in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            selections.append({
                "guid": sel.get("guid"), "name": sel.get("name"), "text": text[start:end], "start": start, "end": end,
                "description": sel.findtext("q:Description", "", NS),
                "codes": [codes[c.get("targetGUID")] for c in sel.iterfind("q:Coding/q:CodeRef", NS)],
                "notes": [n.get("targetGUID") for n in sel.iterfind("q:NoteRef", NS)]})
        sessions[source.get("name")] = {"guid": source.get("guid"), "text": text, "selections": selections}
    cases = {}
    for case in root.iterfind("q:Cases/q:Case", NS):
        values = {}
        for value in case.iterfind("q:VariableValue", NS):
            name = variables[value.find("q:VariableRef", NS).get("targetGUID")]
            typed = value[1]
            values[name] = typed.text == "true" if typed.tag.endswith("BooleanValue") else typed.text
        cases[case.get("name")] = {
            "variables": values, "description": case.findtext("q:Description", "", NS),
            "sources": [r.get("targetGUID") for r in case.iterfind("q:SourceRef", NS)],
            "selections": [r.get("targetGUID") for r in case.iterfind("q:SelectionRef", NS)]}
    audio = []
    for source in root.iterfind("q:Sources/q:AudioSource", NS):
        transcripts = []
        for transcript in source.iterfind("q:Transcript", NS):
            points = {p.get("guid"): (int(p.get("timeStamp")), int(p.get("position")))
                      for p in transcript.iterfind("q:SyncPoint", NS)}
            turns = [(t.get("name"), points[t.get("fromSyncPoint")], points[t.get("toSyncPoint")])
                     for t in transcript.iterfind("q:TranscriptSelection", NS)]
            transcripts.append({"text": internal(zipped, transcript.get("plainTextPath")).decode("utf-8"),
                                "points": list(points.values()), "turns": turns})
        audio.append({"guid": source.get("guid"), "name": source.get("name"),
                      "data": internal(zipped, source.get("path")), "transcripts": transcripts})
    notes = {n.get("guid"): n.findtext("q:PlainTextContent", "", NS) for n in root.iterfind("q:Notes/q:Note", NS)}
    return {"root": root, "zip": zipped, "codes": codes, "sessions": sessions, "cases": cases, "audio": audio,
            "notes": notes, "description": root.findtext("q:Description", "", NS)}


def small_codebook() -> Codebook:
    g01 = session_text(sample_export().sessions[0])
    s02 = session_text(sample_export().sessions[1])
    waiting = g01.index("ventetida")
    d2_turn = g01.index("Ja, og ventetida")
    d2_end = g01.index("\n", d2_turn)
    youth = s02.index("youth worker")
    return Codebook((
        Code("Tjenester", "Hva tjenestene gir", "#1F77B4", codable=False, children=(
            Code("Ventetid", color="#d62728", codings=(Coding("G01", waiting, waiting + len("ventetida")),
                                                       Coding("G01", d2_turn, d2_end))),
            Code("Ungdomsarbeid", codings=(Coding("S02", youth, youth + len("youth worker")),)),
        )),
        Code("Tidsbruk", codings=(Coding("G01", d2_turn, d2_end),)),
    ))


# -- schema validity ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("audio", [False, True])
@pytest.mark.parametrize("codebook", [None, Codebook(), small_codebook()], ids=["none", "empty", "small"])
def test_project_qde_validates(validators, audio, codebook):
    qdpx = unzip(write_qdpx(sample_export(audio=audio), codebook))
    check(validators, "Project.xsd", qdpx["project.qde"])


def test_identifiable_and_empty_exports_validate(validators, export):
    bare = dataclasses.replace(export, identifiable=True, participants=(), sessions=(), left_out=())
    check(validators, "Project.xsd", unzip(write_qdpx(bare))["project.qde"])
    empty_turns = dataclasses.replace(export.sessions[0], segments=(ExportSegment(0, 1, "D1", "", "t1"),))
    check(validators, "Project.xsd", unzip(write_qdpx(dataclasses.replace(export, sessions=(empty_turns,))))
          ["project.qde"])


def test_codebook_qdc_validates_and_shares_guids_with_the_project(validators):
    codebook = small_codebook()
    qdc = write_qdc(codebook)
    check(validators, "Codebook.xsd", qdc)
    root = etree.fromstring(qdc)
    in_qdc = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert sorted(in_qdc.values()) == ["Tidsbruk", "Tjenester", "Ungdomsarbeid", "Ventetid"]
    assert read_qdpx(write_qdpx(sample_export(), codebook))["codes"] == in_qdc
    parent = root.find(".//{urn:QDA-XML:codebook:1.0}Code[@name='Tjenester']")
    assert parent.get("isCodable") == "false" and parent.get("color") == "#1F77B4"
    assert [c.get("name") for c in parent.findall("{urn:QDA-XML:codebook:1.0}Code")] == ["Ventetid", "Ungdomsarbeid"]


def test_an_empty_codebook_has_no_qdc_and_no_codebook_element(export):
    with pytest.raises(ValueError, match="at least one code"):
        write_qdc(Codebook())
    assert read_qdpx(write_qdpx(export, Codebook()))["root"].find("q:CodeBook", NS) is None


@pytest.mark.parametrize("breakage", ["missing attribute", "wrong order", "bad guid", "unknown element"])
def test_the_validators_reject_a_broken_project(validators, export, breakage):
    root = etree.fromstring(unzip(write_qdpx(export))["project.qde"])
    if breakage == "missing attribute":
        del root.find(".//q:PlainTextSelection", NS).attrib["startPosition"]
    elif breakage == "wrong order":
        root.insert(0, root.find("q:Description", NS))
    elif breakage == "bad guid":
        root.find(".//q:TextSource", NS).set("guid", "G01")
    else:
        etree.SubElement(root.find(".//q:TextSource", NS), f"{{{NS_PROJECT}}}Speaker")
    broken = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with pytest.raises(AssertionError):
        check(validators, "Project.xsd", broken)


def test_the_validators_reject_a_broken_codebook(validators):
    root = etree.fromstring(write_qdc(small_codebook()))
    del root.find(".//{urn:QDA-XML:codebook:1.0}Code").attrib["isCodable"]
    with pytest.raises(AssertionError):
        check(validators, "Codebook.xsd", etree.tostring(root))


# -- the zip and the texts ---------------------------------------------------------------------------------------

def test_zip_layout(export_with_audio):
    data = write_qdpx(export_with_audio)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert names[0] == "project.qde"
    assert len(names) == len(set(names))
    for name in names[1:]:
        assert name.startswith("sources/") and name.count("/") == 1 and not name.endswith("/")
    assert not any("\\" in n or "__MACOSX" in n or n.rsplit("/", 1)[-1].startswith(".") for n in names)
    assert not any(n.lower().startswith("sources/") and not n.startswith("sources/") for n in names)
    qde = unzip(data)["project.qde"]
    assert b"richTextPath" not in qde
    root = etree.fromstring(qde)
    referenced = {"sources/" + e.get(a).removeprefix("internal://") for a in ("plainTextPath", "path")
                  for e in root.iter() if e.get(a)}
    assert referenced == set(names[1:])  # every file is referenced, every reference has its file


def test_texts_are_the_plain_text_in_nfc_lf_utf8(export):
    read = read_qdpx(write_qdpx(export))
    assert list(read["sessions"]) == ["G01", "S02"]
    for session in export.sessions:
        raw = read["zip"]["sources/" + read["sessions"][session.id]["guid"] + ".txt"]
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        text = raw.decode("utf-8")
        assert text == session.plain_text("\n") == session_text(session)
        assert unicodedata.is_normalized("NFC", text)


def test_text_is_normalised_before_offsets_are_counted(export):
    decomposed = unicodedata.normalize("NFD", "Ja, på ungdomsskolen – så\r\nklart")
    session = dataclasses.replace(export.sessions[0], segments=(
        ExportSegment(0, 2, "D1", decomposed, "t1"), ExportSegment(2, 3, "I", "Takk.\r", "t1")))
    read = read_qdpx(write_qdpx(dataclasses.replace(export, sessions=(session,))))["sessions"]["G01"]
    assert read["text"] == "D1: Ja, på ungdomsskolen – så\nklart\nI: Takk.\n"
    assert [s["text"] for s in read["selections"]] == ["Ja, på ungdomsskolen – så\nklart", "Takk.\n"]


def test_selection_offsets_are_code_points_not_bytes(export):
    read = read_qdpx(write_qdpx(export))
    g01 = read["sessions"]["G01"]
    assert len(g01["text"].encode("utf-8")) > len(g01["text"])  # æøå and the en dash: bytes would drift
    for session in export.sessions:
        selections = read["sessions"][session.id]["selections"]
        assert [(s["name"], s["text"]) for s in selections] == [(t.speaker, t.text) for t in session.segments]
        for sel, turn in zip(selections, session.segments, strict=True):
            line_start = read["sessions"][session.id]["text"].rfind("\n", 0, sel["start"]) + 1
            assert read["sessions"][session.id]["text"][line_start:sel["start"]] == f"{turn.speaker}: "
    assert g01["selections"][2]["text"] == "Ja, og ventetida hos helsesykepleier er lang – tre uker."
    assert g01["selections"][1]["description"].startswith("00:00:04–00:00:11")


# -- cases, consent, description ---------------------------------------------------------------------------------

def test_cases_round_trip(export):
    read = read_qdpx(write_qdpx(export))
    cases, sessions = read["cases"], read["sessions"]
    assert list(cases) == ["I", "D1", "D2", "D6"]
    assert cases["I"]["variables"]["group"] == "G01" and "group" not in cases["D6"]["variables"]
    assert cases["D2"]["variables"] == {
        "code": "D2", "role": "participant", "group": "G01", "consent_participation": True, "consent_audio": True,
        "consent_video": False, "consent_quotes": False, "consent_archiving": True, "consent_followup": False}
    assert cases["I"]["variables"]["role"] == "interviewer" and cases["D6"]["variables"]["consent_quotes"] is True
    by_guid = {s["guid"]: (name, s) for name, session in sessions.items() for s in session["selections"]}
    for code, case in cases.items():
        assert [by_guid[g][1]["name"] for g in case["selections"]] == [code] * len(case["selections"])
        expected = next(p.sessions for p in export.participants if p.code == code)
        assert {name for name, session in sessions.items() if session["guid"] in case["sources"]} == set(expected)
    assert len(cases["D1"]["selections"]) == 2 and len(cases["I"]["selections"]) == 2


def test_turns_without_quote_consent_are_marked(export):
    read = read_qdpx(write_qdpx(export))
    marked = [s for session in read["sessions"].values() for s in session["selections"] if s["notes"]]
    assert [s["name"] for s in marked] == ["D2"]
    assert "D2" in marked[0]["description"] and "sitat" in marked[0]["description"]
    assert "sitat" in read["notes"][marked[0]["notes"][0]]
    assert "D2" in read["cases"]["D2"]["description"] and not read["cases"]["D1"]["description"]
    english = read_qdpx(write_qdpx(dataclasses.replace(export, language="en")))
    assert "direct quotes" in english["sessions"]["G01"]["selections"][2]["description"]


def test_project_description(export):
    description = read_qdpx(write_qdpx(export))["description"]
    for fact in ("Tjenester for unge i kommunen", "Demo University", "Kari Veileder", "SIKT 123456",
                 "Avidentifisert", "D5 (withdrawn) left out"):
        assert fact in description
    identifiable = read_qdpx(write_qdpx(dataclasses.replace(export, identifiable=True)))["description"]
    assert "IDENTIFISERBAR" in identifiable and "Avidentifisert" not in identifiable
    root = read_qdpx(write_qdpx(export))["root"]
    assert root.get("name") == "Tjenester for unge i kommunen"
    users = root.findall("q:Users/q:User", NS)
    assert [u.get("name") for u in users] == ["test-user"] and root.get("creatingUserGUID") == users[0].get("guid")


# -- codings -----------------------------------------------------------------------------------------------------

def test_codings_round_trip(validators, export):
    data = write_qdpx(export, small_codebook())
    check(validators, "Project.xsd", unzip(data)["project.qde"])
    read = read_qdpx(data)
    coded = {(name, s["text"]): s["codes"] for name, session in read["sessions"].items()
             for s in session["selections"] if s["codes"]}
    assert coded == {
        ("G01", "ventetida"): ["Ventetid"],
        ("G01", "Ja, og ventetida hos helsesykepleier er lang – tre uker."): ["Ventetid", "Tidsbruk"],
        ("S02", "youth worker"): ["Ungdomsarbeid"]}
    g01 = read["sessions"]["G01"]["selections"]
    assert len(g01) == 5  # the whole-turn coding went onto D2's own turn selection; "ventetida" got its own
    inner = next(s for s in g01 if s["text"] == "ventetida")
    assert inner["name"] is None and inner["notes"]  # inside D2's turn: marked as no-quote too


@pytest.mark.parametrize("coding, message", [(Coding("G01", 0, 10_000), "past the end"),
                                             (Coding("G99", 0, 1), "not in this export")])
def test_bad_codings_are_refused(export, coding, message):
    with pytest.raises(ValueError, match=message):
        write_qdpx(export, Codebook((Code("X", codings=(coding,)),)))


def test_bad_codes_are_refused():
    with pytest.raises(ValueError):
        Code("X", color="red")
    with pytest.raises(ValueError):
        Code("X", codings=(Coding("G01", 5, 5),))
    with pytest.raises(ValueError):
        Code("X", codable=False, codings=(Coding("G01", 0, 5),))
    with pytest.raises(ValueError, match="twice"):
        write_qdc(Codebook((Code("X"), Code("X"))))


# -- audio -------------------------------------------------------------------------------------------------------

def test_audio_sources_and_sync_points(validators, export_with_audio):
    data = write_qdpx(export_with_audio)
    check(validators, "Project.xsd", unzip(data)["project.qde"])
    read = read_qdpx(data)
    session = export_with_audio.sessions[1]
    (audio,) = read["audio"]
    assert audio["data"] == session.audio[0].read() and audio["name"] == "S02 t2"
    assert [n for n in read["zip"] if n.endswith(".ogg")] == [f"sources/{audio['guid']}.ogg"]
    (transcript,) = audio["transcripts"]
    assert transcript["text"] == session.plain_text("\n")
    stamps = [stamp for stamp, _ in transcript["points"]]
    assert stamps == sorted(stamps) == [500, 5000, 5000, 12000]
    for (name, (t0, p0), (t1, p1)), turn in zip(transcript["turns"], session.segments, strict=True):
        assert name == turn.speaker and (t0, t1) == (round(turn.start * 1000), round(turn.end * 1000))
        assert transcript["text"][p0:p1] == f"{turn.speaker}: {turn.text}"
    assert audio["guid"] in read["cases"]["D6"]["sources"] and audio["guid"] not in read["cases"]["D1"]["sources"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(f"sources/{audio['guid']}.ogg").compress_type == zipfile.ZIP_STORED


def test_no_audio_without_export_audio(export):
    read = read_qdpx(write_qdpx(export))
    assert read["audio"] == [] and not any(n.endswith(".ogg") for n in read["zip"])


# -- identity ----------------------------------------------------------------------------------------------------

def test_output_is_deterministic_and_guids_are_unique_and_resolve(export_with_audio):
    data = write_qdpx(export_with_audio, small_codebook())
    assert data == write_qdpx(sample_export(audio=True), small_codebook())
    root = etree.fromstring(unzip(data)["project.qde"])
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    for attribute in ("targetGUID", "fromSyncPoint", "toSyncPoint", "creatingUser", "creatingUserGUID"):
        assert {e.get(attribute) for e in root.iter() if e.get(attribute)} <= set(guids)
    other = dataclasses.replace(export_with_audio, created="2026-11-23T08:00:00+00:00")
    other_root = etree.fromstring(unzip(write_qdpx(other))["project.qde"])
    assert other_root.find(".//q:TextSource", NS).get("guid") not in guids  # GUIDs differ between exports
