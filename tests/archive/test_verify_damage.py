"""Verify tells damage apart from a file encrypted to other keys: a damaged payload or header is
"damaged: restore it from a backup"; a change of recipients cut short by a damaged file says so,
and a file not yet re-encrypted to the reader's key is not called damaged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from interviewkit import recipients
from interviewkit.archive.verify import VerifyProblem, verify_project
from interviewkit.archive.verify_files import DAMAGED, header_recipients
from interviewkit.errors import InterviewkitError
from interviewkit.project import Credentials
from interviewkit.vault.cipher import AGE_MAGIC, read_encrypted, write_encrypted


def new_key(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / f"{name}.txt"
    made = subprocess.run(["age-keygen", "-o", str(path)], capture_output=True, text=True, check=True)
    return path, made.stderr.split("Public key:")[1].strip()


def segment(archive, name: str) -> Path:  # noqa: F811
    return next(p for p in sorted((archive.project_path(name) / "sessions").rglob("seg-*.age")))


def of(problems: list[VerifyProblem], path: Path) -> VerifyProblem:
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, [p.line() for p in problems]
    return found[0]


def flip(path: Path, offset: int, mask: int = 0x01) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= mask
    path.write_bytes(bytes(data))


def stanza_body(path: Path) -> int:
    """The offset of the first X25519 stanza's body (the wrapped file key)."""
    data = path.read_bytes()
    return data.index(b"\n", data.index(b"-> X25519 ")) + 1


def test_a_damaged_segment_payload_is_damage(archive) -> None:  # noqa: F811
    victim = segment(archive, "alpha")
    flip(victim, victim.stat().st_size - 30)
    problem = of(verify_project(archive.project_path("alpha"), archive.steward), victim)
    assert problem.problem.startswith(DAMAGED) and "backup" in problem.hint
    assert "recipients" not in problem.line()


@pytest.mark.parametrize("where", ["mac", "stanza", "malformed"])
def test_a_damaged_header_is_damage(archive, where: str) -> None:  # noqa: F811
    victim = segment(archive, "alpha")
    data = victim.read_bytes()
    if where == "mac":
        flip(victim, data.index(b"\n--- ") + 8)
    elif where == "stanza":  # still well-formed base64, but the wrapped key is wrong: "no matching keys"
        flip(victim, stanza_body(victim), 0x01 if data[stanza_body(victim)] != ord("z") else 0x03)
    else:
        flip(victim, stanza_body(victim), ord("!") ^ data[stanza_body(victim)])  # "!" is not base64
    problem = of(verify_project(archive.project_path("alpha"), archive.steward), victim)
    assert problem.problem.startswith(DAMAGED), problem.line()
    assert "backup" in problem.hint and "other keys" not in problem.problem


def test_a_file_encrypted_to_an_older_set_of_recipients_is_not_called_damaged(archive) -> None:  # noqa: F811
    alpha = archive.open("alpha")
    victim = segment(archive, "alpha")
    plain = read_encrypted(victim, alpha.keyring.identities)
    write_encrypted(victim, plain, alpha.data_recipients()[:1])  # the project key only: as before the steward
    assert header_recipients(victim) == 1
    problem = of(verify_project(alpha.root, archive.steward), victim)
    assert not problem.problem.startswith(DAMAGED)
    assert "encrypted to other keys (1 recipients, where the project names 2)" in problem.problem


def test_a_change_of_recipients_stopped_by_damaged_audio(archive, tmp_path) -> None:  # noqa: F811
    """gamma's damaged audio file stops the re-encryption: verify names the damage as the cause,
    and a new recipient reading the files not yet re-encrypted is told just that."""
    gamma = archive.open("gamma")
    damaged = [p for p in verify_project(gamma.root, archive.steward) if p.problem.startswith(DAMAGED)]
    assert len(damaged) == 1 and "audio" in damaged[0].path.parts
    key, recipient = new_key(tmp_path, "transcriber")
    with pytest.raises(InterviewkitError):
        recipients.add_recipient(gamma, recipient, scope="data")
    assert archive.open("gamma").index.rewrap_pending
    problems = verify_project(gamma.root, archive.steward)
    assert of(problems, damaged[0].path).problem.startswith(DAMAGED)
    index = of(problems, gamma.root / "index.age")
    assert "cut short at 1 damaged file" in index.problem and "restore the damaged files" in index.hint
    # the new recipient's key: what was not re-encrypted yet is no damage
    seen = verify_project(gamma.root, Credentials(identity_files=[key]))
    not_yet = [p for p in seen if p.problem.startswith("not encrypted to your key yet")]
    assert not_yet and not any(p.problem.startswith(DAMAGED) for p in seen if p.path.suffix == ".age"
                               and p not in not_yet and "audio" not in p.path.parts)


def test_header_recipients_counts_x25519_stanzas(archive, tmp_path) -> None:  # noqa: F811
    alpha = archive.open("alpha")
    assert header_recipients(segment(archive, "alpha")) == 2  # the project key and the steward
    plain = tmp_path / "plain.age"
    plain.write_bytes(AGE_MAGIC + b"-> X25519 short\n\n--- abc\n")
    assert header_recipients(plain) is None
    write_encrypted(plain, b"x", alpha.data_recipients() * 1)
    assert header_recipients(plain) == 2


def test_every_problem_is_one_line_whatever_age_says(archive) -> None:  # noqa: F811
    victim = segment(archive, "alpha")
    data = victim.read_bytes()
    flip(victim, data.index(b"-> X25519 ") + 3, 0xFF)  # the stanza's type: age answers in two lines
    problem = of(verify_project(archive.project_path("alpha"), archive.steward), victim)
    assert problem.problem.startswith(DAMAGED) and "\n" not in problem.line()
