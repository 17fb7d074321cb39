"""Arguments many commands share: the project folder, the session, and how to unlock."""

from __future__ import annotations

import argparse
from pathlib import Path

IDENTITY_HELP = "unlock with an age identity file instead of the passphrase (repeatable)"


def identity_arg(parser: argparse.ArgumentParser, help: str = IDENTITY_HELP) -> None:
    parser.add_argument("--identity", "-i", type=Path, action="append", metavar="FILE", help=help)


def project_args(parser: argparse.ArgumentParser, session: bool = False) -> None:
    """PROJECT (and SESSION) positional arguments, and --identity."""
    parser.add_argument("project", type=Path, metavar="PROJECT", help="the project folder")
    if session:
        parser.add_argument("session", metavar="SESSION", help="the session id, e.g. S01")
    identity_arg(parser)
