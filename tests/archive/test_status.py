"""The steward's status listing: one row per project, read with the steward's key only."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import types

import pytest

from interviewkit import recipients
from interviewkit.archive.discovery import ArchiveProject, open_project
from interviewkit.archive.status import NO_ACTION, archive_status, project_status, short_key
from interviewkit.project import Credentials

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def rows(archive):
    return {row.name: row for row in archive_status(archive.root, archive.steward, TODAY)}


def test_one_row_per_project_with_the_study_description(rows) -> None:
    assert list(rows) == ["alpha", "beta", "gamma", "delta"]
    alpha = rows["alpha"]
    assert alpha.opened and alpha.title == "Alpha: unge og tjenester"
    assert (alpha.responsible, alpha.institution, alpha.end_date) == ("Ane Ansvarlig", "NTNU", "2025-06-30")
    assert alpha.approvals == ["sikt 111111"] and alpha.warnings == []
    assert rows["beta"].title == "Beta: arbeidsliv" and rows["beta"].approvals == ["sikt 222222"]
    assert all(rows[n].sessions == 2 for n in ("alpha", "beta", "gamma"))


def test_participants_are_counted_by_consent_state(rows) -> None:
    # I and D1 consented to everything, D2 to participation and audio: all three "consented"
    assert rows["alpha"].consent == {"consented": 3, "partial": 0, "none": 0, "withdrawn": 0}
    assert rows["beta"].consent == {"consented": 2, "partial": 0, "none": 0, "withdrawn": 1}


def test_recipients_are_shortened_and_the_steward_is_found(archive, rows) -> None:
    for name in ("alpha", "beta", "gamma"):
        row = rows[name]
        assert row.steward_is_recipient
        project_key = [r for r in row.recipients if r.project_key]
        steward = [r for r in row.recipients if r.yours]
        assert len(project_key) == 1 and not project_key[0].yours
        assert [r.key for r in steward] == [archive.steward_recipient]
        assert steward[0].data and steward[0].linkage
        assert all(r.short.startswith("age1") and "…" in r.short and len(r.short) < len(r.key)
                   for r in row.recipients)
    assert short_key("age1abc") == "age1abc"


def test_what_still_exists(rows) -> None:
    alpha = rows["alpha"]
    assert alpha.takes == 1 and alpha.audio_hours == pytest.approx(3.0 / 3600)
    assert alpha.transcripts == 2
    assert alpha.linkage_holds_names is True
    assert rows["beta"].audio_hours > 0 and rows["beta"].linkage_holds_names is True


def test_gamma_warns_of_the_missing_approval_and_its_damaged_audio(rows) -> None:
    gamma = rows["gamma"]
    assert gamma.opened and gamma.approvals == []
    assert any("no approval reference" in w for w in gamma.warnings)
    assert any("audio of session S01" in w and "cannot decrypt" in w for w in gamma.warnings)
    assert all("\n" not in w for w in gamma.warnings), gamma.warnings


def test_a_foreign_project_is_a_row_with_its_problem(rows) -> None:
    delta = rows["delta"]
    assert not delta.opened and "not a recipient" in delta.problem
    assert delta.title == "" and delta.recipients == [] and len(delta.problem.splitlines()) == 1


def test_rows_are_plain_data(rows) -> None:
    text = json.dumps([row.to_dict() for row in rows.values()], ensure_ascii=False)
    assert "Alpha: unge og tjenester" in text and "not a recipient" in text


@pytest.mark.parametrize("how", ["destroyed", "emptied"])
def test_a_destroyed_or_empty_linkage_key_holds_no_names(archive, how: str) -> None:
    project = archive.open("alpha")
    with project.writing() as change:
        if how == "destroyed":  # marked destroyed, even if entries were (wrongly) left behind
            change.linkage.anonymisation = {"destroyed": "2026-05-01"}
        else:
            change.linkage.entries.clear()
    row = project_status(open_project(archive.project_path("alpha"), archive.steward), TODAY)
    assert row.linkage_holds_names is False


def test_a_data_only_steward_cannot_see_the_linkage_key(archive, tmp_path) -> None:
    key = tmp_path / "data-only.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients.add_recipient(archive.open("beta"), made.stderr.split("Public key:")[1].strip(), scope="data")
    row = project_status(open_project(archive.project_path("beta"), Credentials(identity_files=[key])), TODAY)
    assert row.opened and row.steward_is_recipient
    mine = next(r for r in row.recipients if r.yours)
    assert mine.data and not mine.linkage
    assert row.linkage_holds_names is None
    assert row.consent["withdrawn"] == 1


def test_the_next_action_comes_from_the_retention_module(archive, monkeypatch) -> None:
    calls = []
    fake = types.ModuleType("interviewkit.archive.retention")
    fake.next_action = lambda project, today: calls.append((project.index.study.title, today)) or "delete audio"
    monkeypatch.setitem(sys.modules, "interviewkit.archive.retention", fake)
    row = project_status(open_project(archive.project_path("alpha"), archive.steward), TODAY)
    assert row.next_action == "delete audio" and calls == [("Alpha: unge og tjenester", TODAY)]


def test_without_a_retention_module_the_next_action_is_a_dash(archive, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "interviewkit.archive.retention", None)  # import raises ImportError
    row = project_status(open_project(archive.project_path("alpha"), archive.steward), TODAY)
    assert row.next_action == NO_ACTION


def test_an_entry_without_a_project_never_raises(tmp_path) -> None:
    row = project_status(ArchiveProject(tmp_path / "x", None, "x: broken marker — restore it"), TODAY)
    assert row.problem == "x: broken marker — restore it" and row.name == "x"
