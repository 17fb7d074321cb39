"""Fixtures for the interview core: the shared demo project (tests/conftest.py) and a clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.interview import ManualClock
from interviewkit.project import Project


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    return isolated_env


@pytest.fixture
def project_key(demo_key: Path) -> Path:
    return demo_key


@pytest.fixture
def demo(demo_project: Project) -> Project:
    return demo_project


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
