"""The vault under attack (issue 15): each test is written as the attack, with the stock `age` tool
where the attacker would use it, and checks what the owner's interviewkit does next.

Who attacks: someone who can write to the project folder (a shared drive, a backup they restore)
and holds at most the project's *public* key or a recipient key of scope data.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from interviewkit import recipients, sessions
from interviewkit.consent import add_participant
from interviewkit.errors import DiskFull, IdentityError, VaultCorrupt
from interviewkit.project import AUDIT_FILE, INDEX_FILE, LINKAGE_FILE, MARKER, SIGNING_FILE, Credentials, Project
from interviewkit.transcript.store import TRANSCRIPT_FILE
from interviewkit.vault.integrity import MANIFEST_FILE
from interviewkit.demo import DEMO_PASSPHRASE
from tests.conftest import PASSPHRASE, REPO, assert_user_error, run_cli, small_disk

TRANSCRIPT = {"format": "interviewkit-transcript", "version": 1, "language": "no", "speakers": {},
              "segments": [{"id": "0000aaaa", "take": "t", "start": 0.0, "end": 1.0, "text": "Forged words.",
                            "speaker": "D1", "checked": True, "words": []}]}


def keypair(tmp_path: Path, name: str) -> tuple[Path, str]:
    key = tmp_path / f"{name}.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout
    return key, public.strip()


def age_decrypt(key: Path, path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["age", "-d", "-i", str(key), str(path)], capture_output=True)


def age_encrypt(plaintext: bytes, recipients_: list[str], out: Path) -> None:
    args = [arg for r in recipients_ for arg in ("-r", r)]
    subprocess.run(["age", *args, "-o", str(out)], input=plaintext, check=True, capture_output=True)


def with_transcripts(project: Project) -> list[sessions.Session]:
    """Give two sessions a transcript file (as the editor's first save does)."""
    chosen = project.index.sessions[:2]
    for number, session in enumerate(chosen, start=1):
        data = dict(TRANSCRIPT, segments=[dict(TRANSCRIPT["segments"][0], text=f"Real words of {session.id}.")])
        project.save_session_file(session, TRANSCRIPT_FILE, json.dumps(data).encode())
    return chosen


def read_transcript(project: Project, session: sessions.Session) -> bytes | None:
    return project.load_session_file(session, TRANSCRIPT_FILE)


@pytest.fixture
def owner(demo_root: Path, reopen) -> Project:
    return reopen(demo_root)


@pytest.fixture
def demo_env(cli_env: dict[str, str]) -> dict[str, str]:
    """The CLI as the demo project's owner: its passphrase (which vouches for the signing key)."""
    return dict(cli_env, INTERVIEWKIT_PASSPHRASE=DEMO_PASSPHRASE)


# -- scopes ------------------------------------------------------------------------------------


def test_a_data_scope_recipient_cannot_sign_and_its_rewritten_index_is_refused(owner, demo_root, reopen, tmp_path,
                                                                               demo_key, demo_env):
    key, public = keypair(tmp_path, "data-steward")
    recipients.add_recipient(owner, public, scope="data")
    assert age_decrypt(key, demo_root / INDEX_FILE).returncode == 0  # its scope: the data files
    assert age_decrypt(key, demo_root / SIGNING_FILE).returncode != 0  # never the signing key
    assert age_decrypt(key, demo_root / LINKAGE_FILE).returncode != 0
    # with interviewkit itself it reads, but a change is refused before anything is written
    steward = Project.open(demo_root, Credentials(identity_files=[key]))
    before = {p: p.read_bytes() for p in demo_root.rglob("*") if p.is_file()}
    with pytest.raises(IdentityError) as refused:
        sessions.add_session(steward, "S99")
    assert refused.value.code == "project.read_only_key"
    assert {p: p.read_bytes() for p in demo_root.rglob("*") if p.is_file()} == before
    # the attack: it adds itself to the linkage recipients with the stock tool
    index = json.loads(age_decrypt(key, demo_root / INDEX_FILE).stdout)
    index["linkage_recipients"].append(public)
    age_encrypt(json.dumps(index).encode(), [index["project_recipient"], *index["data_recipients"]],
                demo_root / INDEX_FILE)
    with pytest.raises(VaultCorrupt) as caught:
        reopen(demo_root)
    assert caught.value.code == "vault.file_changed" and str(demo_root / INDEX_FILE) in caught.value.line()
    result = run_cli(["session", "add", str(demo_root), "S98"], demo_env, check=False)
    assert_user_error(result, "index.age", "signed manifest")
    assert age_decrypt(key, demo_root / LINKAGE_FILE).returncode != 0  # the owner wrote nothing for it
    verify = run_cli(["archive", "verify", str(demo_root)], demo_env, check=False)
    assert verify.returncode != 0 and "index.age" in verify.stdout + verify.stderr


# -- forgery, swap, deletion -------------------------------------------------------------------


def test_a_transcript_forged_with_the_public_key_is_refused_everywhere(owner, demo_root, demo_key, demo_env):
    session = with_transcripts(owner)[0]
    target = owner.session_path(session, TRANSCRIPT_FILE)
    age_encrypt(json.dumps(TRANSCRIPT).encode(), [owner.index.project_recipient], target)  # the public key is enough
    with pytest.raises(VaultCorrupt) as caught:
        read_transcript(owner, session)
    assert caught.value.code == "vault.file_changed"
    for args in (["transcript", "show", str(demo_root), session.id],
                 ["export", str(demo_root), "--session", session.id, "--format", "txt", "-o",
                  str(demo_root.parent / "out") + "/", "--unreviewed", "--identifiable", "--yes"]):
        result = run_cli([*args], demo_env, check=False)
        assert result.returncode == 2 and "Forged words" not in result.stdout, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "signed manifest" in result.stderr
    verify = run_cli(["archive", "verify", str(demo_root)], demo_env, check=False)
    assert verify.returncode != 0 and str(target) in verify.stdout + verify.stderr


def test_swapped_transcripts_are_refused(owner):
    first, second = with_transcripts(owner)
    a, b = owner.session_path(first, TRANSCRIPT_FILE), owner.session_path(second, TRANSCRIPT_FILE)
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    for session in (first, second):
        with pytest.raises(VaultCorrupt) as caught:
            read_transcript(owner, session)
        assert caught.value.code == "vault.file_changed"


def test_a_deleted_transcript_is_an_error_not_a_silent_rebuild(owner):
    session = with_transcripts(owner)[0]
    owner.session_path(session, TRANSCRIPT_FILE).unlink()
    with pytest.raises(VaultCorrupt) as caught:
        read_transcript(owner, session)
    assert caught.value.code == "vault.file_deleted"
    from interviewkit.transcript.store import open_transcript
    with pytest.raises(VaultCorrupt):
        open_transcript(owner, session)


def test_a_planted_file_is_refused(owner):
    session = owner.index.sessions[0]
    planted = owner.session_path(session, TRANSCRIPT_FILE)
    planted.parent.mkdir(parents=True, exist_ok=True)
    age_encrypt(json.dumps(TRANSCRIPT).encode(), [owner.index.project_recipient], planted)
    with pytest.raises(VaultCorrupt) as caught:
        read_transcript(owner, session)
    assert caught.value.code == "vault.file_unlisted"


# -- rollback ----------------------------------------------------------------------------------


def test_an_older_audit_log_put_back_is_never_built_upon(owner, demo_root, reopen, demo_key, demo_env):
    older = (demo_root / AUDIT_FILE).read_bytes()
    sessions.add_session(owner, "S10")
    (demo_root / AUDIT_FILE).write_bytes(older)  # the previous log: one write back
    for _ in range(2):  # and again after the refused write: nothing papered over
        result = run_cli(["audit", "verify", str(demo_root)], demo_env, check=False)
        assert result.returncode != 0 and ("cut off" in result.stderr or "signed manifest" in result.stderr)
        with pytest.raises(VaultCorrupt) as caught:
            sessions.add_session(reopen(demo_root), "S11")
        assert caught.value.code in ("vault.file_changed", "audit.rolled_back")
    assert (demo_root / AUDIT_FILE).read_bytes() == older


def test_an_older_index_put_back_is_refused(owner, demo_root, reopen):
    older = (demo_root / INDEX_FILE).read_bytes()
    add_participant(owner, "D9", "Kari Nordmann", consent_items=["participation"])
    (demo_root / INDEX_FILE).write_bytes(older)
    with pytest.raises(VaultCorrupt) as caught:
        reopen(demo_root)
    assert caught.value.code == "vault.file_changed"


def test_a_whole_project_rolled_back_is_seen_against_the_noted_head(owner, demo_root, demo_key, demo_env, tmp_path):
    copy = tmp_path / "older-copy"
    shutil.copytree(demo_root, copy)
    sessions.add_session(owner, "S10")
    shown = run_cli(["audit", "verify", str(demo_root)], demo_env).stdout
    noted = int(shown.split("Signed state: write ")[1].split(",")[0])
    shutil.rmtree(demo_root)
    shutil.copytree(copy, demo_root)  # an older, consistent copy: every file matches its manifest
    plain = run_cli(["audit", "verify", str(demo_root)], demo_env)
    assert plain.returncode == 0  # undetectable without what the steward noted ...
    since = run_cli(["audit", "verify", str(demo_root), "--since", str(noted)], demo_env,
                    check=False)
    assert since.returncode == 1 and "rolled back" in since.stderr  # ... and caught with it


def test_a_replaced_marker_key_is_refused_to_the_passphrase_owner(project_dir, tmp_path):
    from interviewkit.vault.keys import SigningKey
    marker = json.loads((project_dir / MARKER).read_text())
    marker["audit_public_key"] = SigningKey.generate().public_text()  # the attacker's own key
    (project_dir / MARKER).write_text(json.dumps(marker))
    with pytest.raises(VaultCorrupt) as caught:
        Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
    assert caught.value.code == "vault.marker_key_replaced"


# -- interrupted recipient changes -------------------------------------------------------------

CHANGE = """
import os, sys
from pathlib import Path
import interviewkit.project as project_module
from interviewkit import recipients
from interviewkit.project import Credentials, Project
project_module.REWRAP_BATCH = 1
project = Project.open(Path(sys.argv[1]), Credentials(identity_files=[Path(sys.argv[2])]))
def progress(done, total):
    print(done, flush=True)
if sys.argv[3] == "add":
    recipients.add_recipient(project, sys.argv[4], scope="all", progress=progress)
else:
    recipients.remove_recipient(project, sys.argv[4], progress=progress)
print("finished", flush=True)
"""


def _kill_during(root: Path, project_key: Path, action: str, key: str, after: int) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHANGE, str(root), str(project_key), action, key], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for _ in range(after):
        line = child.stdout.readline().strip()
        assert line and line != "finished", "the change ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def _opens(key: Path, root: Path) -> dict[str, bool]:
    return {str(p.relative_to(root)): age_decrypt(key, p).returncode == 0
            for p in sorted(root.rglob("*.age")) if p.name != "identity.age" and not p.name.startswith(".tmp-")}


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_during_add_then_remove_recipient_then_repeat(demo_root, demo_key, tmp_path, demo_env, seed):
    key, public = keypair(tmp_path, "steward")
    chooser = random.Random(seed)
    _kill_during(demo_root, demo_key, "add", public, after=chooser.randint(1, 8))
    assert not all(_opens(key, demo_root).values())  # cut short: some files still closed to it
    repeated = run_cli(["keys", "add-recipient", str(demo_root), public, "--scope", "all"], demo_env)
    assert "re-encrypted" in repeated.stdout
    assert all(_opens(key, demo_root).values())  # every file, checked one by one with the stock tool
    _kill_during(demo_root, demo_key, "remove", public, after=chooser.randint(1, 8))
    assert any(_opens(key, demo_root).values())  # cut short: it still opens some files
    status = run_cli(["archive", "verify", str(demo_root)], demo_env, check=False)
    assert f"interviewkit keys resume {demo_root}" in status.stdout + status.stderr
    again = run_cli(["keys", "remove-recipient", str(demo_root), public], demo_env)
    assert "re-encrypted" in again.stdout
    assert not any(_opens(key, demo_root).values())
    assert run_cli(["archive", "verify", str(demo_root)], demo_env).returncode == 0


