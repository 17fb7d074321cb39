"""Errors a user can cause and fix, as classes (the httpx way).

Every error carries the file (or project) it concerns, what went wrong and what to
do.  The CLI prints ``str(error)`` as one line and exits with status 2.

Besides that English line, an error can carry a stable ``code`` (``"session.bad_date"``)
with ``params`` (the values its message needs) and the ``field`` it concerns (the name of
the value, without a CLI flag's dashes: ``"date"``).  Each shell renders those its own way:
the CLI prints ``line()`` (flags and commands, English); the TUI looks ``error.<code>`` and
``field.<field>`` up in its catalogs (``interviewkit.tui.errors.render_error``) and so never
shows a command-line flag or command.  An error without a code is still rendered by the TUI
without the CLI's flags and commands.  Anything that is *not* an ``InterviewkitError`` is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


class InterviewkitError(Exception):
    """A problem the user can fix: one line naming the place and the remedy."""

    exit_code = 2
    code = ""  # a class-wide default code, for classes whose every raise means the same

    def __init__(self, where: str | Path | None, problem: str, hint: str = "", *, code: str = "",
                 params: Mapping[str, Any] | None = None, field: str = "") -> None:
        self.where = str(where) if where is not None else ""
        self.problem = problem
        self.hint = hint
        if code:
            self.code = code
        self.params: dict[str, Any] = dict(params or {})
        if not field and self.where.startswith("--"):
            field = self.where[2:]
        self.field = field
        super().__init__(self.line())

    def lines(self) -> list[str]:
        """Every message, one per line (one for most errors; a broken guide has many)."""
        return [self.line()]

    def line(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        if self.hint:
            text += f" — {self.hint}"
        return text


class NotAProject(InterviewkitError):
    """The directory holds no interviewkit project."""


class ProjectExists(InterviewkitError):
    """`init` was pointed at a directory that already holds a project."""


class WrongPassphrase(InterviewkitError):
    """The passphrase does not open the project's identity."""

    code = "vault.wrong_passphrase"


class IdentityError(InterviewkitError):
    """An identity file is missing, unreadable, or opens nothing in this project."""


class VaultCorrupt(InterviewkitError):
    """An encrypted file is truncated, tampered with, or not an age file."""


class ProjectLocked(InterviewkitError):
    """Another process is writing to the project."""

    code = "vault.locked"


class DiskFull(InterviewkitError):
    """A write failed for lack of space; the previous state is intact."""


class StorageError(InterviewkitError):
    """Any other failed write or read of the file system."""


class InvalidInput(InterviewkitError):
    """A value given on the command line or in a form is not acceptable."""


class NotFound(InterviewkitError):
    """A session, participant or recipient that does not exist was named."""
