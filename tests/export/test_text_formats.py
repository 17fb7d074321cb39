"""The text exports read back with standard parsers (srt, webvtt-py, csv, json): the same times
(to the millisecond), speakers and texts; the no-quotes mark on the right turns only; edge cases;
and, for arbitrary texts, subtitles that parse and give the text back."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from dataclasses import replace
from datetime import timedelta

import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from interviewkit.export.model import ExportProject, ExportSegment, ExportSession
from interviewkit.export.text_formats import (
    FORMATS,
    LINE_WIDTH,
    write_csv,
    write_json,
    write_md,
    write_srt,
    write_txt,
    write_vtt,
)
from tests.export.conftest import sample_export

# QualCoder's hh:mm:ss form (view_av.py), which MAXQDA also reads, at the start of every line.
TXT_LINE = re.compile(r"\[(\d{2}):(\d{2}):(\d{2})\] (?:(\S+): )?(.*)")
NB_MARK, EN_MARK = "(ikke direkte sitat)", "(no direct quotes)"


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def td_ms(value: timedelta) -> int:
    return round(value.total_seconds() * 1000)


def with_segments(export: ExportProject, *segments: ExportSegment, language: str = "nb") -> ExportProject:
    session = ExportSession("X1", "individual", "2026-12-01", "no", ("I", "D1"), tuple(segments))
    return replace(export, sessions=(session,), language=language)


def expected_turns(session: ExportSession, mark: str = NB_MARK) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text if s.quotes_allowed else f"{s.text} {mark}") for s in session.segments]


def vtt_text(caption: webvtt.Caption) -> str:
    return html.unescape(" ".join(caption.text.split("\n")))


def test_formats_are_listed_and_write_bytes(export):
    assert set(FORMATS) == {"txt", "md", "srt", "vtt", "csv", "json"}
    for name, (write, description) in FORMATS.items():
        files = write(export)
        assert description and all(isinstance(v, bytes) for v in files.values())
        if name in ("csv", "json"):
            assert len(files) == 1
        else:
            assert set(files) == {f"G01.{name}", f"S02.{name}"}
            for content in files.values():
                text = content.decode("utf-8")
                assert not content.startswith(b"\xef\xbb\xbf") and "\r" not in text
                assert text == unicodedata.normalize("NFC", text)


# -- txt

def test_txt_is_one_timestamped_turn_a_line(export):
    text = write_txt(export)["G01.txt"].decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 5  # LF after every line, nothing else
    parsed = [TXT_LINE.fullmatch(line) for line in lines[:-1]]
    assert all(parsed)
    for match, segment in zip(parsed, export.sessions[0].segments):
        h, m, s = (int(match.group(i)) for i in (1, 2, 3))
        assert h * 3600 + m * 60 + s == int(segment.offset + segment.start)
        assert match.group(4) == segment.speaker
    assert lines[0] == "[00:00:00] I: Hva tenker dere om tilbudet til ungdom i [Kommune A]?"
    assert lines[2] == "[00:00:11] D2: Ja, og ventetida hos helsesykepleier er lang – tre uker. (ikke direkte sitat)"


def test_no_quotes_mark_on_the_right_turns_only(export):
    text = write_txt(export)["G01.txt"].decode("utf-8")
    marked = [line for line in text.splitlines() if line.endswith(NB_MARK)]
    assert len(marked) == 1 and " D2: " in marked[0]
    english = write_txt(replace(export, language="en"))["G01.txt"].decode("utf-8")
    assert english.count(EN_MARK) == 1 and NB_MARK not in english
    assert write_txt(replace(export, language="nn"))["G01.txt"].decode("utf-8").count(NB_MARK) == 1
    for name in ("md", "srt", "vtt"):
        files = FORMATS[name][0](export)
        assert files[f"G01.{name}"].decode("utf-8").count(NB_MARK) == 1
        assert NB_MARK not in files[f"S02.{name}"].decode("utf-8")


def test_txt_offset_three_hours_and_newline(export):
    x = with_segments(export, ExportSegment(5.25, 9.0, "D1", "første linje\nandre linje", "t9", offset=10800.0),
                      ExportSegment(1.0, 2.0, None, "uten taler", "t9"))
    lines = write_txt(x)["X1.txt"].decode("utf-8").splitlines()
    assert lines == ["[03:00:05] D1: første linje andre linje", "[00:00:01] uten taler"]


# -- md

def test_md_layout(export):
    text = write_md(export)["G01.md"].decode("utf-8")
    assert text.startswith("# Tjenester for unge i kommunen\n")
    assert "\n- Avidentifisert: ja\n" in text and "\n- Formål: analyse\n" in text
    assert "\n- Ikke inkludert: D5 (withdrawn) left out\n" in text
    assert "\n## G01 (group, 2026-10-01)\n" in text
    assert "\n**D2** [00:00:11]: Ja, og ventetida hos helsesykepleier er lang – tre uker. (ikke direkte sitat)\n" in text
    identifiable = write_md(replace(export, identifiable=True, language="en"))["S02.md"].decode("utf-8")
    assert "De-identified: **no**" in identifiable and "\n- Purpose: analysis\n" in identifiable


def test_md_escapes_markup(export):
    x = with_segments(export, ExportSegment(0, 1, "D1", "a *b* <script> _c_", "t"))
    assert r"a \*b\* \<script\> \_c\_" in write_md(x)["X1.md"].decode("utf-8")


# -- srt and vtt

def test_srt_round_trip(export):
    for session in export.sessions:
        cues = list(srt.parse(write_srt(export)[f"{session.id}.srt"].decode("utf-8")))
        assert [c.index for c in cues] == list(range(1, len(session.segments) + 1))
        for cue, segment, (speaker, text) in zip(cues, session.segments, expected_turns(session)):
            assert td_ms(cue.start) == ms(segment.offset + segment.start)
            assert td_ms(cue.end) == ms(segment.offset + segment.end)
            assert " ".join(cue.content.split("\n")) == f"{speaker}: {text}"
            assert all(len(line) <= LINE_WIDTH for line in cue.content.split("\n"))
            assert len(cue.content.split("\n")) <= 2


@pytest.mark.parametrize("reader", ["string", "buffer"])
def test_vtt_round_trip(export, reader):
    for session in export.sessions:
        text = write_vtt(export)[f"{session.id}.vtt"].decode("utf-8")
        assert text.startswith("WEBVTT\n\n")
        vtt = (webvtt.from_string(text, strict=True) if reader == "string"
               else webvtt.from_buffer(io.StringIO(text)))
        assert len(vtt.captions) == len(session.segments)
        for caption, segment, (speaker, turn) in zip(vtt.captions, session.segments, expected_turns(session)):
            assert caption.start_time.in_milliseconds() == ms(segment.offset + segment.start)
            assert caption.end_time.in_milliseconds() == ms(segment.offset + segment.end)
            assert caption.voice == speaker
            assert vtt_text(caption) == turn


def test_subtitle_edge_cases(export):
    x = with_segments(
        export,
        ExportSegment(10.0, 14.0, "I", "overlapper", "t"),
        ExportSegment(2.0, 1.0, "D1", "slutt før start", "t"),          # end < start
        ExportSegment(12.0, 13.0, "D1", "samtidig tale", "t"),           # overlaps the first
        ExportSegment(20.0, 20.0, "I", "null lengde", "t"),              # zero length
        ExportSegment(21.0, 22.0, "I", "  \n ", "t"),                    # no text: no cue
        ExportSegment(5.25, 6.0, "D1", "tre timer & <mer> --> inn", "t", offset=10800.0),
        ExportSegment(30.0, 31.0, "D1", "linje en\n\nlinje to", "t"),
    )
    want = [(2000, 2500, "D1", "slutt før start"), (10000, 14000, "I", "overlapper"),
            (12000, 13000, "D1", "samtidig tale"), (20000, 20500, "I", "null lengde"),
            (30000, 31000, "D1", "linje en linje to"),
            (10805250, 10806000, "D1", "tre timer & <mer> --> inn")]
    srt_text = write_srt(x)["X1.srt"].decode("utf-8")
    assert "00:00:02,000 --> 00:00:02,500" in srt_text and "03:00:05,250 --> 03:00:06,000" in srt_text
    got = [(td_ms(c.start), td_ms(c.end), *c.content.replace("\n", " ").split(": ", 1))
           for c in srt.parse(srt_text)]
    assert got == [(a, b, s, t) for a, b, s, t in want]
    vtt_raw = write_vtt(x)["X1.vtt"].decode("utf-8")
    assert "&amp; &lt;mer&gt; --&gt; inn" in vtt_raw
    vtt = webvtt.from_string(vtt_raw, strict=True)
    assert [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.voice, vtt_text(c))
            for c in vtt.captions] == want
    for cue in srt.parse(srt_text):
        assert cue.end >= cue.start + timedelta(milliseconds=500)


def test_empty_session(export):
    x = with_segments(export)
    assert write_txt(x)["X1.txt"] == b""
    assert list(srt.parse(write_srt(x)["X1.srt"].decode())) == []
    assert webvtt.from_string(write_vtt(x)["X1.vtt"].decode(), strict=True).captions == []
    assert "Ingen transkriberte ytringer." in write_md(x)["X1.md"].decode()
    rows = list(csv.reader(io.StringIO(next(iter(write_csv(x).values())).decode("utf-8-sig"))))
    assert len(rows) == 1
    assert json.loads(next(iter(write_json(x).values())))["sessions"][0]["segments"] == []


def test_long_text_wraps_at_42(export):
    long = "Dette er en ganske lang ytring som må brytes over flere linjer i undertekstene, " * 3
    x = with_segments(export, ExportSegment(0, 9, "D1", long, "t"))
    [cue] = srt.parse(write_srt(x)["X1.srt"].decode())
    assert all(len(line) <= LINE_WIDTH for line in cue.content.split("\n"))
    assert " ".join(cue.content.split("\n")) == "D1: " + " ".join(long.split())


def test_srt_line_of_only_a_number_is_not_read_as_a_cue_number(export):
    # Wrapped alone, "12" followed by a line starting like a time would look like the next cue to
    # lenient SRT parsers (srt accepts cues without the blank line between them).
    text = "a" * 38 + " 12 00:00:01,000" + "b" * 35
    x = with_segments(export, ExportSegment(0, 1, "D1", text, "t"), ExportSegment(2, 3, None, "12 " + "c" * 45, "t"))
    cues = list(srt.parse(write_srt(x)["X1.srt"].decode("utf-8")))
    assert [" ".join(c.content.split("\n")) for c in cues] == [f"D1: {text}", "12 " + "c" * 45]


def test_subtitle_turn_without_speaker(export):
    x = with_segments(export, ExportSegment(0, 1, None, "ingen taler", "t"))
    [cue] = srt.parse(write_srt(x)["X1.srt"].decode())
    [caption] = webvtt.from_string(write_vtt(x)["X1.vtt"].decode(), strict=True).captions
    assert cue.content == "ingen taler" and caption.voice is None and caption.text == "ingen taler"


# -- csv and json

def test_csv_round_trip(export):
    [(name, content)] = write_csv(export).items()
    assert name.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.count("\r\n") == 7 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == ["session", "kind", "date", "index", "start_seconds", "end_seconds", "start",
                             "speaker", "role", "quotes_allowed", "text"]
    segments = [(s, i, g) for s in export.sessions for i, g in enumerate(s.segments, start=1)]
    assert len(rows) == len(segments)
    roles = {p.code: p.role for p in export.participants}
    for row, (session, index, segment) in zip(rows, segments):
        assert (row["session"], row["kind"], row["date"], row["index"]) == (session.id, session.kind, session.date,
                                                                            str(index))
        assert ms(float(row["start_seconds"])) == ms(segment.offset + segment.start)
        assert ms(float(row["end_seconds"])) == ms(segment.offset + segment.end)
        assert (row["speaker"], row["role"], row["text"]) == (segment.speaker, roles[segment.speaker], segment.text)
        assert row["quotes_allowed"] == ("true" if segment.quotes_allowed else "false")
    assert rows[2]["start"] == "00:00:11.200" and "– tre uker" in rows[2]["text"]


def test_csv_quotes_a_newline(export):
    x = with_segments(export, ExportSegment(0, 1, "D1", 'to\nlinjer, "sitat"', "t", offset=10800))
    text = next(iter(write_csv(x).values())).decode("utf-8-sig")
    assert '"to\nlinjer, ""sitat"""' in text
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["text"] == 'to\nlinjer, "sitat"' and row["start"] == "03:00:00.000"