def test_keys_resume_finishes_an_interrupted_change(demo_root, demo_key, tmp_path, demo_env):
    key, public = keypair(tmp_path, "steward")
    _kill_during(demo_root, demo_key, "add", public, after=3)
    result = run_cli(["keys", "resume", str(demo_root)], demo_env)
    assert "Finished" in result.stdout
    assert all(_opens(key, demo_root).values())
    assert "nothing to do" in run_cli(["keys", "resume", str(demo_root)],
                                      demo_env).stdout


# -- write order on a full disk ----------------------------------------------------------------


def _fill(mount: Path, leave: int) -> None:
    filler = mount / f"filler-{leave}"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
            if free <= leave:
                break
            os.write(fd, b"\0" * min(4096, free - leave))
    except OSError:
        pass
    finally:
        os.close(fd)


def test_a_full_disk_during_participant_add_leaves_no_name_behind(project_dir, tiny_disk, cli_env, tmp_path):
    """Tried with 0 to 40 KiB left: either the participant is added whole, or nothing is."""
    key = tmp_path / "project-key.txt"
    key.write_text(f"{Project.open(project_dir, Credentials(passphrase=PASSPHRASE)).keyring.project_identity}\n")
    outcomes = set()
    for number, leave in enumerate(range(0, 40 * 1024 + 1, 4096)):
        root = tiny_disk / f"p{number}"
        shutil.copytree(project_dir, root)
        _fill(tiny_disk, leave)
        result = run_cli(["participant", "add", str(root), "--code", "D1", "--name", "Kari Nordmann",
                          "--consent", "all", "--identity", str(key)], cli_env, check=False)
        for filler in tiny_disk.glob("filler-*"):
            filler.unlink()
        linkage = age_decrypt(key, root / LINKAGE_FILE)
        assert linkage.returncode == 0
        named = "Nordmann" in linkage.stdout.decode()
        listed = run_cli(["participant", "list", str(root), "--identity", str(key)], cli_env).stdout
        if result.returncode == 0:
            assert named and "D1" in listed
            outcomes.add("added")
        else:
            assert_user_error(result, "disk full")
            assert not named and "D1" not in listed, leave  # no name the index does not account for
            outcomes.add("refused")
        assert run_cli(["audit", "verify", str(root), "--identity", str(key)], cli_env).returncode == 0
        shutil.rmtree(root)
    assert "refused" in outcomes


