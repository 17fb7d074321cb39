"""`interviewkit interview …`: run a guide in a session, and its summary."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
