"""Synthetic interview recordings (espeak-ng voices, no real person) for the demo, tests and
benchmarks; installed as ``interviewkit.samples``.  ``make_samples.py`` renders them."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_path(name: str) -> Path:
    """A file of the samples folder, e.g. ``interview-en.ogg``."""
    return Path(str(files(__name__).joinpath(name)))
