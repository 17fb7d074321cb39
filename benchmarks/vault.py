#!/usr/bin/env python3
"""Vault throughput: encrypt and decrypt N MiB streamed, interviewkit vs the `age` tool.

    .venv/bin/python benchmarks/vault.py [--mib 1024]

Each side runs in its own process on the same random file, in the same run; the
figures are MB/s, peak memory (max RSS of that process) and the time ratio
interviewkit / age (target: ≤ 1.5× age's time, memory flat).  interviewkit's write
is durable (fsync, atomic rename) and age's is not, so encryption is also compared
with `age … && sync FILE` (the same durability); decryption writes nowhere on both sides.
The last row decrypts with pyrage's own Rust file I/O, without interviewkit, to show
how much of the gap is the crypto library (rage) rather than interviewkit's streaming.

Then ordinary writes, alternating, in one process: a change (one audit entry: log, index and
manifest) and a transcript autosave (one session file of about 300 KB, and the manifest), with
the signed manifest (format 2); with this code's format-1 path (no manifest, files staged and
installed together); and as interviewkit wrote before the manifest (each file on its own, the
whole audit log rendered again), rebuilt from the vault's primitives.  The ratio is manifest /
before it (target ≤ 1.2×).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENCRYPT = """
import sys
from pathlib import Path
from pyrage import x25519
from interviewkit.vault.cipher import write_encrypted_stream
with open(sys.argv[1], "rb") as source:
    write_encrypted_stream(Path(sys.argv[2]), source, [x25519.Recipient.from_str(sys.argv[3])])
"""

RAGE_DECRYPT = """
import sys
import pyrage
from interviewkit.vault.keys import parse_identity_file
from pathlib import Path
pyrage.decrypt_file(sys.argv[1], "/dev/null", parse_identity_file(Path(sys.argv[2])))
"""

DECRYPT = """
import sys
from pathlib import Path
from interviewkit.vault.cipher import decrypt_file_to
from interviewkit.vault.keys import parse_identity_file
class Sink:
    def write(self, data):
        return len(data)
    def flush(self):
        pass
decrypt_file_to(Path(sys.argv[1]), Sink(), parse_identity_file(Path(sys.argv[2])))
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark: {' '.join(cmd[:3])} failed")
    return elapsed, usage.ru_maxrss / 1024


WRITES = """
import json, os, statistics, sys, tempfile, time
from pathlib import Path
from interviewkit.audit import AuditHead, new_entry, parse_log, render_log
from interviewkit.project import AUDIT_FILE, INDEX_FILE, MARKER, Credentials, Project, ProjectIndex
from interviewkit.sessions import add_session
from interviewkit.study import StudyInfo
from interviewkit.vault.cipher import read_encrypted, write_encrypted
from interviewkit.vault.integrity import MANIFEST_FILE

def make(root, manifest):
    Project.init(root, StudyInfo(title="bench"), "bench-passphrase")
    key = root.parent / (root.name + ".key")
    project = Project.open(root, Credentials(passphrase="bench-passphrase"))
    key.write_text(f"{project.keyring.project_identity}\\n")
    for number in range(20):
        add_session(project, f"S{number:02d}")
    if not manifest:  # the format-1 write path: no manifest, and no upgrade to one
        (root / MANIFEST_FILE).unlink()
        marker = json.loads((root / MARKER).read_text())
        marker["version"] = 1
        (root / MARKER).write_text(json.dumps(marker))
    project = Project.open(root, Credentials(identity_files=[key]))
    project._upgrade_format = lambda: None
    return project

def reload_index(project):
    path = project.root / INDEX_FILE
    project.index = ProjectIndex.from_bytes(read_encrypted(path, project.keyring.identities), path)

# What interviewkit did before the manifest (format 1, up to 504b66f), from the same primitives:
# each file written on its own (fsync of the file and of its folder), the whole log rendered again.
def change_before(project):
    with project.lock:
        reload_index(project)
        path = project.root / AUDIT_FILE
        entries, _ = parse_log(read_encrypted(path, project.keyring.identities))
        entry = new_entry(entries[-1] if entries else None, "bench.write", "project:bench", {}, project.signing_key())
        write_encrypted(path, render_log([*entries, entry]), project.data_recipients())
        project.index.audit_head = AuditHead(seq=entry.seq, hash=entry.digest())
        write_encrypted(project.root / INDEX_FILE, project.index.to_bytes(), project.data_recipients())

def autosave_before(project):
    with project.lock:
        reload_index(project)
        write_encrypted(project.session_path(project.index.sessions[0], "transcript.age"), transcript,
                        project.data_recipients())

def change(project):
    with project.writing() as change:
        change.log("bench.write", "project:bench")

def autosave(project):
    project.save_session_file(project.index.sessions[0], "transcript.age", transcript)

work = Path(tempfile.mkdtemp(dir=sys.argv[2]))
count = int(sys.argv[1])
signed, plain, before = make(work / "signed", True), make(work / "plain", False), make(work / "before", False)
transcript = json.dumps({"segments": [{"text": os.urandom(100).hex()} for _ in range(1500)]}).encode()
kinds = (("a change (audit entry)", change, change_before),
         (f"an autosave ({len(transcript) // 1024} KB)", autosave, autosave_before))
for label, operation, operation_before in kinds:
    sides = [(signed, operation), (plain, operation), (before, operation_before)]
    times = [[] for _ in sides]
    for round in range(count):
        for number in (range(3) if round % 2 == 0 else reversed(range(3))):
            project, run = sides[number]
            start = time.perf_counter()
            run(project)
            times[number].append(time.perf_counter() - start)
    with_manifest, format_1, previous = (statistics.median(t) * 1000 for t in times)
    print(f"{label:28} {with_manifest:9.2f} ms {format_1:9.2f} ms {previous:9.2f} ms {with_manifest / previous:8.2f}x")
"""


