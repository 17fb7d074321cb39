"""Every hint points somewhere that exists: an ``interviewkit …`` command quoted in a hint is a real
command of the CLI parser, and no hint sends the user to a Python function (``resume_rotation``).

The hints are the ``hint`` of every error made in the package (found by an AST scan, like
tests/test_error_codes.py), every string assigned to a ``hint`` variable or passed as ``hint=``, a
guide problem's and a verify problem's hint, a status warning, and every ``error.<code>`` text of
both catalogs.  Besides, every ``interviewkit <command> <subcommand>`` anywhere in the package's
strings (usage, advice, docstrings) names a subcommand that exists."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

import interviewkit
from interviewkit.cli import build_parser
from interviewkit.i18n import CATALOGS
from tests.test_error_codes import _error_classes

PACKAGE = Path(interviewkit.__file__).parent

# Commands another change of the same issue adds at the same time: allowed before they exist.
# `keys resume PROJECT` finishes an interrupted recipient change (issue #15, point 5).
PLANNED_COMMANDS = {("keys", "resume")}
# snake_case words a hint may name because they are not Python: a spaCy model to install.
NOT_PYTHON = {"nb_core_news_md"}

# "the interviewkit package", "an interviewkit project": the program's name, not a command.
COMMAND = re.compile(r"(?<!the )(?<!an )\binterviewkit((?: +[^\s'\"(),;:]+)+)")
QUOTED = re.compile(r"'([a-z][a-z-]*(?: +[^\s']+)*)'")
WORD = re.compile(r"[a-z][a-z-]*")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-zA-Z_][a-zA-Z0-9_]*\(\)")


def _texts(node: ast.AST) -> list[str]:
    """The texts an expression can evaluate to; what is computed at run time becomes ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left in _texts(node.left) for right in _texts(node.right)]
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [text for value in node.values for text in _texts(value)]
    return ["{}"]


