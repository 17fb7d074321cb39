"""The input level of a recording: RMS and peak in dBFS, clipping and silence.

``LevelMeter.update`` is called from the audio callback with each block of int16 samples;
it does a little numpy arithmetic and no I/O.  The current reading is one immutable
``Level``, replaced (not changed) per block, so that other threads can read it at any time.
Time is counted in samples, not by the wall clock: the same audio gives the same reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FLOOR_DBFS = -96.0  # what silence reads as (16-bit: about -96 dBFS)
CLIP_DBFS = -0.1  # a sample at or above this peak counts as clipped
CLIP_SAMPLES = 3  # this many clipped samples in one block are clipping, not a stray peak
CLIP_HOLD_SECONDS = 1.0  # the warning stays this long after the last clipped block
SILENCE_DBFS = -60.0  # a block whose RMS is below this is silent
SILENCE_SECONDS = 10.0  # silent this long: warn (is the microphone on?)
FULL_SCALE = 32768.0
CLIP_LEVEL = int(FULL_SCALE * 10 ** (CLIP_DBFS / 20))  # 32392


def dbfs(value: float) -> float:
    """A linear amplitude (1.0 = full scale) in dBFS, never below ``FLOOR_DBFS``."""
    return max(FLOOR_DBFS, 20 * math.log10(value)) if value > 0 else FLOOR_DBFS


@dataclass(frozen=True)
class Level:
    rms_dbfs: float = FLOOR_DBFS
    peak_dbfs: float = FLOOR_DBFS
    clipping: bool = False
    silence: bool = False
    silent_seconds: float = 0.0

    def fraction(self, floor: float = SILENCE_DBFS) -> float:
        """The RMS as a share of the meter (``floor`` dBFS … 0 dBFS), for a bar."""
        return min(1.0, max(0.0, (self.rms_dbfs - floor) / -floor))


class LevelMeter:
    """Reads blocks of int16 samples; ``level`` is the reading after the last block."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.level = Level()
        self._silent_samples = 0  # frames since the last block that was not silent
        self._since_clip: float = math.inf  # frames since the last clipping block

    def update(self, block: np.ndarray) -> Level:
        """``block``: int16 samples, shape (frames,) or (frames, channels)."""
        frames = block.shape[0] if block.ndim else 0
        if frames == 0:
            return self.level
        samples = block.astype(np.float32).ravel()
        rms = float(np.sqrt(np.mean(samples * samples))) / FULL_SCALE
        magnitudes = np.abs(samples)
        peak = float(magnitudes.max()) / FULL_SCALE
        clipped = int(np.count_nonzero(magnitudes >= CLIP_LEVEL))
        rms_dbfs = dbfs(rms)
        if rms_dbfs < SILENCE_DBFS:
            self._silent_samples += frames
        else:
            self._silent_samples = 0
        self._since_clip = 0 if clipped >= CLIP_SAMPLES else self._since_clip + frames
        silent_seconds = self._silent_samples / self.rate
        self.level = Level(rms_dbfs=rms_dbfs, peak_dbfs=dbfs(peak), clipping=self._since_clip < CLIP_HOLD_SECONDS * self.rate,
                           silence=silent_seconds >= SILENCE_SECONDS, silent_seconds=silent_seconds)
        return self.level

    def reset(self) -> None:
        self.level = Level()
        self._silent_samples = 0
        self._since_clip = math.inf
