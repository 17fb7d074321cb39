"""Carrying out a project's due actions is all or nothing: every step's preconditions are checked
before the first deletion.  A steward with a data-scope key (who cannot open the linkage key) is
told the truth in the plan and refused before any audio is deleted."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest

from interviewkit import recipients
from interviewkit.anonymise.key_destruction import destroy_linkage_key, destroyed_on
from interviewkit.archive.retention import (
    apply_actions,
    by_project,
    due_actions,
    planned_actions,
    refusal_of,
)
from interviewkit.errors import IdentityError, InvalidInput
from interviewkit.project import Credentials, Project

TODAY = dt.date(2026, 11, 22)


def fingerprint(root: Path) -> dict[str, str]:
    """Every file of a project (audit log, index, audio …) and its SHA-256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".interviewkit.lock"}


def audio_of(root: Path) -> dict[str, str]:
    return {path: digest for path, digest in fingerprint(root).items() if "/audio/" in path}


@pytest.fixture
def data_key(archive, tmp_path) -> Path:  # noqa: F811
    """A steward's key added to alpha with scope data: it reads transcripts, not names."""
    key = tmp_path / "data-steward.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients.add_recipient(archive.open("alpha"), made.stderr.split("Public key:")[1].strip(), scope="data")
    return key


def as_data_steward(archive, data_key: Path) -> Project:  # noqa: F811
    return Project.open(archive.project_path("alpha"), Credentials(identity_files=[data_key]))


def test_the_plan_tells_a_data_steward_it_can_carry_out_nothing(archive, data_key) -> None:  # noqa: F811
    """A key of scope data reads the project but cannot sign a change (issue 15): every due action
    says so, and the steward of scope all is named by the hint."""
    alpha = as_data_steward(archive, data_key)
    found = {a.kind: a for a in planned_actions(alpha, TODAY)}
    key = found["destroy-linkage-key"]
    assert "0 participants" not in key.deletes and "not counted" in key.deletes
    for action in found.values():
        if action.pending:
            assert action.blocked.startswith("this key may read the project but not change it"), action.kind
            assert "header" not in action.blocked and "damaged" not in action.blocked
    due = by_project(due_actions(archive.root, Credentials(identity_files=[data_key]), TODAY))
    assert [entry.name for entry, _ in due] == ["alpha"]
    assert refusal_of(due[0][1]).startswith("delete audio: this key may read the project but not change it")
    # a key that signs and opens the linkage key is not blocked
    assert all(not a.blocked for a in planned_actions(archive.open("alpha"), TODAY))


def test_a_data_steward_is_refused_before_anything_is_deleted(archive, data_key) -> None:  # noqa: F811
    alpha = as_data_steward(archive, data_key)
    before = fingerprint(alpha.root)
    assert audio_of(alpha.root)
    due = [a for a in planned_actions(alpha, TODAY) if a.pending]
    assert [a.kind for a in due] == ["delete-audio", "destroy-linkage-key", "anonymise-transcripts"]
    for chosen in (due, due[:1]):
        with pytest.raises(IdentityError) as refused:
            apply_actions(alpha, chosen, TODAY, unreviewed_ok=True)
        assert refused.value.code == "project.read_only_key" and "header" not in refused.value.line()
        assert fingerprint(alpha.root) == before  # audio byte-identical, nothing written at all


def test_destroying_the_key_directly_says_the_truth(archive, data_key) -> None:  # noqa: F811
    alpha = as_data_steward(archive, data_key)
    before = fingerprint(alpha.root)
    with pytest.raises(IdentityError, match="only the project key .* can destroy it"):
        destroy_linkage_key(alpha, unreviewed_ok=True)
    assert fingerprint(alpha.root) == before


def test_an_unreviewed_project_is_refused_before_its_audio_goes(archive) -> None:  # noqa: F811
    alpha = archive.open("alpha")
    before = audio_of(alpha.root)
    due = [a for a in planned_actions(alpha, TODAY) if a.pending]
    with pytest.raises(InvalidInput, match="not reviewed"):
        apply_actions(alpha, due, TODAY)
    assert audio_of(alpha.root) == before and destroyed_on(alpha) is None
    assert "audio.delete" not in [e.action for e in alpha.verify_audit()[0]]
    lines = apply_actions(alpha, due, TODAY, unreviewed_ok=True)
    assert [line.split(":")[0] for line in lines] == ["delete audio", "destroy linkage key", "anonymise transcripts"]
    assert "already done" in lines[2]  # destroying the key anonymised the transcripts
    assert not audio_of(alpha.root) and destroyed_on(alpha)


def test_a_data_steward_cannot_delete_everything_even_at_the_very_end(archive, data_key) -> None:  # noqa: F811
    """Years after the end, delete-everything is due too; it needs no key that opens the linkage
    key, but every deletion is a signed audit entry, which a key of scope data cannot make."""
    later = dt.date(2030, 8, 1)
    alpha = as_data_steward(archive, data_key)
    before = fingerprint(alpha.root)
    found = {a.kind: a for a in planned_actions(alpha, later)}
    assert found["delete-everything"].pending and found["delete-everything"].blocked
    with pytest.raises(IdentityError) as refused:
        apply_actions(alpha, [a for a in found.values() if a.pending], later)
    assert refused.value.code == "project.read_only_key"
    assert fingerprint(alpha.root) == before
    lines = apply_actions(archive.open("alpha"), [a for a in found.values() if a.pending], later)
    assert "done" in lines[-1] and destroyed_on(archive.open("alpha")) == "2030-08-01"
