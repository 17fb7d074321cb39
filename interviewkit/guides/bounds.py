"""The bounds a guide file is read and parsed within, so that no file can exhaust memory,
time or the stack: a 254 KB YAML whose aliases repeat one another (a "billion laughs"),
``base: /dev/zero``, a pipe that never ends, a list nested 100 000 levels deep.

    read_guide_file(path) -> bytes       at most MAX_GUIDE_BYTES, and only from a regular file
    read_guide_text(path) -> str         the same, as text (UTF-8)
    check_events(events)                 a YAML text's events within nesting, alias and size bounds

Each bound that is crossed is a ``GuideRefused`` (one line naming the file, the line where
known, what is wrong and what to do); nothing is read or built beyond it.  A real guide is a
few pages: it is nowhere near any of these bounds.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from yaml.error import Mark
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, Event, ScalarEvent

from interviewkit.guides.problems import GuideProblem, GuideRefused

MAX_GUIDE_BYTES = 5 * 1024 * 1024  # every guide file and every file of its base: chain
MAX_BASE_DEPTH = 10  # guides in one base: chain, the guide itself included
MAX_NESTING = 100  # levels of lists and keys within one another
MAX_ALIASES = 100  # alias references (*name) in one file
MAX_NODES = 200_000  # values in one file, an alias counted as everything it repeats

_READ_CHUNK = 1024 * 1024


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_guide_file(path: Path) -> bytes:
    """The bytes of a guide file.

    Only a regular file is read (a folder, a device such as ``/dev/zero``, a pipe or a socket is
    refused before it is opened, and again after: the path may have changed in between), and
    never more than ``MAX_GUIDE_BYTES`` + 1 bytes, so that a file that grows while it is read
    cannot get round the bound.  A pipe is opened non-blocking, so it cannot hang the caller.

    Raises ``GuideRefused``; ``OSError`` (missing, no permission) as it comes.
    """
    _check_file(path, os.stat(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        _check_file(path, os.fstat(descriptor))
        chunks: list[bytes] = []
        left = MAX_GUIDE_BYTES + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(descriptor)
    if left <= 0:
        raise _too_large(path)
    return b"".join(chunks)


def read_guide_text(path: Path) -> str:
    """The text of a guide file as ``Path.read_text(encoding="utf-8-sig")`` gives it (a byte-order
    mark dropped, every line ending a ``\\n``), read within the bounds of ``read_guide_file``.

    Raises ``GuideRefused``; ``OSError`` and ``UnicodeDecodeError`` as they come.
    """
    text = read_guide_file(path).decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_file(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise GuideRefused(GuideProblem(str(path), 0, 0, "is a folder, not a guide file", "name a .yaml file"),
                           code="guide.is_folder")
    if not stat.S_ISREG(info.st_mode):
        raise GuideRefused(GuideProblem(str(path), 0, 0, f"is not a regular file ({_kind(info.st_mode)})",
                                        "a guide, and every guide it names in base:, is a .yaml file"),
                           code="guide.not_a_file")
    if info.st_size > MAX_GUIDE_BYTES:
        raise _too_large(path)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def _too_large(path: Path) -> GuideRefused:
    limit = megabytes(MAX_GUIDE_BYTES)
    return GuideRefused(GuideProblem(str(path), 0, 0, f"the file is larger than {limit}",
                                     "an interview guide is a few pages of text: check that this is the right file"),
                        code="guide.too_large", params={"limit": limit})


class BoundExceeded(Exception):
    """A bound was crossed in a YAML text (turned into a ``GuideRefused`` with the file's name)."""

    def __init__(self, mark: Mark, message: str, hint: str, code: str, limit: int) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint
        self.code = code
        self.limit = limit

    def refusal(self, file: str) -> GuideRefused:
        problem = GuideProblem(file, self.mark.line + 1, self.mark.column + 1, self.message, self.hint)
        return GuideRefused(problem, code=self.code, params={"limit": f"{self.limit:,}".replace(",", " ")})


def check_events(events: Iterable[Event]) -> None:
    """Walk a YAML text's events (from either parser) and stop at the first bound crossed:
    nesting depth, alias references, and the values the node tree would hold with every alias
    counted as all it repeats (what a walk over the tree visits).

    Nothing is built: a bomb costs no more than its first ``MAX_NODES`` events, and a text
    within the bounds is then composed by the parser's own (fast) composer.  Raises
    ``BoundExceeded``; the parser's ``YAMLError`` as it comes.
    """
    values = 0
    aliases = 0
    sizes: dict[str, int] = {}  # anchor → the values its node holds, aliases expanded
    open_collections: list[tuple[int, str | None]] = []  # (values before it, its anchor)
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            values += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, CollectionStartEvent):
            if len(open_collections) >= MAX_NESTING:
                raise BoundExceeded(event.start_mark, f"lists and keys are nested more than {MAX_NESTING} levels deep",
                                    "a guide needs only a few levels: check the brackets and the indentation",
                                    "guide.too_deep", MAX_NESTING)
            open_collections.append((values, event.anchor))
            values += 1
        elif isinstance(event, CollectionEndEvent):
            before, anchor = open_collections.pop()
            if anchor is not None:
                sizes[anchor] = values - before
        elif kind is AliasEvent:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise BoundExceeded(event.start_mark, f"more than {MAX_ALIASES} aliases (*name)",
                                    "write the repeated parts out instead of repeating them with aliases",
                                    "guide.too_many_aliases", MAX_ALIASES)
            values += sizes.get(event.anchor, 1)  # an undefined alias: the composer reports it
        else:
            continue
        if values > MAX_NODES:
            raise BoundExceeded(event.start_mark, f"the guide holds more than {MAX_NODES:,} values "
                                "(an alias counts as all it repeats)",
                                "split it into smaller guides, and write repeated parts out instead of using aliases",
                                "guide.too_many_values", MAX_NODES)
