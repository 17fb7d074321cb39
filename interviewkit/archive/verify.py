"""Checking that an archive's projects are whole: every file decrypts, the log is intact, the
index matches the files.  Nothing is changed; each problem is one line: file, fault, remedy.

Three steps per project.  *Plan* (in the caller's process): open the project, walk its folder
(stray temp files, plaintext files, leftover folders, take folders against their indexes) and
make one job per ``*.age`` file.  *Decrypt*: every job is streamed through the vault's
``decrypt_file_to`` into a sink that counts, hashes audio segments against their take index and
keeps only small structured files (index, transcripts, …) to parse them; jobs of all projects
run together, largest first, in a process pool (pyrage holds the GIL while it decrypts, so
threads do not scale; see ``benchmarks/archive.py``).  *Check*: the audit log's chain and
signatures, and the sessions of the index against the session folders.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyrage import x25519

from interviewkit.archive import verify_files as files
from interviewkit.archive.discovery import find_projects
from interviewkit.audit import AuditEntry
from interviewkit.errors import IdentityError, InterviewkitError
from interviewkit.project import AUDIT_FILE, IDENTITY_FILE, LINKAGE_FILE, Credentials, Project
from interviewkit.vault.keys import parse_identity_file

Progress = Callable[[int, int], None]
POOLS = ("process", "thread")
DEFAULT_POOL = "process"
# Below this many bytes an archive is checked in the caller's process (starting workers costs more).
# (A process pool takes about half a second to start; pyrage decrypts some 600 MB/s per core.)
PARALLEL_MIN_BYTES = 512 * 1024 * 1024
# Small files go to the pool in batches of about this many bytes (or BATCH_FILES files), so that an
# archive of 5-second audio segments (tens of thousands of files) is not tens of thousands of tasks.
BATCH_BYTES = 32 * 1024 * 1024
BATCH_FILES = 256
# Audit actions after which a session's folder may be gone or empty (interviewkit.archive.retention).
DELETING_ACTIONS = frozenset({"audio.delete", "transcript.delete", "session.erase"})
NOT_A_RECIPIENT_HINT = ("ask the project's owner to add your key "
                        "(interviewkit keys add-recipient PROJECT YOUR_AGE_KEY --scope all)")


@dataclass(frozen=True, order=True)
class VerifyProblem:
    path: Path     # the file (or folder) concerned
    problem: str   # what is wrong, one line
    hint: str = ""  # what to do, one line

    def line(self) -> str:
        return f"{self.path}: {self.problem}" + (f" — {self.hint}" if self.hint else "")


@dataclass
class _Plan:
    root: Path
    project: Project | None
    identities: list[x25519.Identity]
    problems: list[VerifyProblem] = field(default_factory=list)
    jobs: list[files.Job] = field(default_factory=list)


def _identities_of(credentials: Credentials) -> list[x25519.Identity]:
    found: list[x25519.Identity] = []
    for path in credentials.identity_files:
        found.extend(parse_identity_file(path))
    return found


def _plan(root: Path, credentials: Credentials, keyring: int, checksums: bool) -> _Plan:
    """Open the project and list what to decrypt.  A project that will not open still has its
    files decrypted with the credentials' keys (so a damaged index does not hide the rest)."""
    try:
        project = Project.open(root, credentials)
    except IdentityError as error:
        if "not a recipient" in error.problem:
            return _Plan(root, None, [], [VerifyProblem(root, "cannot verify: not a recipient (the project is "
                                                              "encrypted to other keys)", NOT_A_RECIPIENT_HINT)])
        return _Plan(root, None, [], [VerifyProblem(root, f"cannot verify: {error.problem}", error.hint)])
    except InterviewkitError as error:
        plan = _Plan(root, None, [], [VerifyProblem(root, f"cannot open the project, so only its files were "
                                                          f"checked: {error.line()}", error.hint)])
        try:
            plan.identities = _identities_of(credentials)
        except InterviewkitError:
            return plan
    else:
        plan = _Plan(root, project, list(project.keyring.identities))
    if not plan.identities:
        return plan
    expected = files.take_expectations(plan.root, plan.identities, checksums)
    for path, problem, hint in expected.problems:
        plan.problems.append(VerifyProblem(path, problem, hint))
    known = None
    if plan.project is not None:
        index = plan.project.index
        known = files.Recipients(len(plan.project.data_recipients()), len(plan.project.linkage_recipients()),
                                 bool(index.rewrap_pending or getattr(index, "rotation", None)))
    for path, problem, hint in files.walk(root, keyring, expected.segments, plan.jobs, known):
        plan.problems.append(VerifyProblem(path, problem, hint))
    if plan.project is not None:
        _check_required(plan)
    return plan


