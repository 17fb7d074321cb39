"""The guides that come with interviewkit (the ``guides/`` folder of the source tree).

Installed, they are the package ``interviewkit.shipped_guides`` (pyproject.toml maps it to
``guides/``; the editable install used in development maps it there too).  Run from a
source tree that is not installed, the ``guides/`` folder beside the package is used.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.guides.loader import base_chain

PACKAGE = "interviewkit.shipped_guides"
SOURCE_FOLDER = Path(__file__).resolve().parents[2] / "guides"
SCHEMA_NAME = "guide.schema.json"


def guides_folder() -> Path:
    """The folder that holds the shipped guides, their README and the JSON Schema."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / SCHEMA_NAME).is_file():
                return Path(location)
    return SOURCE_FOLDER


def shipped_guides() -> list[Path]:
    """Every shipped guide file, sorted by name."""
    return sorted(guides_folder().glob("*.yaml"))


def shipped_guide(name: str) -> Path:
    """A shipped guide by name, with or without ``.yaml`` (``demo`` → …/demo.yaml)."""
    stem = name[:-5] if name.endswith(".yaml") else name
    for path in shipped_guides():
        if path.stem == stem:
            return path
    names = ", ".join(p.stem for p in shipped_guides()) or "none are installed"
    raise NotFound(name, "no shipped guide by this name", f"the shipped guides: {names}",
                   code="guide.no_shipped", params={"names": names})


def copy_shipped(name: str, folder: Path) -> list[Path]:
    """Copy a shipped guide, the guides it extends and the JSON Schema into ``folder``.

    Nothing is overwritten: if a guide file is already there, nothing is copied.  The
    schema is copied only when missing, so that the editor line at the top of the guide works.
    """
    sources = base_chain(shipped_guide(name))
    folder = Path(folder)
    clashes = [folder / path.name for path in sources if (folder / path.name).exists()]
    if clashes:
        raise InvalidInput(clashes[0], "already exists", "choose another folder, or move the file away first",
                           code="guide.file_exists")
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in [*sources, schema_path()]:
        target = folder / path.name
        if not target.exists():
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def schema_path() -> Path:
    """The JSON Schema of the guide format."""
    return guides_folder() / SCHEMA_NAME
