"""Shared by the detector tests: the system word lists (wnorwegian, wamerican), loaded once into
a private cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.anonymise.lexicon import load_lexicon

SYSTEM_LISTS = Path("/usr/share/dict/bokmaal").is_file()
needs_system_lists = pytest.mark.skipif(not SYSTEM_LISTS, reason="the wnorwegian word lists are not installed")


@pytest.fixture(scope="session")
def lexicon(tmp_path_factory):
    return load_lexicon("no", cache=tmp_path_factory.getbasetemp() / "lexicon-cache")
