"""Which system (Debian) packages are present, for `interviewkit doctor` and clear messages
to users who installed with pip and no root."""

from __future__ import annotations

import ctypes.util
import shutil
from pathlib import Path
from dataclasses import dataclass


@dataclass
class SystemCheck:
    name: str
    purpose: str
    install: str
    required: bool
    found: bool


def _program(name: str) -> bool:
    return shutil.which(name) is not None


def check_system() -> list[SystemCheck]:
    return [
        SystemCheck("age", "decrypt project files without interviewkit (data stewards)", "apt-get install age",
                    required=False, found=_program("age")),
        SystemCheck("tmux", "terminal tests of the TUI", "apt-get install tmux", required=False,
                    found=_program("tmux")),
        SystemCheck("ffmpeg", "import and play audio and video files", "apt-get install ffmpeg", required=False,
                    found=_program("ffmpeg")),
        SystemCheck("portaudio", "record from a microphone", "apt-get install libportaudio2", required=False,
                    found=ctypes.util.find_library("portaudio") is not None),
        SystemCheck("pulseaudio", "a virtual sound device for the audio tests",
                    "apt-get install pulseaudio pulseaudio-utils libasound2-plugins", required=False,
                    found=_program("pulseaudio") and _program("pactl")),
        SystemCheck("espeak-ng", "synthetic speech for the tests", "apt-get install espeak-ng", required=False,
                    found=_program("espeak-ng")),
        SystemCheck("wnorwegian", "Norwegian word lists: anonymisation tells names from common words",
                    "apt-get install wnorwegian", required=False, found=Path("/usr/share/dict/bokmaal").exists()),
        SystemCheck("wamerican", "English word list: anonymisation of English text",
                    "apt-get install wamerican", required=False,
                    found=Path("/usr/share/dict/american-english").exists()),
    ]
