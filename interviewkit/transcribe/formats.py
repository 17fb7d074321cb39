"""A transcription as text: plain text, SubRip (.srt), WebVTT (.vtt) or JSON."""

from __future__ import annotations

import json

from interviewkit.transcribe.result import Transcription

FORMATS = ("txt", "srt", "vtt", "json")


def timestamp(seconds: float, separator: str = ",") -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cues(transcription: Transcription, separator: str) -> list[str]:
    cues = []
    for number, segment in enumerate((s for s in transcription.segments if s.text.strip()), start=1):
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        cues.append(f"{number}\n{timestamp(segment.start, separator)} --> {timestamp(segment.end, separator)}\n"
                    f"{speaker}{segment.text.strip()}\n")
    return cues


def render(transcription: Transcription, fmt: str) -> str:
    if fmt == "txt":
        return "".join(f"{s.text.strip()}\n" for s in transcription.segments if s.text.strip())
    if fmt == "srt":
        return "\n".join(_cues(transcription, ","))
    if fmt == "vtt":
        return "WEBVTT\n\n" + "\n".join(_cues(transcription, "."))
    if fmt == "json":
        return json.dumps(transcription.to_dict(), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
