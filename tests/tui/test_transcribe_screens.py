"""Transcription in the terminal interface with the real embedded model: the dialog's progress,
its text and result in the vault, stopping and continuing, and the live draft under the
interview while the virtual microphone hears speech."""

from __future__ import annotations

import subprocess

import pytest
from textual.widgets import Label, ProgressBar, Static

from interviewkit.audio.importer import import_file
from interviewkit.audio.store import list_takes
from interviewkit.consent import add_participant
from interviewkit.samples import sample_path
from interviewkit.sessions import add_session
from interviewkit.settings import load_setting
from interviewkit.transcribe import store
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.transcribe import TranscribeModal
from interviewkit.tui.widgets.live_draft import LiveDraftPanel
from interviewkit.tui.widgets.recorder_panel import RecorderPanel
from tests.audio.conftest import virtual_audio  # noqa: F401 (the shared fixture)
from tests.conftest import scan_for
from tests.tui.conftest import open_session_modal, settle, until
from tests.tui.test_audio_screens import interview_app, sound  # noqa: F401

pytestmark = pytest.mark.slow
SIZE = (120, 40)


def label(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).content)


async def open_transcribe(pilot, session_id: str) -> TranscribeModal:
    return await open_session_modal(pilot, session_id, "t", TranscribeModal)


async def test_the_demo_transcript_is_replaced_by_a_new_pass(demo_project, demo_root) -> None:
    session = demo_project.index.find_session("S02")
    [take] = list_takes(demo_project, session)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_transcribe(pilot, "S02")
        assert "transcribed already" in label(modal, "#transcribe-state")
        assert modal.query_one("#transcribe-language").value == "en"  # what the demo's transcription found
        await pilot.click("#start")
        await until(pilot, lambda: modal.phase == "done", seconds=120)
        assert modal.query_one("#transcribe-progress", ProgressBar).percentage == 1.0
        preview = str(modal.query_one("#transcribe-preview", Static).content)
        assert "youth club" in preview and "[00:" in preview
        assert "Session S02 transcribed" in label(modal, "#transcribe-status")
        assert modal.engine is not None and not modal.engine._process.is_alive()  # the worker has ended
        await pilot.click("#close")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    stored = store.load_transcription(demo_project, session, take.id)
    assert stored is not None and "youth club" in stored.text and stored.language == "en"
    assert scan_for(demo_root, "youth club") == []


async def test_stop_keeps_the_work_and_the_next_start_continues(demo_project, tmp_path) -> None:
    looped = tmp_path / "inputs" / "long.ogg"
    looped.parent.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-stream_loop", "2", "-i", str(sample_path("interview-en.ogg")),
                    "-c", "copy", str(looped)], check=True)
    add_session(demo_project, "L01")
    add_participant(demo_project, "L1", "Lang Prat", consent_items=["participation", "audio"], sessions=["L01"])
    take = import_file(demo_project, "L01", looped).take
    session = demo_project.index.find_session("L01")
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_transcribe(pilot, "L01")
        assert "skal transkriberes" in label(modal, "#transcribe-state")
        await pilot.click("#start")
        await until(pilot, lambda: store.load_checkpoint(demo_project, session, take.id) is not None, seconds=120)
        await pilot.press("escape")  # stop now: the engine process is ended mid-chunk
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), seconds=15)
        assert any("stoppet" in n.message for n in app._notifications)
        checkpoint = store.load_checkpoint(demo_project, session, take.id)
        assert checkpoint is not None and checkpoint.next_index >= 1
        modal = await open_transcribe(pilot, "L01")
        assert "fortsetter fra 0" in label(modal, "#transcribe-state")
        await pilot.press("escape")
    assert store.load_transcription(demo_project, session, take.id) is None


async def test_live_draft_grows_while_recording(demo_project, sound, tmp_path) -> None:  # noqa: F811
    played = tmp_path / "inputs" / "speech.wav"
    played.parent.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(sample_path("interview-en.ogg")), "-t", "24", "-ac", "1",
                    "-ar", "16000", str(played)], check=True)
    add_session(demo_project, "R01")
    add_participant(demo_project, "R1", "Rask Prat", consent_items=["participation", "audio"], sessions=["R01"])
    app = interview_app(demo_project, "R01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(LiveDraftPanel)
        assert "appears here" in str(panel.query_one("#live-text", Static).content)
        await pilot.press("r")
        recorder = app.screen.query_one(RecorderPanel)
        await until(pilot, lambda: recorder.phase == "recording", seconds=15)
        player = sound.play(played)
        await until(pilot, lambda: panel.lines, seconds=40)
        assert recorder.phase == "recording"  # text while the recording still runs
        await until(pilot, lambda: player.poll() is not None, seconds=40)
        await pilot.press("R")
        await until(pilot, lambda: recorder.phase == "idle", seconds=15)
        await until(pilot, lambda: panel.engine is None, seconds=60)  # the tail is done, the worker closed
        text = " ".join(panel.lines).lower()
        assert "thank you for taking part" in text and "municipality" in text
        await pilot.press("L")  # off, remembered for the next interview
        await settle(pilot)
        assert not panel.enabled and load_setting("live_transcription") == "off"
        assert any("Live transcription off" in n.message for n in app._notifications)
