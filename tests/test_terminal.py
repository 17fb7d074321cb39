"""The real program in a real terminal (tmux): the demo TUI, and the stock age tool
reading a project with the passphrase typed at its prompt."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")]


class Terminal:
    def __init__(self, command: str, env: dict[str, str], width: int = 120, height: int = 40) -> None:
        self.socket = f"ik-{uuid.uuid4().hex[:8]}"
        self.env = env
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
                  f"env {exports} {command}; echo EXITED-$?; sleep 30")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


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
