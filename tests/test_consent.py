import pytest

from interviewkit import consent, sessions
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.project import Credentials, Project
from tests.conftest import PASSPHRASE


def test_add_participant_keeps_name_in_linkage_only(project):
    sessions.add_session(project, "G01", kind="group")
    p = consent.add_participant(project, "T1", "Ingrid Testesen", consent_items=["participation", "audio,quotes"],
                                contact="ingrid@example.org", sessions=["G01"], form_version="v3", mode="oral",
                                date="2026-10-01", obtained_by="I")
    again = Project.open(project.root, Credentials(passphrase=PASSPHRASE))
    stored = again.index.find_participant("T1")
    assert stored.consent.given() == ["participation", "audio", "quotes"]
    assert stored.consent.mode == "oral" and stored.consent.form_version == "v3"
    assert stored.status == "consented"
    assert again.index.find_session("G01").participants == [p.id]
    assert again.linkage().entries[p.id].name == "Ingrid Testesen"
    assert b"Ingrid" not in again.index.to_bytes()
    entries, _ = again.audit_entries()
    assert entries[-1].action == "participant.add"
    assert "Ingrid" not in str(entries) and "example.org" not in str(entries)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"code": "D 1"}, "--code"),
    ({"name": "  "}, "--name"),
    ({"role": "boss"}, "--role"),
    ({"consent_items": ["everything"]}, "--consent"),
    ({"date": "01.02.2026"}, "--date"),
    ({"mode": "telepathic"}, "--mode"),
])
def test_bad_participant_input(project, kwargs, fragment):
    args = {"code": "D1", "name": "Kari"} | kwargs
    code, name = args.pop("code"), args.pop("name")
    with pytest.raises(InvalidInput) as error:
        consent.add_participant(project, code, name, **args)
    assert str(error.value).startswith(fragment)
    assert project.index.participants == []


def test_unknown_session_and_duplicate_code(project):
    with pytest.raises(NotFound, match="session add"):
        consent.add_participant(project, "D1", "Kari", sessions=["S99"])
    consent.add_participant(project, "D1", "Kari")
    with pytest.raises(InvalidInput, match="already exists"):
        consent.add_participant(project, "D1", "Kari again")


def test_withdraw_erases_personal_data_and_records_the_fact(project):
    p = consent.add_participant(project, "D2", "Ola Uttrekk", consent_items=["all"], contact="+47 99999999")
    consent.withdraw_participant(project, "D2", date="2026-11-20")
    again = Project.open(project.root, Credentials(passphrase=PASSPHRASE))
    stored = again.index.find_participant("D2")
    assert stored.withdrawn == "2026-11-20" and stored.status == "withdrawn"
    assert stored.consent.given() == []
    assert p.id not in again.linkage().entries
    entry = again.audit_entries()[0][-1]
    assert (entry.action, entry.target) == ("participant.withdraw", f"participant:{p.id}")
    assert "Ola" not in str(entry)
    with pytest.raises(InvalidInput, match="withdrew"):
        consent.withdraw_participant(project, "D2")
    with pytest.raises(NotFound, match="known codes: D2"):
        consent.withdraw_participant(project, "D9")


def test_withdrawal_erasers_are_called(project, monkeypatch):
    calls = []
    monkeypatch.setattr(Project, "withdrawal_erasers", [lambda proj, part: calls.append(part.code) or ["audio"]])
    consent.add_participant(project, "D3", "Per")
    consent.withdraw_participant(project, "D3")
    assert calls == ["D3"]
    assert project.audit_entries()[0][-1].details["erased"] == ["linkage-entry", "consent-record", "audio"]
