"""Rotating a project's key (also across kill -9), recipients across an archive, recovery keys.

Every claim about who can read what is checked file by file in Python, and for a few files
(the index, an audio segment, the linkage key) with the stock ``age`` tool too.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyrage import x25519

from interviewkit import consent, sessions
from interviewkit.archive import rekey
from interviewkit.archive.rekey import (
    NEW_IDENTITY_FILE,
    add_recipient_everywhere,
    recover_with,
    recovery_recipient,
    remove_recipient_everywhere,
    resume_rotation,
    rotate_project_key,
    set_recovery_recipient,
)
from interviewkit.errors import IdentityError, InvalidInput, VaultCorrupt, WrongPassphrase
from interviewkit.project import IDENTITY_FILE, INDEX_FILE, LINKAGE_FILE, Credentials, Project
from interviewkit.vault.cipher import read_encrypted
from interviewkit.vault.keys import parse_identity_file, unwrap_identity
from tests.archive.conftest import PASSPHRASE, Archive

NEW = "a-brand-new-passphrase"
REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
import interviewkit.project as project_module
from interviewkit.archive.rekey import rotate_project_key
from interviewkit.project import Credentials, Project
project_module.REWRAP_BATCH = 1  # one file per manifest write, so that a kill lands between files
project = Project.open(sys.argv[1], Credentials(identity_files=[sys.argv[2]]))
def progress(done, total):
    print(f"{done}/{total}", flush=True)
    time.sleep(0.4)
rotate_project_key(project, sys.argv[3], progress)
print("finished", flush=True)
"""


def _identity(path: Path) -> x25519.Identity:
    return parse_identity_file(path)[0]


def _key_file(tmp_path: Path, name: str, identity: x25519.Identity) -> Path:
    path = tmp_path / f"{name}.key"
    path.write_text(f"{identity}\n")
    return path


def _new_identity(root: Path, passphrase: str = NEW) -> x25519.Identity:
    """The rotation's new key: from keys/identity.age.new before the swap, keys/identity.age after."""
    path = root / NEW_IDENTITY_FILE if (root / NEW_IDENTITY_FILE).exists() else root / IDENTITY_FILE
    return unwrap_identity(path.read_bytes(), passphrase, path)


def _reads(identity: x25519.Identity, path: Path) -> bool:
    try:
        read_encrypted(path, [identity])
    except IdentityError:
        return False
    return True


def _age_reads(key_file: Path, path: Path) -> bool:
    return subprocess.run(["age", "-d", "-i", str(key_file), "-o", "/dev/null", str(path)],
                          check=False, capture_output=True).returncode == 0


def _files(root: Path) -> list[Path]:
    identity = root / IDENTITY_FILE
    return sorted(p for p in root.rglob("*.age") if p != identity and not p.name.startswith(".tmp-"))


def _samples(root: Path) -> list[Path]:
    """The index, an audio segment and the linkage key: what the stock tool is asked about."""
    segment = next(p for p in _files(root) if "audio" in p.parts and p.name.startswith("seg-"))
    return [root / INDEX_FILE, segment, root / LINKAGE_FILE]


def _assert_only_new_key(archive: Archive, root: Path, old: x25519.Identity, new: x25519.Identity,
                         tmp_path: Path) -> None:
    steward = _identity(archive.steward_key)
    for path in _files(root):
        assert _reads(new, path), path
        assert not _reads(old, path), path
        assert _reads(steward, path), path
    old_file, new_file = _key_file(tmp_path, "old", old), _key_file(tmp_path, "new", new)
    for path in _samples(root):
        assert _age_reads(new_file, path), path
        assert not _age_reads(old_file, path), path
        assert _age_reads(archive.steward_key, path), path


