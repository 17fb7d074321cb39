"""Records can be corrected: a session's id, kind and date; an empty session removed; consent
items given and revoked one by one (history kept, each change in the audit log), role, sessions,
name and contact of a participant."""

from __future__ import annotations

import pytest

from interviewkit import consent, sessions
from interviewkit.archive.erasure import exports_to_replace
from interviewkit.consent import ParticipantEdit
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.interview.store import load_run, new_run, save_run
from interviewkit.project import Credentials, Project
from interviewkit.session_state import session_states
from interviewkit.sessions import SessionEdit
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.interview.guides import sample_guide


@pytest.fixture
def study(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:  # noqa: F811
    monkeypatch.setenv("INTERVIEWKIT_USER", "moderator")
    sessions.add_session(project, "S01")
    sessions.add_session(project, "S02", kind="group")
    consent.add_participant(project, "I", "Ina Intervjuer", role="interviewer", consent_items=["all"],
                            sessions=["S01", "S02"])
    consent.add_participant(project, "D1", "Kari Nordmann", consent_items=["participation", "audio"],
                            contact="kari@example.org", sessions=["S01"], date="2026-10-01")
    return project


def reopen(project: Project, key) -> Project:
    return Project.open(project.root, Credentials(identity_files=[key]))


# -- sessions ------------------------------------------------------------------------------------

def test_renaming_a_session_keeps_everything_attached(study: Project, project_key) -> None:  # noqa: F811
    session = study.index.find_session("S01")
    key, folder = session.key, study.session_path(session, "")
    save_run(study, session, new_run(study, session, sample_guide()))
    with study.writing() as change:  # anonymisation decisions are kept by session id (linkage key)
        change.linkage.anonymisation["occurrences"] = {"S01": {"seg:1:5": "keep"}}
    with study.writing() as change:
        change.log("export", f"project:{study.marker.project_id}", format="docx", purpose="p", sessions=["S01"],
                   identifiable=False, encrypted=True, left_out=0)

    renamed, changed = sessions.edit_session(study, "S01", SessionEdit(id="S1", kind="group", date="2026-11-02"))

    assert changed == ["id", "kind", "date"]
    again = reopen(study, project_key)
    stored = again.index.find_session("S1")
    assert again.index.find_session("S01") is None
    assert (stored.key, stored.kind, stored.date, stored.former_ids) == (key, "group", "2026-11-02", ["S01"])
    assert folder.is_dir() and again.session_path(stored, "") == folder
    ids = {p.code: p for p in again.index.participants}
    assert key in ids["D1"].sessions and ids["D1"].id in stored.participants
    assert load_run(again, stored).session_id == "S1"
    assert again.linkage().anonymisation["occurrences"] == {"S1": {"seg:1:5": "keep"}}
    entry = again.audit_entries()[0][-1]
    assert entry.action == "session.edit" and entry.target == f"session:{key}"
    assert entry.details == {"id": {"from": "S01", "to": "S1"}, "kind": "group", "date": "2026-11-02"}
    # An export made under the old id is still found for a withdrawal (exports' audit references).
    assert [e.sessions for e in exports_to_replace(again, ids["D1"])] == [("S01",)]
    assert session_states(again)["S1"].last_export.format == "docx"  # the home screen's "last export"


@pytest.mark.parametrize("edit, fragment", [
    (SessionEdit(id="S02"), "--id: a session 'S02' already exists"),
    (SessionEdit(id="S 1"), "--id: 'S 1' is not a valid session id"),
    (SessionEdit(kind="panel"), "--kind: unknown session kind"),
    (SessionEdit(date="2.11.2026"), "--date: '2.11.2026' is not a date"),
    (SessionEdit(), "S01: nothing to change"),
])
def test_bad_session_edits_are_refused_and_change_nothing(study: Project, edit, fragment) -> None:
    before = study.index.to_bytes()
    with pytest.raises(InvalidInput) as error:
        sessions.edit_session(study, "S01", edit)
    assert str(error.value).startswith(fragment)
    assert study.read_index().to_bytes() == before


def test_an_empty_session_can_be_removed(study: Project, project_key) -> None:  # noqa: F811
    session = study.index.find_session("S02")
    sessions.remove_session(study, "S02")
    again = reopen(study, project_key)
    assert [s.id for s in again.index.sessions] == ["S01"]
    assert all(session.key not in p.sessions for p in again.index.participants)
    entry = again.audit_entries()[0][-1]
    assert (entry.action, entry.target) == ("session.remove", f"session:{session.key}")
    with pytest.raises(NotFound):
        sessions.remove_session(study, "S02")


@pytest.mark.parametrize("name, held", [
    ("audio/0123456789ab/index.age", "audio"),
    ("transcript.age", "transcript"),
    ("interview.age", "interview run"),
])
def test_a_session_with_data_is_not_removed(study: Project, name: str, held: str) -> None:
    session = study.index.find_session("S01")
    study.save_session_file(session, name, b"{}")
    with pytest.raises(InvalidInput) as error:
        sessions.remove_session(study, "S01")
    assert str(error.value) == (f"S01: the session already has {held}, so it cannot be removed — "
                                "correct its id, kind or date with 'interviewkit session edit' instead")
    assert study.read_index().find_session("S01") is not None


# -- participants --------------------------------------------------------------------------------

def test_consent_items_are_given_and_revoked_one_by_one_with_history(study: Project, project_key) -> None:  # noqa: F811
    before = len(study.audit_entries()[0])
    result = consent.edit_participant(study, "D1", ParticipantEdit(give=["quotes", "archiving"], revoke=["audio"],
                                                                   date="2026-11-20"))
    assert [(c.item, c.given) for c in result.consent] == [("quotes", True), ("archiving", True), ("audio", False)]
    again = reopen(study, project_key)
    stored = again.index.find_participant("D1")
    assert stored.consent.given() == ["participation", "quotes", "archiving"]
    history = [(c.item, c.given, c.date, c.recorded_by) for c in stored.consent.history]
    assert history == [("participation", True, "2026-10-01", "moderator"), ("audio", True, "2026-10-01", "moderator"),
                       ("quotes", True, "2026-11-20", "moderator"), ("archiving", True, "2026-11-20", "moderator"),
                       ("audio", False, "2026-11-20", "moderator")]
    entries, problems = again.verify_audit()
    assert not problems
    new = entries[before:]
    assert [(e.action, e.target, e.details, e.actor) for e in new] == [
        ("consent.give", f"participant:{stored.id}", {"item": "quotes", "date": "2026-11-20"}, "moderator"),
        ("consent.give", f"participant:{stored.id}", {"item": "archiving", "date": "2026-11-20"}, "moderator"),
        ("consent.revoke", f"participant:{stored.id}", {"item": "audio", "date": "2026-11-20"}, "moderator")]
    # Giving what is given already changes nothing and logs nothing.
    again_result = consent.edit_participant(study, "D1", ParticipantEdit(give=["quotes"]))
    assert again_result.consent == [] and again_result.fields == []
    assert len(study.audit_entries()[0]) == len(entries)


def test_role_sessions_name_and_contact(study: Project, project_key) -> None:  # noqa: F811
    result = consent.edit_participant(study, "D1", ParticipantEdit(role="co-moderator", add_sessions=["S02"],
                                                                   name="Kari Nordmann-Berg", contact=""))
    assert result.fields == ["sessions", "role", "name", "contact"]
    again = reopen(study, project_key)
    stored = again.index.find_participant("D1")
    s01, s02 = again.index.find_session("S01"), again.index.find_session("S02")
    assert stored.role == "co-moderator" and stored.sessions == [s01.key, s02.key]
    assert stored.id in s02.participants
    entry = again.linkage().entries[stored.id]
    assert (entry.name, entry.contact) == ("Kari Nordmann-Berg", "")
    plain = again.index.to_bytes() + again.read("audit.age")
    assert b"Kari" not in plain and b"example.org" not in plain  # names and contacts: linkage key only
    last = again.audit_entries()[0][-1]
    assert last.action == "participant.edit"
    assert last.details == {"fields": ["sessions", "role", "name", "contact"], "role": "co-moderator",
                            "sessions": [f"session:{s01.key}", f"session:{s02.key}"]}
    consent.edit_participant(study, "D1", ParticipantEdit(remove_sessions=["S01"]))
    again = reopen(study, project_key)
    assert again.index.find_participant("D1").sessions == [s02.key]
    assert stored.id not in again.index.find_session("S01").participants


def test_a_recorded_session_keeps_its_participants(study: Project) -> None:
    study.save_session_file(study.index.find_session("S01"), "transcript.age", b"{}")
    with pytest.raises(InvalidInput, match="session S01 already has transcript with D1 in it"):
        consent.edit_participant(study, "D1", ParticipantEdit(remove_sessions=["S01"]))


@pytest.mark.parametrize("edit, fragment", [
    (ParticipantEdit(), "D1: nothing to change"),
    (ParticipantEdit(give=["audio"], revoke=["audio"]), "--give/--revoke: 'audio' is both given and revoked"),
    (ParticipantEdit(give=["telepathy"]), "--give: unknown consent item 'telepathy'"),
    (ParticipantEdit(revoke=["smell"]), "--revoke: unknown consent item 'smell'"),
    (ParticipantEdit(role="boss"), "--role: unknown role 'boss'"),
    (ParticipantEdit(name=" "), "--name: the name is empty"),
    (ParticipantEdit(add_sessions=["S99"]), "--add-session: no session 'S99'"),
    (ParticipantEdit(give=["quotes"], date="1/2"), "--date: '1/2' is not a date"),
])
def test_bad_participant_edits_are_refused(study: Project, edit: ParticipantEdit, fragment: str) -> None:
    before = study.index.to_bytes()
    with pytest.raises((InvalidInput, NotFound)) as error:
        consent.edit_participant(study, "D1", edit)
    assert str(error.value).startswith(fragment)
    assert study.read_index().to_bytes() == before


def test_a_withdrawn_participant_cannot_consent_again(study: Project) -> None:
    consent.withdraw_participant(study, "D1", date="2026-12-01")
    with pytest.raises(InvalidInput) as error:
        consent.edit_participant(study, "D1", ParticipantEdit(give=["participation", "audio"]))
    assert str(error.value).startswith("D1: participant D1 withdrew on 2026-12-01, and a withdrawal cannot be undone")
    assert study.read_index().find_participant("D1").consent.given() == []


def test_listeners_hear_of_each_change(study: Project) -> None:
    heard: list[str] = []

    def listener(project: Project, participant: consent.Participant) -> None:
        heard.append(f"{participant.code}:{','.join(participant.consent.given())}")

    consent.subscribe(listener)
    try:
        consent.edit_participant(study, "D1", ParticipantEdit(revoke=["audio"]))
        consent.withdraw_participant(study, "D1")
    finally:
        consent.unsubscribe(listener)
    consent.edit_participant(study, "I", ParticipantEdit(revoke=["video"]))
    assert heard == ["D1:participation", "D1:"]
