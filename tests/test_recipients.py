import subprocess

import pytest
from pyrage import x25519

from interviewkit import consent, recipients
from interviewkit.errors import IdentityError, InvalidInput, NotFound
from interviewkit.project import INDEX_FILE, LINKAGE_FILE, Credentials, Project
from interviewkit.vault.cipher import read_encrypted


@pytest.fixture
def steward(tmp_path):
    identity = x25519.Identity.generate()
    path = tmp_path / "steward.key"
    path.write_text(f"# steward\n{identity}\n")
    return identity, path


def test_add_data_recipient_reads_data_but_not_names(project, steward):
    identity, key_file = steward
    consent.add_participant(project, "D1", "Kari Navnesen")
    count = recipients.add_recipient(project, str(identity.to_public()))
    assert count == len(project.vault_files()) == 4
    as_steward = Project.open(project.root, Credentials(identity_files=[key_file]))
    assert as_steward.index.find_participant("D1")
    assert not as_steward.can_read_linkage()
    rows = recipients.list_recipients(as_steward)
    assert [(r.data, r.linkage, r.project_key) for r in rows] == [(True, True, True), (True, False, False)]


def test_scope_all_reads_names_and_steward_can_write(project, steward):
    identity, key_file = steward
    consent.add_participant(project, "D1", "Kari Navnesen")
    recipients.add_recipient(project, str(identity.to_public()), scope="all")
    as_steward = Project.open(project.root, Credentials(identity_files=[key_file]))
    assert list(as_steward.linkage().entries.values())[0].name == "Kari Navnesen"
    consent.withdraw_participant(as_steward, "D1")  # signs the audit log with the project's key
    assert as_steward.verify_audit()[1] == []


def test_remove_recipient_rewraps_every_file(project, steward):
    identity, _ = steward
    recipients.add_recipient(project, str(identity.to_public()), scope="all")
    recipients.remove_recipient(project, str(identity.to_public()))
    for path in project.vault_files():
        with pytest.raises(IdentityError):
            read_encrypted(path, [identity])
    assert [r.project_key for r in recipients.list_recipients(project)] == [True]


def test_age_tool_decrypts_what_a_steward_may_read(project, steward):
    identity, key_file = steward
    recipients.add_recipient(project, str(identity.to_public()))
    out = subprocess.run(["age", "-d", "-i", str(key_file), str(project.root / INDEX_FILE)],
                         capture_output=True, check=True).stdout
    assert b'"title": "Template study"' in out
    denied = subprocess.run(["age", "-d", "-i", str(key_file), str(project.root / LINKAGE_FILE)], capture_output=True)
    assert denied.returncode != 0


def test_bad_keys(project):
    with pytest.raises(InvalidInput, match="age1"):
        recipients.add_recipient(project, "ssh-ed25519 AAAA")
    with pytest.raises(InvalidInput, match="own key"):
        recipients.add_recipient(project, project.index.project_recipient)
    other = str(x25519.Identity.generate().to_public())
    with pytest.raises(NotFound):
        recipients.remove_recipient(project, other)
    recipients.add_recipient(project, other)
    with pytest.raises(InvalidInput, match="already"):
        recipients.add_recipient(project, other)


def test_interrupted_rewrap_is_resumed(project, steward):
    identity, key_file = steward
    with project.writing():
        project.index.data_recipients.append(str(identity.to_public()))
        project.index.rewrap_pending = True
    # Killed here: only the index knows the new recipient; the other files do not.
    again = Project.open(project.root, Credentials(passphrase="test-passphrase-1"))
    assert again.index.rewrap_pending
    assert recipients.resume_rewrap(again) == 4
    as_steward = Project.open(project.root, Credentials(identity_files=[key_file]))
    assert not as_steward.index.rewrap_pending
    as_steward.audit_entries()
