"""ffmpeg and ffprobe as subprocesses, through pipes only: audio never touches the disk here."""

from __future__ import annotations

import shutil
import subprocess

from interviewkit.audio.errors import AudioUnavailable

INSTALL_HINT = "install it: 'apt-get install ffmpeg' (Debian/Ubuntu), 'dnf install ffmpeg' or 'brew install ffmpeg'"


def tool(name: str = "ffmpeg") -> str:
    """The path of ffmpeg or ffprobe, or a one-line error saying how to install it."""
    path = shutil.which(name)
    if path is None:
        raise AudioUnavailable(name, f"{name} is not installed (interviewkit decodes and converts audio with ffmpeg)",
                               INSTALL_HINT, code="audio.tool_missing", params={"name": name})
    return path


def raw_input_args(rate: int, channels: int, sample_format: str = "s16le") -> list[str]:
    return ["-f", sample_format, "-ar", str(rate), "-ac", str(channels), "-i", "pipe:0"]


def convert(data: bytes, rate: int, channels: int, *, out_rate: int | None = None, out_channels: int | None = None,
            audio_filter: str | None = None, sample_format: str = "s16le", out_format: str | None = None) -> bytes:
    """Run raw PCM through ffmpeg in memory (stdin → stdout): resample, downmix, filter."""
    command = [tool(), "-nostdin", "-v", "error", *raw_input_args(rate, channels, sample_format)]
    if audio_filter:
        command += ["-filter:a", audio_filter]
    if out_channels is not None:
        command += ["-ac", str(out_channels)]
    if out_rate is not None:
        command += ["-ar", str(out_rate)]
    command += ["-f", out_format or sample_format, "pipe:1"]
    result = subprocess.run(command, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioUnavailable("ffmpeg", f"converting audio failed ({message[-1] if message else result.returncode})",
                               "check the ffmpeg installation ('interviewkit doctor')",
                               code="audio.ffmpeg_failed",
                               params={"detail": message[-1] if message else result.returncode})
    return result.stdout