def _check_required(plan: _Plan) -> None:
    """Files every project has, and whether this key can check the linkage key at all."""
    project = plan.project
    assert project is not None
    for name in (IDENTITY_FILE, "keys/signing.age", LINKAGE_FILE, AUDIT_FILE):
        if not (plan.root / name).is_file():
            plan.problems.append(VerifyProblem(plan.root / name, "missing", "restore it from a backup"))
    own = {str(identity.to_public()) for identity in plan.identities}
    if not own & {str(r) for r in project.linkage_recipients()}:
        linkage = str(plan.root / LINKAGE_FILE)
        plan.jobs = [job for job in plan.jobs if job.path != linkage]
        plan.problems.append(VerifyProblem(plan.root / LINKAGE_FILE, "not checked: your key is not a recipient of "
                                           "the linkage key", "verify with the project passphrase or a key added "
                                           "with scope 'linkage' or 'all'"))
    if not own & {str(r) for r in project.owner_recipients()}:
        # Only the owner scope reads the signing key; the manifest check vouches for its bytes.
        signing = str(plan.root / "keys/signing.age")
        plan.jobs = [job for job in plan.jobs if job.path != signing]
    if getattr(project.index, "rotation", None):
        plan.problems.append(VerifyProblem(plan.root / "index.age", "a rotation of the project key was cut short",
                                           "start the rotation again to finish it, with the new passphrase "
                                           "or a steward's key"))
    elif (plan.root / f"{IDENTITY_FILE}.new").exists():
        plan.problems.append(VerifyProblem(plan.root / f"{IDENTITY_FILE}.new", "left over from a key rotation killed "
                                           "as it started (harmless)", "delete it, or leave it: the next rotation "
                                           "overwrites it"))


def _sessions_with_files(entries: list[AuditEntry]) -> set[str]:
    """Keys of the sessions whose folder must exist: the last audit entry naming the session (in
    ``details.session`` or as ``session:<key>``) saved something there rather than deleted it.
    Empty sessions have no folder, and transcript saves are not logged, so this is a lower bound."""
    last: dict[str, str] = {}
    for entry in entries:
        details = entry.details if isinstance(entry.details, dict) else {}
        keys = {str(details["session"])} if "session" in details else set()
        if entry.target.startswith("session:") and entry.action != "session.add":
            keys.add(entry.target.split(":", 1)[1])
        for key in keys:
            last[key] = entry.action
    return {key for key, action in last.items() if action not in DELETING_ACTIONS}


def _check_rewrap(plan: _Plan) -> None:
    """A change of recipients cut short, and what stops it from being finished: a damaged file
    (found by the decrypt step) stops every retry until it is restored."""
    assert plan.project is not None
    if not plan.project.index.rewrap_pending:
        return
    damaged = [p for p in plan.problems if p.problem.startswith(files.DAMAGED) and p.path.suffix == ".age"]
    if damaged:
        plan.problems.append(VerifyProblem(plan.root / "index.age", f"a change of recipients was cut short at "
                                           f"{len(damaged)} damaged file{'s' if len(damaged) > 1 else ''} (listed "
                                           "here): files after it still have the old recipients",
                                           "restore the damaged files from a backup (or delete their take), then "
                                           f"run 'interviewkit keys resume {plan.root}'"))
    else:
        plan.problems.append(VerifyProblem(plan.root / "index.age", "a change of recipients was cut short: some "
                                           "files may still have the old recipients",
                                           f"run 'interviewkit keys resume {plan.root}' to finish it"))


