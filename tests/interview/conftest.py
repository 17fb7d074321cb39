"""Fixtures for the interview core: a real encrypted demo project (made once, copied per
test, opened with the project's own key so that no scrypt runs per test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewkit.demo import create_demo
from interviewkit.interview import ManualClock
from interviewkit.project import Credentials, Project


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("INTERVIEWKIT_LANG", "INTERVIEWKIT_PASSPHRASE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEWKIT_USER", "interview-test")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def interview_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interview-template") / "demo"
    project = create_demo(root, interview=False)
    (root.parent / "project-key.txt").write_text(f"{project.keyring.project_identity}\n")
    return root


@pytest.fixture(scope="session")
def project_key(interview_template: Path) -> Path:
    return interview_template.parent / "project-key.txt"


@pytest.fixture
def demo_root(interview_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(interview_template, root)
    return root


@pytest.fixture
def reopen(project_key: Path) -> Callable[[Path], Project]:
    return lambda root: Project.open(root, Credentials(identity_files=[project_key]))


@pytest.fixture
def demo(demo_root: Path, reopen: Callable[[Path], Project]) -> Project:
    return reopen(demo_root)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