def ordinary_writes(count: int, work: Path) -> None:
    print(f"ordinary writes: median of {count}, alternating")
    print(f"{'':28} {'manifest':>12} {'format-1 path':>12} {'before it':>12} {'ratio':>9}")
    subprocess.run([sys.executable, "-c", WRITES, str(count), str(work)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024, help="size of the test file in MiB (default 1024)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the median is shown (default 3)")
    parser.add_argument("--writes", type=int, default=200, help="ordinary writes per kind and side (default 200)")
    parser.add_argument("--writes-only", action="store_true", help="skip the streaming comparison with age")
    args = parser.parse_args()
    if args.writes_only:
        work = Path(tempfile.mkdtemp(prefix="ik-bench-", dir=os.environ.get("BENCH_DIR")))
        try:
            ordinary_writes(args.writes, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if shutil.which("age") is None:
        sys.exit("benchmark: needs the age tool (apt-get install age)")
    work = Path(tempfile.mkdtemp(prefix="ik-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        key = work / "key.txt"
        subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
        public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout.strip()
        plain = work / "plain.bin"
        with open(plain, "wb") as out:
            block = os.urandom(1 << 20)
            out.writelines(block for _ in range(args.mib))
        size_mb = args.mib * 1.048576
        python = sys.executable
        age_out = work / "age.age"
        age_encrypt = ["age", "-r", public, "-o", str(age_out), str(plain)]
        cases = [
            ("encrypt, durable (age + sync FILE)", [python, "-c", ENCRYPT, str(plain), str(work / "ik.age"), public],
             ["sh", "-c", f"{' '.join(age_encrypt)} && sync {age_out}"]),
            ("encrypt (age without fsync)", [python, "-c", ENCRYPT, str(plain), str(work / "ik.age"), public],
             age_encrypt),
            ("decrypt", [python, "-c", DECRYPT, str(age_out), str(key)],
             ["age", "-d", "-i", str(key), "-o", "/dev/null", str(age_out)]),
            ("(reference: rage's own file I/O)", [python, "-c", RAGE_DECRYPT, str(age_out), str(key)],
             ["age", "-d", "-i", str(key), "-o", "/dev/null", str(age_out)]),
        ]
        print(f"vault benchmark: {args.mib} MiB streamed, same file, same run, median of {args.repeat}")
        print(f"{'':36} {'interviewkit':>22} {'age':>22} {'time ratio':>11}")
        for label, ours, theirs in cases:
            subprocess.run(theirs, check=True)  # warm the page cache for both sides
            runs_age, runs_ik = [], []
            for rep in range(args.repeat):
                # Flush dirty pages first so neither side pays for the other's writes; alternate the order.
                for side in ((theirs, runs_age), (ours, runs_ik))[:: 1 if rep % 2 == 0 else -1]:
                    subprocess.run(["sync"], check=True)
                    side[1].append(timed(side[0]))
            t_age, m_age = statistics.median(t for t, _ in runs_age), max(m for _, m in runs_age)
            t_ik, m_ik = statistics.median(t for t, _ in runs_ik), max(m for _, m in runs_ik)
            print(f"{label:36} {size_mb / t_ik:8.0f} MB/s {m_ik:6.0f} MiB   {size_mb / t_age:8.0f} MB/s"
                  f" {m_age:6.0f} MiB   {t_ik / t_age:8.2f}x")
        print()
        ordinary_writes(args.writes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