@pytest.fixture(autouse=True)
def one_file_per_manifest_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress (and a crash) file by file, as in a project with more files than one batch."""
    monkeypatch.setattr("interviewkit.project.REWRAP_BATCH", 1)


def _stop_after(files: int) -> rekey.Progress:
    """A progress hook that interrupts the rotation after ``files`` files, as a crash would."""
    def progress(done: int, total: int) -> None:
        if done == files:
            raise KeyboardInterrupt
    return progress


def _audit_actions(project: Project) -> list[str]:
    entries, problems = project.verify_audit()
    assert problems == []
    return [e.action for e in entries]


def test_rotation_revokes_the_old_key_and_keeps_the_steward(archive: Archive, tmp_path: Path) -> None:
    root = archive.project_path("alpha")
    project = archive.open("alpha")
    old = _identity(archive.keys / "alpha.txt")
    before = {p.code: p.id for p in project.index.participants}
    names = {e.code: e.name for e in project.linkage().entries.values()}
    result = rotate_project_key(project, NEW)
    new = _new_identity(root)
    assert result.old_recipient == str(old.to_public()) and result.new_recipient == str(new.to_public())
    # every file but the four the last step writes afresh: index, audit log, signing key, manifest
    assert result.files == len(_files(root)) - 4 and not result.resumed
    assert not (root / NEW_IDENTITY_FILE).exists()
    _assert_only_new_key(archive, root, old, new, tmp_path)

    reopened = Project.open(root, Credentials(passphrase=NEW))
    index = reopened.index
    assert index.project_recipient == result.new_recipient and index.rotation is None
    assert index.data_recipients == index.linkage_recipients == [archive.steward_recipient]
    assert {p.code: p.id for p in index.participants} == before
    assert {e.code: e.name for e in reopened.linkage().entries.values()} == names
    with pytest.raises(WrongPassphrase):
        Project.open(root, Credentials(passphrase=PASSPHRASE))
    with pytest.raises(IdentityError):
        Project.open(root, Credentials(identity_files=[archive.keys / "alpha.txt"]))
    entries, _ = reopened.verify_audit()
    assert _audit_actions(reopened)[-2:] == ["keys.rotate-begin", "keys.rotate"]
    assert entries[-1].details["old"] == result.old_recipient and entries[-1].details["new"] == result.new_recipient
    # the project object used for the rotation goes on working with the new key
    assert str(project.keyring.project_identity.to_public()) == result.new_recipient
    sessions.add_session(project, "S77")
    assert not _reads(old, root / INDEX_FILE)


def test_kill_9_midway_then_resume(archive: Archive, tmp_path: Path) -> None:
    root = archive.project_path("alpha")
    old = _identity(archive.keys / "alpha.txt")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), str(archive.keys / "alpha.txt"), NEW],
                             cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    while True:
        line = child.stdout.readline().strip()
        assert line and line != "finished", "the rotation ended before it could be killed"
        done, total = map(int, line.split("/"))
        if done >= 3:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert done < total

    # Midway: every file is readable by the old key or the new one, and some by only one of them.
    new = _new_identity(root)
    readers = {p: (_reads(old, p), _reads(new, p)) for p in _files(root)}
    assert all(any(r) for r in readers.values())
    assert (False, True) in readers.values() and (True, False) in readers.values()
    assert readers[root / INDEX_FILE] == (True, True)
    # It opens with the old passphrase, the old key, the new key and the steward's; not the new passphrase.
    with pytest.raises(WrongPassphrase):
        Project.open(root, Credentials(passphrase=NEW))
    for key_file in (archive.keys / "alpha.txt", _key_file(tmp_path, "new", new), archive.steward_key):
        assert Project.open(root, Credentials(identity_files=[key_file])).index.rotation is not None
    project = Project.open(root, Credentials(passphrase=PASSPHRASE))
    assert project.index.rotation == {**project.index.rotation, "old_recipient": str(old.to_public()),
                                      "new_recipient": str(new.to_public())}
    with pytest.raises(InvalidInput, match="cut short"):
        rotate_project_key(project, "yet-another")
    # Others write meanwhile: what they write is readable by the old key again (and the new one).
    assert not _reads(old, root / LINKAGE_FILE)  # rotated already: an old-key writer cannot add a name
    consent.add_participant(Project.open(root, archive.steward), "D9", "Nina Nyperson", consent_items=["all"])
    assert _reads(old, root / LINKAGE_FILE) and _reads(new, root / LINKAGE_FILE)
    session = sessions.add_session(project, "S99")
    project.save_session_file(session, "notes.age", b"written mid-rotation")
    assert _reads(old, project.session_path(session, "notes.age"))
    # The old key alone cannot finish (it cannot read the files already rotated) and changes nothing.
    with pytest.raises(IdentityError, match="new passphrase"):
        resume_rotation(project)
    with pytest.raises(WrongPassphrase):
        resume_rotation(project, "not-the-new-one")

    result = resume_rotation(project, NEW)
    assert result is not None and result.resumed and result.files == len(_files(root)) - 4
    _assert_only_new_key(archive, root, old, new, tmp_path)
    reopened = Project.open(root, Credentials(passphrase=NEW))
    assert reopened.index.find_participant("D9") and reopened.index.rotation is None
    assert "Nina Nyperson" in {e.name for e in reopened.linkage().entries.values()}
    assert reopened.load_session_file(reopened.index.find_session("S99"), "notes.age") == b"written mid-rotation"
    actions = _audit_actions(reopened)
    assert actions.count("keys.rotate-begin") == actions.count("keys.rotate") == 1
    with pytest.raises(WrongPassphrase):
        Project.open(root, Credentials(passphrase=PASSPHRASE))
    assert resume_rotation(reopened, NEW) is None


def test_cut_short_after_the_swap_opens_with_the_new_passphrase(archive: Archive, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = archive.project_path("beta")
    old = _identity(archive.keys / "beta.txt")

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rekey, "_finish", killed)
    with pytest.raises(KeyboardInterrupt):
        rotate_project_key(archive.open("beta"), NEW)
    monkeypatch.undo()
    assert not (root / NEW_IDENTITY_FILE).exists()
    with pytest.raises(WrongPassphrase):
        Project.open(root, Credentials(passphrase=PASSPHRASE))
    project = Project.open(root, Credentials(passphrase=NEW))
    assert project.index.rotation is not None
    result = resume_rotation(project)  # the new key is in hand: no passphrase needed
    assert result is not None and result.resumed
    _assert_only_new_key(archive, root, old, _new_identity(root), tmp_path)
    assert _audit_actions(project)[-2:] == ["keys.rotate-begin", "keys.rotate"]


def test_the_steward_alone_finishes_a_rotation(archive: Archive, tmp_path: Path) -> None:
    root = archive.project_path("alpha")
    old = _identity(archive.keys / "alpha.txt")
    with pytest.raises(KeyboardInterrupt):
        rotate_project_key(archive.open("alpha"), NEW, _stop_after(2))
    steward = Project.open(root, archive.steward)
    assert resume_rotation(steward) is not None
    _assert_only_new_key(archive, root, old, _new_identity(root), tmp_path)


def test_a_replaced_new_identity_is_refused(archive: Archive) -> None:
    root = archive.project_path("alpha")
    with pytest.raises(KeyboardInterrupt):
        rotate_project_key(archive.open("alpha"), NEW, _stop_after(1))
    (root / NEW_IDENTITY_FILE).write_bytes((root / IDENTITY_FILE).read_bytes())  # someone swaps in another key
    with pytest.raises(VaultCorrupt, match="not the identity"):
        resume_rotation(Project.open(root, archive.steward))
    # the old passphrase still opens, since nothing was swapped
    assert Project.open(root, Credentials(passphrase=PASSPHRASE)).index.rotation is not None


def test_recipients_everywhere(archive: Archive, tmp_path: Path) -> None:
    subprocess.run(["age-keygen", "-o", str(tmp_path / "helper.txt")], capture_output=True, check=True)
    helper = _identity(tmp_path / "helper.txt")
    seen: set[str] = set()
    outcomes = add_recipient_everywhere(archive.root, archive.steward, str(helper.to_public()), "all",
                                        lambda path, done, total: seen.add(path.name))
    by_name = {o.path.name: o for o in outcomes}
    assert [o.path.name for o in outcomes] == ["alpha", "beta", "gamma", "delta"]
    assert by_name["alpha"].status == by_name["beta"].status == "done" and by_name["alpha"].files > 0
    assert by_name["gamma"].status == "failed" and "audio" in by_name["gamma"].problem  # the damaged file
    assert by_name["delta"].status == "unreadable" and "not a recipient" in by_name["delta"].line()
    assert all(len(o.line().splitlines()) == 1 for o in outcomes)
    assert {"alpha", "beta"} <= seen
    for name in ("alpha", "beta"):
        assert all(_reads(helper, p) for p in _files(archive.project_path(name)))
        assert _age_reads(tmp_path / "helper.txt", archive.project_path(name) / LINKAGE_FILE)
    again = {o.path.name: o.status for o in add_recipient_everywhere(archive.root, archive.steward,
                                                                      str(helper.to_public()), "all")}
    assert again == {"alpha": "already", "beta": "already", "gamma": "failed", "delta": "unreadable"}

    # The steward's key cannot remove itself (it would lose the index before the files); refused, unchanged.
    refused = {o.path.name: o for o in remove_recipient_everywhere(archive.root, archive.steward,
                                                                    archive.steward_recipient)}
    assert refused["alpha"].status == refused["beta"].status == "failed" and "opened" in refused["alpha"].problem
    steward = _identity(archive.steward_key)
    assert all(_reads(steward, p) for p in _files(archive.project_path("alpha")))
    # The new key (scope all, added above) removes the old steward key everywhere.
    helper_credentials = Credentials(identity_files=[tmp_path / "helper.txt"])
    removed = {o.path.name: o for o in remove_recipient_everywhere(archive.root, helper_credentials,
                                                                    archive.steward_recipient)}
    assert removed["alpha"].status == removed["beta"].status == "done"
    assert removed["delta"].status == "unreadable" and removed["gamma"].status == "failed"
    for name in ("alpha", "beta"):
        root = archive.project_path(name)
        assert not any(_reads(steward, p) for p in _files(root))
        assert all(not _age_reads(archive.steward_key, p) for p in _samples(root))
        assert _age_reads(tmp_path / "helper.txt", root / INDEX_FILE)
    after = {o.path.name: o.status for o in remove_recipient_everywhere(archive.root, archive.steward,
                                                                         archive.steward_recipient)}
    assert after["alpha"] == after["beta"] == "unreadable"  # the steward no longer opens them
    with pytest.raises(InvalidInput, match="scope"):
        add_recipient_everywhere(archive.root, archive.steward, str(helper.to_public()), "everything")


def test_recovery_key_rescues_a_lost_passphrase(archive: Archive, tmp_path: Path) -> None:
    root = archive.project_path("beta")
    subprocess.run(["age-keygen", "-o", str(tmp_path / "recovery.txt")], capture_output=True, check=True)
    recovery = _identity(tmp_path / "recovery.txt")
    project = archive.open("beta")
    assert recovery_recipient(project) is None
    assert set_recovery_recipient(project, str(recovery.to_public())) > 0
    assert recovery_recipient(project) == str(recovery.to_public())
    participants = [(p.code, p.withdrawn) for p in project.index.participants]
    names = sorted(e.name for e in project.linkage().entries.values())
    transcripts = {p: read_encrypted(p, project.keyring.identities) for p in _files(root) if p.name == "transcript.age"}
    assert transcripts
    # The student forgets the passphrase; the steward recovers with the recovery key.
    result = recover_with(root, tmp_path / "recovery.txt", "student-gets-a-new-one")
    assert result.old_recipient == str(_identity(archive.keys / "beta.txt").to_public())
    rescued = Project.open(root, Credentials(passphrase="student-gets-a-new-one"))
    assert [(p.code, p.withdrawn) for p in rescued.index.participants] == participants
    assert sorted(e.name for e in rescued.linkage().entries.values()) == names
    assert {p: read_encrypted(p, rescued.keyring.identities) for p in transcripts} == transcripts
    assert recovery_recipient(rescued) == str(recovery.to_public())
    assert all(_reads(recovery, p) for p in _files(root))
    assert _audit_actions(rescued)[-3:] == ["keys.set-recovery", "keys.rotate-begin", "keys.rotate"]
    with pytest.raises(WrongPassphrase):
        Project.open(root, Credentials(passphrase=PASSPHRASE))


def test_a_data_only_key_cannot_recover(archive: Archive, tmp_path: Path) -> None:
    from interviewkit.recipients import add_recipient

    root = archive.project_path("alpha")
    reader = x25519.Identity.generate()
    add_recipient(archive.open("alpha"), str(reader.to_public()), "data")
    with pytest.raises(IdentityError, match="linkage"):
        recover_with(root, _key_file(tmp_path, "reader", reader), "whatever")
    assert Project.open(root, Credentials(passphrase=PASSPHRASE)).index.rotation is None
