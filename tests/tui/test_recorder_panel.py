"""The recorder panel of the interview screen, recording for real from the virtual sound
device (PulseAudio null sink, see tests/audio/conftest.py): start, level, stop, the take
saved encrypted; the consent gate's refusal; an interrupted take offered and continued."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from interviewkit.audio.store import TakeWriter, list_takes, read_pcm
from interviewkit.interview import ManualClock
from interviewkit.project import Project
from interviewkit.tui.screens.interview import InterviewApp, InterviewScreen
from interviewkit.tui.widgets.recorder_panel import DEVICE_ENV, RecorderPanel
from tests.audio.conftest import sine_wav, virtual_audio  # noqa: F401 (the shared fixture)
from tests.interview.guides import sample_guide
from tests.tui.conftest import settle, until

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InterviewScreen, "TICK_SECONDS", 0.05)


@pytest.fixture
def device(virtual_audio, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.setenv(DEVICE_ENV, virtual_audio.input_device)
    virtual_audio.stop_players()
    yield virtual_audio
    virtual_audio.stop_players()


def app_for(project: Project, session_id: str, language: str = "en") -> InterviewApp:
    return InterviewApp(project, project.index.find_session(session_id), guide=sample_guide(), clock=ManualClock(),
                        language=language)


def panel_text(app) -> str:
    panel = app.screen.query_one(RecorderPanel)
    return "\n".join(str(w.render()) for w in panel.children if w.display)


async def test_record_shows_the_level_and_stop_saves_the_take(demo_project, demo_root, reopen, device, tmp_path,
                                                            text) -> None:
    tone = sine_wav(tmp_path / "tone.wav", seconds=6, amplitude=0.3)
    app = app_for(demo_project, "S01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        assert "Not recording" in panel_text(app) and "All have consented to audio." in panel_text(app)
        assert "No recordings yet." in panel_text(app)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording")
        device.play(tone)
        await until(pilot, lambda: panel.recorder.level.rms_dbfs > -20)  # a 0.3 sine: about -13.5 dBFS
        await pilot.pause(0.3)
        shown = panel_text(app)
        assert "● Recording" in shown and "█" in shown and "Disk: room for" in shown
        assert "-13 dB" in shown or "-14 dB" in shown
        assert "● Recording" in text(app)
        await until(pilot, lambda: panel.recorder.elapsed >= 2.5)
        await pilot.press("r")  # pause
        assert panel.phase == "paused" and "‖ Paused" in panel_text(app)
        await pilot.press("r")  # resume
        assert panel.phase == "recording"
        await pilot.pause(0.5)
        await pilot.press("R")  # stop
        await until(pilot, lambda: panel.phase == "idle")
        await settle(pilot)
        shown = panel_text(app)
        assert "Saved take" in shown and "Takes: 1" in shown
        assert any("Saved take" in n.message for n in app._notifications)
    project = reopen(demo_root)
    takes = list_takes(project, "S01")
    assert len(takes) == 1 and takes[0].complete and takes[0].duration_seconds >= 2.5
    pcm = np.frombuffer(read_pcm(project, "S01", takes[0], 1.0, 2.0), dtype="<i2").astype(float) / 32768
    assert 0.15 < np.sqrt(np.mean(pcm * pcm)) < 0.25  # the tone (rms 0.21), not silence
    entries, problems = project.verify_audit()
    assert not problems and entries[-1].action == "audio.record"


async def test_refused_without_consent_names_the_codes(demo_project, demo_root, device) -> None:
    app = app_for(demo_project, "G01", language="nb")  # D5 has withdrawn
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        assert "✗ Trukket seg: D5" in panel_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert panel.phase == "idle" and panel.recorder is None
        shown = panel_text(app)
        assert "Tar ikke opp: D5 kan ikke tas opp" in shown
        assert "Siri" not in shown and "Nils" not in shown  # codes, never names
        assert any("D5" in n.message and n.severity == "error" for n in app._notifications)
    g01 = demo_project.index.find_session("G01").key
    assert not list(demo_root.glob(f"sessions/{g01}/audio/*"))


async def test_an_interrupted_take_is_offered_and_continued(demo_project, demo_root, reopen, device, tmp_path) -> None:
    session = demo_project.index.find_session("S01")
    writer = TakeWriter.create(demo_project, session, "microphone", device="pulse")
    writer.append(np.zeros(16000 * 2, dtype="<i2").tobytes())
    writer.flush()  # then "crash": never closed
    take_id = writer.take.id
    tone = sine_wav(tmp_path / "tone.wav", seconds=4, amplitude=0.3)
    app = app_for(demo_project, "S01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        assert f"Interrupted take {take_id[:6]} (00:02): r continues it." in panel_text(app)
        assert any("interrupted recording" in n.message for n in app._notifications)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording")
        assert panel.recorder.take_id == take_id
        device.play(tone)
        await until(pilot, lambda: panel.recorder.elapsed >= 3.5)
        await pilot.press("R")
        await until(pilot, lambda: panel.phase == "idle")
        await settle(pilot)
        assert "Interrupted" not in panel_text(app)
    takes = list_takes(reopen(demo_root), "S01")
    assert [t.id for t in takes] == [take_id] and takes[0].complete and takes[0].duration_seconds >= 3.5


async def test_leaving_the_screen_keeps_the_take(demo_project, demo_root, reopen, device) -> None:
    app = app_for(demo_project, "S01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording" and panel.recorder.elapsed >= 1.0)
        await pilot.press("escape")  # to the project home: the recorder stops, the take is closed
        await settle(pilot)
        await asyncio.sleep(0)
    takes = list_takes(reopen(demo_root), "S01")
    assert len(takes) == 1 and takes[0].complete and takes[0].duration_seconds >= 1.0