def test_json_round_trip(export):
    [(name, content)] = write_json(export).items()
    assert name.endswith(".json")
    data = json.loads(content.decode("utf-8"))
    assert "æ" in content.decode("utf-8")  # not \u-escaped
    assert data["project"]["title"] == export.title and data["project"]["left_out"] == list(export.left_out)
    assert {p["code"] for p in data["participants"]} == {"I", "D1", "D2", "D6"}
    assert all(set(p) == {"code", "role", "consent", "quotes_allowed", "sessions"} for p in data["participants"])
    assert [s["id"] for s in data["sessions"]] == ["G01", "S02"]
    for session, got in zip(export.sessions, data["sessions"]):
        assert len(got["segments"]) == len(session.segments)
        for segment, g in zip(session.segments, got["segments"]):
            assert ms(g["start"]) == ms(segment.offset + segment.start)
            assert ms(g["end"]) == ms(segment.offset + segment.end)
            assert (g["speaker"], g["text"], g["quotes_allowed"]) == (segment.speaker, segment.text,
                                                                     segment.quotes_allowed)


# -- property: arbitrary text survives SRT and VTT

FRAGMENTS = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
                      st.sampled_from(["-->", "<", ">", "&", "&amp;", "<b>", "\n", "\n\n", "\r\n", " ", "12\n",
                                       "00:00:01,000 --> 00:00:02,000", "1", "NOTE", "WEBVTT"]))


def normalised(text: str) -> str:
    text = "\n".join(text.splitlines())
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    return " ".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(FRAGMENTS, max_size=8).map("".join), min_size=1, max_size=4))
def test_any_text_survives_srt_and_vtt(texts):
    segments = [ExportSegment(i * 2.0, i * 2.0 + 1.5, "D1", text, "t") for i, text in enumerate(texts)]
    x = with_segments(sample_export(), *segments)
    want = [normalised(t) for t in texts if normalised(t)]
    cues = list(srt.parse(write_srt(x)["X1.srt"].decode("utf-8")))
    assert [" ".join(c.content.split("\n")) for c in cues] == [f"D1: {t}" for t in want]
    vtt = webvtt.from_string(write_vtt(x)["X1.vtt"].decode("utf-8"), strict=True)
    assert [vtt_text(c) for c in vtt.captions] == want
    assert all(c.voice == "D1" for c in vtt.captions)

