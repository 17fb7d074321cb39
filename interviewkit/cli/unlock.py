"""Getting credentials on the command line: environment, identity files, or a masked prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from interviewkit.errors import IdentityError, InvalidInput
from interviewkit.project import Credentials, Project, check_new_passphrase


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and not os.environ.get("CI")


def credentials_for(identity_files: list[Path] | None) -> Credentials:
    return Credentials.from_env(identity_files)


def open_project(root: Path, identity_files: list[Path] | None) -> Project:
    """Open with INTERVIEWKIT_PASSPHRASE / --identity, or ask for the passphrase (masked)."""
    credentials = credentials_for(identity_files)
    if credentials.empty:
        if not interactive():
            raise IdentityError(root, "no passphrase or identity given",
                                "set INTERVIEWKIT_PASSPHRASE or pass --identity FILE")
        credentials.passphrase = getpass.getpass(f"Passphrase for {root}: ")
    return Project.open(root, credentials)


def new_passphrase(where: Path) -> str:
    """The passphrase for a new project: from the environment, or typed twice."""
    passphrase = os.environ.get("INTERVIEWKIT_PASSPHRASE")
    if passphrase is None:
        if not interactive():
            raise IdentityError(where, "no passphrase given for the new project",
                                "set INTERVIEWKIT_PASSPHRASE or run in a terminal to be asked")
        passphrase = getpass.getpass("New passphrase (at least 8 characters): ")
        if getpass.getpass("Repeat it: ") != passphrase:
            raise InvalidInput(where, "the two passphrases differ", "run the command again")
    check_new_passphrase(passphrase, "INTERVIEWKIT_PASSPHRASE")
    return passphrase


def confirm_typed(expected: str, prompt: str) -> bool:
    """Ask the user to type ``expected``; True when they did (always True when not interactive)."""
    if not interactive():
        return True
    return input(prompt).strip() == expected
