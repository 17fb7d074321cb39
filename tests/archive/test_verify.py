"""Verifying an archive: every file decrypts, the log is intact, the index matches the files."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from interviewkit import recipients
from interviewkit.archive import verify
from interviewkit.archive.verify import VerifyProblem, verify_archive, verify_project
from interviewkit.audit import parse_log, render_log
from interviewkit.project import Credentials
from interviewkit.vault.cipher import encrypt_bytes, read_encrypted, write_encrypted


def by_name(report: dict[Path, list[VerifyProblem]]) -> dict[str, list[VerifyProblem]]:
    return {path.name: problems for path, problems in report.items()}


def only(problems: list[VerifyProblem]) -> VerifyProblem:
    assert len(problems) == 1, [p.line() for p in problems]
    return problems[0]


def session_folder(archive, name: str, session_id: str = "S01") -> Path:
    project = archive.open(name)
    return project.root / "sessions" / project.index.find_session(session_id).key


def take_folder(archive, name: str) -> Path:
    return next((session_folder(archive, name) / "audio").iterdir())


def test_the_generated_archive(archive) -> None:
    report = by_name(verify_archive(archive.root, archive.steward, workers=1))
    assert list(report) == ["alpha", "beta", "gamma", "delta"]
    assert report["alpha"] == [] and report["beta"] == []
    damaged = only(report["gamma"])
    assert "audio" in damaged.path.parts and damaged.path.suffix == ".age" and damaged.path.is_file()
    assert "cannot decrypt" in damaged.problem and "backup" in damaged.hint
    foreign = only(report["delta"])
    assert foreign.path == archive.project_path("delta") and "not a recipient" in foreign.problem
    assert "add-recipient" in foreign.hint and "\n" not in foreign.line()


def test_verify_project_on_its_own(archive) -> None:
    assert verify_project(archive.project_path("alpha"), archive.steward) == []
    assert "not a recipient" in only(verify_project(archive.project_path("delta"), archive.steward)).problem


def test_a_deleted_session_folder(archive) -> None:
    folder = session_folder(archive, "alpha")
    shutil.rmtree(folder)
    problem = only(verify_project(archive.project_path("alpha"), archive.steward))
    assert problem.path == folder and "S01" in problem.problem and "missing" in problem.problem


def test_a_session_folder_erased_on_the_record_is_no_problem(archive) -> None:
    project = archive.open("alpha")
    folder = session_folder(archive, "alpha")
    with project.writing() as change:  # what retention does at the end of a study
        project.remove_path(folder)
        change.log("session.erase", f"session:{folder.name}", files=4)
    assert verify_project(project.root, archive.steward) == []


def test_a_session_folder_the_index_does_not_know(archive) -> None:
    stranger = archive.project_path("alpha") / "sessions" / "0123456789abcdef"
    shutil.copytree(session_folder(archive, "alpha", "G01"), stranger)
    problem = only(verify_project(archive.project_path("alpha"), archive.steward))
    assert problem.path == stranger and "index does not know" in problem.problem


@pytest.mark.parametrize("victim", ["transcript", "segment", "index"])
def test_a_truncated_file(archive, victim: str) -> None:
    path = {"transcript": session_folder(archive, "alpha") / "transcript.age",
            "segment": take_folder(archive, "alpha") / "seg-000001.age",
            "index": archive.project_path("alpha") / "audit.age"}[victim]
    path.write_bytes(path.read_bytes()[:-40])
    problem = only(verify_project(archive.project_path("alpha"), archive.steward))
    assert problem.path == path and "truncated" in problem.problem and problem.hint


def test_a_missing_segment_and_a_swapped_one(archive) -> None:
    take = take_folder(archive, "alpha")
    (take / "seg-000001.age").unlink()
    problem = only(verify_project(archive.project_path("alpha"), archive.steward))
    assert problem.path == take / "seg-000001.age" and "missing" in problem.problem
    project = archive.open("beta")  # a valid segment of the same length, but other audio
    other = take_folder(archive, "beta") / "seg-000001.age"
    write_encrypted(take / "seg-000001.age", bytes(len(read_encrypted(other, project.keyring.identities))),
                    archive.open("alpha").data_recipients())
    problem = only(verify_project(archive.project_path("alpha"), archive.steward))
    assert problem.path == take / "seg-000001.age" and "checksum" in problem.problem
    problem = only(verify_project(archive.project_path("alpha"), archive.steward, checksums=False))
    assert problem.path == take / "seg-000001.age" and "signed manifest" in problem.problem  # caught all the same


def test_an_unlisted_segment_and_a_half_deleted_take(archive) -> None:
    take = take_folder(archive, "alpha")
    shutil.copy(take / "seg-000001.age", take / "seg-000002.age")
    shutil.copytree(take, take.with_name(".deleted-0123456789ab"))
    problems = verify_project(archive.project_path("alpha"), archive.steward)
    assert [p.path.name for p in problems] == [".deleted-0123456789ab", "seg-000002.age"]
    assert "interrupted deletion" in problems[0].problem and "does not list" in problems[1].problem


@pytest.mark.parametrize("victim", ["transcript", "take-index", "index"])
def test_a_file_that_decrypts_but_is_not_what_its_place_says(archive, victim: str) -> None:
    project = archive.open("alpha")
    path = {"transcript": session_folder(archive, "alpha") / "transcript.age",
            "take-index": take_folder(archive, "alpha") / "index.age",
            "index": take_folder(archive, "alpha") / "index.age"}[victim]
    if victim == "index":  # the project's index where the take's index belongs
        path.write_bytes((project.root / "index.age").read_bytes())
    else:
        write_encrypted(path, b'{"format": "something-else"}', project.data_recipients())
    problem = only(verify_project(project.root, archive.steward))
    assert problem.path == path and "decrypts, but is not a valid" in problem.problem and problem.hint


def test_stray_temp_and_plaintext_files(archive) -> None:
    folder = session_folder(archive, "beta")
    (folder / ".tmp-0123456789abcdef").write_bytes(b"age-encryption.org/v1\n")
    (archive.project_path("beta") / "notes.txt").write_text("Dina Deltaker, tlf …")
    problems = verify_project(archive.project_path("beta"), archive.steward)
    assert [p.path.name for p in problems] == ["notes.txt", ".tmp-0123456789abcdef"]
    assert "unencrypted" in problems[0].problem and "temp file" in problems[1].problem


def test_an_edited_audit_entry(archive) -> None:
    project = archive.open("alpha")
    audit = project.root / "audit.age"
    entries, _ = parse_log(read_encrypted(audit, project.keyring.identities))
    entries[2].actor = "someone-else"
    audit.write_bytes(encrypt_bytes(render_log(entries), project.data_recipients()))
    problems = verify_project(project.root, archive.steward)
    assert problems and all(p.path == audit for p in problems)
    assert any("entry 3" in p.problem and "signature" in p.problem for p in problems)


def test_a_cut_audit_log(archive) -> None:
    project = archive.open("alpha")
    audit = project.root / "audit.age"
    entries, _ = parse_log(read_encrypted(audit, project.keyring.identities))
    audit.write_bytes(encrypt_bytes(render_log(entries[:-2]), project.data_recipients()))
    problem = only(verify_project(project.root, archive.steward))
    assert problem.path == audit and "cut off" in problem.problem


def test_a_damaged_index_still_has_its_files_checked(archive) -> None:
    root = archive.project_path("beta")
    data = bytearray((root / "index.age").read_bytes())
    data[-5] ^= 0x01
    (root / "index.age").write_bytes(bytes(data))
    transcript = next((root / "sessions").rglob("transcript.age"))
    transcript.write_bytes(transcript.read_bytes()[:-20])
    problems = verify_project(root, archive.steward)
    assert [p.path for p in problems] == [root, root / "index.age", transcript]
    assert "only its files were checked" in problems[0].problem and "cannot decrypt" in problems[1].problem


def test_a_data_only_key_says_what_it_could_not_check(archive, tmp_path) -> None:
    key = tmp_path / "data-only.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients.add_recipient(archive.open("alpha"), made.stderr.split("Public key:")[1].strip(), scope="data")
    problem = only(verify_project(archive.project_path("alpha"), Credentials(identity_files=[key])))
    assert problem.path.name == "linkage.age" and problem.problem.startswith("not checked")


@pytest.mark.parametrize("state", ["rewrap", "rotation", "leftover"])
def test_changes_of_keys_cut_short(archive, state: str) -> None:
    project = archive.open("alpha")
    if state == "leftover":  # a rotation killed before its index write
        shutil.copy(project.root / "keys/identity.age", project.root / "keys/identity.age.new")
    else:
        with project.writing():  # the index as a change cut short leaves it
            if state == "rewrap":
                project.index.rewrap_pending = True
            else:
                project.index.rotation = {"old_recipient": project.index.project_recipient,
                                          "new_recipient": archive.steward_recipient,
                                          "started": "2026-05-01T10:00:00+00:00", "identity_sha256": "0" * 64}
    problem = only(verify_project(project.root, archive.steward))
    expected = {"rewrap": "change of recipients was cut short", "rotation": "rotation of the project key was cut short",
                "leftover": "left over from a key rotation"}[state]
    assert expected in problem.problem and problem.hint


def damage_everything(archive) -> None:
    shutil.rmtree(session_folder(archive, "alpha"))
    transcript = session_folder(archive, "beta") / "transcript.age"
    transcript.write_bytes(transcript.read_bytes()[:-20])
    group = session_folder(archive, "beta", "G01")
    group.mkdir(parents=True, exist_ok=True)
    (group / ".tmp-00000000deadbeef").write_bytes(b"x")
    project = archive.open("gamma")
    index = json.loads(read_encrypted(project.root / "index.age", project.keyring.identities))
    index["sessions"][1]["key"] = "fedcba9876543210"
    write_encrypted(project.root / "index.age", json.dumps(index).encode(), project.data_recipients())


@pytest.mark.parametrize("pool", ["process", "thread"])
def test_parallel_and_sequential_find_the_same(archive, pool: str, monkeypatch) -> None:
    monkeypatch.setattr(verify, "BATCH_FILES", 3)  # many small batches, spread over the workers
    damage_everything(archive)
    sequential = verify_archive(archive.root, archive.steward, workers=1)
    assert sum(len(p) for p in sequential.values()) >= 6
    assert verify_archive(archive.root, archive.steward, workers=3, pool=pool) == sequential


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_every_ciphertext_byte(archive, workers: int) -> None:
    calls: list[tuple[int, int]] = []
    verify_archive(archive.root, archive.steward, workers=workers, progress=lambda d, t: calls.append((d, t)))
    expected = sum(p.stat().st_size for name in ("alpha", "beta", "gamma")
                   for p in archive.project_path(name).rglob("*.age") if p.name != "identity.age")
    assert calls and calls[-1] == (expected, expected)
    assert all(b[0] >= a[0] and b[1] == expected for a, b in itertools.pairwise(calls))


def test_an_unknown_pool_is_refused(archive) -> None:
    with pytest.raises(ValueError, match="unknown pool"):
        verify_archive(archive.root, archive.steward, workers=2, pool="fibers")
