#!/usr/bin/env python3
"""Audio import throughput: a 1-hour 64 kbit/s mp3 (espeak-ng speech, looped) into an encrypted take.

    .venv/bin/python benchmarks/audio_import.py [--minutes 60] [--repeat 3]

The import (ffmpeg decode to 16 kHz mono → 30 s age-encrypted segments, each written durably)
runs in its own process, as `interviewkit import` would.  Printed: input MB/s, × real time
(audio seconds per wall second), and the importing process's peak memory (VmHWM: the
ffmpeg child is not counted; it streams).  ``benchmarks/audio.py`` may call ``run()``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SPEECH = ("Takk for at du ville være med. Kan du fortelle litt om hvordan en vanlig arbeidsdag ser ut for deg? "
          "Thank you for taking part. Could you tell me about an ordinary working day?")

IMPORT = """
import sys, time
from pathlib import Path
from interviewkit.project import Credentials, Project
from interviewkit.audio.importer import import_file
project = Project.open(Path(sys.argv[1]), Credentials(identity_files=[Path(sys.argv[2])]))
start = time.perf_counter()
take = import_file(project, "S01", sys.argv[3]).take
elapsed = time.perf_counter() - start
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1]
print(elapsed, take.duration_seconds, len(take.segments), int(peak) // 1024)
"""

SETUP = """
import sys
from pathlib import Path
from interviewkit.consent import add_participant
from interviewkit.project import Project
from interviewkit.sessions import add_session
from interviewkit.study import StudyInfo
project = Project.init(Path(sys.argv[1]), StudyInfo(title="benchmark"), "benchmark-passphrase")
add_session(project, "S01")
add_participant(project, "D1", "Bench Mark", consent_items=["participation", "audio"], sessions=["S01"])
Path(sys.argv[2]).write_text(f"{project.keyring.project_identity}\\n")
"""


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True)


def make_mp3(work: Path, minutes: int) -> Path:
    """One minute of speech (a tone if espeak-ng is missing) at 64 kbit/s, repeated without re-encoding."""
    minute = work / "minute.mp3"
    if shutil.which("espeak-ng"):
        speech = work / "speech.wav"
        subprocess.run(["espeak-ng", "-v", "nb", "-w", str(speech), SPEECH], check=True, capture_output=True)
        ffmpeg("-stream_loop", "-1", "-i", str(speech), "-t", "60", "-ar", "44100", "-ac", "1", "-c:a", "libmp3lame",
               "-b:a", "64k", str(minute))
    else:
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=60", "-ar", "44100", "-ac", "1", "-c:a",
               "libmp3lame", "-b:a", "64k", str(minute))
    target = work / f"interview-{minutes}min.mp3"
    ffmpeg("-stream_loop", str(minutes - 1), "-i", str(minute), "-c", "copy", str(target))
    return target


def run(minutes: int = 60, repeat: int = 3) -> dict[str, float]:
    """Import the generated file ``repeat`` times (fresh project each); medians."""
    work = Path(tempfile.mkdtemp(prefix="ik-bench-audio-", dir=os.environ.get("BENCH_DIR")))
    try:
        mp3 = make_mp3(work, minutes)
        size_mb = mp3.stat().st_size / 1e6
        runs = []
        for number in range(repeat):
            project, key = work / f"project-{number}", work / f"key-{number}.txt"
            subprocess.run([sys.executable, "-c", SETUP, str(project), str(key)], check=True)
            subprocess.run(["sync"], check=True)
            out = subprocess.run([sys.executable, "-c", IMPORT, str(project), str(key), str(mp3)], check=True,
                                 capture_output=True, text=True).stdout.split()
            runs.append([float(x) for x in out])
            shutil.rmtree(project)
        elapsed = statistics.median(r[0] for r in runs)
        audio_seconds = runs[0][1]
        return {"file_mb": size_mb, "audio_seconds": audio_seconds, "seconds": elapsed, "mb_per_s": size_mb / elapsed,
                "x_real_time": audio_seconds / elapsed, "segments": runs[0][2], "peak_mib": max(r[3] for r in runs),
                "pcm_mb_per_s": audio_seconds * 32000 / 1e6 / elapsed}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60, help="length of the mp3 in minutes (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="imports; the median time is shown (default 3)")
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None:
        sys.exit("benchmark: needs ffmpeg (apt-get install ffmpeg)")
    r = run(args.minutes, args.repeat)
    print(f"audio import benchmark: {args.minutes} min mp3, 64 kbit/s, {r['file_mb']:.1f} MB, median of {args.repeat}")
    print(f"  time            {r['seconds']:8.2f} s")
    print(f"  input           {r['mb_per_s']:8.1f} MB/s (mp3)")
    print(f"  output          {r['pcm_mb_per_s']:8.1f} MB/s (16 kHz mono PCM, encrypted)")
    print(f"  speed           {r['x_real_time']:8.0f} × real time")
    print(f"  segments        {r['segments']:8.0f} (30 s each)")
    print(f"  peak memory     {r['peak_mib']:8.0f} MiB (importing process, VmHWM)")


if __name__ == "__main__":
    main()
