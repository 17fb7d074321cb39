"""Shared fixtures: real encrypted projects (made once, copied per test), the CLI as a
subprocess, and a scanner for plaintext leaks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewkit.project import Credentials, Project
from interviewkit.study import Approval, StudyInfo

PASSPHRASE = "test-passphrase-1"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "project"
    Project.init(root, StudyInfo(title="Template study", institution="Test University",
                                 approvals=[Approval("sikt", "100200")], end_date="2027-06-30"), PASSPHRASE)
    return root


@pytest.fixture
def project_dir(template_project: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(template_project, root)
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project.open(project_dir, Credentials(passphrase=PASSPHRASE))


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")}
    env["INTERVIEWKIT_PASSPHRASE"] = PASSPHRASE
    env["CI"] = "true"
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    return env


def run_cli(args: list[str], env: dict[str, str], check: bool = True, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "interviewkit", *args], env=env, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=120, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"interviewkit {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2, one line on stderr naming the place, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def leak_encodings(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"),
            marker.encode("utf-32-le")]


def scan_for(root: Path, marker: str) -> list[str]:
    """Every file under root whose bytes (or file name) contain the marker in any encoding."""
    needles = leak_encodings(marker)
    hits = []
    for path in root.rglob("*"):
        if marker.lower() in path.name.lower():
            hits.append(f"{path} (file name)")
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            hits.extend(f"{path} ({needle!r})" for needle in needles if needle in data)
    return hits
