"""Audio in the terminal interface, with real parts: files made by espeak-ng and ffmpeg imported
through the import dialog (progress, cancel, the original deleted or kept, bad paths), takes
played through the virtual sound device (PulseAudio null sink, tests/audio/conftest.py), and the
device picker choosing that device for the recorder and the player."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Button, DataTable, Input, Label, ProgressBar

from interviewkit.audio.devices import DEVICE_ENV, list_devices, save_device
from interviewkit.audio.store import TakeWriter, audio_dir, list_takes, read_pcm
from interviewkit.consent import add_participant
from interviewkit.i18n import CATALOGS
from interviewkit.interview import ManualClock
from interviewkit.sessions import add_session
from interviewkit.settings import settings_path
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens import audio, home, interview, playback
from interviewkit.tui.screens.audio import DevicePickerModal
from interviewkit.tui.screens.audio_import import ImportModal, complete_path
from interviewkit.tui.screens.home import HomeScreen
from interviewkit.tui.screens.interview import InterviewApp, InterviewScreen
from interviewkit.tui.screens.playback import PlaybackScreen
from interviewkit.tui.widgets.recorder_panel import RecorderPanel
from tests.audio.conftest import virtual_audio  # noqa: F401 (the shared fixture)
from tests.audio.media import espeak, ffmpeg, looped_tone
from tests.interview.guides import sample_guide
from tests.tui.conftest import open_session_modal, select_session, settle, until

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
SIZE = (120, 40)
RATE = 16000


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Speech (espeak-ng) as an mp3, an hour of tone, and a text file called .wav."""
    root = tmp_path_factory.mktemp("tui-media")
    speech = espeak(root / "speech.wav", "Dette er et intervju. This is a test of the import dialog.")
    ffmpeg("-i", str(speech), "-c:a", "libmp3lame", "-b:a", "64k", str(root / "speech.mp3"))
    looped_tone(root / "hour.mp3", 60, frequency=300)
    (root / "notes.wav").write_text("This is a text file, not a recording.\n" * 50)
    return root


