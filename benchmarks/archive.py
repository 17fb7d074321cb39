#!/usr/bin/env python3
"""Archive verification throughput: `interviewkit.archive.verify` vs decrypting the same files with
the stock `age` tool, with one worker and with N.

    .venv/bin/python benchmarks/archive.py [--gb 5] [--projects 4] [--segment-mib 64] [--workers N]

It builds a synthetic archive in a temp folder (``BENCH_DIR`` to choose where): several real
projects, each with sessions holding one audio take of random "audio" segments written through
the vault's streaming encryption (``Project.write_stream``, under the signed manifest) and listed, with their SHA-256, in
the take's index, so verification does all it does on a real archive.  A steward key (scope
``all``) is added to every project before the audio is written.  Then, on the same files:

- interviewkit: ``verify_archive`` with 1 worker, and with N in a process pool and a thread pool
  (every file decrypted, segments hashed against their take index, structure checked);
- age: ``age -d -i STEWARD_KEY FILE > /dev/null`` for every vault file, one after the other, and
  N at a time.

Figures are GB/min of ciphertext (1 GB = 10^9 bytes), CPU seconds per GB (less sensitive to a
busy machine than wall time; not known for the process pool, whose workers are not this script's
children) and time ratios interviewkit / age.  The
files are read once before timing, so both sides read from the page cache (the archive fits in
memory): this measures decryption, not the disk.  Re-keying is timed by ``measure_rekey`` when
``interviewkit.archive.rekey`` is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PASSPHRASE = "benchmark-passphrase"


@dataclass
class Archive:
    root: Path
    steward_key: Path
    projects: list[Path] = field(default_factory=list)

    def vault_files(self) -> list[Path]:
        """Every file age can decrypt with the steward's key (the passphrase-wrapped identity excepted)."""
        return sorted(p for project in self.projects for p in project.rglob("*.age") if p.name != "identity.age")

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.vault_files())


