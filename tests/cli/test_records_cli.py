"""`session edit|remove` and `participant edit` on the command line: records can be corrected,
each consent change is in the audit log with its history kept, refusals are one line, exit 2."""

from __future__ import annotations

import pytest

from interviewkit import consent, sessions
from interviewkit.project import Credentials, Project
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.conftest import assert_user_error, run_cli


@pytest.fixture
def study(project: Project) -> Project:  # noqa: F811
    sessions.add_session(project, "S01")
    sessions.add_session(project, "S02")
    consent.add_participant(project, "I", "Ina Intervjuer", role="interviewer", consent_items=["all"], sessions=["S01"])
    consent.add_participant(project, "D1", "Kari Nordmann", consent_items=["participation", "audio"],
                            sessions=["S01"])
    return project


@pytest.fixture
def cli(study: Project, project_key, cli_env):  # noqa: F811
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"} | {"INTERVIEWKIT_USER": "moderator"}

    def run(*args: str, check: bool = True):
        command, sub, rest = args[0], args[1], args[2:]
        return run_cli([command, sub, str(study.root), *rest, "-i", str(project_key)], env, check=check)

    return run


def reopen(study: Project, key) -> Project:
    return Project.open(study.root, Credentials(identity_files=[key]))


def test_session_edit_and_remove(study: Project, cli, project_key) -> None:  # noqa: F811
    key = study.index.find_session("S01").key
    result = cli("session", "edit", "S01", "--id", "S1", "--kind", "group", "--date", "2026-11-02")
    assert result.stdout.strip() == "Changed session S1: id S01 → S1, kind group, date 2026-11-02"
    row = cli("session", "list").stdout.splitlines()[1].split()
    assert row[0] == "S1" and "group" in row and "2026-11-02" in row
    stored = reopen(study, project_key).index.find_session("S1")
    assert (stored.key, stored.kind, stored.date) == (key, "group", "2026-11-02")
    assert cli("session", "remove", "S02").stdout.strip() == "Removed session S02"
    assert [s.id for s in reopen(study, project_key).index.sessions] == ["S1"]
    actions = [(e.action, e.target) for e in reopen(study, project_key).audit_entries()[0][-2:]]
    assert actions[0] == ("session.edit", f"session:{key}") and actions[1][0] == "session.remove"


def test_session_refusals_are_one_line(study: Project, cli) -> None:
    study.save_session_file(study.index.find_session("S01"), "audio/0123456789ab/index.age", b"{}")
    assert_user_error(cli("session", "remove", "S01", check=False),
                      "S01: the session already has audio, so it cannot be removed", "session edit")
    assert_user_error(cli("session", "edit", "S01", "--id", "S02", check=False),
                      "--id: a session 'S02' already exists")
    assert_user_error(cli("session", "edit", "S01", check=False), "S01: nothing to change", "--id, --kind or --date")
    assert_user_error(cli("session", "edit", "S09", "--kind", "group", check=False), "no session 'S09'")


def test_participant_edit_gives_and_revokes_with_history(study: Project, cli, project_key) -> None:  # noqa: F811
    result = cli("participant", "edit", "D1", "--give", "quotes", "archiving", "--revoke", "audio",
                 "--add-session", "S02", "--name", "Kari Nordmann-Berg", "--contact", "kari@example.org",
                 "--date", "2026-11-20")
    assert result.stdout.strip() == ("D1: gave quotes, archiving; revoked audio; changed sessions, name, contact "
                                     "(consent now: participation, quotes, archiving)")
    again = reopen(study, project_key)
    stored = again.index.find_participant("D1")
    assert [(c.item, c.given, c.date, c.recorded_by) for c in stored.consent.history[-3:]] == [
        ("quotes", True, "2026-11-20", "moderator"), ("archiving", True, "2026-11-20", "moderator"),
        ("audio", False, "2026-11-20", "moderator")]
    entries = again.audit_entries()[0]
    assert [(e.action, e.details.get("item")) for e in entries[-4:]] == [
        ("consent.give", "quotes"), ("consent.give", "archiving"), ("consent.revoke", "audio"),
        ("participant.edit", None)]
    assert all(e.actor == "moderator" and e.target == f"participant:{stored.id}" for e in entries[-4:])
    assert b"Kari" not in again.read("audit.age") and b"example.org" not in again.index.to_bytes()
    listing = cli("participant", "list", "--names").stdout
    assert "Kari Nordmann-Berg" in listing and "S01 S02" in listing
    # The interviewer takes part in every session.
    cli("participant", "edit", "I", "--add-session", "S02")
    codes = {p.id: p.code for p in reopen(study, project_key).index.participants}
    assert [[codes[i] for i in s.participants] for s in reopen(study, project_key).index.sessions] == [
        ["I", "D1"], ["D1", "I"]]
    assert cli("participant", "edit", "D1", "--give", "quotes").stdout.startswith("D1: nothing changed")
    history = [line.split()[:4] for line in cli("participant", "history", "D1").stdout.splitlines()]
    assert history[0] == ["DATE", "ITEM", "CHANGE", "RECORDED-BY"]
    assert history[-3:] == [["2026-11-20", "quotes", "given", "moderator"],
                            ["2026-11-20", "archiving", "given", "moderator"],
                            ["2026-11-20", "audio", "revoked", "moderator"]]


def test_participant_refusals_are_one_line(study: Project, cli) -> None:
    assert_user_error(cli("participant", "edit", "D1", "--give", "audio", "--revoke", "audio", check=False),
                      "'audio' is both given and revoked")
    assert_user_error(cli("participant", "edit", "D1", "--give", "smell", check=False),
                      "--give: unknown consent item 'smell'")
    assert_user_error(cli("participant", "edit", "D1", check=False), "D1: nothing to change")
    assert_user_error(cli("participant", "edit", "D9", "--give", "audio", check=False), "no participant with code 'D9'")
    consent.withdraw_participant(study, "D1")
    assert_user_error(cli("participant", "edit", "D1", "--give", "participation", check=False),
                      "withdrew on", "a withdrawal cannot be undone", "new code")