def test_a_full_disk_during_add_recipient_then_repeat(demo_root, demo_key, tmp_path, demo_env, monkeypatch):
    """The re-encryption stops at a full disk (real tmpfs) part-way; the repeated command finishes
    it once there is room, and the stock tool opens every file with the new key."""
    key, public = keypair(tmp_path, "steward")
    monkeypatch.setattr("interviewkit.project.REWRAP_BATCH", 1)
    with small_disk(tmp_path / "small", "8m") as mount:
        root = mount / "project"
        shutil.copytree(demo_root, root)
        _fill(mount, 400 * 1024)  # room for the small files, not for an audio segment beside its copy
        with pytest.raises(DiskFull):
            recipients.add_recipient(Project.open(root, Credentials(identity_files=[demo_key])), public, scope="all")
        opened = _opens(key, root)
        assert any(opened.values()) and not all(opened.values())  # cut short part-way
        assert not list(root.rglob(".tmp-*"))  # no half-written file left behind
        for filler in mount.glob("filler-*"):
            filler.unlink()
        repeated = run_cli(["keys", "add-recipient", str(root), public, "--scope", "all"], demo_env)
        assert "re-encrypted" in repeated.stdout
        assert all(_opens(key, root).values())
        assert run_cli(["archive", "verify", str(root)], demo_env).returncode == 0


def test_the_manifest_names_every_vault_file(owner, demo_root):
    manifest = owner.integrity.current()
    on_disk = {str(p.relative_to(demo_root)) for p in owner.vault_files()}
    assert set(manifest.files) == on_disk and MANIFEST_FILE not in on_disk
    assert owner.integrity.problems(owner.vault_files()) == []
