import json
from pathlib import Path

import pytest

from interviewkit import sessions
from interviewkit.audit import parse_log, render_log
from interviewkit.errors import VaultCorrupt
from interviewkit.project import AUDIT_FILE, INDEX_FILE, Credentials, Project
from interviewkit.vault.cipher import write_encrypted
from tests.conftest import PASSPHRASE


@pytest.fixture
def logged(project):
    for n in range(1, 5):
        sessions.add_session(project, f"S0{n}")
    return project


def rewrite_log(project, edit):
    entries, _ = parse_log(project.read(AUDIT_FILE))
    entries = edit(entries)
    write_encrypted(project.root / AUDIT_FILE, render_log(entries), project.data_recipients())


def problems(project):
    reopened = Project.open(project.root, Credentials(passphrase=PASSPHRASE))
    return [str(p) for p in reopened.verify_audit()[1]]


def test_clean_log_verifies(logged):
    entries, found = logged.verify_audit()
    assert [e.action for e in entries] == ["project.init"] + ["session.add"] * 4
    assert found == []


def test_edited_entry_is_caught(logged):
    def edit(entries):
        entries[2].actor = "mallory"
        return entries
    rewrite_log(logged, edit)
    assert any("bad signature" in p for p in problems(logged))


def test_removed_entry_is_caught(logged):
    rewrite_log(logged, lambda entries: entries[:2] + entries[3:])
    found = problems(logged)
    assert any("removed" in p for p in found) and any("hash chain" in p for p in found)


def test_reordered_entries_are_caught(logged):
    rewrite_log(logged, lambda entries: [entries[0], entries[2], entries[1], *entries[3:]])
    assert any("order" in p for p in problems(logged))


def test_cut_off_tail_is_caught(logged):
    rewrite_log(logged, lambda entries: entries[:-1])
    assert any("cut off" in p for p in problems(logged))


def test_garbled_line_is_caught(logged):
    plain = logged.read(AUDIT_FILE) + b"{not json\n"
    write_encrypted(logged.root / AUDIT_FILE, plain, logged.data_recipients())
    assert any("not a valid entry" in p for p in problems(logged))


def kill_before_renaming(monkeypatch, name):
    """Make the next change die (as under kill -9) after its manifest, before ``name`` is renamed."""
    import os
    real_replace = os.replace

    def replace(source, target):
        if Path(target).name == name:
            raise KeyboardInterrupt("killed")
        real_replace(source, target)
    monkeypatch.setattr(os, "replace", replace)


def test_log_ahead_of_index_is_an_interrupted_write_not_tampering(logged, monkeypatch):
    kill_before_renaming(monkeypatch, INDEX_FILE)
    with pytest.raises(KeyboardInterrupt):
        sessions.add_session(logged, "S05")
    monkeypatch.undo()
    assert problems(logged) == []  # the log is one change ahead, its index staged beside it
    reopened = Project.open(logged.root, Credentials(passphrase=PASSPHRASE))
    assert reopened.index.find_session("S05") is None  # the index on disk is the one before
    sessions.add_session(reopened, "S06")  # the next writer rolls the cut-short change forward
    assert [s.id for s in reopened.index.sessions][-2:] == ["S05", "S06"]
    assert problems(reopened) == []


def test_index_put_back_after_a_write_is_caught(logged):
    before = (logged.root / INDEX_FILE).read_bytes()
    sessions.add_session(logged, "S05")
    (logged.root / INDEX_FILE).write_bytes(before)  # the previous index copied back
    with pytest.raises(VaultCorrupt) as caught:
        Project.open(logged.root, Credentials(passphrase=PASSPHRASE))
    assert caught.value.code == "vault.file_changed" and "index.age" in str(caught.value)


def test_entries_are_ids_not_content(logged):
    sessions.add_session(logged, "Hjemmebesøk-Tromsø")
    for entry in logged.audit_entries()[0]:
        assert "Tromsø" not in json.dumps(entry.__dict__, ensure_ascii=False)
    assert logged.audit_entries()[0][-1].target == f"session:{logged.index.sessions[-1].key}"
