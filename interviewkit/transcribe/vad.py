"""Voice activity detection: where the speech is, so that silence is not transcribed (Whisper
invents text in silence).

Silero VAD (the ONNX model that faster-whisper ships) finds the speech regions; the speech is
joined into one array for the engine, and ``TimeMap`` maps times in the joined array back to
times in the original audio.  Both engines get the same speech, so their output matches.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

RATE = 16000


@dataclass(frozen=True)
class Region:
    start: int  # samples
    end: int


def speech_regions(audio: np.ndarray, min_silence_ms: int = 700, pad_ms: int = 300) -> list[Region]:
    """The speech in ``audio`` (16 kHz float32) as sample ranges, padded a little each side."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0:
        return []
    options = VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms)
    return [Region(int(r["start"]), int(r["end"])) for r in get_speech_timestamps(audio, options)]


class TimeMap:
    """Maps a time in the joined speech back to the original audio."""

    def __init__(self, regions: list[Region]) -> None:
        self.joined_ends: list[int] = []  # where each region ends in the joined audio
        self.offsets: list[int] = []  # silence removed before each region
        removed = previous_end = joined = 0
        for region in regions:
            removed += region.start - previous_end
            previous_end = region.end
            joined += region.end - region.start
            self.joined_ends.append(joined)
            self.offsets.append(removed)

    def original(self, seconds: float, is_end: bool = False) -> float:
        if not self.offsets:
            return seconds
        sample = int(round(seconds * RATE))
        index = bisect.bisect_left(self.joined_ends, sample) if is_end else bisect.bisect_right(self.joined_ends, sample)
        index = min(index, len(self.offsets) - 1)
        return round((sample + self.offsets[index]) / RATE, 3)


def join(audio: np.ndarray, regions: list[Region]) -> np.ndarray:
    if not regions:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([audio[r.start:r.end] for r in regions]).astype(np.float32, copy=False)
