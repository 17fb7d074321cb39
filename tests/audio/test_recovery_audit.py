"""Every take that exists is in the audit log: a take whose `interviewkit record` was killed with
SIGKILL (so it never wrote its `audio.record` entry) gets the entry when it is found, in a later
run, exactly once however often it is found again; continued later, it gets a `continued` entry
with the seconds added, and the processing record still counts it as one take."""

from __future__ import annotations

import time
from pathlib import Path

from interviewkit.archive.report import processing_record
from interviewkit.archive.report_text import TEXT
from interviewkit.audio.recorder import Recorder
from interviewkit.audio.store import TakeWriter, list_takes, open_take
from tests.audio.conftest import sine_wav
from tests.audio.test_record_cli import env, open_project, start_recording  # noqa: F401  (env: a fixture)
from tests.conftest import run_cli

SEGMENT = 5.0


def take_entries(project, take_id: str) -> list:
    entries, problems = project.verify_audit()
    assert problems == []
    return [e for e in entries if e.action == "audio.record" and e.target == f"take:{take_id}"]


def test_a_take_killed_with_sigkill_gets_its_audit_entry_once(virtual_audio, env, recording_root,  # noqa: F811
                                                              recording_key, tmp_path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    virtual_audio.play(sine_wav(inputs / "long.wav", seconds=90, frequency=330, amplitude=0.3))
    process, line = start_recording(recording_root, recording_key, env, "--seconds", "60")
    take_id = line.split()[2]
    project = open_project(recording_root, recording_key)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not open_take(project, "S01", take_id).segments:
        time.sleep(0.5)  # until the first segment is on disk
    process.kill()  # kill -9: no chance to close the take or to log it
    process.wait()
    process.stdout.close()
    process.stderr.close()

    project = open_project(recording_root, recording_key)
    interrupted = open_take(project, "S01", take_id)
    assert not interrupted.complete and interrupted.duration_seconds >= SEGMENT - 0.5
    assert take_entries(project, take_id) == []  # the killed recorder wrote none

    # A later run finds it (and records a new take beside it).
    result = run_cli(["record", str(recording_root), "S01", "--seconds", "1", "--device", "pulse",
                      "--identity", str(recording_key)], env)
    assert f"interrupted take {take_id}" in result.stderr
    project = open_project(recording_root, recording_key)
    [entry] = take_entries(project, take_id)
    assert entry.details["interrupted"] is True
    assert entry.details["seconds"] == round(interrupted.duration_seconds, 1)
    assert entry.details["session"] == project.index.find_session("S01").key

    # Found again, here and in another run: still one entry.
    session = project.index.find_session("S01")
    assert [t.id for t in Recorder.recover(project, session)] == [take_id]
    run_cli(["record", str(recording_root), "S01", "--seconds", "1", "--device", "pulse",
             "--identity", str(recording_key)], env)
    project = open_project(recording_root, recording_key)
    assert len(take_entries(project, take_id)) == 1

    # Continued: a second entry with the seconds added; together they are the whole take.
    run_cli(["record", str(recording_root), "S01", "--resume", take_id, "--seconds", "1", "--device", "pulse",
             "--identity", str(recording_key)], env)
    project = open_project(recording_root, recording_key)
    final = open_take(project, "S01", take_id)
    assert final.complete
    first, continued = take_entries(project, take_id)
    assert first == entry and continued.details["continued"] is True and "interrupted" not in continued.details
    assert abs(first.details["seconds"] + continued.details["seconds"] - final.duration_seconds) < 0.2

    # The processing record: three takes (the continued one counted once), all their seconds.
    takes = list_takes(project, "S01")
    assert len(takes) == 3 and all(t.complete for t in takes)
    hours = f"{sum(t.duration_seconds for t in takes) / 3600:.2f}"
    record = processing_record(project)
    assert any(text["takes_microphone"].format(n=3, hours=hours) in record for text in TEXT.values())


def test_a_take_being_recorded_is_not_logged_as_interrupted(recording_project) -> None:
    """Only takes no recorder holds are recovered: one still being written is left to its recorder."""
    from interviewkit.audio.recorder import _TakeLock
    from interviewkit.audio.store import take_dir

    session = recording_project.index.find_session("S01")
    writer = TakeWriter.create(recording_project, session, "microphone")
    writer.append(bytes(32000))
    writer.flush()
    lock = _TakeLock(take_dir(recording_project, session, writer.take.id))
    assert lock.acquire()  # as a recorder in another program holds it
    try:
        assert Recorder.recover(recording_project, session) == []
        assert take_entries(recording_project, writer.take.id) == []
    finally:
        lock.release()
    [found] = Recorder.recover(recording_project, session)
    assert found.id == writer.take.id and len(take_entries(recording_project, writer.take.id)) == 1
    writer.append(bytes(16000))
    closed = writer.close()
    first, continued = take_entries(recording_project, writer.take.id)
    assert (first.details["seconds"], continued.details["seconds"]) == (1.0, 0.5)
    assert closed.duration_seconds == 1.5
