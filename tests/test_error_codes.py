"""Core errors carry a stable code: the CLI keeps its English line (flags, commands), the TUI
renders the code from the catalogs in its language (fields, keys; never a flag or command)."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest

import interviewkit
from interviewkit.errors import InterviewkitError, InvalidInput, NotFound, ProjectLocked, WrongPassphrase
from interviewkit.i18n import CATALOGS, format_number
from interviewkit.study import parse_date
from interviewkit.tui.errors import render_error, render_error_line, without_cli

PACKAGE = Path(interviewkit.__file__).parent
CODE_SHAPE = re.compile(r"[a-z_]+\.[a-z_.]+")
CLI = ("--", "interviewkit ")


def codes_in_code_base() -> set[str]:
    """Every error code in the package: the strings in a ``code=`` argument (also in a conditional
    expression) and the class-wide ``code = "…"`` of error classes."""
    import ast

    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.keyword) and node.arg == "code":
                values = [node.value]
            elif isinstance(node, ast.ClassDef):
                values = [item.value for item in node.body if isinstance(item, ast.Assign)
                          and any(isinstance(t, ast.Name) and t.id == "code" for t in item.targets)]
            for value in values:
                found.update(c.value for c in ast.walk(value) if isinstance(c, ast.Constant)
                             and isinstance(c.value, str) and CODE_SHAPE.fullmatch(c.value))
    return found


def catalog_codes() -> set[str]:
    return {key[len("error."):] for key in CATALOGS["en"] if key.startswith("error.")
            and key not in ("error.unexpected", "error.settings", "error.and_more")}


def sample_params(text: str) -> dict[str, str]:
    return {name: f"<{name}>" for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_codes() -> None:
    codes = codes_in_code_base()
    assert {"input.bad_date", "vault.wrong_passphrase", "vault.locked", "transcript.not_transcribed",
            "audio.withdrawn", "audio.ambiguous_device", "audio.no_output_device"} <= codes
    assert len(codes) > 80


def test_every_code_in_the_code_base_has_both_translations() -> None:
    missing = sorted(code for code in codes_in_code_base()
                     if f"error.{code}" not in CATALOGS["en"] or f"error.{code}" not in CATALOGS["nb"])
    assert not missing, missing


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_catalog_code_renders_without_flags_or_commands(lang: str) -> None:
    codes = catalog_codes()
    assert len(codes) > 80
    for code in sorted(codes):
        text = CATALOGS[lang][f"error.{code}"]
        error = InvalidInput("--some-flag", "a problem", "run 'interviewkit x --y'", code=code,
                             params=sample_params(text))
        shown = render_error(error, lang)
        assert not any(word in shown for word in CLI), (code, shown)
        assert "{" not in shown and "<" in shown or not sample_params(text), (code, shown)
    for key, text in CATALOGS[lang].items():
        if key.startswith(("error.", "field.")):
            assert not any(word in text for word in CLI), key


def test_cli_line_is_unchanged_and_tui_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date("1.12.26", "--date")
    error = caught.value
    assert str(error) == "--date: '1.12.26' is not a date — write it as YYYY-MM-DD, e.g. 2027-06-30"
    assert error.code == "input.bad_date" and error.field == "date" and error.params == {"value": "1.12.26"}
    assert render_error(error, "nb") == "Dato: «1.12.26» er ikke en dato – skriv den som ÅÅÅÅ-MM-DD, f.eks. 2027-06-30"
    assert render_error(error, "en").startswith("Date: '1.12.26' is not a date")


def test_class_default_codes() -> None:
    assert WrongPassphrase("x", "wrong passphrase").code == "vault.wrong_passphrase"
    locked = ProjectLocked("/p", "the project is being written by pid 7", "wait", params={"holder": "pid 7"})
    assert "pid 7" in render_error(locked, "nb") and "skrives av" in render_error(locked, "nb")


def test_an_uncoded_error_never_shows_a_flag_or_command() -> None:
    error = NotFound("--resume", "no take 'abc' in session S01",
                     "see the takes with 'interviewkit record PROJECT SESSION'")
    assert error.code == ""
    for lang in ("en", "nb"):
        shown = render_error(error, lang)
        assert not any(word in shown for word in CLI), shown
        assert "no take 'abc' in session S01" in shown
    assert render_error(error, "nb").startswith("Opptak som skal fortsettes:")
    plain = InterviewkitError("/some/file.age", "cannot read it", "check the file's permissions")
    assert render_error(plain, "en") == "/some/file.age: cannot read it — check the file's permissions"
    assert without_cli("give --to NEW_CODE", "en") == "give 'New speaker code' NEW_CODE"


def test_a_guide_error_renders_every_problem() -> None:
    from interviewkit.guides.problems import GuideError, GuideProblem

    error = GuideError([GuideProblem("g.yaml", 3, 1, "placeholder {x} has no value",
                                     "give it one: interviewkit guide values PROJECT x=…"),
                        GuideProblem("g.yaml", 5, 2, "unknown key 'foo'")])
    lines = render_error(error, "nb").splitlines()
    assert lines == ["g.yaml:3:1: placeholder {x} has no value", "g.yaml:5:2: unknown key 'foo'"]
    assert render_error_line(error, "nb").endswith("(og 1 til)")


def test_decimal_comma_in_bokmal() -> None:
    assert format_number(1.25, "nb", ".2f") == "1,25"
    assert format_number(1.25, "en", ".2f") == "1.25"
    assert format_number(7.5, "nb") == "7,5"


def _error_classes(trees: list) -> set[str]:
    """The names of InterviewkitError and every class that derives from it (by name, statically)."""
    import ast

    bases: dict[str, set[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr for b in node.bases if isinstance(b, (ast.Name, ast.Attribute)))
    found = {"InterviewkitError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _class_codes(trees: list) -> set[str]:
    import ast

    coded = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in item.targets)
                            and isinstance(item.value, ast.Constant) and item.value.value):
                        coded.add(node.name)
    return coded


def test_core_errors_that_name_a_flag_or_command_have_a_code() -> None:
    """Outside the CLI, an error naming a flag (``--date``) or a command (``interviewkit …``) carries a code,
    so that the TUI can say it in its own words."""
    import ast

    paths = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in paths}
    classes = _error_classes(list(trees.values()))
    coded_classes = _class_codes(list(trees.values()))
    uncoded = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes):
                continue
            if node.func.id in coded_classes or any(k.arg in ("code", None) for k in node.keywords):
                continue
            texts = [c.value for arg in node.args for c in ast.walk(arg)
                     if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            first = node.args[0] if node.args else None
            flag = isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("--")
            if flag or any(re.search(r"\binterviewkit [a-z]", text) for text in texts):
                uncoded.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not uncoded, uncoded


# Error classes whose raise sites need no code: a guide error carries a list of problems (with
# line and column), and the TUI renders each problem itself (``render_error_lines``).
UNCODED_CLASSES = {"GuideError", "GuideUnreadable"}


def _codes_in_init(trees: list) -> set[str]:
    """Error classes whose ``__init__`` passes a ``code=`` on (every instance has one)."""
    import ast

    coded = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__" and any(
                            isinstance(k, ast.keyword) and k.arg == "code" for k in ast.walk(item)):
                        coded.add(node.name)
    return coded


def uncoded_core_errors() -> list[str]:
    """Every place in the core (outside the CLI and TUI shells) that makes an error without a code:
    ``file:line: Class``."""
    import ast

    paths = [p for p in PACKAGE.rglob("*.py") if not {"cli", "tui"} & set(p.relative_to(PACKAGE).parts)]
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")}
    classes = _error_classes(list(trees.values()))
    coded = _class_codes(list(trees.values())) | _codes_in_init(list(trees.values())) | UNCODED_CLASSES
    uncoded = []
    for path in paths:
        for node in ast.walk(trees[path]):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in classes or name in coded or any(k.arg in ("code", None) for k in node.keywords):
                continue
            uncoded.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}")
    return uncoded


def test_every_core_error_has_a_code() -> None:
    """In bokmål the TUI would show an uncoded core error's English text: every error the core
    makes carries a code (and the test above checks both catalogs have it)."""
    assert not uncoded_core_errors()


def test_the_uncoded_scan_finds_an_uncoded_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "interviewkit"
    (package / "audio").mkdir(parents=True)
    (package / "errors.py").write_text("class InterviewkitError(Exception): ...\n"
                                       "class VaultCorrupt(InterviewkitError): ...\n")
    (package / "audio" / "store.py").write_text(
        "from interviewkit import errors\n"
        "class AudioError(errors.VaultCorrupt): ...\n"
        "def f():\n"
        "    raise AudioError('p', 'broken', 'restore it', code='audio.x')\n"
        "def g():\n"
        "    raise errors.VaultCorrupt('p', 'broken', 'restore it')\n"
        "def h():\n"
        "    raise AudioError('p', 'broken')\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    assert uncoded_core_errors() == ["audio/store.py:6: VaultCorrupt", "audio/store.py:8: AudioError"]


@pytest.mark.parametrize("lang, shown", [
    ("en", "Deletion policy: unknown action 'shred' — use one of delete-at-end, anonymise-at-end, archive, keep"),
    ("nb", "Sletteregler: ukjent handling «shred» – bruk en av delete-at-end, anonymise-at-end, archive, keep"),
])
def test_a_newly_coded_error_speaks_the_interface_language(lang: str, shown: str) -> None:
    from interviewkit.study import DeletionPolicy

    with pytest.raises(InvalidInput) as caught:
        DeletionPolicy(audio="shred")
    assert str(caught.value) == ("deletion policy (audio): unknown action 'shred' — "
                                 "use one of delete-at-end, anonymise-at-end, archive, keep")
    assert render_error(caught.value, lang) == shown
