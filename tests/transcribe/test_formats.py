from interviewkit.transcribe.formats import render, timestamp
from interviewkit.transcribe.result import Segment, Transcription, Word


def sample() -> Transcription:
    return Transcription([Segment(0.5, 2.25, " Hei og velkommen.", [Word(0.5, 0.9, " Hei", 0.9)]),
                          Segment(3661.0, 3662.5, " Takk.", [], speaker="D1")], "no", 3663.0, "faster-whisper", "base")


def test_timestamps():
    assert timestamp(3661.5) == "01:01:01,500"
    assert timestamp(0.0004, ".") == "00:00:00.000"


def test_srt_and_vtt():
    srt = render(sample(), "srt")
    assert srt.startswith("1\n00:00:00,500 --> 00:00:02,250\nHei og velkommen.\n")
    assert "2\n01:01:01,000 --> 01:01:02,500\nD1: Takk.\n" in srt
    vtt = render(sample(), "vtt")
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.250\n")


def test_txt_and_json_round_trip():
    assert render(sample(), "txt") == "Hei og velkommen.\nTakk.\n"
    again = Transcription.from_bytes(render(sample(), "json").encode())
    assert again == sample()
