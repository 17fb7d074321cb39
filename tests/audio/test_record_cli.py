"""`interviewkit record` as a subprocess recording from the virtual sound device: kill -9
loses at most the last segment, --resume continues the same take, SIGINT and SIGTERM stop
gracefully, and afterwards neither the project nor the temp folder holds plaintext audio."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from interviewkit.audio.recorder import Recorder
from interviewkit.audio.store import list_takes, open_take, read_pcm
from interviewkit.project import Credentials, Project
from tests.audio.conftest import sine_wav
from tests.audio.media import MEDIA_HEADERS
from tests.conftest import assert_user_error, run_cli

KILL_AFTER = 12.0  # N seconds
SEGMENT = 5.0


@pytest.fixture
def env(virtual_audio, cli_env, recording_key: Path) -> dict[str, str]:
    virtual_audio.stop_players()
    environment = dict(cli_env)
    environment.pop("INTERVIEWKIT_PASSPHRASE")  # unlock with the project's key: no scrypt per run
    environment["XDG_RUNTIME_DIR"] = str(virtual_audio.runtime_dir)
    yield environment
    virtual_audio.stop_players()


def start_recording(root: Path, key: Path, env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[str], str]:
    """Start `interviewkit record` and wait until it records; returns the process and its first line."""
    process = subprocess.Popen([sys.executable, "-m", "interviewkit", "record", str(root), "S01", "--device", "pulse",
                                "--identity", str(key), *extra], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        if line.startswith(("Recording take", "Continuing take")):
            return process, line
    raise AssertionError(f"the recorder did not start: {process.wait()} {process.stdout.read()}")


def open_project(root: Path, key: Path) -> Project:
    return Project.open(root, Credentials(identity_files=[key]))


def plaintext_hits(folders: list[Path], needles: list[bytes]) -> list[str]:
    """Files holding a needle (a run of samples) or a media header."""
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                hits.extend(f"{path}: {needle[:8]!r}" for needle in needles if needle in data)
                hits.extend(f"{path}: {header.pattern!r}" for header in MEDIA_HEADERS if header.search(data))
    return hits


def test_kill_9_loses_at_most_a_segment_and_resume_continues(virtual_audio, env, recording_root, recording_key,
                                                             tmp_path) -> None:
    inputs = tmp_path / "inputs"  # the played file is a WAV: keep it out of the scanned folders
    inputs.mkdir()
    virtual_audio.play(sine_wav(inputs / "long.wav", seconds=90, frequency=330, amplitude=0.3))
    process, line = start_recording(recording_root, recording_key, env, "--seconds", "60")
    take_id = line.split()[2]
    time.sleep(KILL_AFTER)
    process.kill()  # kill -9
    process.wait()
    process.stdout.close()
    process.stderr.close()

    project = open_project(recording_root, recording_key)
    assert project.verify_audit()[1] == []
    interrupted = Recorder.recover(project, project.index.find_session("S01"))
    assert [t.id for t in interrupted] == [take_id]
    take = open_take(project, "S01", take_id)
    assert not take.complete
    assert take.duration_seconds >= KILL_AFTER - SEGMENT - 1, take.duration_seconds

    # Resume the same take, and stop with Ctrl+C (SIGINT).
    process, line = start_recording(recording_root, recording_key, env, "--resume")
    assert line.startswith(f"Continuing take {take_id}")
    time.sleep(3.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.startswith(f"Take {take_id}: ") and "saved, encrypted" in out
    project = open_project(recording_root, recording_key)
    resumed = open_take(project, "S01", take_id)
    assert resumed.complete and resumed.duration_seconds >= take.duration_seconds + 2.5
    assert [t.id for t in list_takes(project, "S01")] == [take_id]
    assert Recorder.recover(project, project.index.find_session("S01")) == []

    # No plaintext anywhere: no media headers, no run of the recorded samples.
    pcm = read_pcm(project, "S01", resumed)
    assert np.abs(np.frombuffer(pcm, dtype="<i2")).max() > 5000  # the tone was recorded
    middle = len(pcm) // 2 // 2 * 2
    needles = [pcm[middle:middle + 4096], pcm[4096:8192]]
    folders = [recording_root, Path(env["TMPDIR"])]
    assert plaintext_hits(folders, needles) == []
    assert not [p for p in recording_root.rglob("*") if p.is_file() and p.suffix not in (".age", ".json", ".lock")]


def test_sigterm_stops_gracefully_and_the_consent_gate_refuses(env, recording_root, recording_key) -> None:
    process, line = start_recording(recording_root, recording_key, env, "--seconds", "60", "--rate", "48000")
    assert "at 48000 Hz" in line and "Ctrl+C stops" in line
    time.sleep(1.5)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    take_id = line.split()[2]
    take = open_take(open_project(recording_root, recording_key), "S01", take_id)
    assert take.complete and take.rate == 48000 and take.duration_seconds >= 1.0
    assert f"Take {take_id}: " in out

    result = run_cli(["record", str(recording_root), "S02", "--seconds", "1", "--identity", str(recording_key)], env,
                     check=False)
    assert_user_error(result, "session S02: D2 has not consented to audio recording")
    assert "Ola" not in result.stderr

    result = run_cli(["record", str(recording_root), "S01", "--seconds", "1", "--device", "no-such-mic",
                      "--identity", str(recording_key)], env, check=False)
    assert_user_error(result, "no input device 'no-such-mic'", "pulse")

    result = run_cli(["devices"], env)
    assert "pulse" in result.stdout


def test_seconds_stops_and_an_interrupted_take_is_mentioned(env, recording_root, recording_key,
                                                            recording_project) -> None:
    from interviewkit.audio.store import TakeWriter

    writer = TakeWriter.create(recording_project, "S01", "microphone")
    writer.append(bytes(32000))
    writer.flush()  # never closed: interrupted
    result = run_cli(["record", str(recording_root), "S01", "--seconds", "1", "--device", "pulse",
                      "--identity", str(recording_key)], env)
    assert f"has an interrupted take {writer.take.id} (0:00:01 saved); continue it with --resume" in result.stderr
    assert result.stdout.startswith("Take ") and "0:00:01 (1.0 s) saved" in result.stdout
    takes = list_takes(open_project(recording_root, recording_key), "S01")
    assert len(takes) == 2 and sum(t.complete for t in takes) == 1
