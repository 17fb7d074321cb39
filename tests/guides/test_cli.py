"""`interviewkit guide …` as a user runs it: exit codes, output format, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from interviewkit.guides import shipped_guide

from .conftest import DATA, SHIPPED_VALUES

VALUES = [f"{name}={value}" for name, value in SHIPPED_VALUES.items()]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")} | {"CI": "true"}
    result = subprocess.run([sys.executable, "-m", "interviewkit", "guide", *args], capture_output=True, text=True,
                            env=env, cwd=cwd, stdin=subprocess.DEVNULL, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_check_clean_guides():
    paths = [str(shipped_guide(n)) for n in ("demo", "ungdom-tjenester-gruppe")]
    result = run("check", *paths, "--values", *VALUES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{paths[0]}: ok (4 sections, 8 questions)",
                                          f"{paths[1]}: ok (8 sections, 21 questions)"]
    assert result.stderr == ""


def test_check_a_shipped_guide_by_name():
    result = run("check", "employee-wellbeing-en")
    assert result.returncode == 0
    assert result.stdout.endswith("employee-wellbeing-en.yaml: ok (6 sections, 17 questions)\n")


def test_check_prints_every_problem_and_exits_1():
    path = DATA / "broken.yaml"
    result = run("check", str(path), "--values", "school=X")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 15 and result.stdout == ""
    assert lines[0] == f"{path}:3:11: unknown language 'norsk' — did you mean 'nb'? use 'nb', 'nn' or 'en'"
    assert f"{path}:22:5: unknown key 'qestions' — did you mean 'questions'?" in lines
    assert all(line.startswith(f"{path}:") and " — " in line for line in lines)


def test_check_without_values_skips_placeholders(tmp_path):
    guide = tmp_path / "g.yaml"
    guide.write_text("title: T\nsections:\n  - title: A\n    questions: ['I {municipality}?']\n")
    assert run("check", str(guide)).returncode == 0
    result = run("check", str(guide), "--values", "school=X")
    assert result.returncode == 1
    assert result.stderr == f"{guide}:4:17: placeholder {{municipality}} has no value — give it one: interviewkit " \
                            "guide values PROJECT municipality=…, or guide check --values municipality=…\n"


def test_values_are_stored_in_the_project(project_dir, cli_env):
    from tests.conftest import run_cli, scan_for

    out = run_cli(["guide", "values", str(project_dir), "municipality=Vågsøybygd", "school=Zyxskole"], cli_env).stdout
    assert "Vågsøybygd" in out
    out = run_cli(["guide", "values", str(project_dir), "--unset", "school"], cli_env).stdout
    assert "Zyxskole" not in out and "municipality" in out
    assert scan_for(project_dir, "Vågsøybygd") == []
    guide = project_dir.parent / "g.yaml"
    guide.write_text("title: T\nsections:\n  - title: A\n    questions: ['I {municipality}?']\n")
    assert run_cli(["guide", "check", str(guide), "--project", str(project_dir)], cli_env).returncode == 0


def test_check_missing_file_exits_2_with_one_line(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = run("check", str(missing))
    assert result.returncode == 2
    assert result.stderr == (f"interviewkit: {missing}: no such file — "
                             "check the path (guide list shows the shipped guides)\n")


def test_check_missing_file_among_good_ones_still_checks_the_others(tmp_path):
    result = run("check", str(tmp_path / "nope.yaml"), str(shipped_guide("demo")))
    assert result.returncode == 2 and "demo.yaml: ok" in result.stdout


def test_check_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Skole på ø\n".encode("latin-1"))
    result = run("check", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:1:15: the file is not UTF-8 (byte 0xe5 here) — save the file as UTF-8")


def test_bad_values_option_is_a_one_line_error():
    result = run("check", str(shipped_guide("demo")), "--values", "municipality")
    assert result.returncode == 2
    assert result.stderr == ("interviewkit: --values: 'municipality' is not NAME=VALUE — "
                             "e.g. municipality=Bodø (a name of letters, digits, _)\n")


def test_show_prints_readable_text():
    result = run("show", "ungdom-tjenester-individuelt", "--values", "municipality=Eksempelvik", "--width", "100")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Unge og kommunale tjenester – individuelt intervju\n")
    assert "Innledning (leses høyt)" in out and "{municipality}" not in out and "Eksempelvik" in out
    assert "\n1. Om deg og hverdagen din\n" in out
    assert "\n ! 1.1 Vil du fortelle litt om deg selv" in out  # priority mark, number
    assert "\n       – Hvor lenge har du bodd i Eksempelvik?\n" in out  # probes indented
    assert "\nAvslutning\n" in out and out.rstrip().endswith("? valgfritt")


def test_show_group_wording_and_ids():
    result = run("show", "demo", "--audience", "group", "--ids", "--width", "120")
    assert result.returncode == 0
    assert "1. Presentasjonsrunde   [om-deg · 3 min]" in result.stdout
    assert "Kan dere ta en runde" in result.stdout and "[hverdag]" in result.stdout
    assert "mangler verdi: {municipality}" in result.stdout  # no values given: shown, not an error


def test_show_broken_guide_is_one_line_exit_2():
    result = run("show", str(DATA / "broken.yaml"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "(and 13 more)" in result.stderr


def test_list():
    result = run("list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "LANGUAGE", "AUDIENCE", "TITLE"]
    rows = {line.split()[0]: line.split()[1:3] for line in lines[1:]}
    assert rows == {"demo": ["nb", "both"], "employee-wellbeing-en": ["en", "both"],
                    "ungdom-tjenester-gruppe": ["nb", "group"], "ungdom-tjenester-individuelt": ["nb", "individual"]}


def test_copy_brings_the_base_and_the_schema(tmp_path):
    result = run("copy", "ungdom-tjenester-gruppe", str(tmp_path / "mine"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "mine").iterdir())
    assert names == ["guide.schema.json", "ungdom-tjenester-gruppe.yaml", "ungdom-tjenester-individuelt.yaml"]
    assert run("check", str(tmp_path / "mine" / "ungdom-tjenester-gruppe.yaml")).returncode == 0
    again = run("copy", "ungdom-tjenester-gruppe", str(tmp_path / "mine"))
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("args", [["check"], ["show"], ["nope"], ["show", "demo", "demo"]])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_values_before_the_file():
    result = run("check", "--values", "municipality=X", str(shipped_guide("demo")))
    assert result.returncode == 0 and "demo.yaml: ok" in result.stdout


def test_values_from_a_project(project):
    from tests.conftest import PASSPHRASE

    with project.writing() as change:
        project.index.study.placeholders["municipality"] = "Prosjektvik"
        change.log("study.placeholders", "municipality")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")}
    result = subprocess.run([sys.executable, "-m", "interviewkit", "guide", "show", "demo", "--project",
                             str(project.root)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                            env=env | {"INTERVIEWKIT_PASSPHRASE": PASSPHRASE, "CI": "true"})
    assert result.returncode == 0, result.stderr
    assert "Prosjektvik" in result.stdout and "{municipality}" not in result.stdout
    checked = run("check", "demo", "--project", str(project.root))  # no passphrase: one line, exit 2
    assert checked.returncode == 2 and checked.stderr.count("\n") == 1 and "INTERVIEWKIT_PASSPHRASE" in checked.stderr
