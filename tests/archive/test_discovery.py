"""Finding and opening the projects of an archive: one unreadable project never stops the rest."""

from __future__ import annotations

import pytest

from interviewkit.archive.discovery import find_projects, open_archive
from interviewkit.errors import InvalidInput


def test_every_project_is_found_and_a_foreign_one_is_a_line(archive) -> None:
    found = find_projects(archive.root)
    assert [p.name for p in found] == ["alpha", "beta", "gamma", "delta"]
    opened = {entry.name: entry for entry in open_archive(archive.root, archive.steward)}
    assert all(opened[n].project is not None for n in ("alpha", "beta", "gamma"))
    assert opened["delta"].project is None and "not a recipient" in opened["delta"].problem
    assert len(opened["delta"].problem.splitlines()) == 1


def test_a_missing_folder_is_one_error(tmp_path) -> None:
    with pytest.raises(InvalidInput, match="no such folder"):
        find_projects(tmp_path / "nope")
