"""Shared fixtures: real encrypted projects (made once, copied per test), the CLI as a
subprocess, and a scanner for plaintext leaks."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewkit.demo import create_demo
from interviewkit.project import Credentials, Project
from interviewkit.study import Approval, StudyInfo

PASSPHRASE = "test-passphrase-1"
REPO = Path(__file__).resolve().parent.parent


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """With CI=true a skip is a failure: a green CI must mean every test ran.  A test skips
    when a program or package it needs is missing, and scripts/setup.sh must install those."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and running_in_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"would be skipped, and CI=true allows no skip: {reason} — "
                           "scripts/setup.sh must install what this test needs")


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
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No language, passphrase or settings leak in from the developer's environment."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    for name in ("INTERVIEWKIT_LANG", "INTERVIEWKIT_PASSPHRASE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEWKIT_USER", "test-user")
    monkeypatch.chdir(tmp_path)  # anything a library might write to the working directory lands here
    return config


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project without an interview run, made once per test session."""
    root = tmp_path_factory.mktemp("demo-template") / "demo"
    project = create_demo(root, interview=False)
    # The project's own age identity, outside the project: opens copies without scrypt (fast tests).
    (root.parent / "project-key.txt").write_text(f"{project.keyring.project_identity}\n")
    return root


@pytest.fixture(scope="session")
def demo_key(demo_template: Path) -> Path:
    return demo_template.parent / "project-key.txt"


@pytest.fixture
def demo_root(demo_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(demo_template, root)
    return root


@pytest.fixture
def reopen(demo_key: Path):
    """Open a project from disk with the demo's key, to check what was really saved."""
    return lambda root: Project.open(root, Credentials(identity_files=[demo_key]))


@pytest.fixture
def demo_project(demo_root: Path, reopen) -> Project:
    """The copied demo project, already unlocked (as ``interviewkit demo`` hands it over)."""
    return reopen(demo_root)


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


@contextlib.contextmanager
def small_disk(mount: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of ``size`` at ``mount`` (root only; skipped elsewhere, a failure under CI=true)."""
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the file-size-limit test covers the same path")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def tiny_disk(tmp_path):
    with small_disk(tmp_path / "tiny", "256k") as mount:
        yield mount
