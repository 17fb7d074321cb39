"""Helpers for the guide tests: write a guide file, run the loader, find a problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from interviewkit.guides import GuideProblem, check_guide

DATA = Path(__file__).parent / "data"

# Values for every placeholder the shipped guides use.
SHIPPED_VALUES = {"municipality": "Eksempelvik", "organisation": "the home-care service"}


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="guide.yaml") → the path of a guide file holding the dedented text."""
    def write_guide(text: str, name: str = "guide.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path
    return write_guide


def problems_of(path: Path, placeholders: dict[str, str] | None = None) -> list[GuideProblem]:
    return check_guide(path, placeholders)


def only(problems: list[GuideProblem], fragment: str) -> GuideProblem:
    """The one problem whose message contains the fragment."""
    found = [p for p in problems if fragment in p.message]
    assert len(found) == 1, (fragment, [str(p) for p in problems])
    return found[0]


class EditorLoader(yaml.SafeLoader):
    """Reads YAML the way editors with a YAML 1.2 language server see it: an unquoted date
    stays text (PyYAML's YAML 1.1 would make it a date, or fail on 2026-13-01)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def yaml_data(text: str):
    """The YAML text as plain data, for the JSON Schema."""
    return yaml.load(text, Loader=EditorLoader)
