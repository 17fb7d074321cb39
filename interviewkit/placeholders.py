"""Project values for guide placeholders such as ``{municipality}``.

The guide file names no place or person; the project (encrypted) holds the values.
"""

from __future__ import annotations

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.guides.model import PLACEHOLDER
from interviewkit.project import Project


def parse_assignment(item: str, where: str = "NAME=VALUE") -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not PLACEHOLDER.fullmatch("{" + name + "}"):
        raise InvalidInput(where, f"'{item}' is not NAME=VALUE", "e.g. municipality=Bodø (a name of letters, digits, _)")
    return name, value


def set_placeholder_values(project: Project, values: dict[str, str], unset: list[str] | None = None) -> dict[str, str]:
    """Set and remove placeholder values; return the project's values afterwards."""
    with project.writing() as change:
        current = project.index.study.placeholders
        for name in unset or []:
            if name not in current:
                raise NotFound(name, "no such placeholder value in the project", "see 'interviewkit guide values PROJECT'")
            del current[name]
        current.update(values)
        change.log("study.placeholders", f"project:{project.marker.project_id}",
                   set=sorted(values), unset=sorted(unset or []))
    return dict(project.index.study.placeholders)
