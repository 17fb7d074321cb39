"""The TUI's rendering of core errors: in the interface's language, naming form fields and
keys, never a command-line flag (``--date``) or command (``interviewkit transcribe …``).

An error with a ``code`` is looked up as ``error.<code>`` in the catalogs and formatted with
its ``params`` (and ``where``); its ``field`` is named by ``field.<field>``.  An error without
a code (or whose code the catalog lacks) falls back to its English problem, with any flag in
it replaced by the field's name and a hint that names a flag or command left out.  The CLI
keeps printing ``error.line()`` (``interviewkit.errors``).
"""

from __future__ import annotations

import re

from interviewkit.errors import InterviewkitError
from interviewkit.i18n import CATALOGS, DEFAULT_LANGUAGE, t

FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")
COMMAND = re.compile(r"""['"(]?\binterviewkit\s+[a-z][^'")—;,]*['")]?""")
CLI_WORDS = ("--", "interviewkit ", "PROJECT", "INTERVIEWKIT_PASSPHRASE", "python -m", "pip install")


def field_label(field: str, lang: str) -> str:
    """The name of a form field (or of the value a flag gives) in ``lang``."""
    key = f"field.{field}"
    if key in CATALOGS.get(lang, {}) or key in CATALOGS[DEFAULT_LANGUAGE]:
        return t(key, lang)
    return field.replace("-", " ").replace("_", " ")


def names_cli(text: str) -> bool:
    """True if ``text`` names a command-line flag, command or argument placeholder."""
    return any(word in text for word in CLI_WORDS)


def without_cli(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``text`` with flags replaced by field names and commands left out (for core text that
    was written for the CLI and has no code)."""
    text = FLAG.sub(lambda match: f"«{field_label(match.group(1), lang)}»" if lang == "nb"
                    else f"'{field_label(match.group(1), lang)}'", text)
    text = COMMAND.sub("", text)
    return re.sub(r"\s+([,;:)])", r"\1", re.sub(r"\(\s*\)|\s{2,}", " ", text)).strip(" ,;:—")


def _place(error: InterviewkitError, lang: str) -> str:
    if error.field:
        return field_label(error.field, lang)
    return without_cli(error.where, lang) if error.where else ""


def _message(error: InterviewkitError, lang: str) -> str:
    key = f"error.{error.code}"
    if error.code and (key in CATALOGS.get(lang, {}) or key in CATALOGS[DEFAULT_LANGUAGE]):
        return t(key, lang, **{"where": error.where, "problem": error.problem, **error.params})
    return _fallback(error.problem, error.hint, lang)


def _fallback(problem: str, hint: str, lang: str) -> str:
    text = without_cli(problem, lang)
    if hint and not names_cli(hint):
        text += f" — {hint}"
    return text


def render_error_lines(error: InterviewkitError, lang: str) -> list[str]:
    """Every line of ``error`` as the TUI shows it (one for most errors; a broken guide has many)."""
    problems = getattr(error, "problems", None)
    if problems and not error.code and all(hasattr(p, "message") and hasattr(p, "where") for p in problems):
        return [f"{without_cli(p.where, lang)}: {_fallback(p.message, p.hint, lang)}" for p in problems]
    place = _place(error, lang)
    message = _message(error, lang)
    return [f"{place}: {message}" if place else message]


def render_error(error: InterviewkitError, lang: str) -> str:
    """``error`` as the TUI shows it, in ``lang``: one line per problem."""
    return "\n".join(render_error_lines(error, lang))


def render_error_line(error: InterviewkitError, lang: str) -> str:
    """The first line of ``error`` as the TUI shows it, plus "(and N more)" for a guide's many."""
    lines = render_error_lines(error, lang)
    if len(lines) > 1:
        return f"{lines[0]} {t('error.and_more', lang, count=len(lines) - 1)}"
    return lines[0]
