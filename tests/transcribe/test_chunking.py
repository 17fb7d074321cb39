import numpy as np
import pytest

from interviewkit.transcribe.chunking import RATE, ChunkPlan, chunks, quietest_cut, skip


def noisy(seconds: float, seed: int = 1) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 0.2).astype(np.float32)


def test_the_cut_falls_in_the_pause():
    audio = noisy(30)
    audio[int(22.0 * RATE):int(22.5 * RATE)] = 0.0  # a pause between 22.0 and 22.5 s
    cut = quietest_cut(audio, 15 * RATE, 25 * RATE)
    assert 22.0 * RATE < cut <= 22.5 * RATE


def blocks_of(audio: np.ndarray, size: int):
    return (audio[i:i + size] for i in range(0, len(audio), size))


@pytest.mark.parametrize("block", [RATE // 3, RATE, 7 * RATE + 11])
def test_cuts_depend_on_the_audio_not_on_how_it_arrives(block):
    audio = noisy(100, seed=3)
    for pause in (17.3, 31.0, 52.2, 71.9):
        audio[int(pause * RATE):int((pause + 0.3) * RATE)] = 0.0
    plan = ChunkPlan(target_seconds=20, search_seconds=8)
    reference = [(c.index, c.start, len(c.audio)) for c in chunks([audio], plan)]
    assert [(c.index, c.start, len(c.audio)) for c in chunks(blocks_of(audio, block), plan)] == reference
    assert sum(n for _, _, n in reference) == len(audio)
    assert [s for _, s, _ in reference][1:3] == [int(17.6 * RATE), int(31.3 * RATE)]  # at the ends of the pauses


def test_resuming_at_a_chunk_gives_the_same_chunks():
    audio = noisy(90, seed=5)
    plan = ChunkPlan(target_seconds=20, search_seconds=8)
    whole = list(chunks(blocks_of(audio, RATE), plan))
    second = whole[2]
    resumed = list(chunks(skip(blocks_of(audio, RATE), second.start), plan, first_index=second.index,
                          start=second.start))
    assert [(c.index, c.start, len(c.audio)) for c in resumed] == [(c.index, c.start, len(c.audio)) for c in whole[2:]]
    assert all(np.array_equal(a.audio, b.audio) for a, b in zip(resumed, whole[2:]))
