"""Cutting a stream of audio into chunks for transcription, at quiet moments.

The cut points depend on the audio alone (not on how it arrives), so a job that is stopped and
resumed cuts exactly where an uninterrupted one does, and a recording's live transcription can
cut while it grows.  A chunk ends at the quietest 100 ms within the last ``search_seconds`` of
``target_seconds`` (a pause between words or turns), or at the end of the stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

RATE = 16000
FRAME = RATE // 10  # 100 ms


@dataclass(frozen=True)
class ChunkPlan:
    target_seconds: float
    search_seconds: float


    @classmethod
    def of(cls, target_seconds: float) -> ChunkPlan:
        """Chunks of about ``target_seconds``, cut in their last sixth (at least two seconds)."""
        return cls(target_seconds, max(2.0, target_seconds / 6))


BATCH = ChunkPlan.of(120.0)
LIVE = ChunkPlan(target_seconds=15.0, search_seconds=9.0)


@dataclass
class Chunk:
    index: int
    start: int  # sample offset in the whole audio
    audio: np.ndarray

    @property
    def start_seconds(self) -> float:
        return self.start / RATE

    @property
    def end(self) -> int:
        return self.start + len(self.audio)


def quietest_cut(audio: np.ndarray, low: int, high: int) -> int:
    """The sample (a frame boundary in [low, high]) that ends the quietest 100 ms frame."""
    low = max(FRAME, low - low % FRAME)
    high = min(len(audio), high - high % FRAME)
    if high <= low:
        return high if high > 0 else len(audio)
    frames = audio[low - FRAME:high].astype(np.float64)
    count = len(frames) // FRAME
    energy = np.square(frames[:count * FRAME]).reshape(count, FRAME).mean(axis=1)
    # The quietest frame; among equals the latest, so the chunk is as long as it may be.
    best = count - 1 - int(np.argmin(energy[::-1]))
    return low + best * FRAME


def chunks(blocks: Iterable[np.ndarray], plan: ChunkPlan = BATCH, first_index: int = 0,
           start: int = 0) -> Iterator[Chunk]:
    """Chunks of the audio in ``blocks`` (float32, 16 kHz), numbered from ``first_index``;
    ``start`` is the sample offset of the first block in the whole audio."""
    target = int(plan.target_seconds * RATE)
    search = int(plan.search_seconds * RATE)
    buffer = np.zeros(0, dtype=np.float32)
    index = first_index
    for block in blocks:
        buffer = np.concatenate([buffer, block]) if len(buffer) else np.asarray(block, dtype=np.float32)
        while len(buffer) >= target:
            cut = quietest_cut(buffer, target - search, target)
            yield Chunk(index, start, buffer[:cut])
            index += 1
            start += cut
            buffer = buffer[cut:]
    if len(buffer):
        yield Chunk(index, start, buffer)


def skip(blocks: Iterable[np.ndarray], samples: int) -> Iterator[np.ndarray]:
    """The blocks without their first ``samples`` samples (to resume a job where it stopped)."""
    for block in blocks:
        if samples >= len(block):
            samples -= len(block)
            continue
        yield block[samples:] if samples else block
        samples = 0
