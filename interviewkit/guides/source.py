"""From bytes to a YAML node tree, with every failure turned into a located problem.

PyYAML's node API (``yaml.compose``) keeps the line and column of every key and value, so
the checks that follow can point at the exact place.  libyaml's parser is used when it is
available (it is many times faster); on a syntax error the pure-Python parser runs again
for its clearer messages.  A text's events are checked against the bounds
(``interviewkit.guides.bounds``) before its node tree is built.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
from collections.abc import Iterator

import yaml
from yaml.nodes import Node

from interviewkit.guides.bounds import BoundExceeded, check_events
from interviewkit.guides.problems import GuideProblem

FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

UTF8_HINT = "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a node tree is built and walked.

    A large guide makes hundreds of thousands of small objects (nodes, marks) that are all
    alive at once; the collector then runs again and again over them for nothing (a
    10 000-question guide: 2 s with it, 0.5 s without).  Nothing here makes cycles that
    need it, and it is switched back on at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode(data: bytes, file: str) -> tuple[str | None, GuideProblem | None]:
    """The text of a UTF-8 file (a byte-order mark is dropped), or the place of the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, GuideProblem(file, 1, 1, "the file is UTF-16, not UTF-8", UTF8_HINT)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        byte = data[start]
        return None, GuideProblem(file, line, column, f"the file is not UTF-8 (byte 0x{byte:02x} here)", UTF8_HINT)


def compose(text: str, file: str) -> tuple[Node | None, GuideProblem | None]:
    """The root node of a single-document YAML text, or the syntax problem.

    Raises ``GuideRefused`` when the text crosses a bound (``interviewkit.guides.bounds``).
    """
    try:
        try:
            check_events(yaml.parse(text, Loader=FastLoader))
            return yaml.compose(text, Loader=FastLoader), None
        except yaml.YAMLError:
            pass
        try:  # again, for the pure-Python parser's messages
            check_events(yaml.parse(text, Loader=yaml.SafeLoader))
            return yaml.compose(text, Loader=yaml.SafeLoader), None
        except yaml.YAMLError as error:
            return None, syntax_problem(error, text, file)
    except BoundExceeded as exceeded:
        raise exceeded.refusal(file) from None


def syntax_problem(error: yaml.YAMLError, text: str, file: str) -> GuideProblem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        char = error.character if isinstance(error.character, str) else chr(error.character)
        return GuideProblem(file, line, column, f"the file holds a control character (U+{ord(char):04X})",
                            "delete it; it is often pasted in from another program")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return GuideProblem(file, line, column, message, _syntax_hint(problem, context, text, mark))


def _syntax_hint(problem: str, context: str | None, text: str, mark) -> str:
    where = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "'\\t'" in problem or "\t" in where[: mark.column + 1 if mark else 0]:
        return "indent with spaces, not tabs"
    if "another document" in problem:
        return "a guide is one YAML document: remove the '---' line"
    if "mapping values are not allowed" in problem:
        return "a text that contains ': ' must be in quotes, e.g. text: \"Tid: hvor lang tid tok det?\""
    if context and "flow" in context or where.lstrip(" -").split(":", 1)[-1].strip().startswith(("{", "[")):
        return "a text that starts with '{' or '[' must be in quotes, e.g. text: \"{municipality} …\""
    if "quoted scalar" in (context or ""):
        return "close the quote; inside '…' write '' for a single quote, inside \"…\" write \\\""
    if "block mapping" in (context or "") or "block collection" in (context or ""):
        return "check the indentation: keys of the same mapping line up, list items start with '- '"
    return "check the indentation and quoting on this line and the one before"
