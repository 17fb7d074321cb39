"""One writer per project: an advisory lock (flock) on ``.interviewkit.lock``.

The kernel releases the lock when the holder dies, so a ``kill -9`` never leaves a
stale lock.  The file names the holder (user, host, process id, time) so that a
second writer can say who is in the way.  It holds no study data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import getpass
import os
import socket
import threading
from pathlib import Path

from interviewkit.errors import ProjectLocked, StorageError

LOCK_NAME = ".interviewkit.lock"


class ProjectLock:
    """The writer's lock: ``flock`` between processes, and a re-entrant thread lock inside one, so
    that two workers of one program (say, an autosave and a review decision) take turns instead of
    both passing as if nested."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / LOCK_NAME
        self._fd: int | None = None
        self._depth = 0
        self._threads = threading.RLock()

    def acquire(self) -> None:
        self._threads.acquire()  # another thread of this process holding it: wait for it to finish
        try:
            self._acquire_file()
        except BaseException:
            self._threads.release()
            raise

    def _acquire_file(self) -> None:
        if self._fd is not None:
            self._depth += 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError(self.path, f"cannot create the lock file ({exc.strerror})",
                               "check the permissions of the project folder",
                               code="vault.cannot_create_lock", params={"detail": exc.strerror}) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise ProjectLocked(self.path.parent, f"the project is being written by {holder}",
                                "wait until that program is closed, then try again",
                                params={"holder": holder}) from None
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
        holder = f"{getpass.getuser()}@{socket.gethostname()} (pid {os.getpid()}, since {stamp})"
        with contextlib.suppress(OSError):  # a full disk must not stop the lock; the name is a courtesy
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.encode(), 0)
        self._fd = fd
        self._depth = 1

    @property
    def outermost(self) -> bool:
        """True inside the first (not a nested) acquisition."""
        return self._depth == 1

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self._depth -= 1
            if self._depth > 0:
                return
            fd, self._fd = self._fd, None
            try:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        finally:
            self._threads.release()

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