def code_hints() -> list[tuple[str, str]]:
    """``(place, hint text)`` for every hint in the package's code."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")}
    classes = _error_classes(list(trees.values()))
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            expressions: list[ast.AST] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                position = {**dict.fromkeys(classes, 2), "GuideProblem": 4, "VerifyProblem": 2}.get(name)
                if position is not None and len(node.args) > position:
                    expressions.append(node.args[position])
                expressions += [k.value for k in node.keywords if k.arg == "hint"]
                if name == "append" and getattr(node.func.value, "attr", None) == "warnings":
                    expressions += node.args  # a status row's warning says what to do
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "hint" for t in targets):
                    expressions.append(node.value)
            elif isinstance(node, ast.Dict):
                expressions += [value for key, value in zip(node.keys, node.values)
                                if isinstance(key, ast.Constant) and key.value == "hint"]
            place = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            found += [(place, text) for expression in expressions for text in _texts(expression)]
    return found


def catalog_hints() -> list[tuple[str, str]]:
    return [(f"{lang}:{key}", text) for lang, catalog in CATALOGS.items() if lang in ("en", "nb")
            for key, text in catalog.items() if key.startswith("error.")]


def command_tree() -> dict[tuple[str, ...], set[str]]:
    """Each command path of the real parser, and the subcommands under it (empty: a leaf)."""
    tree: dict[tuple[str, ...], set[str]] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        tree[path] = set()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    tree[path].add(name)
                    walk(child, (*path, name))

    walk(build_parser(), ())
    return tree


def unknown_command(words: list[str], tree: dict[tuple[str, ...], set[str]]) -> str | None:
    """The command path in ``words`` (after ``interviewkit``) if it does not exist, else None.  The
    path ends at the first word that is not a command word (PROJECT, {}, --flag, a file)."""
    path: tuple[str, ...] = ()
    for word in words:
        alternatives = word.split("/")  # 'keys add-recipient/remove-recipient'
        if not tree.get(path) or not all(WORD.fullmatch(one) for one in alternatives):
            return None
        for one in alternatives:
            if one not in tree[path] and (*path, one) not in PLANNED_COMMANDS:
                return " ".join((*path, one))
        if len(alternatives) > 1 or word not in tree[path]:
            return None
        path = (*path, word)
    return None


def problems_in(text: str, tree: dict[tuple[str, ...], set[str]]) -> list[str]:
    problems = []
    for match in COMMAND.finditer(text):
        wrong = unknown_command(match.group(1).split(), tree)
        if wrong:
            problems.append(f"no command 'interviewkit {wrong}'")
    for match in QUOTED.finditer(text):
        words = match.group(1).split()
        if len(words) > 1 and words[0] in tree[()] and words[0] != "interviewkit":
            wrong = unknown_command(words, tree)
            if wrong:
                problems.append(f"no command 'interviewkit {wrong}'")
    problems += [f"names Python '{word}'" for word in IDENTIFIER.findall(text) if word not in NOT_PYTHON]
    return problems


def test_the_scan_finds_the_hints() -> None:
    hints = code_hints()
    assert len(hints) > 150
    texts = [text for _, text in hints]
    assert any("interviewkit models check" in text for text in texts)  # a call's hint argument
    assert any("record their consent to audio first" in text for text in texts)  # a `hint =` variable
    assert any(place.startswith("guides/") for place, _ in hints)  # a guide problem's hint
    assert len(catalog_hints()) > 300


def test_the_check_catches_a_wrong_hint() -> None:
    tree = command_tree()
    assert problems_in("finish it first (resume_rotation, with the new passphrase)", tree) == [
        "names Python 'resume_rotation'"]
    assert problems_in("run 'interviewkit keys rotate-key PROJECT'", tree) == [
        "no command 'interviewkit keys rotate-key'"]
    assert problems_in("see 'audio lists'", tree) == ["no command 'interviewkit audio lists'"]
    assert problems_in("call rotate() first", tree) == ["names Python 'rotate()'"]
    assert problems_in("run 'interviewkit archive resume-rotation PROJECT' (or interviewkit models check)", tree) == []
    assert problems_in("see 'interviewkit audio list {} {}'; the interviewkit package", tree) == []
    assert problems_in("interviewkit interview summary PROJECT SESSION -o FILE.md", tree) == []
    assert problems_in("repeat the last 'interviewkit keys add-recipient/remove-recipient'", tree) == []
    assert problems_in("repeat 'interviewkit keys add-recipient/rewrap'", tree) == [
        "no command 'interviewkit keys rewrap'"]
    assert problems_in("not an interviewkit project", tree) == []


@pytest.mark.parametrize("source", ["code", "catalogs"])
def test_every_hint_names_a_command_that_exists_and_no_python(source: str) -> None:
    tree = command_tree()
    hints = code_hints() if source == "code" else catalog_hints()
    wrong = [f"{place}: {problem}: {text}" for place, text in hints for problem in problems_in(text, tree)]
    assert not wrong, "\n".join(wrong)


def misnamed_subcommands(package: Path, tree: dict[tuple[str, ...], set[str]]) -> list[str]:
    """Usage lines, advice and docstrings too: where ``interviewkit`` is followed by a command, the
    words after it must be that command's subcommands (prose such as "interviewkit keeps them" is
    not a command and is left alone).  ``file:line: …`` for each that is not."""
    wrong = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Constant | ast.JoinedStr):
                continue
            for text in _texts(node):
                for match in COMMAND.finditer(text):
                    words = match.group(1).split()
                    if words[0] in tree[()] and (missing := unknown_command(words, tree)):
                        wrong.append(f"{path.relative_to(package)}:{node.lineno}: no command 'interviewkit {missing}'")
    return wrong


def test_every_subcommand_named_anywhere_in_the_package_exists(tmp_path: Path) -> None:
    tree = command_tree()
    (tmp_path / "usage.py").write_text('"""Run interviewkit keys rotate PROJECT; interviewkit keeps it."""\n')
    assert misnamed_subcommands(tmp_path, tree) == ["usage.py:1: no command 'interviewkit keys rotate'"]
    wrong = misnamed_subcommands(PACKAGE, tree)
    assert not wrong, "\n".join(wrong)


PAGE_KEY = {"en": re.compile(r"\((\S+) on the project page\)"), "nb": re.compile(r"\((\S+) på prosjektsiden\)")}


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_key_a_hint_names_on_the_project_page_is_bound_there(lang: str) -> None:
    from interviewkit.tui.screens.home import HomeScreen

    bound = {key for binding in HomeScreen.BINDINGS for key in binding.key.split(",")}
    named = [(key, match.group(1)) for key, text in CATALOGS[lang].items()
             for match in PAGE_KEY[lang].finditer(text)]
    assert len(named) >= 3
    assert not [f"{key}: '{letter}'" for key, letter in named if letter not in bound]
