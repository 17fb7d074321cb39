"""Batch transcription of a session's encrypted audio: stored encrypted, resumable after kill -9
with the same final text, cancellable, and no plaintext left anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from interviewkit.project import Credentials, Project
from interviewkit.transcribe import store
from interviewkit.transcribe.chunking import ChunkPlan
from interviewkit.transcribe.job import TranscriptionCancelled, project_options, transcribe_take
from tests.conftest import scan_for
from tests.transcribe.conftest import script_text, wer

pytestmark = pytest.mark.slow
PLAN = ChunkPlan.of(30.0)


def test_a_session_is_transcribed_into_the_vault(english_session, engine):
    project, session, take = english_session.project, english_session.session, english_session.take
    seen = []
    result = transcribe_take(project, session, engine, project_options(project), progress=seen.append, plan=PLAN)
    assert wer(script_text("interview-en"), result.text) < 0.15
    assert seen[0].done == 0 and seen[-1].fraction == 1.0 and len(seen) >= 4  # one report per chunk
    assert any(p.new_segments for p in seen[1:-1])  # text arrives while the job runs
    assert all(seen[i].done <= seen[i + 1].done for i in range(len(seen) - 1))
    stored = store.load_transcription(project, session, take.id)
    assert stored == result
    assert store.load_checkpoint(project, session, take.id) is None  # the checkpoint is gone when done
    entries, problems = project.verify_audit()
    assert problems == []
    assert entries[-1].action == "transcribe" and entries[-1].details["segments"] == len(result.segments)
    # Nothing readable at rest: neither words of the transcript nor the audio.
    for phrase in ("youth club", "school nurse", "municipality plans"):
        assert scan_for(project.root, phrase) == []


def test_cancel_keeps_the_work_done_and_the_next_run_continues(english_session, engine):
    project, session = english_session.project, english_session.session
    options = project_options(project)
    cancel = threading.Event()

    def stop_after_first_chunk(progress):
        if progress.done > 0:
            cancel.set()

    with pytest.raises(TranscriptionCancelled, match="run it again to continue"):
        transcribe_take(project, session, engine, options, progress=stop_after_first_chunk, cancel=cancel, plan=PLAN)
    checkpoint = store.load_checkpoint(project, session, english_session.take.id)
    assert checkpoint is not None and checkpoint.next_index == 1 and checkpoint.segments
    reports = []
    resumed = transcribe_take(project, session, engine, options, progress=reports.append, plan=PLAN)
    assert reports[0].resumed_from == pytest.approx(checkpoint.next_sample / 16000)
    assert resumed.segments[:len(checkpoint.segments)] == checkpoint.segments


def test_kill_9_then_resume_equals_an_uninterrupted_run(english_session, engine, project_key, tmp_path):
    project, session = english_session.project, english_session.session
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")}
    env["TMPDIR"] = str(tmp_path)
    command = [sys.executable, "-m", "interviewkit", "transcribe", str(project.root), session.id,
               "--chunk-seconds", "30", "--identity", str(project_key)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    progress_file = project.session_path(session, store.name(english_session.take.id, "progress"))
    deadline = time.monotonic() + 120
    while not progress_file.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no checkpoint within 120 s"
        time.sleep(0.05)
    process.kill()  # kill -9 right after the first checkpoint
    process.communicate()
    reopened = Project.open(project.root, Credentials(identity_files=[project_key]))
    partial = store.load_checkpoint(reopened, session, english_session.take.id)
    assert partial is not None and 0 < partial.next_sample < english_session.take.frames

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "Transcribed session S01" in resumed.stdout
    after_kill = store.load_transcription(reopened, session, english_session.take.id)

    uninterrupted = transcribe_take(reopened, session, engine, project_options(reopened), restart=True, plan=PLAN)
    assert after_kill.text == uninterrupted.text
    assert [(s.start, s.end) for s in after_kill.segments] == [(s.start, s.end) for s in uninterrupted.segments]
    assert scan_for(tmp_path, "youth club") == []  # no plaintext temp files either
