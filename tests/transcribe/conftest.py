"""Fixtures for the transcription tests: the real embedded model (no stubs), the committed
speech samples with their scripts, and a project session holding a sample as encrypted audio."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from interviewkit.audio.importer import import_file
from interviewkit.audio.store import AudioTake
from interviewkit.consent import add_participant
from interviewkit.project import Project
from interviewkit.sessions import Session, add_session
from interviewkit.transcribe.engines import Engine, load_engine
from interviewkit.transcribe.models import embedded_model_dir
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.conftest import REPO

SAMPLES = REPO / "samples"


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces: what WER is computed on."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def script_text(name: str) -> str:
    """The spoken words of a sample (its .txt without the speaker labels)."""
    lines = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return " ".join(line.split(":", 1)[1].strip() for line in lines if line.strip())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return jiwer.wer(normalise(reference), normalise(hypothesis))


@pytest.fixture(autouse=True)
def _isolated(isolated_env: Path) -> Path:
    """No settings or registered models leak in from (or out to) the developer's configuration."""
    return isolated_env


@pytest.fixture(scope="session")
def base_model_dir() -> Path:
    return embedded_model_dir("base")


@pytest.fixture(scope="session")
def engine(base_model_dir: Path) -> Engine:
    return load_engine("faster-whisper", "base", "cpu")


@pytest.fixture(scope="session")
def sample_en() -> Path:
    return SAMPLES / "interview-en.ogg"


@dataclass
class AudioSession:
    project: Project
    session: Session
    take: AudioTake


def session_with(project: Project, media: Path, session_id: str = "S01", language: str = "en") -> AudioSession:  # noqa: F811
    session = add_session(project, session_id)
    add_participant(project, "D1", "Test Deltaker", consent_items=["participation", "audio"], sessions=[session_id])
    with project.writing():
        project.index.study.language = language
    result = import_file(project, session, media)
    return AudioSession(project, project.index.find_session(session_id), result.take)


@pytest.fixture
def english_session(project: Project, sample_en: Path) -> AudioSession:  # noqa: F811
    return session_with(project, sample_en)
