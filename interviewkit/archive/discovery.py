"""Finding the projects of an archive and opening each with the steward's key.

An archive is any folder: a university share, a local disk.  A project is a folder holding the
marker file (``interviewkit-project.json``); projects are looked for down to ``MAX_DEPTH``
folders (a share is often ``year/student/project``), never inside another project.  Opening is
per project and never raises: a project encrypted to someone else, or with a broken marker or
index, comes back with its ``problem`` set, and the listing goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from interviewkit.errors import InterviewkitError, InvalidInput
from interviewkit.project import MARKER, Credentials, Project

MAX_DEPTH = 4


@dataclass
class ArchiveProject:
    path: Path
    project: Project | None = None  # None when it could not be opened
    problem: str = ""               # one line: why it could not be opened, and what to do

    @property
    def name(self) -> str:
        return self.path.name


def find_projects(root: Path, max_depth: int = MAX_DEPTH) -> list[Path]:
    """Every project folder under ``root`` (``root`` itself if it is one), sorted by path."""
    root = Path(root)
    if not root.is_dir():
        raise InvalidInput(root, "no such folder", "give the folder that holds the projects", code="archive.no_folder")
    found: list[Path] = []

    def walk(folder: Path, depth: int) -> None:
        if (folder / MARKER).is_file():
            found.append(folder)
            return
        if depth >= max_depth:
            return
        try:
            children = sorted(e.path for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)
                              and not e.name.startswith("."))
        except OSError:
            return
        for child in children:
            walk(Path(child), depth + 1)

    walk(root, 0)
    return sorted(found)


def open_project(path: Path, credentials: Credentials) -> ArchiveProject:
    try:
        return ArchiveProject(path, Project.open(path, credentials))
    except InterviewkitError as error:
        return ArchiveProject(path, None, str(error))
    except (OSError, ValueError, KeyError) as error:  # a damaged file the format checks did not name
        return ArchiveProject(path, None, f"{path}: cannot be read ({error}) — run 'interviewkit archive verify'")


def open_archive(root: Path, credentials: Credentials) -> Iterator[ArchiveProject]:
    """Each project of the archive, opened (or with its problem), one at a time."""
    for path in find_projects(root):
        yield open_project(path, credentials)
