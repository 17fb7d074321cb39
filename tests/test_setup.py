"""`.ci/run` starts from nothing: every program the product, the tests and the benchmarks run
comes from a Debian package that scripts/setup.sh installs.

A green run on a machine where somebody installed a program by hand hides a missing install
step (it happened: ``sox`` was used by the audio tests and installed by nothing).  This test
finds the programs by reading the code — the first word of every literal ``subprocess``
argument list and every ``shutil.which("…")`` — so a new program cannot slip in unnoticed: an
unknown one fails here until it is added to ``PROGRAMS`` and to scripts/setup.sh."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

# program → the Debian package that provides it (None: part of every Debian system).
PROGRAMS: dict[str, str | None] = {
    "age": "age", "age-keygen": "age",
    "ffmpeg": "ffmpeg", "ffprobe": "ffmpeg",
    "espeak-ng": "espeak-ng", "sox": "sox",
    "tmux": "tmux", "pgrep": "procps",
    "pulseaudio": "pulseaudio", "pactl": "pulseaudio-utils", "paplay": "pulseaudio-utils",
    "parecord": "pulseaudio-utils", "pacat": "pulseaudio-utils",
    "libreoffice": "libreoffice-writer-nogui", "soffice": "libreoffice-writer-nogui",
    "pdftotext": "poppler-utils",
    "mount": None, "umount": None, "sync": None,  # util-linux / coreutils: essential packages
}
# Programs looked for but never required: the code takes another path without them (say where).
OPTIONAL: dict[str, str] = {}
RUNTIME_FOLDERS = ("interviewkit",)
TEST_FOLDERS = ("tests", "benchmarks", "samples")

ARGV_START = re.compile(r"""(?:subprocess\.(?:run|Popen|check_output|check_call|call)|create_subprocess_exec)"""
                        r"""\(\s*\[\s*["']([A-Za-z0-9_.+-]+)["']""")
WHICH = re.compile(r"""which\(\s*["']([A-Za-z0-9_.+-]+)["']""")


def programs_in(folders: tuple[str, ...]) -> dict[str, str]:
    """program → the first file that runs or looks for it."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in [*ARGV_START.finditer(text), *WHICH.finditer(text)]:
                found.setdefault(match.group(1), str(path.relative_to(REPO)))
    return found


def setup_packages(name: str) -> set[str]:
    """The packages in one of scripts/setup.sh's arrays (``runtime_packages=(…)``)."""
    text = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    match = re.search(rf"^{name}=\(([^)]*)\)", text, re.MULTILINE)
    assert match, f"scripts/setup.sh has no {name}=(…) array"
    return set(match.group(1).split())


def test_the_scan_finds_what_it_should() -> None:
    """The scan itself must see the programs we know are run (a scan that finds nothing passes anything)."""
    found = programs_in(RUNTIME_FOLDERS + TEST_FOLDERS)
    assert {"age", "ffmpeg", "espeak-ng", "sox", "tmux", "paplay"} <= set(found)


def test_every_program_the_code_runs_is_known() -> None:
    unknown = {program: where for program, where in programs_in(RUNTIME_FOLDERS + TEST_FOLDERS).items()
               if program not in PROGRAMS}
    assert not unknown, (f"programs run but not mapped to a Debian package: {unknown} — add each to PROGRAMS "
                         "here and its package to scripts/setup.sh")


def test_setup_installs_every_program_the_product_runs() -> None:
    runtime = setup_packages("runtime_packages")
    missing = {program: where for program, where in programs_in(RUNTIME_FOLDERS).items()
               if PROGRAMS.get(program) and PROGRAMS[program] not in runtime}
    assert not missing, f"run by the product but not in setup.sh's runtime_packages: {missing}"


def test_setup_installs_every_program_the_tests_run() -> None:
    installed = setup_packages("runtime_packages") | setup_packages("test_packages")
    missing = {program: where for program, where in programs_in(TEST_FOLDERS).items()
               if PROGRAMS.get(program) and PROGRAMS[program] not in installed and program not in OPTIONAL}
    assert not missing, f"run by the tests or benchmarks but installed by nothing in scripts/setup.sh: {missing}"


def test_ci_runs_the_readme_test_command_and_setup_fails_loudly() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh test" in ci and "bash scripts/setup.sh test" in readme.split("\n\n")[1]
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "set -euo pipefail" in setup
    # Under CI a package that cannot be installed stops the set-up (tests/conftest.py turns skips into failures).
    assert re.search(r'strict" = true \]; then\s+echo[^\n]*\n\s+exit 1', setup)
