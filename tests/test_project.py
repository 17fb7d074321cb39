import json
import multiprocessing
import os
import shutil

import pytest

from interviewkit import sessions
from interviewkit.errors import (
    IdentityError,
    NotAProject,
    ProjectExists,
    ProjectLocked,
    VaultCorrupt,
    WrongPassphrase,
)
from interviewkit.project import INDEX_FILE, MARKER, Credentials, Project
from interviewkit.study import StudyInfo
from tests.conftest import PASSPHRASE


def test_init_writes_only_ciphertext_and_a_marker(project_dir):
    files = sorted(str(p.relative_to(project_dir)) for p in project_dir.rglob("*") if p.is_file())
    assert files == [".interviewkit.lock", "audit.age", "index.age", MARKER, "keys/identity.age",
                     "keys/signing.age", "linkage.age", "manifest.age"]
    for name in files:
        data = (project_dir / name).read_bytes()
        if name.endswith(".age"):
            assert data.startswith(b"age-encryption.org/v1\n")
    marker = json.loads((project_dir / MARKER).read_text())
    assert set(marker) == {"format", "version", "project_id", "audit_public_key"}
    assert (project_dir / ".interviewkit.lock").read_bytes() == b""


def test_open_round_trip(project):
    assert project.index.study.title == "Template study"
    assert project.index.study.approval_summary() == "SIKT 100200"
    sessions.add_session(project, "S01", kind="group", date="2026-11-02")
    again = Project.open(project.root, Credentials(passphrase=PASSPHRASE))
    assert [(s.id, s.kind, s.date) for s in again.index.sessions] == [("S01", "group", "2026-11-02")]
    assert len(again.index.sessions[0].key) == 16
    assert (again.root / "index.age").read_bytes().count(b"S01") == 0


def test_wrong_passphrase(project_dir):
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        Project.open(project_dir, Credentials(passphrase="not it"))


def test_no_credentials(project_dir):
    with pytest.raises(IdentityError, match="INTERVIEWKIT_PASSPHRASE"):
        Project.open(project_dir, Credentials())


def test_missing_identity_file(project_dir, tmp_path):
    with pytest.raises(IdentityError, match="not found"):
        Project.open(project_dir, Credentials(identity_files=[tmp_path / "nope.txt"]))


def test_identity_that_is_not_a_recipient(project_dir, tmp_path):
    from pyrage import x25519

    key = tmp_path / "other.key"
    key.write_text(f"# created: now\n{x25519.Identity.generate()}\n")
    with pytest.raises(IdentityError, match="not a recipient"):
        Project.open(project_dir, Credentials(identity_files=[key]))


def test_not_a_project(tmp_path):
    with pytest.raises(NotAProject, match="not an interviewkit project"):
        Project.open(tmp_path, Credentials(passphrase=PASSPHRASE))
    with pytest.raises(NotAProject, match="no such project folder"):
        Project.open(tmp_path / "missing", Credentials(passphrase=PASSPHRASE))


def test_init_refuses_existing_or_non_empty(project_dir, tmp_path):
    with pytest.raises(ProjectExists):
        Project.init(project_dir, StudyInfo(title="x"), PASSPHRASE)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "thesis.docx").write_text("x")
    with pytest.raises(ProjectExists, match="not empty"):
        Project.init(tmp_path / "full", StudyInfo(title="x"), PASSPHRASE)


@pytest.mark.parametrize("damage", ["truncate", "tamper"])
def test_damaged_index_is_reported_and_backup_restores(project_dir, damage):
    index = project_dir / INDEX_FILE
    good = index.read_bytes()
    index.write_bytes(good[:-10] if damage == "truncate" else good[:-10] + bytes([good[-10] ^ 4]) + good[-9:])
    with pytest.raises(VaultCorrupt) as error:
        Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
    assert str(index) in str(error.value) and "backup" in str(error.value)
    index.write_bytes(good)
    assert Project.open(project_dir, Credentials(passphrase=PASSPHRASE)).index.study.title == "Template study"