@pytest.fixture
def home_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own, for paths typed with ~."""
    home_path = tmp_path / "home"
    home_path.mkdir()
    monkeypatch.setenv("HOME", str(home_path))
    return home_path


def label(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


@pytest.fixture
def session_id(demo_project) -> str:
    """A new session of the demo, without audio, whose participant consented to audio recording."""
    add_session(demo_project, "A01")
    add_participant(demo_project, "A1", "Test Deltaker", consent_items=["participation", "audio"], sessions=["A01"])
    return "A01"


def interview_app(project, session_id: str, language: str = "en") -> InterviewApp:
    return InterviewApp(project, project.index.find_session(session_id), guide=sample_guide(), clock=ManualClock(),
                        language=language)


async def open_import(pilot, session_id: str) -> ImportModal:
    return await open_session_modal(pilot, session_id, "m", ImportModal)


async def submit(pilot, modal: ImportModal, path: str) -> None:
    modal.query_one("#import-path", Input).value = path
    modal.query_one("#import-path", Input).focus()
    await pilot.press("enter")


def stored_segments(root: Path) -> set[Path]:
    return set(root.glob("sessions/*/audio/*/seg-*.age"))


# -- import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("button, kept", [("delete-original", False), ("keep-original", True)])
async def test_import_shows_progress_then_offers_to_delete_the_original(demo_project, demo_root, reopen, media,
                                                                       home_dir, session_id, button, kept) -> None:
    original = home_dir / "Downloads" / "intervju.mp3"
    original.parent.mkdir()
    shutil.copy(media / "speech.mp3", original)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_import(pilot, session_id)
        assert modal.query_one("#import-consent").display is False  # A1 consented to audio
        await submit(pilot, modal, "~/Downloads/intervju.mp3")
        await until(pilot, lambda: modal.phase == "done")
        assert modal.query_one("#import-progress", ProgressBar).percentage == 1.0
        take = modal.result.take
        assert f"Imported take {take.id}: 00:0" in label(modal, "#import-result")
        assert f"still on disk, unencrypted: {original}" in label(modal, "#import-original")
        assert [b.id for b in modal.query(Button) if b.display] == ["delete-original", "keep-original"]
        await pilot.click(f"#{button}")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        message = [n.message for n in app._notifications][-1]
        assert take.id in message
        assert ("still on disk, unencrypted" in message) is kept and ("was deleted" in message) is not kept
    assert original.exists() is kept
    [stored] = list_takes(reopen(demo_root), session_id)
    assert stored.id == take.id and stored.complete and stored.source == "import"
    assert 2.0 < stored.duration_seconds < 10.0
    pcm = np.frombuffer(read_pcm(reopen(demo_root), session_id, stored), dtype="<i2").astype(float)
    assert np.sqrt(np.mean(pcm * pcm)) > 300  # speech, not silence


@pytest.mark.parametrize("typed, fragment", [
    ("missing.mp3", "no such file"),
    ("folder", "is a folder, not a media file"),
    ("notes.wav", "not a media file, or damaged"),
    ("", "Type the path of an audio or video file."),
])
async def test_a_bad_path_is_one_error_line_and_stores_nothing(demo_project, demo_root, media, home_dir, session_id,
                                                               typed, fragment) -> None:
    before = stored_segments(demo_root)
    (home_dir / "folder").mkdir()
    shutil.copy(media / "notes.wav", home_dir / "notes.wav")
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_import(pilot, session_id)
        await submit(pilot, modal, f"~/{typed}" if typed else "")
        await settle(pilot)
        assert app.screen is modal and modal.phase == "choose"
        error = label(modal, "#error")
        assert fragment in error and len(error.splitlines()) == 1 and "Traceback" not in error
        if typed:
            assert str(home_dir / typed) in error  # the path, with ~ expanded
        assert modal.query_one("#import-path", Input).value == (f"~/{typed}" if typed else "")  # to correct it
    assert stored_segments(demo_root) == before
    assert not any(audio_dir(demo_project, demo_project.index.find_session(session_id)).glob("*"))


async def import_an_hour(pilot, session_id: str, media: Path, root: Path) -> tuple[ImportModal, ProgressBar]:
    """Start importing an hour of audio; return once a minute of it is stored (a partial take)."""
    before = stored_segments(root)
    modal = await open_import(pilot, session_id)
    await submit(pilot, modal, str(media / "hour.mp3"))
    bar = modal.query_one("#import-progress", ProgressBar)
    await until(pilot, lambda: modal.phase == "importing" and (bar.progress or 0) > 60)
    await until(pilot, lambda: bool(stored_segments(root) - before))
    return modal, bar


async def test_escape_cancels_the_import_and_keeps_nothing(demo_project, demo_root, reopen, media, session_id) -> None:
    before = stored_segments(demo_root)
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        modal, bar = await import_an_hour(pilot, session_id, media, demo_root)
        assert bar.total == pytest.approx(3600, abs=5) and "Importerer" in label(modal, "#import-status")
        await pilot.press("escape")
        await until(pilot, lambda: modal.phase == "choose")
        await settle(pilot)
        assert (bar.percentage or 0) < 1.0
        assert "Importen er avbrutt: ingenting ble tatt vare på" in label(modal, "#error")
        assert app.screen is modal  # a second Escape closes it
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert list_takes(reopen(demo_root), session_id) == []
    assert stored_segments(demo_root) == before
    assert not any(audio_dir(demo_project, demo_project.index.find_session(session_id)).iterdir())
    assert (media / "hour.mp3").exists()


async def test_quitting_during_an_import_keeps_nothing(demo_project, demo_root, media, session_id) -> None:
    before = stored_segments(demo_root)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await import_an_hour(pilot, session_id, media, demo_root)
        await pilot.press("ctrl+q")
    deadline = time.monotonic() + 20  # the import's thread outlives the app: it sees the cancel and cleans up
    while stored_segments(demo_root) != before or any(audio_dir(demo_project, demo_project.index.find_session(
            session_id)).iterdir()):
        assert time.monotonic() < deadline, "the partial take was left behind"
        time.sleep(0.05)
    assert not [t for t in threading.enumerate() if t.name.startswith("ffmpeg")]


async def test_import_is_refused_without_audio_consent(demo_project, demo_root, media) -> None:
    before = stored_segments(demo_root)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_import(pilot, "G01")  # D5 has withdrawn
        consent = label(modal, "#import-consent")
        assert "✗ Withdrawn: D5" in consent and "Nothing can be imported" in consent
        await submit(pilot, modal, str(media / "speech.mp3"))
        await settle(pilot)
        assert modal.phase == "choose" and "withdrawn from the study: D5" in label(modal, "#error")
    assert stored_segments(demo_root) == before


async def test_import_from_the_interview_screen_shows_the_take_in_the_recorder(demo_project, media,
                                                                               session_id) -> None:
    app = interview_app(demo_project, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ImportModal)
        await submit(pilot, modal, str(media / "speech.mp3"))
        await until(pilot, lambda: modal.phase == "done")
        await pilot.press("escape")  # once imported, Escape keeps the original
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        panel = app.screen.query_one(RecorderPanel)
        assert len(panel.takes) == 1 and panel.takes[0].source == "import"
    assert (media / "speech.mp3").exists()


def test_path_completion(tmp_path: Path, home_dir: Path) -> None:
    (home_dir / "Opptak").mkdir()
    (home_dir / "Opptak" / "intervju-1.m4a").write_bytes(b"")
    (home_dir / ".hidden").write_text("")
    assert complete_path("~") == "~/"
    assert complete_path("~/Op") == "~/Opptak/"
    assert complete_path("~/Opptak/int") == "~/Opptak/intervju-1.m4a"
    assert complete_path("~/.h") == "~/.hidden"
    assert complete_path("~/h") is None  # hidden names only when asked for
    assert complete_path("~/nothing/x") is None and complete_path("") is None
    assert complete_path(f"{tmp_path}/ho") == f"{tmp_path}/home/"


# -- playback ---------------------------------------------------------------------------------


def tone(seconds: float, frequency: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * frequency * t) * 12000).astype("<i2")


@pytest.fixture
def sound(virtual_audio, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    """The virtual device, chosen for recording and playback in the settings file."""
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    virtual_audio.stop_players()
    save_device("input", virtual_audio.input_device)
    save_device("output", virtual_audio.input_device)  # "pulse" plays into the null sink too
    yield virtual_audio
    virtual_audio.stop_players()


def add_take(project, session_id: str, seconds: float) -> str:
    writer = TakeWriter.create(project, project.index.find_session(session_id), "microphone")
    writer.append(tone(seconds).tobytes())
    return writer.close().id


async def open_playback(pilot, session_id: str) -> PlaybackScreen:
    await select_session(pilot, session_id)
    await pilot.press("p")
    screen = pilot.app.screen
    assert isinstance(screen, PlaybackScreen)
    await until(pilot, lambda: screen.player is not None)
    return screen


async def test_playback_keys_play_pause_seek_and_speed(demo_project, session_id, sound, text) -> None:
    first, second = add_take(demo_project, session_id, 3.0), add_take(demo_project, session_id, 40.0)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_playback(pilot, session_id)
        shown = text(app)
        assert first in shown and second in shown and "00:40" in shown and "‖ Paused" in shown
        assert screen.player.device == "pulse" and screen.take.id == first
        await pilot.press("tab", "down", "enter")  # into the takes table: the second take
        await until(pilot, lambda: screen.player is not None and screen.take.id == second)
        player = screen.player
        assert player.duration == pytest.approx(40.0)

        await pilot.press("space")
        await until(pilot, lambda: player.position > 1.0, 10)  # the device takes the audio: time runs
        await pilot.pause(0.3)
        assert "▶ Playing" in text(app) and "/ 00:40" in label(screen, "#play-clock")
        await pilot.press("space")
        await settle(pilot)
        paused = player.position
        assert not player.playing and "‖ Paused" in text(app)
        await pilot.pause(0.3)
        assert player.position == paused
        bar = screen.query_one("#play-progress", ProgressBar)
        assert bar.progress == pytest.approx(paused, abs=0.01) and bar.total == pytest.approx(40.0)

        for keys, expected in [(("right",), paused + 5), (("right", "right"), paused + 15), (("left",), paused + 10),
                               (("right_square_bracket",), paused + 40), (("home",), 0.0),
                               (("shift+right",), 30.0), (("shift+left", "left"), 0.0),
                               (("left_square_bracket",), 0.0)]:
            await pilot.press(*keys)
            await settle(pilot)
            assert player.position == pytest.approx(min(expected, 40.0), abs=0.01), keys

        for _ in range(5):
            await pilot.press("plus")
        await settle(pilot)
        assert player.speed == 2.0 and "×2.00" in label(screen, "#play-clock")
        assert any("fastest speed is ×2" in n.message for n in app._notifications)
        for _ in range(7):
            await pilot.press("minus")
        await settle(pilot)
        assert player.speed == 0.5
        assert any("slowest speed is ×0.5" in n.message for n in app._notifications)
        await pilot.press("equals_sign")  # = is + without shift
        await settle(pilot)
        assert player.speed == 0.75

        player.seek(10.0)
        await pilot.press("space")
        await settle(pilot)
        await until(pilot, lambda: player.position > 10.5, 10)  # time-stretched playback runs
        await pilot.press("space")
        await settle(pilot)
        stopped = player.position
        await pilot.press("space")  # resuming replays the last second
        await settle(pilot)
        assert stopped - 1.1 < player.position < stopped - 0.4
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert screen.player is None and not player.playing  # closed when the screen went


async def test_playback_of_a_session_without_audio(demo_project, session_id) -> None:
    app = InterviewkitApp(project=demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await select_session(pilot, session_id)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlaybackScreen) and screen.player is None
        assert "ingen lyd ennå" in label(screen, "#play-error")
        await pilot.press("space", "right", "plus")  # nothing to control: no error, no crash
        await settle(pilot)
        assert isinstance(app.screen, PlaybackScreen)


async def test_listening_is_refused_while_recording(demo_project, session_id, sound) -> None:
    app = interview_app(demo_project, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        await pilot.press("r")
        await until(pilot, lambda: panel.phase == "recording")
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert any("Stop the recording first" in n.message for n in app._notifications)
        await pilot.press("R")
        await until(pilot, lambda: panel.phase == "idle")
        await settle(pilot)
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, PlaybackScreen) and app.screen.player is not None)


# -- devices ------------------------------------------------------------------------------------


def device_rows(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_devices(pilot, key: str) -> DevicePickerModal:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, DevicePickerModal)
    return pilot.app.screen


async def record_briefly(pilot):
    """In the interview screen: r, half a second of recording, R.  Returns the recorder used."""
    panel = pilot.app.screen.query_one(RecorderPanel)
    await pilot.press("r")
    await until(pilot, lambda: panel.phase == "recording" and panel.recorder.elapsed >= 0.5)
    recorder = panel.recorder
    await pilot.press("R")
    await until(pilot, lambda: panel.phase == "idle")
    await settle(pilot)
    return recorder


async def test_device_picker_saves_the_choice_and_the_recorder_uses_it(demo_project, demo_root, reopen, session_id,
                                                                      virtual_audio, monkeypatch) -> None:  # noqa: F811
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    pulse = next(d for d in list_devices() if d.name == virtual_audio.input_device)
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_devices(pilot, "d")
        for kind in ("input", "output"):
            table = modal.query_one(f"#{kind}-devices", DataTable)
            rows = device_rows(table)
            assert rows[0].startswith("● System default") and "  pulse" in rows
            table.move_cursor(row=table.get_row_index(str(pulse.index)))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("microphone pulse; playback pulse" in n.message for n in app._notifications)
        modal = await open_devices(pilot, "d")  # the saved choice is marked when the picker opens again
        assert "● pulse" in device_rows(modal.query_one("#input-devices", DataTable))
    assert json.loads(settings_path().read_text()) == {"audio_input_device": "pulse", "audio_output_device": "pulse"}

    app = interview_app(demo_project, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(RecorderPanel).device is None  # chosen when recording starts
        assert (await record_briefly(pilot)).device == "pulse"
    [take] = list_takes(reopen(demo_root), session_id)
    assert take.device is not None and "pulse" in take.device


async def test_the_environment_overrides_the_saved_microphone(demo_project, session_id, virtual_audio,  # noqa: F811
                                                              monkeypatch) -> None:
    save_device("input", "no such microphone")
    monkeypatch.setenv(DEVICE_ENV, virtual_audio.input_device)
    app = interview_app(demo_project, session_id, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert (await record_briefly(pilot)).device == "pulse"  # not the saved one
        modal = await open_devices(pilot, "D")
        assert f"{DEVICE_ENV}=pulse er satt" in label(modal, "#devices-override")
        modal.query_one("#input-devices", DataTable).move_cursor(row=0)  # back to the system's default
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert any("mikrofon Systemets standard" in n.message for n in app._notifications)
    assert "audio_input_device" not in json.loads(settings_path().read_text())


async def test_a_saved_device_that_is_gone_is_one_error_line(demo_project, session_id, virtual_audio,  # noqa: F811
                                                             monkeypatch) -> None:
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    save_device("input", "USB microphone that was unplugged")
    app = interview_app(demo_project, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(RecorderPanel)
        await pilot.press("r")
        await settle(pilot)
        assert panel.phase == "idle"
        [error] = [n.message for n in app._notifications if n.severity == "error"]
        assert "no input device 'USB microphone that was unplugged'" in error and "\n" not in error


# -- keys and texts ---------------------------------------------------------------------------


def test_every_audio_key_and_command_is_in_both_catalogs() -> None:
    actions = [a for a, _ in playback.ACTIONS if a != "back"] + ["close_playback", *audio.AUDIO_ACTIONS]
    for lang in ("en", "nb"):
        for action in actions:
            for key in (f"cmd.{action}", f"cmd.{action}.help"):
                assert key in CATALOGS[lang], key
        for cls in (PlaybackScreen, ImportModal, DevicePickerModal, HomeScreen, InterviewScreen):
            for binding in cls.BINDINGS:
                assert f"key.{binding.action}" in CATALOGS[lang], (cls.__name__, binding.action)
    assert {a for a, _ in home.ACTIONS} >= set(audio.AUDIO_ACTIONS)
    assert {a for a, _ in interview.ACTIONS} >= set(audio.AUDIO_ACTIONS)
