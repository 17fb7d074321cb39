"""Atomic replacement of a file: temp file in the same directory, fsync, rename, fsync dir.

A crash or ``kill -9`` at any point leaves either the old file or the new one, never a
mix.  Only ciphertext is handed to these functions, or (settings.py) preferences that
are not study data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from interviewkit.errors import DiskFull, StorageError

TEMP_PREFIX = ".tmp-"


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PRIVATE_DIR_MODE = 0o700


def make_private_dir(path: Path) -> None:
    """Create the folder ``path`` and each missing parent with mode 0700 (only the owner may list or
    enter it), whatever the umask; folders that exist already are left as they are.  Raises OSError."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:
            if folder.is_dir():  # made at the same moment by another writer
                continue
            raise
        os.chmod(folder, PRIVATE_DIR_MODE)  # a umask such as 0o200 narrows mkdir's mode


def storage_error(path: Path, exc: OSError) -> StorageError | DiskFull:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskFull(path, "disk full while writing", "free some space and try again; the last saved state is intact",
                        code="storage.disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError(path, f"cannot write ({exc.strerror})", "check the permissions of the project folder",
                            code="storage.cannot_write", params={"detail": exc.strerror})
    return StorageError(path, f"write failed ({exc.strerror})", "check the disk and try again; the last saved state is intact",
                        code="storage.write_failed", params={"detail": exc.strerror})


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on clean exit it replaces ``path`` atomically."""
    path = Path(path)
    with staged_writer(path) as staged:
        yield staged.handle
    install(staged.temp, path)


@dataclass
class Staged:
    """A temp file written and flushed to disk beside its target, not yet renamed over it."""

    temp: Path
    handle: BinaryIO


@contextlib.contextmanager
def staged_writer(path: Path) -> Iterator[Staged]:
    """Yield a temp file beside ``path``; on clean exit it is on disk (fsync) but not in place: call
    ``install`` (or ``discard``).  Several files staged first and installed together means a full
    disk stops a change before any of its files is replaced."""
    path = Path(path)
    try:
        make_private_dir(path.parent)
    except OSError as exc:
        raise storage_error(path, exc) from None
    temp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise storage_error(path, exc) from None
    handle = os.fdopen(fd, "wb")
    try:
        yield Staged(temp, handle)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
    except OSError as exc:
        _discard(handle, temp)
        raise storage_error(path, exc) from None
    except BaseException:
        _discard(handle, temp)
        raise


def install(temp: Path, path: Path) -> None:
    """Rename a staged temp file over its target and make the rename durable."""
    try:
        os.replace(temp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise storage_error(path, exc) from None


def install_all(pairs: list[tuple[Path, Path]]) -> None:
    """Rename staged temp files over their targets in the order given, then make the renames
    durable with one ``fsync`` per folder (a change of several files in one folder pays one)."""
    folders: dict[Path, None] = {}
    for temp, path in pairs:
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise storage_error(path, exc) from None
        folders[path.parent] = None
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError as exc:
            raise storage_error(folder, exc) from None


def discard(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()


def _discard(handle: BinaryIO, temp: Path) -> None:
    with contextlib.suppress(OSError):
        handle.close()
    with contextlib.suppress(OSError):
        temp.unlink()


def remove_stale_temps(directory: Path) -> int:
    """Delete temp files a killed writer left behind (they hold ciphertext only)."""
    removed = 0
    if not directory.is_dir():
        return 0
    for temp in directory.rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            temp.unlink()
            removed += 1
    return removed


DELETED_PREFIX = ".deleted-"


def remove_tree(folder: Path) -> None:
    """Delete a folder so that a crash never leaves half of it: renamed away first, then removed;
    leftovers of an earlier, interrupted delete beside it go too."""
    doomed = folder.with_name(f"{DELETED_PREFIX}{folder.name}")
    try:
        if folder.exists():
            os.replace(folder, doomed)
        for leftover in folder.parent.glob(f"{DELETED_PREFIX}*"):
            shutil.rmtree(leftover)
    except OSError as exc:
        raise StorageError(folder, f"cannot delete ({exc.strerror})",
                           "check the permissions of the project folder",
                           code="storage.cannot_delete", params={"detail": exc.strerror}) from None