def _hold_lock(root, ready, release):
    from interviewkit.vault.lock import ProjectLock

    with ProjectLock(root):
        ready.set()
        release.wait(30)


def test_second_writer_is_told_who_holds_the_lock(project):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(project.root, ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(ProjectLocked) as error:
            sessions.add_session(project, "S09")
        assert f"pid {holder.pid}" in str(error.value)
    finally:
        release.set()
        holder.join(30)
    sessions.add_session(project, "S09")  # free again once the holder is gone


def test_killed_lock_holder_does_not_block(project):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(project.root, ready, release))
    holder.start()
    assert ready.wait(30)
    os.kill(holder.pid, 9)
    holder.join(30)
    sessions.add_session(project, "S10")
    assert project.index.find_session("S10")


def test_failed_change_leaves_memory_and_disk_unchanged(project):
    before = (project.root / INDEX_FILE).read_bytes()
    with pytest.raises(RuntimeError):
        with project.writing():
            project.index.study.title = "changed"
            raise RuntimeError("boom")
    assert project.index.study.title == "Template study"
    assert (project.root / INDEX_FILE).read_bytes() == before


def test_stale_temp_files_are_cleaned_on_next_write(project):
    stale = project.root / ".tmp-deadbeef"
    shutil.copy(project.root / INDEX_FILE, stale)
    sessions.add_session(project, "S02")
    assert not stale.exists()


def test_unwrap_in_child_process_gives_the_same_identity_and_errors(project_dir, project):
    child = Project.open(project_dir, Credentials(passphrase=PASSPHRASE, unwrap_in_child=True))
    assert str(child.keyring.project_identity) == str(project.keyring.project_identity)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        Project.open(project_dir, Credentials(passphrase="wrong", unwrap_in_child=True))
    (project_dir / "keys" / "identity.age").write_bytes(b"age-encryption.org/v1\n-> scrypt broken\n")
    with pytest.raises(VaultCorrupt, match="identity.age"):
        Project.open(project_dir, Credentials(passphrase=PASSPHRASE, unwrap_in_child=True))


def test_two_threads_of_one_program_take_turns_writing(project) -> None:
    """Two workers of one program (an autosave, a review decision) must not both pass the lock as if
    nested: each change lands, none is lost."""
    import threading
    import time

    errors: list[BaseException] = []
    inside = threading.Event()

    def slow_writer() -> None:
        try:
            with project.writing() as change:
                inside.set()
                time.sleep(0.3)  # the other thread tries meanwhile
                change.log("test.slow", "project:x")
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    first = threading.Thread(target=slow_writer)
    first.start()
    inside.wait(5)
    sessions.add_session(project, "S77")  # this thread: must wait for the first, not slip in beside it
    first.join(10)
    assert not errors
    again = Project.open(project.root, Credentials(passphrase=PASSPHRASE))
    assert again.index.find_session("S77") is not None
    actions = [e.action for e in again.verify_audit()[0]]
    assert actions[-2:] == ["test.slow", "session.add"] and not again.verify_audit()[1]


def test_a_format_1_project_is_upgraded_by_its_owners_first_change(project_dir):
    """A project made before the manifest: read as it is, then signed by the owner's first change."""
    from interviewkit.vault.integrity import MANIFEST_FILE

    (project_dir / MANIFEST_FILE).unlink()
    marker = json.loads((project_dir / MARKER).read_text())
    marker["version"] = 1
    (project_dir / MARKER).write_text(json.dumps(marker))
    older = Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
    assert older.integrity.current() is None and older.index.sessions == []
    sessions.add_session(older, "S01")
    assert (project_dir / MANIFEST_FILE).is_file()
    assert json.loads((project_dir / MARKER).read_text())["version"] == 2
    reopened = Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
    assert [s.id for s in reopened.index.sessions] == ["S01"]
    assert reopened.integrity.problems(reopened.vault_files()) == [] and reopened.verify_audit()[1] == []
    (project_dir / MANIFEST_FILE).unlink()  # from now on a missing manifest is an error, not an old project
    with pytest.raises(VaultCorrupt) as caught:
        Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
    assert caught.value.code == "vault.manifest_missing"
