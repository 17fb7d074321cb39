"""Retention: the deletion policy as dated actions, warnings, and carrying the actions out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from interviewkit import sessions
from interviewkit.anonymise.key_destruction import destroyed_on
from interviewkit.anonymise.review import analyse_session, decide
from interviewkit.archive.retention import (
    apply_action,
    confirm_event,
    due_actions,
    event_confirmed,
    next_action,
    planned_actions,
    retention_warnings,
)
from interviewkit.audio.store import list_takes
from interviewkit.errors import InvalidInput
from interviewkit.project import Project
from interviewkit.study import DeletionPolicy, StudyInfo
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.project_wide import transcribed_sessions
from interviewkit.transcript.store import open_transcript, save_transcript

TODAY = dt.date(2026, 11, 22)  # fixed, so that beta (ends 2027-12-31) stays in the future


def actions(project: Project, today: dt.date = TODAY) -> dict:
    return {a.kind: a for a in planned_actions(project, today)}


def audit_actions(project: Project) -> list[str]:
    entries, problems = project.verify_audit()
    assert problems == []
    return [e.action for e in entries]


def review_everything(project: Project) -> None:
    for session, _ in transcribed_sessions(project):
        found = analyse_session(project, session)
        decide(project, session, sorted({o.entity_id for o in found.occurrences}), "accepted")
        assert analyse_session(project, session).reviewed


def test_alpha_audio_and_key_are_overdue_since_the_end_date(archive) -> None:
    alpha = archive.open("alpha")
    found = actions(alpha)
    assert list(found) == ["delete-audio", "destroy-linkage-key", "anonymise-transcripts", "delete-everything"]
    for kind in ("delete-audio", "destroy-linkage-key", "anonymise-transcripts"):
        assert found[kind].due == dt.date(2025, 6, 30) and found[kind].state == "overdue"
    assert found["delete-audio"].counts["takes"] == 1 and found["delete-audio"].counts["seconds"] == 3.0
    assert "1 take in 1 session, 3 seconds" in found["delete-audio"].deletes
    assert "3 participants, 0 pseudonym-map entries" in found["destroy-linkage-key"].deletes
    assert "Dina" not in repr(found)  # counts only, never names
    assert "destroy-linkage-key" in found["anonymise-transcripts"].note
    assert found["delete-everything"].due == dt.date(2030, 6, 30) and found["delete-everything"].state == "planned"
    assert next_action(alpha, TODAY) == "delete audio: overdue since 2025-06-30 (+2 more due)"
    # within 30 days of the end it is due, not yet overdue; before it, planned
    assert actions(alpha, dt.date(2025, 7, 15))["delete-audio"].state == "due"
    assert actions(alpha, dt.date(2025, 6, 1))["delete-audio"].state == "planned"


def test_beta_has_nothing_due(archive) -> None:
    beta = archive.open("beta")
    found = actions(beta)
    assert {a.state for a in found.values()} == {"planned"}
    assert found["delete-audio"].due == dt.date(2027, 12, 31)
    assert next_action(beta, TODAY) == "delete audio: planned for 2027-12-31"
    assert [a for a in due_actions(archive.root, archive.steward, TODAY) if a[0].name == "beta"] == []


def test_gamma_is_due_and_lacks_an_approval(archive) -> None:
    gamma = archive.open("gamma")
    found = actions(gamma)
    assert found["delete-audio"].state == "overdue" and found["delete-audio"].due == dt.date(2026, 1, 31)
    assert found["delete-audio"].counts["unreadable"] == 1  # the damaged take still counts
    warnings = retention_warnings(gamma, TODAY)
    assert any("no approval reference" in w for w in warnings)
    assert not any("approval" in w for w in retention_warnings(archive.open("alpha"), TODAY))


def test_due_actions_over_the_archive_skip_the_foreign_project(archive) -> None:
    problems: list[str] = []
    due = due_actions(archive.root, archive.steward, TODAY, problems)
    names = {(entry.name, action.kind) for entry, action in due}
    assert ("alpha", "delete-audio") in names and ("gamma", "destroy-linkage-key") in names
    assert {entry.name for entry, _ in due} == {"alpha", "gamma"}
    assert len(problems) == 1 and "delta" in problems[0] and "not a recipient" in problems[0]


def _event_project(tmp_path: Path, end_date: str | None = "2026-01-31") -> Project:
    policy = DeletionPolicy(years_after_end=2, event="when the thesis is delivered")
    project = Project.init(tmp_path / "event", StudyInfo("Event study", end_date=end_date, deletion=policy), "pw-123456")
    sessions.add_session(project, "S01", date="2025-12-01")
    return project


def test_an_event_policy_waits_until_the_event_is_confirmed(tmp_path) -> None:
    project = _event_project(tmp_path)
    found = actions(project)
    assert {a.state for a in found.values()} == {"waiting-for-event"}
    assert all(a.due is None and "when the thesis is delivered" in a.note for a in found.values())
    assert next_action(project, TODAY) == "delete audio: waiting for the event to be confirmed"
    assert any("still not confirmed" in w for w in retention_warnings(project, TODAY))
    with pytest.raises(InvalidInput, match="not a past date"):
        confirm_event(project, dt.date.today() + dt.timedelta(days=3))
    confirm_event(project, "2026-09-01")
    assert event_confirmed(project) == dt.date(2026, 9, 1)
    assert "retention.event-confirmed" in audit_actions(project)
    found = actions(project)
    assert found["destroy-linkage-key"].due == dt.date(2026, 9, 1) and found["destroy-linkage-key"].state == "overdue"
    assert found["delete-audio"].due == dt.date(2026, 9, 1)
    assert found["delete-audio"].state == "done"  # due, and no audio was ever recorded
    assert found["delete-everything"].due == dt.date(2028, 9, 1)
    assert not any("still not confirmed" in w for w in retention_warnings(project, TODAY))


def test_a_policy_without_an_event_cannot_confirm_one(archive) -> None:
    with pytest.raises(InvalidInput, match="no event"):
        confirm_event(archive.open("alpha"), "2025-07-01")


def test_impossible_dates_are_warned_about(tmp_path) -> None:
    project = Project.init(tmp_path / "odd", StudyInfo("Odd dates", end_date="2025-01-31"), "pw-123456")
    sessions.add_session(project, "S01", date="2025-01-10")
    sessions.add_session(project, "S02", date="2025-03-01")
    sessions.add_session(project, "S03", date="2031-05-05")
    warnings = retention_warnings(project, dt.date(2026, 1, 1))
    assert any("before the last session (2031-05-05)" in w and "2 sessions dated after the end date" in w
               for w in warnings)
    assert any("dated in the future" in w for w in warnings)
    assert any("no approval reference" in w for w in warnings)
    # audit entries written "now", read on a computer whose clock says 2020
    assert any("audit entries dated after today" in w for w in retention_warnings(project, dt.date(2020, 1, 1)))
    assert not any("audit entries" in w for w in retention_warnings(project, dt.date.today()))
    undated = Project.init(tmp_path / "undated", StudyInfo("No end"), "pw-123456")
    assert any("no end date" in w for w in retention_warnings(undated, TODAY))
    assert {a.due for a in planned_actions(undated, TODAY)} == {None}
    assert next_action(undated, TODAY) == "delete audio: no date (the study has no end date)"


def test_deleting_alpha_audio_deletes_exactly_the_audio(archive) -> None:
    alpha = archive.open("alpha")
    audio = actions(alpha)["delete-audio"]
    before = audit_actions(alpha)
    message = apply_action(alpha, audio, TODAY)
    assert message.startswith("delete audio: done")
    assert all(list_takes(alpha, s) == [] for s in alpha.index.sessions)
    assert not list(alpha.root.glob("sessions/*/audio/*"))
    transcript = open_transcript(alpha, alpha.index.find_session("S01"))
    assert "Dina Deltaker" in transcript.text()  # transcripts stay, untouched
    after = audit_actions(alpha)
    assert after[len(before):] == ["audio.delete", "retention.apply"]
    entries, _ = alpha.audit_entries()
    assert entries[-1].details["kind"] == "delete-audio" and entries[-1].details["takes"] == 1
    assert actions(alpha)["delete-audio"].state == "done"
    assert actions(alpha)["destroy-linkage-key"].state == "overdue"
    # twice: a no-op
    assert "already done" in apply_action(alpha, audio, TODAY)
    assert audit_actions(alpha) == after


def test_deleting_audio_with_a_damaged_take_still_deletes_and_logs_it(archive) -> None:
    gamma = archive.open("gamma")
    apply_action(gamma, actions(gamma)["delete-audio"], TODAY)
    assert not list(gamma.root.glob("sessions/*/audio/*"))
    entries, problems = gamma.verify_audit()
    assert problems == []
    deleted = [e for e in entries if e.action == "audio.delete"]
    assert len(deleted) == 1 and deleted[0].details["unreadable"] is True


def test_destroying_the_key_leaves_anonymised_transcripts(archive) -> None:
    alpha = archive.open("alpha")
    key = actions(alpha)["destroy-linkage-key"]
    with pytest.raises(InvalidInput, match="not reviewed"):
        apply_action(alpha, key, TODAY)
    assert destroyed_on(alpha) is None
    review_everything(alpha)
    assert apply_action(alpha, key, TODAY).startswith("destroy linkage key: done")
    assert destroyed_on(alpha)
    for session_id, names in (("S01", ("Dina", "Deltaker")), ("G01", ("Dag Deltaker",))):
        text = open_transcript(alpha, alpha.index.find_session(session_id)).text()
        assert not any(name in text for name in names), text
    assert alpha.linkage().entries == {}
    found = actions(alpha)
    assert found["destroy-linkage-key"].state == "done" and found["anonymise-transcripts"].state == "done"
    assert found["delete-audio"].state == "overdue"  # audio is the audio action's business
    log = audit_actions(alpha)
    assert log[-2:] == ["linkage.destroy", "retention.apply"]
    assert "already done" in apply_action(alpha, found["anonymise-transcripts"], TODAY)
    assert "already done" in apply_action(alpha, key, TODAY)
    assert audit_actions(alpha) == log


def test_unreviewed_ok_destroys_the_key_without_review(archive) -> None:
    gamma = archive.open("gamma")
    apply_action(gamma, actions(gamma)["anonymise-transcripts"], TODAY, unreviewed_ok=True)
    assert destroyed_on(gamma) and actions(gamma)["destroy-linkage-key"].state == "done"


def test_an_action_not_yet_due_is_refused(archive) -> None:
    beta = archive.open("beta")
    with pytest.raises(InvalidInput, match="not due: planned for 2027-12-31"):
        apply_action(beta, actions(beta)["delete-audio"], TODAY)
    assert list(beta.root.glob("sessions/*/audio/*"))


def test_delete_everything_leaves_an_openable_project_with_a_clean_audit_log(archive) -> None:
    alpha = archive.open("alpha")
    later = dt.date(2030, 8, 1)
    everything = actions(alpha, later)["delete-everything"]
    assert everything.state == "overdue" and everything.counts["sessions"] == 2
    assert apply_action(alpha, everything, later).startswith("delete everything: done")
    assert not [p for p in (alpha.root / "sessions").iterdir()]
    reopened = archive.open("alpha")
    assert reopened.index.study.title.startswith("Alpha") and len(reopened.index.sessions) == 2
    assert destroyed_on(reopened) == "2030-08-01" and reopened.linkage().entries == {}
    log = audit_actions(reopened)
    assert log.count("session.erase") == 2 and log[-2:] == ["linkage.destroy", "retention.apply"]
    assert {a.state for a in planned_actions(reopened, later)} == {"done"}
    assert next_action(reopened, later) == "nothing left to do"
    assert "already done" in apply_action(reopened, everything, later)
    assert audit_actions(reopened) == log


def test_transcripts_deleted_at_end_and_a_contradictory_policy(tmp_path) -> None:
    policy = DeletionPolicy(audio="keep", linkage_key="keep", transcripts="delete-at-end")
    project = Project.init(tmp_path / "short", StudyInfo("Short", end_date="2026-01-31", deletion=policy), "pw-123456")
    session = sessions.add_session(project, "S01", date="2025-12-01")
    save_transcript(project, session, Transcript([Segment("a1", "000000000000", 0.0, 1.0, "Hei.", "I")], {}, "no"))
    found = actions(project)
    assert list(found) == ["delete-transcripts"] and found["delete-transcripts"].state == "overdue"
    assert apply_action(project, found["delete-transcripts"], TODAY).startswith("delete transcripts: done")
    assert not project.session_path(session, "transcript.age").exists()
    assert audit_actions(project)[-2:] == ["transcript.delete", "retention.apply"]
    assert actions(project)["delete-transcripts"].state == "done"

    odd = DeletionPolicy(linkage_key="keep", transcripts="anonymise-at-end")
    kept = Project.init(tmp_path / "kept", StudyInfo("Kept key", end_date="2026-01-31", deletion=odd), "pw-123456")
    assert any("keeps the linkage key" in w for w in retention_warnings(kept, TODAY))
    with pytest.raises(InvalidInput, match="keeps the linkage key"):
        apply_action(kept, actions(kept)["anonymise-transcripts"], TODAY)
    assert destroyed_on(kept) is None
