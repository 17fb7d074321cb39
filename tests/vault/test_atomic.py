import errno
import os

import pytest

from interviewkit.errors import DiskFull
from interviewkit.vault.atomic import atomic_writer, remove_stale_temps


def test_replaces_atomically(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")
    with atomic_writer(path) as out:
        out.write(b"new")
    assert path.read_bytes() == b"new"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_failure_keeps_old_and_removes_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as error:
        with atomic_writer(path) as out:
            out.write(b"new")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert "disk full" in str(error.value) and str(path) in str(error.value)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_exception_in_body_discards(tmp_path):
    path = tmp_path / "a.bin"
    with pytest.raises(RuntimeError):
        with atomic_writer(path) as out:
            out.write(b"partial")
            raise RuntimeError("boom")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_remove_stale_temps(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".tmp-abc").write_bytes(b"x")
    (tmp_path / "keep.age").write_bytes(b"x")
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["keep.age"]
