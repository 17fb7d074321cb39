"""Project values for guide placeholders such as ``{municipality}``, and the project vocabulary.

The guide file names no place or person; the project (encrypted) holds the values.  The
vocabulary (with the placeholder values) helps transcription spell local names right.
"""

from __future__ import annotations

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.guides.model import PLACEHOLDER
from interviewkit.project import Project


def parse_assignment(item: str, where: str = "NAME=VALUE") -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not PLACEHOLDER.fullmatch("{" + name + "}"):
        raise InvalidInput(where, f"'{item}' is not NAME=VALUE", "e.g. municipality=Bodø (a name of letters, digits, _)",
                           code="placeholder.bad_item", params={"item": item})
    return name, value


def set_placeholder_values(project: Project, values: dict[str, str], unset: list[str] | None = None) -> dict[str, str]:
    """Set and remove placeholder values; return the project's values afterwards."""
    with project.writing() as change:
        current = project.index.study.placeholders
        for name in unset or []:
            if name not in current:
                raise NotFound(name, "no such placeholder value in the project", "see 'interviewkit guide values PROJECT'",
                               code="placeholder.not_found", params={"name": name})
            del current[name]
        current.update(values)
        change.log("study.placeholders", f"project:{project.marker.project_id}",
                   set=sorted(values), unset=sorted(unset or []))
    return dict(project.index.study.placeholders)


def set_vocabulary(project: Project, add: list[str], remove: list[str] | None = None) -> list[str]:
    """Add and remove words of the project vocabulary (the transcription prompt); return it after."""
    with project.writing() as change:
        words = project.index.study.vocabulary
        for word in remove or []:
            if word not in words:
                raise NotFound(word, "no such word in the project vocabulary", "see 'interviewkit vocabulary PROJECT'",
                               code="vocabulary.not_found", params={"word": word})
            words.remove(word)
        for word in add:
            word = " ".join(word.split())
            if not word:
                raise InvalidInput("--add", "the word is empty", "give a word or a name",
                                   code="vocabulary.empty_word", field="word")
            if word not in words:
                words.append(word)
        change.log("study.vocabulary", f"project:{project.marker.project_id}", added=len(add),
                   removed=len(remove or []))
    return list(project.index.study.vocabulary)
