"""A faster ``project`` for the audio tests: the template project opened with its own age
identity (written once per run) instead of the passphrase, so no scrypt per test.

Import into a test module: ``from tests.audio.fast_project import project, project_key  # noqa: F401``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.project import Credentials, Project
from tests.conftest import PASSPHRASE


@pytest.fixture(scope="session")
def project_key(template_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template project's identity as an age identity file (outside the project)."""
    key = tmp_path_factory.mktemp("project-key") / "key.txt"
    opened = Project.open(template_project, Credentials(passphrase=PASSPHRASE))
    key.write_text(f"{opened.keyring.project_identity}\n")
    key.chmod(0o600)
    return key


@pytest.fixture
def project(project_dir: Path, project_key: Path) -> Project:
    return Project.open(project_dir, Credentials(identity_files=[project_key]))
