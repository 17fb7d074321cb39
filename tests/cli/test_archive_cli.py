"""`interviewkit archive …` through the real CLI over the generated archive (tests/archive/conftest.py)."""

from __future__ import annotations

import json
import subprocess

from tests.archive.conftest import archive, archive_template  # noqa: F401 (fixtures)
from tests.conftest import assert_user_error, run_cli

TODAY = "2026-11-22"


def steward(archive, *args: str) -> list[str]:  # noqa: F811
    return [*args, "--identity", str(archive.steward_key)]


def test_status_verify_due_apply(archive, cli_env) -> None:  # noqa: F811
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    root = str(archive.root)
    rows = json.loads(run_cli(steward(archive, "archive", "status", root, "--format", "json", "--today", TODAY),
                              cli_env).stdout)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"alpha", "beta", "gamma", "delta"}
    assert by_name["delta"]["problem"] and by_name["alpha"]["title"].startswith("Alpha")
    assert by_name["beta"]["consent"]["withdrawn"] == 1 and by_name["alpha"]["steward_is_recipient"]
    table = run_cli(steward(archive, "archive", "status", root, "--today", TODAY), cli_env).stdout
    assert "MISSING" in table  # gamma has no approval reference

    verify = run_cli(steward(archive, "archive", "verify", root), cli_env, check=False)
    assert verify.returncode == 1 and "Traceback" not in verify.stderr
    lines = verify.stdout.splitlines()
    assert any(line.endswith("alpha: OK") for line in lines) and any(line.endswith("beta: OK") for line in lines)
    assert any("gamma: " in line and "problems" in line for line in lines)

    due = run_cli(steward(archive, "archive", "due", root, "--today", TODAY), cli_env).stdout
    assert "alpha" in due and "delete audio" in due and "beta" not in due.split("skipped")[0]
    assert "skipped:" in due  # delta, encrypted to someone else

    assert_user_error(run_cli(steward(archive, "archive", "apply", root, "--due", "--today", TODAY), cli_env,
                              check=False), "--yes")
    applied = run_cli(steward(archive, "archive", "apply", root, "--due", "--today", TODAY, "--yes",
                              "--unreviewed-ok"), cli_env, check=False)
    assert "Traceback" not in applied.stderr
    alpha = archive.open("alpha")
    assert not list((alpha.root / "sessions").rglob("audio/*"))  # the audio is gone …
    actions = [e.action for e in alpha.verify_audit()[0]]
    assert "audio.delete" in actions and "retention.apply" in actions and not alpha.verify_audit()[1]
    again = run_cli(steward(archive, "archive", "due", root, "--today", TODAY), cli_env).stdout
    assert "alpha" not in again.split("skipped")[0]


def test_recipients_report_and_rotation(archive, cli_env, tmp_path) -> None:  # noqa: F811
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    root = str(archive.root)
    made = subprocess.run(["age-keygen", "-o", str(tmp_path / "new.txt")], capture_output=True, text=True, check=True)
    new_key = made.stderr.split("Public key:")[1].strip()
    out = run_cli(steward(archive, "archive", "add-recipient", root, new_key), cli_env, check=False).stdout
    assert "alpha: done" in out and "beta: done" in out and "delta: skipped" in out
    report = run_cli(steward(archive, "archive", "report", str(archive.project_path("beta"))), cli_env).stdout
    assert "222222" in report and "Dina Deltaker" not in report and "Dag Deltaker" not in report
    cli_env["INTERVIEWKIT_NEW_PASSPHRASE"] = "a-brand-new-passphrase"
    rotated = run_cli(["archive", "rotate-key", str(archive.project_path("beta")), "--identity",
                       str(archive.keys / "beta.txt")], cli_env).stdout
    assert "New project key" in rotated
    cli_env["INTERVIEWKIT_PASSPHRASE"] = "a-brand-new-passphrase"
    assert "S01" in run_cli(["session", "list", str(archive.project_path("beta"))], cli_env).stdout
    old = subprocess.run(["age", "-d", "-i", str(archive.keys / "beta.txt"),
                          str(archive.project_path("beta") / "index.age")], capture_output=True)
    assert old.returncode != 0  # the old project key opens nothing any more


def test_a_project_another_steward_is_writing_is_reported_and_the_rest_go_on(archive, cli_env) -> None:  # noqa: F811
    from interviewkit.vault.lock import ProjectLock

    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    gamma = archive.project_path("gamma")
    with ProjectLock(gamma):  # a second steward is applying to gamma right now
        applied = run_cli(steward(archive, "archive", "apply", str(archive.root), "--due", "--today", TODAY, "--yes",
                                  "--unreviewed-ok"), cli_env, check=False)  # all of alpha's actions may go
    assert applied.returncode == 1 and "Traceback" not in applied.stderr
    assert any(line.startswith("gamma: not done:") and "being written by" in line for line in applied.stdout.splitlines())
    assert any(line.startswith("alpha: ") and "not done" not in line for line in applied.stdout.splitlines())
    assert not list((archive.project_path("alpha") / "sessions").rglob("audio/*"))  # alpha went ahead
    assert list((gamma / "sessions").rglob("audio/*"))  # gamma untouched, nothing lost
