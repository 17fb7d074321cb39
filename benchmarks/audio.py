#!/usr/bin/env python3
"""Recording cost: the CPU share of one core that `interviewkit record` uses while it records
and encrypts (target: under 5 %).

    .venv/bin/python benchmarks/audio.py [--seconds 30] [--rate 16000] [--device NAME_OR_INDEX]

Without --device it starts a private PulseAudio daemon with a null sink (as the tests do),
plays a sine into it and records the sink's monitor through PortAudio, so it needs no sound
card.  The recorder runs as its own process (the real CLI); its CPU time (user + system, all
threads, from /proc/<pid>/stat) is read when recording has begun and again N seconds later:
CPU share = CPU seconds / wall seconds.  The whole process (start-up, unlocking, closing the
take) is reported too, from wait4's rusage.  The PulseAudio daemon's own CPU is not counted
(it is the system's sound server, there on a laptop anyway).

If benchmarks/audio_import.py exists (import throughput), it is run afterwards and its
output printed as well.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def peak_memory_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM).  Not wait4's ru_maxrss: Linux carries the
    parent's resident size at fork into it (this script ran scrypt to make the project)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_project(folder: Path) -> tuple[Path, Path]:
    from interviewkit import consent, sessions
    from interviewkit.project import Project
    from interviewkit.study import StudyInfo

    root = folder / "project"
    project = Project.init(root, StudyInfo(title="Benchmark"), "benchmark-passphrase")
    sessions.add_session(project, "S01")
    consent.add_participant(project, "D1", "Bench Mark", consent_items=["participation", "audio"], sessions=["S01"])
    key = folder / "project-key.txt"
    key.write_text(f"{project.keyring.project_identity}\n")
    return root, key


def record(root: Path, key: Path, seconds: float, rate: int, device: str, env: dict[str, str]) -> dict[str, float]:
    command = [sys.executable, "-m", "interviewkit", "record", str(root), "S01", "--device", device,
               "--rate", str(rate), "--identity", str(key)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None and process.stdout is not None
    for line in process.stderr:
        if line.startswith("Recording take"):
            break
    else:
        raise SystemExit(f"the recorder did not start: {process.wait()}")
    cpu0, wall0 = cpu_seconds(process.pid), time.perf_counter()
    time.sleep(seconds)
    cpu1, wall1 = cpu_seconds(process.pid), time.perf_counter()
    peak = peak_memory_mib(process.pid)
    process.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.perf_counter()
    process.returncode = os.waitstatus_to_exitcode(status)
    out = process.stdout.read()
    if process.returncode != 0:
        raise SystemExit(f"the recorder failed ({process.returncode}): {process.stderr.read()}")
    return {"cpu": cpu1 - cpu0, "wall": wall1 - wall0, "total_cpu": usage.ru_utime + usage.ru_stime,
            "total_wall": ended - started, "rss_mib": peak, "take": out.strip()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to record (default 30)")
    parser.add_argument("--rate", type=int, default=16000, choices=[16000, 48000])
    parser.add_argument("--device", help="a real input device instead of the virtual one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ik-bench-audio-") as temp:
        folder = Path(temp)
        root, key = make_project(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")}
        daemon = None
        if args.device is None:
            from tests.audio.conftest import _start_daemon, _stop_daemon, sine_wav

            daemon = _start_daemon()
            env["XDG_RUNTIME_DIR"] = str(daemon.runtime_dir)
            daemon.play(sine_wav(folder / "tone.wav", seconds=args.seconds + 30, amplitude=0.3, rate=args.rate))
        try:
            result = record(root, key, args.seconds, args.rate, args.device or "pulse", env)
        finally:
            if daemon is not None:
                _stop_daemon(daemon)
        share = 100 * result["cpu"] / result["wall"]
        print(f"Recording {args.rate} Hz mono from {args.device or 'the virtual PulseAudio device'} for "
              f"{result['wall']:.1f} s (the recorder process, all threads, while recording):")
        print(f"  CPU {result['cpu']:.2f} s in {result['wall']:.1f} s = {share:.2f} % of one core "
              f"(target < 5 %): {'OK' if share < 5 else 'OVER'}")
        print(f"  whole process incl. start-up, unlocking and closing the take: CPU {result['total_cpu']:.2f} s in "
              f"{result['total_wall']:.1f} s wall; peak memory {result['rss_mib']:.0f} MiB")
        print(f"  {result['take']}")

    other = Path(__file__).with_name("audio_import.py")
    if other.exists():
        print(f"\n{other.name}:", flush=True)
        subprocess.run([sys.executable, str(other)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
