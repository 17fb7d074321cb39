"""Drive a real program in a real terminal: tmux with a private server, send-keys and capture-pane."""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid


class Terminal:
    """One tmux session running ``command``; after it exits the pane shows ``EXITED-<status>``."""

    def __init__(self, command: str, env: dict[str, str], width: int = 120, height: int = 40) -> None:
        self.socket = f"ik-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # COLUMNS/LINES left over from the shell that started at tmux's default 80×24 would pin the
        # program's size (Textual asks shutil.get_terminal_size, which believes them first).
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
                  f"env -u COLUMNS -u LINES {exports} {command}; echo EXITED-$?; sleep 30")
        self.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

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

    def program_pid(self) -> int:
        """The program's process (the child of the pane's shell)."""
        shell = self.tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        return int(children[0])

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