def build(folder: Path, gigabytes: float, projects: int, segment_mib: int) -> Archive:
    """Write the synthetic archive: ``projects`` projects sharing ``gigabytes`` of audio."""
    import numpy as np

    from interviewkit import recipients, sessions
    from interviewkit.audio.store import AudioTake, SegmentInfo, segment_name
    from interviewkit.project import Project
    from interviewkit.study import StudyInfo

    root = folder / "archive"
    steward_key = folder / "steward.txt"
    made = subprocess.run(["age-keygen", "-o", str(steward_key)], check=True, capture_output=True, text=True)
    steward = made.stderr.split("Public key:")[1].strip()
    archive = Archive(root, steward_key)
    rng = np.random.default_rng(1)
    segment = segment_mib * 1024 * 1024
    per_project = int(gigabytes * 1e9 / projects)
    for number in range(projects):
        project = Project.init(root / f"{2020 + number}" / f"project-{number}",
                               StudyInfo(f"Benchmark {number}", end_date="2030-12-31"), PASSPHRASE)
        recipients.add_recipient(project, steward, scope="all")
        written, session_number = 0, 0
        while written < per_project:
            session_number += 1
            session = sessions.add_session(project, f"S{session_number:02d}")
            take = AudioTake(id=secrets.token_hex(6), source="import", rate=48000, channels=2,
                             started=f"2026-01-{session_number % 28 + 1:02d}T10:00:00+00:00", complete=True)
            for seq in range(1, 5):  # a take of up to four segments
                size = min(segment, per_project - written)
                size -= size % take.frame_bytes
                if size <= 0:
                    break
                pcm = rng.bytes(size)
                path = project.session_path(session, f"audio/{take.id}/{segment_name(seq)}")
                project.write_stream(path, io.BytesIO(pcm))
                take.segments.append(SegmentInfo(seq, size // take.frame_bytes, hashlib.sha256(pcm).hexdigest()))
                written += size
            project.save_session_file(session, f"audio/{take.id}/index.age", take.to_bytes())
        archive.projects.append(project.root)
        print(f"  built {project.root.relative_to(folder)}: {written / 1e9:.2f} GB in {session_number} sessions",
              flush=True)
    return archive


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children (age; not pool workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def timed_cpu(job: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a job."""
    cpu = cpu_seconds()
    wall = timed(job)
    return wall, cpu_seconds() - cpu


def verify(archive: Archive, workers: int, pool: str = "process", checksums: bool = True) -> None:
    from interviewkit.archive.verify import verify_archive
    from interviewkit.project import Credentials

    report = verify_archive(archive.root, Credentials(identity_files=[archive.steward_key]), workers=workers,
                            pool=pool, checksums=checksums)
    problems = [p.line() for found in report.values() for p in found]
    if problems:
        sys.exit("benchmark: the synthetic archive has problems:\n" + "\n".join(problems[:10]))


def age_decrypt(archive: Archive, workers: int) -> None:
    def one(path: Path) -> None:
        subprocess.run(["age", "-d", "-i", str(archive.steward_key), "-o", "/dev/null", str(path)], check=True)

    files = sorted(archive.vault_files(), key=lambda p: -p.stat().st_size)
    if workers == 1:
        for path in files:
            one(path)
        return
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, files))


def measure_rekey(archive: Archive) -> None:
    """Hook for the re-key helper: time ``rotate_project_key`` on the archive's first project."""
    try:
        from interviewkit.archive.rekey import rotate_project_key
    except ImportError:
        print("re-key: skipped (interviewkit.archive.rekey.rotate_project_key is not installed)")
        return
    from interviewkit.project import Credentials, Project

    root = archive.projects[0]
    project = Project.open(root, Credentials(passphrase=PASSPHRASE))
    size = sum(p.stat().st_size for p in root.rglob("*.age"))
    seconds = timed(lambda: rotate_project_key(project, PASSPHRASE + "-new"))
    print(f"re-key of {root.name} ({size / 1e9:.2f} GB): {seconds:.1f} s, {size / 1e9 / seconds * 60:.1f} GB/min "
          "(includes scrypt for the new passphrase)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=5.0, help="audio in the archive, in GB (default 5)")
    parser.add_argument("--projects", type=int, default=4, help="number of projects (default 4)")
    parser.add_argument("--segment-mib", type=int, default=64, help="size of each audio file in MiB (default 64)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N (default: the CPU count)")
    parser.add_argument("--no-rekey", action="store_true", help="leave out the re-key timing")
    args = parser.parse_args()
    if shutil.which("age") is None:
        sys.exit("benchmark: needs the age tool (apt-get install age)")
    work = Path(tempfile.mkdtemp(prefix="ik-archive-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        print(f"building a {args.gb:g} GB archive of {args.projects} projects in {work} …", flush=True)
        start = time.perf_counter()
        archive = build(work, args.gb, args.projects, args.segment_mib)
        size, files = archive.size, len(archive.vault_files())
        print(f"  {files} vault files, {size / 1e9:.2f} GB, built in {time.perf_counter() - start:.0f} s")
        for path in archive.vault_files():  # into the page cache, for both sides alike
            with open(path, "rb") as source:
                while source.read(1 << 24):
                    pass
        n = args.workers
        cases = [
            ("interviewkit verify, 1 worker", lambda: verify(archive, 1)),
            ("interviewkit verify, 1 worker, no checksums", lambda: verify(archive, 1, checksums=False)),
            (f"interviewkit verify, {n} processes", lambda: verify(archive, n, "process")),
            (f"interviewkit verify, {n} threads", lambda: verify(archive, n, "thread")),
            ("age -d, sequential", lambda: age_decrypt(archive, 1)),
            (f"age -d, {n} in parallel", lambda: age_decrypt(archive, n)),
        ]
        print(f"\n{'':46} {'seconds':>8} {'GB/min':>8} {'CPU s/GB':>9}")
        seconds: dict[str, float] = {}
        for label, job in cases:
            seconds[label], cpu = timed_cpu(job)
            cpu_text = "n/a" if "processes" in label else f"{cpu / (size / 1e9):.2f}"  # workers are not our children
            print(f"{label:46} {seconds[label]:8.2f} {size / 1e9 / seconds[label] * 60:8.1f} {cpu_text:>9}",
                  flush=True)
        ik1, ikn, ikt = seconds[cases[0][0]], seconds[cases[2][0]], seconds[cases[3][0]]
        age1, agen = seconds[cases[4][0]], seconds[cases[5][0]]
        print("\ntime ratios (below 1: interviewkit faster)")
        print(f"  verify 1 worker / age sequential          {ik1 / age1:6.2f}x")
        print(f"  verify {n} processes / age {n} in parallel    {ikn / agen:6.2f}x")
        print(f"  verify {n} processes / verify 1 worker       {ikn / ik1:6.2f}x  (speed-up {ik1 / ikn:.2f})")
        print(f"  verify {n} threads / verify {n} processes      {ikt / ikn:6.2f}x")
        print(f"  checksums' share of 1-worker time         {1 - seconds[cases[1][0]] / ik1:6.0%}")
        print()
        if not args.no_rekey:
            measure_rekey(archive)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
