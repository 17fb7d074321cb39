"""Test media: made with ffmpeg and espeak-ng into the test's own folders, and media-file headers
as patterns specific enough not to turn up by chance in ciphertext (a bare three-byte ``ID3``
appears in a megabyte of random bytes about once in sixteen)."""

import re
import subprocess
from pathlib import Path

MEDIA_HEADERS = [re.compile(rb"RIFF.{4}WAVE", re.DOTALL), re.compile(rb"ID3[\x02-\x04]\x00"),
                 re.compile(rb"ftyp[ -~]{4}"), re.compile(rb"OggS\x00"), re.compile(rb"fLaC\x00\x00\x00\x22")]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True, timeout=120)


def espeak(path: Path, text: str) -> Path:
    """Speech from espeak-ng as a WAV file (22.05 kHz mono)."""
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True, capture_output=True, timeout=60)
    return path


def looped_tone(path: Path, minutes: int, frequency: int = 440) -> Path:
    """A long mp3 of a tone: one minute, repeated without re-encoding (made in about a second)."""
    one = path.with_name(f"{path.stem}-minute.mp3")
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=16000:duration=60", "-ac", "1", "-b:a", "16k",
           str(one))
    ffmpeg("-stream_loop", str(minutes - 1), "-i", str(one), "-c", "copy", str(path))
    return path
