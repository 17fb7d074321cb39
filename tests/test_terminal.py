"""The real program in a real terminal (tmux): the demo TUI, and the stock age tool
reading a project with the passphrase typed at its prompt."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.terminal import Terminal

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")]


@pytest.fixture
def terminal_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "tmp").mkdir()
    (tmp_path / "config").mkdir()
    return {"TERM": "xterm-256color", "TMPDIR": str(tmp_path / "tmp"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "INTERVIEWKIT_LANG": "en"}


def test_demo_opens_in_a_real_terminal(terminal_env, tmp_path):
    term = Terminal(f"{shlex.quote(sys.executable)} -m interviewkit demo", terminal_env)
    try:
        screen = term.wait_for("Tjenester for unge i kommunen (demo)")
        for code in ("D1", "D2", "D3", "D4", "D5", "S01", "G01"):
            assert code in screen, screen
        assert "withdrawn" in screen.lower()
        assert list((tmp_path / "tmp").glob("interviewkit-demo-*")), "the demo project lives in TMPDIR"
        term.keys("C-q")
        term.wait_for("EXITED-0", timeout=30)
        assert not list((tmp_path / "tmp").glob("interviewkit-demo-*")), "the throw-away project is removed"
    finally:
        term.close()


@pytest.mark.skipif(shutil.which("age") is None, reason="needs the age tool")
def test_age_tool_opens_a_project_with_the_passphrase(project_dir, terminal_env, tmp_path):
    out = tmp_path / "index.json"
    command = (f"age -d -i {shlex.quote(str(project_dir / 'keys/identity.age'))} -o {shlex.quote(str(out))} "
               f"{shlex.quote(str(project_dir / 'index.age'))}")
    term = Terminal(command, terminal_env)
    try:
        term.wait_for("passphrase", timeout=30)
        term.keys(PASSPHRASE, "Enter")
        term.wait_for("EXITED-0", timeout=60)
    finally:
        term.close()
    assert '"title": "Template study"' in out.read_text()