MANIFEST_FAULTS = {
    "changed": ("does not match the project's signed manifest (changed, swapped or rolled back outside "
                "interviewkit)", "restore it from a backup"),
    "missing": ("is missing: the project's signed manifest lists it (deleted outside interviewkit)",
                "restore it from a backup"),
    "unlisted": ("was not written by this project (its signed manifest does not list it)",
                 "remove it, or restore the project from a backup"),
}


def _check_manifest(plan: _Plan) -> None:
    """Every vault file against the signed manifest: forged, swapped, rolled back, deleted."""
    project = plan.project
    assert project is not None
    try:
        found = project.integrity.problems(project.vault_files())
    except InterviewkitError as error:
        plan.problems.append(VerifyProblem(project.integrity.path, error.problem, error.hint))
        return
    reported = {problem.path for problem in plan.problems}  # a damaged file is one problem, not two
    for item in found:
        path = plan.root / item.path
        if path in reported or any(folder in reported for folder in path.parents):
            continue
        problem, hint = MANIFEST_FAULTS[item.kind]
        plan.problems.append(VerifyProblem(plan.root / item.path, problem, hint))


def _check_index(plan: _Plan) -> None:
    """The audit log's chain and signatures; the index's sessions against the session folders; a
    change of recipients cut short."""
    project = plan.project
    if project is None:
        return
    _check_rewrap(plan)
    audit = plan.root / AUDIT_FILE
    try:
        entries, problems = project.verify_audit()
    except InterviewkitError:  # not decryptable: the decrypt step reports the file
        entries, problems = [], []
    for problem in problems:
        plan.problems.append(VerifyProblem(audit, f"audit log {problem}", "the log was altered or cut short: compare "
                                           "it with a backup copy and find out who changed the project"))
    with_files = _sessions_with_files(entries)
    folder = plan.root / "sessions"
    on_disk = {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
    for session in project.index.sessions:
        if session.key not in on_disk and session.key in with_files:
            plan.problems.append(VerifyProblem(folder / session.key, f"session {session.id}'s folder is missing (the "
                                               "audit log records files saved in it)", "restore the folder from a "
                                               "backup"))
    for name in sorted(on_disk - {s.key for s in project.index.sessions}):
        if not name.startswith("."):
            plan.problems.append(VerifyProblem(folder / name, "a session folder the index does not know",
                                               "if it came from a backup or another project, move it out; "
                                               "otherwise restore index.age from a backup"))
    _check_manifest(plan)  # last: a file already reported (or in a folder reported) is not named twice


# -- running the decrypt jobs ------------------------------------------------------------------

Result = list[tuple[str, str]]  # one file's problems: (problem, hint) pairs
_WORKER: tuple[list[list[x25519.Identity]], Any] | None = None


class _ThreadCounter:
    """The thread pool's counterpart of ``multiprocessing.Value``: ``value`` under ``get_lock()``."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def get_lock(self) -> threading.Lock:
        return self._lock


def _adder(counter: Any) -> Callable[[int], None]:
    def add(size: int) -> None:
        with counter.get_lock():
            counter.value += size

    return add


def _init_worker(keyrings: list[list[str]], counter: Any) -> None:
    global _WORKER
    _WORKER = ([[x25519.Identity.from_str(k) for k in ring] for ring in keyrings], counter)


def _check_batch(batch: list[files.Job], keyrings: list[list[x25519.Identity]], counter: Any) -> list[Result]:
    add = _adder(counter)
    return [files.check(job, keyrings[job.keyring], add) for job in batch]


def _worker_batch(batch: list[files.Job]) -> list[Result]:
    assert _WORKER is not None
    return _check_batch(batch, *_WORKER)


def _batches(jobs: list[files.Job]) -> list[list[files.Job]]:
    """Jobs (largest first) in batches: a large file alone, small ones together."""
    batches: list[list[files.Job]] = []
    current: list[files.Job] = []
    size = 0
    for job in jobs:
        if current and (size + job.size > BATCH_BYTES or len(current) >= BATCH_FILES):
            batches.append(current)
            current, size = [], 0
        current.append(job)
        size += job.size
    return [*batches, current] if current else batches


def _run(jobs: list[files.Job], keyrings: list[list[x25519.Identity]], workers: int, pool: str,
         progress: Progress | None) -> dict[files.Job, Result]:
    """Check every job, largest first; ``progress`` gets ciphertext bytes done and the total."""
    if pool not in POOLS:
        raise ValueError(f"unknown pool {pool!r}; use one of {', '.join(POOLS)}")
    total = sum(job.size for job in jobs)
    jobs = sorted(jobs, key=lambda j: (-j.size, j.path))
    if workers <= 1 or len(jobs) <= 1:
        done = 0

        def add(size: int) -> None:
            nonlocal done
            done += size
            if progress:
                progress(done, total)

        return {job: files.check(job, keyrings[job.keyring], add) for job in jobs}
    executor: futures.Executor
    batches = _batches(jobs)
    if pool == "thread":  # pyrage holds the GIL while it decrypts: kept for comparison (benchmarks/archive.py)
        counter: Any = _ThreadCounter()
        executor = futures.ThreadPoolExecutor(workers)
        pending = {executor.submit(_check_batch, batch, keyrings, counter): batch for batch in batches}
    else:  # spawn: safe from a process with threads (the TUI), and no server process outlives the pool;
        # workers get the keys, not the files
        context = multiprocessing.get_context("spawn")
        counter = context.Value("q", 0)
        secret = [[str(identity) for identity in ring] for ring in keyrings]
        executor = futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                               initargs=(secret, counter))
        pending = {executor.submit(_worker_batch, batch): batch for batch in batches}
    results: dict[files.Job, Result] = {}
    with executor:
        waiting = set(pending)
        while waiting:
            finished, waiting = futures.wait(waiting, timeout=0.2, return_when=futures.FIRST_COMPLETED)
            for future in finished:
                results.update(zip(pending[future], future.result(), strict=True))
            if progress:
                progress(min(int(counter.value), total), total)
    return results


def _verify(roots: list[Path], credentials: Credentials, workers: int | None, progress: Progress | None,
            pool: str, checksums: bool) -> dict[Path, list[VerifyProblem]]:
    plans = [_plan(root, credentials, number, checksums) for number, root in enumerate(roots)]
    jobs = [job for plan in plans for job in plan.jobs]
    if workers is None:
        total = sum(job.size for job in jobs)
        workers = 1 if total < PARALLEL_MIN_BYTES else min(os.cpu_count() or 1, len(jobs))
    results = _run(jobs, [plan.identities for plan in plans], workers, pool, progress)
    report: dict[Path, list[VerifyProblem]] = {}
    for plan in plans:
        for job in plan.jobs:
            plan.problems.extend(VerifyProblem(Path(job.path), problem, hint) for problem, hint in results[job])
        _check_index(plan)
        report[plan.root] = sorted(set(plan.problems))
    return report


def verify_project(path: Path, credentials: Credentials, progress: Progress | None = None, *, workers: int = 1,
                   pool: str = DEFAULT_POOL, checksums: bool = True) -> list[VerifyProblem]:
    """Every problem of one project, sorted by file (empty: the project is whole).

    ``progress(done_bytes, total_bytes)`` is called as ciphertext is checked.  ``checksums`` also
    compares each audio segment with the SHA-256 in its take's index (age's own authentication
    already catches damage; the checksum catches a segment swapped for another).
    """
    return _verify([Path(path).absolute()], credentials, workers, progress, pool, checksums)[Path(path).absolute()]


def verify_archive(root: Path, credentials: Credentials, workers: int | None = None,
                   progress: Progress | None = None, *, pool: str = DEFAULT_POOL,
                   checksums: bool = True) -> dict[Path, list[VerifyProblem]]:
    """Each project under ``root`` → its problems.  ``workers``: parallel decrypt jobs (default: one
    per CPU when the archive is large enough to gain from it; 1 checks in this process).  The
    process pool starts its workers with ``spawn``, which imports the caller's main module:
    a script calling this needs the usual ``if __name__ == "__main__":`` guard."""
    roots = [Path(p).absolute() for p in find_projects(Path(root))]
    return _verify(roots, credentials, workers, progress, pool, checksums)

