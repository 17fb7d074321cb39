"""The editor keeps the transcriber's habits: Ctrl+S saves (and never splits), one key per
speaker, "same speaker until here", new and deleted segments (undoable), a spaced timestamp,
reopening where the transcriber left off, one revision per visit that changed something, and
the same playback keys as the playback screen.  Real demo project (S02), saved encrypted and
read back from disk."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from interviewkit.settings import settings_path
from interviewkit.transcript.store import list_revisions, load_place, open_transcript
from interviewkit.tui.screens import editor as editor_module
from interviewkit.tui.screens import playback
from interviewkit.tui.screens.editor import EditorScreen
from interviewkit.tui.screens.playback import PlaybackScreen
from interviewkit.tui.transport_keys import TRANSPORT_KEYS
from tests.tui.conftest import editor_app, opened, screen_text, settle, until

SIZE = (120, 40)



def segments(screen: EditorScreen):
    return screen.editor.transcript.segments


def on_disk(reopen, project):
    again = reopen(project.root)
    session = again.index.find_session("S02")
    return open_transcript(again, session), list_revisions(again, session), load_place(again, session)


def status(app) -> str:
    return str(app.screen.query_one("#editor-status").render())


@pytest.fixture
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 0.3)


async def test_ctrl_s_saves_now_and_never_splits(demo_project, reopen, monkeypatch) -> None:
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 60.0)  # only Ctrl+S can have saved it
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert not re.search(r"saved \d\d:\d\d:\d\d", status(app))
        await pilot.press("ctrl+s")  # nothing unsaved: confirmed all the same
        await pilot.pause()
        assert re.search(r"saved \d\d:\d\d:\d\d", status(app))
        await pilot.press("enter", "end", *" Saved", "ctrl+s")
        assert len(segments(screen)) == 21 and screen.editing  # no split; still typing
        await until(pilot, lambda: screen.save_state == "saved" and screen.saved_revision == screen.editor.revision)
        assert on_disk(reopen, demo_project)[0].segments[0].text.endswith("interview. Saved")
        await until(pilot, lambda: re.search(r"saved \d\d:\d\d:\d\d", status(app)))  # the poll redraws it
        # splitting moved to ctrl+l
        await pilot.press("home", *["right"] * len("Thank you"), "ctrl+l")
        assert len(segments(screen)) == 22 and segments(screen)[0].text == "Thank you"


async def test_speaker_keys_assign_and_move_on(demo_project, reopen, quick_autosave) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert screen.speaker_codes()[:2] == ["D6", "I"]  # the session's participant, then the interviewer
        assert "speakers 1:D6 2:I" in status(app)
        await pilot.press("2", "1", "2")
        assert [s.speaker for s in segments(screen)[:4]] == ["I", "D6", "I", None]
        assert screen.view.cursor == 3
        await pilot.press("9")  # no ninth speaker: a warning, nothing changes
        assert segments(screen)[3].speaker is None and screen.view.cursor == 3
        assert any("Key 9" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        assert segments(screen)[2].speaker is None  # one undo step per key

        # while the text box is being edited, digits are text
        await pilot.press("enter", "end", "1", "enter")
        assert segments(screen)[screen.view.cursor].text.endswith("1")
        assert segments(screen)[screen.view.cursor].speaker is None

        # "same speaker until here"
        await pilot.press("home", "1")  # segment 0: D6
        await pilot.press("down", "down", "down", "equals_sign")  # segments 1–4 take it over
        assert [s.speaker for s in segments(screen)[:6]] == ["D6"] * 5 + [None]
        assert screen.view.cursor == 5
        await pilot.press("ctrl+z")
        assert [s.speaker for s in segments(screen)[:5]] == ["D6", "D6", None, None, None]
        await pilot.press("ctrl+y")
        await until(pilot, lambda: screen.saved_revision == screen.editor.revision)
    assert [s.speaker for s in on_disk(reopen, demo_project)[0].segments[:5]] == ["D6"] * 5


async def test_the_speaker_dialog_numbers_its_speakers(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        titles = [c.title for c in screen.palette_commands()]
        assert "Speaker 1: D6" in titles and "Save now" in titles and "Same speaker until here" in titles


async def test_insert_and_delete_a_segment_undoably(demo_project, reopen, quick_autosave) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        second = segments(screen)[1].text
        await pilot.press("insert")
        assert len(segments(screen)) == 22 and screen.view.cursor == 1 and screen.editing
        await pilot.press(*"(ler)", "enter")
        assert segments(screen)[1].text == "(ler)" and segments(screen)[2].text == second
        await pilot.press("down", "delete")  # the segment that was second
        assert len(segments(screen)) == 21 and second not in [s.text for s in segments(screen)]
        assert any("Segment deleted" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        assert segments(screen)[2].text == second
        await pilot.press("ctrl+z", "ctrl+z")  # the typed text, then the new segment
        assert len(segments(screen)) == 21 and segments(screen)[1].text == second
        await pilot.press("ctrl+y", "ctrl+y")
        await until(pilot, lambda: screen.saved_revision == screen.editor.revision)
    assert on_disk(reopen, demo_project)[0].segments[1].text == "(ler)"


async def test_ctrl_t_puts_spaces_around_the_time(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        first = segments(screen)[0].text
        await pilot.press("enter", "end", "ctrl+t")
        await pilot.press(*"ok", "home", "ctrl+t", "enter")
        assert segments(screen)[0].text == f"[00:00:00] {first} [00:00:00] ok"
        await pilot.press("enter", "home", *["right"] * 3, "ctrl+t", "enter")  # inside a word: spaced both sides
        assert segments(screen)[0].text.startswith("[00 [00:00:00] :00:00]")


async def test_reopening_returns_to_the_last_place(demo_project, reopen) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press(*["down"] * 6)
        segment = segments(screen)[6]
        # a player that stopped 1.5 s into segment 6 (no sound device needed)
        screen.player = SimpleNamespace(position=segment.start + 1.5, playing=False, duration=92.0, speed=1.0,
                                        close=lambda: None)
        screen.player_take = segment.take
        await pilot.press("escape")
        await settle(pilot)
    transcript, revisions, place = on_disk(reopen, demo_project)
    assert place is not None and place.segment_id == segment.id and place.position == round(segment.start + 1.5, 2)
    assert revisions == []  # the visit changed nothing

    app = editor_app(reopen(demo_project.root))
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert screen.view.cursor == 6 and "segment 7 of 21" in screen_text(app)
        started = []
        fake = SimpleNamespace(play=lambda at=None: started.append(at), playing=False)
        screen.control = lambda job, take=None: job(fake)  # what the first play would do
        await pilot.press("f5")
        assert started == [pytest.approx(segment.start + 1.5)]  # from where the last visit stopped
        screen.resume = None
        await pilot.press("f8")  # replay: the segment's start, as ever
        assert started[-1] == segment.start


async def test_one_revision_per_visit_that_changed_something(demo_project, reopen, quick_autosave) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        for word in ("one", "two"):  # autosaves during the visit replace the working copy only
            await pilot.press("enter", "end", *f" {word}", "enter")
            await until(pilot, lambda: screen.saved_revision == screen.editor.revision and not screen.saving)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert list_revisions(demo_project, demo_project.index.find_session("S02")) == []
        await pilot.press("escape")
        await settle(pilot)
    transcript, revisions, _ = on_disk(reopen, demo_project)
    assert transcript.segments[0].text.endswith(" one two") and len(revisions) == 1

    for keys in (("down", "down"), ("enter", "end", *" three", "enter", "ctrl+z")):  # nothing changed in the end
        app = editor_app(reopen(demo_project.root))
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press(*keys)
            await pilot.press("escape")
            await settle(pilot)
        transcript, revisions, _ = on_disk(reopen, demo_project)
        assert transcript.segments[0].text.endswith(" one two") and len(revisions) == 1, keys

    app = editor_app(reopen(demo_project.root))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("1")
        await pilot.press("escape")
        await settle(pilot)
    transcript, revisions, _ = on_disk(reopen, demo_project)
    assert len(revisions) == 2 and transcript.segments[2].speaker == "D6"  # the place was segment 2


TRANSPORT = ("play_pause", "skip_back", "skip_forward", "slower", "faster")


def keys_of(bindings, action: str) -> set[str]:
    return {b.key for bs in bindings.key_to_bindings.values() for b in bs if b.action == action}


async def test_playback_screen_and_editor_share_the_keys(demo_project, monkeypatch) -> None:
    fired: list[tuple[str, str]] = []
    for action in TRANSPORT:
        monkeypatch.setattr(EditorScreen, f"action_{action}", lambda self, a=action: fired.append(("editor", a)))
    for mine, shared in playback.SHARED.items():
        monkeypatch.setattr(PlaybackScreen, f"action_{mine}", lambda self, a=shared: fired.append(("playback", a)))
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        listening = PlaybackScreen(demo_project, demo_project.index.find_session("S02"))
        for action in TRANSPORT:
            editor_keys = keys_of(screen._bindings, action)
            assert editor_keys >= set(TRANSPORT_KEYS[action].split(","))
        await pilot.press("enter")  # the shared keys work while typing, too
        for action in TRANSPORT:
            await pilot.press(TRANSPORT_KEYS[action].split(",")[0])
        await app.push_screen(listening)
        await settle(pilot)
        for action in TRANSPORT:
            await pilot.press(TRANSPORT_KEYS[action].split(",")[0])
        await pilot.press("space")  # the playback screen's own key stays
        assert "F5 or Ctrl+Space play/pause" in screen_text(app)
    assert fired == [("editor", a) for a in TRANSPORT] + [("playback", a) for a in TRANSPORT] + \
        [("playback", "play_pause")]


async def test_editor_keys_setting_applies_to_both_screens(demo_project) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"editor_keys": {"play_pause": "f1", "skip_back": "ctrl+s", "split": "ctrl+b",
                                                "speaker_1": "a", "fill_speaker": "a"}}))
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        assert keys_of(screen._bindings, "play_pause") == {"f1"}
        assert keys_of(screen._bindings, "skip_back") == {"ctrl+s", "ctrl+left"}  # ctrl+left: off the text box
        assert keys_of(screen._bindings, "save") == set()  # its key was given away: the palette still has it
        assert keys_of(screen._bindings, "split") == {"ctrl+b"}
        assert keys_of(screen._bindings, "speaker_1") == {"a"}
        assert keys_of(screen._bindings, "fill_speaker") == {"equals_sign"}  # the second claim on "a" is refused
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("editor_keys.fill_speaker: 'a' is already the key of speaker_1" in w for w in warnings)
        await pilot.press("a")
        assert segments(screen)[0].speaker == "D6" and screen.view.cursor == 1
        listening = PlaybackScreen(demo_project, demo_project.index.find_session("S02"))
        assert keys_of(listening._bindings, "toggle_play") == {"space", "f1"}
        assert keys_of(listening._bindings, "seek_back") == {"left", "ctrl+s"}
        assert keys_of(listening._bindings, "slower") == {"minus", "f6"}
