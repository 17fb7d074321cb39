"""The transcript editor, with real parts: the demo project's session S02 (a real English
transcription of 92 s of audio), saved encrypted and read back from disk, played through the
virtual sound device, and opened through the real `interviewkit edit` command in tmux."""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList

from interviewkit.audio.devices import DEVICE_ENV, save_device
from interviewkit.transcript.conventions import conventions_for
from interviewkit.transcript.model import Segment, Transcript
from interviewkit.transcript.store import list_revisions, open_transcript, save_transcript
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.screens import editor as editor_module
from interviewkit.tui.screens import editor_playback
from interviewkit.tui.screens.editor import EditorScreen
from interviewkit.tui.screens.editor_modals import ChoiceModal, FindModal, JumpModal, RenameModal, SpeakerModal
from interviewkit.tui.widgets.transcript_view import TranscriptView, wrap
from tests.audio.conftest import virtual_audio  # noqa: F401 (the shared fixture)
from tests.tui.conftest import editor_app, opened, screen_text, select_session, settle, until

SIZE = (120, 40)



def saved(reopen, project, session_id: str = "S02") -> Transcript:
    again = reopen(project.root)
    return open_transcript(again, again.index.find_session(session_id))


def segments(screen: EditorScreen) -> list[Segment]:
    assert screen.editor is not None
    return screen.editor.transcript.segments


@pytest.fixture
def quick_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 0.3)


def test_wrap_keeps_offsets() -> None:
    text = "Thank you for taking part in this interview, and a veryveryveryverylongword too."
    rows = wrap(text, 20)
    assert "".join(text[a:b] for a, b in rows) == text
    assert all(len(text[a:b].rstrip()) <= 20 for a, b in rows)
    assert wrap("", 20) == [(0, 0)]


async def test_home_e_opens_the_editor_with_the_segments(demo_project) -> None:
    app = InterviewkitApp(project=demo_project, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await select_session(pilot, "S02")
        await pilot.press("e")
        await opened(pilot)
        text = screen_text(app)
        assert "Transcript of session S02" in text
        assert "Thank you for taking part in this interview." in text
        assert "[00:00:03]" in text and "segment 1 of 21" in text and "0 % checked" in text and "saved" in text
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"


async def test_a_session_without_transcript_says_so(demo_project) -> None:
    app = editor_app(demo_project, "S01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.editor is None
        assert "key t on the project screen" in screen_text(app)


async def test_an_edit_is_autosaved_and_undone(demo_project, reopen, monkeypatch) -> None:
    # long enough that a busy machine cannot save between two typed keys before the first check
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 1.5)
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        original = segments(screen)[1].text
        await pilot.press("down", "enter", "end")
        await pilot.press(*" Indeed")
        await pilot.press("enter")  # puts the text back
        assert segments(screen)[1].text == original + " Indeed"
        assert "unsaved changes" in screen_text(app)
        await until(pilot, lambda: screen.save_state == "saved" and screen.saved_revision == screen.editor.revision,
                    seconds=10)
        assert saved(reopen, demo_project).segments[1].text == original + " Indeed"
        assert "Indeed" in screen_text(app)

        await pilot.press("ctrl+z")
        assert segments(screen)[1].text == original
        await pilot.press("ctrl+y")
        assert segments(screen)[1].text == original + " Indeed"
        await pilot.press("ctrl+z")
        await until(pilot, lambda: screen.saved_revision == screen.editor.revision, seconds=10)
        assert saved(reopen, demo_project).segments[1].text == original


async def test_typing_is_saved_without_leaving_the_text_box(demo_project, reopen, quick_autosave) -> None:
    """A crash loses at most the last few seconds: a pause in typing counts as a change."""
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("enter", "end", *" Yes", "!")
        assert screen.editing
        await until(pilot, lambda: saved(reopen, demo_project).segments[0].text.endswith(" Yes!"), seconds=10)
        assert screen.editing


async def test_leaving_saves_a_revision(demo_project, reopen) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("enter", "home", *"Well, ", "escape", "escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
    project = reopen(demo_project.root)
    session = project.index.find_session("S02")
    assert open_transcript(project, session).segments[0].text.startswith("Well, Thank you")
    assert len(list_revisions(project, session)) == 1


async def test_split_merge_undo_redo(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        first = segments(screen)[0].text  # "Thank you for taking part in this interview."
        await pilot.press("ctrl+l")  # not editing: a hint, no change
        assert len(segments(screen)) == 21
        cut = first.index(" for")
        await pilot.press("enter", "home", *["right"] * cut, "ctrl+l")
        assert len(segments(screen)) == 22
        assert segments(screen)[0].text.strip() == "Thank you"
        assert segments(screen)[1].text.strip() == first[cut:].strip()
        assert segments(screen)[0].end <= segments(screen)[1].start
        assert screen.view.cursor == 1 and screen.editing
        await pilot.press("escape", "up", "ctrl+j")
        assert len(segments(screen)) == 21 and segments(screen)[0].text == first
        await pilot.press("ctrl+z")
        assert len(segments(screen)) == 22
        await pilot.press("ctrl+z")
        assert len(segments(screen)) == 21 and segments(screen)[0].text == first
        await pilot.press("ctrl+y")
        assert len(segments(screen)) == 22


async def test_speaker_and_rename(demo_project, reopen, quick_autosave) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("down", "ctrl+k")
        modal = app.screen
        assert isinstance(modal, SpeakerModal)
        labels = [str(modal.query_one(OptionList).get_option_at_index(i).prompt)
                  for i in range(modal.query_one(OptionList).option_count)]
        assert labels[:2] == ["1  D6", "2  I"]  # the session's participant, and the interviewer: keys 1 and 2
        modal.query_one(OptionList).highlighted = labels.index("1  D6")
        await pilot.press("enter")
        await pilot.pause()
        assert segments(screen)[1].speaker == "D6"
        await pilot.press("up", "ctrl+k")
        modal = app.screen
        modal.query_one(Input).value = "I"
        modal.query_one(Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert segments(screen)[0].speaker == "I"

        await pilot.press("ctrl+r")
        modal = app.screen
        assert isinstance(modal, RenameModal)
        modal.query_one("#rename-name", Input).value = "Interviewer"
        await pilot.click("#ok")
        await pilot.pause()
        assert screen.editor.transcript.speakers["I"] == "Interviewer"
        text = screen_text(app)
        assert "Interviewer  [00:00:00]" in text and "D6  [00:00:03]" in text
        await pilot.press("ctrl+z")
        assert "I" not in screen.editor.transcript.speakers or not screen.editor.transcript.speakers["I"]
        await pilot.press("ctrl+y")
        await until(pilot, lambda: screen.saved_revision == screen.editor.revision)
    again = saved(reopen, demo_project)
    assert again.segments[1].speaker == "D6" and again.speaker_name("I") == "Interviewer"


async def test_next_unsure_word_moves_the_cursor(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        unsure = [i for i, s in enumerate(segments(screen)) if s.unsure_words()]
        assert len(unsure) >= 2
        await pilot.press("ctrl+u")
        assert screen.view.cursor == unsure[0] and screen.editing
        await pilot.press("escape", "ctrl+u")
        assert screen.view.cursor == unsure[0]  # the cursor was before the word: found again
        await pilot.press("ctrl+u")  # from inside the text box: the next one
        assert screen.view.cursor in unsure and screen.view.cursor != unsure[0] or \
            len(segments(screen)[unsure[0]].unsure_words()) > 1


async def test_checked_progress(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+e")
        assert segments(screen)[0].checked and screen.view.cursor == 1
        percent = round(screen.editor.transcript.checked_fraction * 100)
        assert 0 < percent < 10
        await pilot.pause()
        text = screen_text(app)
        assert f"{percent} % checked" in text and "✓" in text
        await pilot.press("up", "ctrl+e")  # unchecking stays
        assert not segments(screen)[0].checked and screen.view.cursor == 0
        await pilot.pause()
        assert "0 % checked" in screen_text(app)


async def test_conventions_timestamp_find_replace_and_jump(demo_project) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("enter", "end", "ctrl+o")
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("enter")  # the first convention
        await pilot.pause()
        convention = conventions_for(demo_project.index.study.language)[0].text
        await pilot.press("ctrl+t", "enter")
        assert segments(screen)[0].text.endswith(convention + " [00:00:00] ")  # spaced from the text

        await pilot.press("ctrl+f")
        modal = app.screen
        assert isinstance(modal, FindModal)
        modal.query_one("#find-pattern", Input).value = "young people"
        await pilot.click("#find")
        await pilot.pause()
        found = screen.view.cursor
        assert "young people" in segments(screen)[found].text.lower() and screen.editing
        index, start, end = screen.view.mark  # the match is highlighted in the view …
        assert index == found and segments(screen)[found].text[start:end].lower() == "young people"
        assert screen.area.selected_text.lower() == "young people"  # … and selected in the text box
        await pilot.press("escape", "ctrl+f")
        modal = app.screen
        modal.query_one("#find-replacement", Input).value = "teenagers"
        modal.query_one("#find-case", Checkbox).value = True
        await pilot.click("#replace")
        await pilot.pause()
        assert not any("young people" in s.text for s in segments(screen))
        assert any("teenagers" in s.text for s in segments(screen))
        await pilot.press("ctrl+z")
        assert any("young people" in s.text for s in segments(screen))

        await pilot.press("ctrl+g")
        assert isinstance(app.screen, JumpModal)
        await pilot.press(*"0:40", "enter")
        await pilot.pause()
        assert segments(screen)[screen.view.cursor].start <= 40 < segments(screen)[screen.view.cursor + 1].start


async def test_revision_history_restores(demo_project, reopen) -> None:
    session = demo_project.index.find_session("S02")
    transcript = open_transcript(demo_project, session)
    original = transcript.segments[0].text
    transcript.segments[0].text = "An early version."
    save_transcript(demo_project, session, transcript, revision=True)
    transcript.segments[0].text = original
    save_transcript(demo_project, session, transcript)
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert segments(screen)[0].text == "An early version."
        await pilot.press("ctrl+z")  # restoring is one undo step
        assert segments(screen)[0].text == original
        await pilot.press("ctrl+y")
        assert segments(screen)[0].text == "An early version."
    again = reopen(demo_project.root)
    assert open_transcript(again, again.index.find_session("S02")).segments[0].text == "An early version."
    # the early one, the present it replaced, and the restored text saved on leaving
    assert len(list_revisions(again, again.index.find_session("S02"))) == 3


async def test_norwegian_status_and_palette(demo_project) -> None:
    app = editor_app(demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        text = screen_text(app)
        assert "Transkripsjon av intervju S02" in text and "0 % kontrollert" in text and "lagret" in text
        titles = [c.title for c in app.screen.palette_commands()]
        assert "Neste usikre ord" in titles and "Lukk redigeringen" in titles


@pytest.mark.slow
async def test_three_thousand_segments_open_fast(demo_project) -> None:
    session = demo_project.index.find_session("S02")
    take = open_transcript(demo_project, session).segments[0].take
    big = Transcript([Segment(f"{i:08x}", take, i * 2.0, i * 2.0 + 1.8,
                              f"Segment {i}: some words that a person said in the interview, a little longer than "
                              f"a line perhaps, so that it wraps at the edge of the screen.") for i in range(3000)])
    save_transcript(demo_project, session, big)
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        view = screen.query_one(TranscriptView)
        assert len(segments(screen)) == 3000
        started = time.perf_counter()
        screen.loaded(screen.editor.transcript)  # the work on the screen's thread when the transcript arrives
        assert time.perf_counter() - started < 1.0
        for key in ("end", "pageup", "down"):
            started = time.perf_counter()
            await pilot.press(key)
            elapsed = time.perf_counter() - started
            assert elapsed < 0.5, (key, elapsed)  # pilot overhead included; the work itself is below
        started = time.perf_counter()
        view.action_move(-1)
        for y in range(view.size.height):
            view.render_line(y)
        assert time.perf_counter() - started < 0.05
        started = time.perf_counter()
        screen.change(lambda e: e.set_text(2990, "Changed."))
        assert time.perf_counter() - started < 0.05
        assert view.cursor == 2990


# -- playback through the virtual sound device ---------------------------------------------


@pytest.fixture
def sound(virtual_audio, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    """The virtual device, chosen for playback in the settings file."""
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    virtual_audio.stop_players()
    save_device("output", virtual_audio.input_device)  # "pulse" plays into the null sink
    yield virtual_audio
    virtual_audio.stop_players()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
async def test_playback_follows_the_audio(demo_project, sound) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+space")
        await until(pilot, lambda: screen.player is not None and screen.player.playing)
        await until(pilot, lambda: screen.player.position > 1.0)
        assert "▶" in screen_text(app)
        await until(pilot, lambda: screen.view.cursor >= 1, seconds=15)  # follow mode: the cursor goes along
        assert screen.view.playing is not None and screen.view.playing[0] == screen.view.cursor
        await pilot.press("f7")
        await until(pilot, lambda: screen.player.speed == 1.25)
        await pilot.press("f6", "f6")
        await until(pilot, lambda: screen.player.speed == 0.75)
        position = screen.player.position
        await pilot.press("f3")
        await until(pilot, lambda: screen.player.position < position)
        await pilot.press("f9", "ctrl+space")  # follow off; pause
        await until(pilot, lambda: not screen.player.playing)
        assert "follow off" in screen_text(app)
        await pilot.press("end", "f8")  # replay the last segment from its start
        last = segments(screen)[-1]
        await until(pilot, lambda: screen.player.playing and screen.player.position >= last.start)
        assert screen.view.cursor == len(segments(screen)) - 1
        await pilot.press("ctrl+space")
        await until(pilot, lambda: not screen.player.playing)


async def test_playback_without_a_device_is_one_line(demo_project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editor_playback, "chosen_device", lambda kind: "no such device here")
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+space")
        await settle(pilot)
        assert screen.player is None or not screen.player.playing
        error = str(screen.query_one("#editor-error").render())
        assert error and "\n" not in error


# -- the real command in a real terminal ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_edit_command_in_a_terminal(tmp_path: Path) -> None:
    from tests.terminal import Terminal

    (tmp_path / "tmp").mkdir()
    env = {"TERM": "xterm-256color", "TMPDIR": str(tmp_path / "tmp"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
           "INTERVIEWKIT_PASSPHRASE": "interviewkit-demo", "INTERVIEWKIT_USER": "test-user"}
    demo = tmp_path / "demo-project"
    python = shlex.quote(sys.executable)
    term = Terminal(f"{python} -m interviewkit demo --create {shlex.quote(str(demo))}", env)
    try:
        term.wait_for("EXITED-0", timeout=120)
    finally:
        term.close()
    command = f"{python} -m interviewkit edit {shlex.quote(str(demo))} S02 --lang en"
    term = Terminal(command, env)
    try:
        term.wait_for("segment 1 of 21", timeout=120)
        term.keys("Enter")
        term.wait_for("editing (Enter or Esc")
        term.keys("End")
        term.keys("-l", " Corrected in tmux.")
        term.keys("Enter")
        term.wait_for("Corrected in tmux.")
        term.keys("C-q")
        term.wait_for("EXITED-0", timeout=60)
    finally:
        term.close()
    term = Terminal(command, env)
    try:
        screen = term.wait_for("segment 1 of 21", timeout=120)
        assert "interview. Corrected in tmux." in screen
        term.keys("C-q")
        term.wait_for("EXITED-0", timeout=60)
    finally:
        term.close()


async def test_the_keys_are_the_users_to_choose(demo_project) -> None:
    """``editor_keys`` in the settings file replaces default keys; bad entries are one warning each."""
    import json

    from interviewkit.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"editor_keys": {"toggle_checked": "f1", "fly": "f2", "next_unsure": "ctrl+"}}))
    app = editor_app(demo_project)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        before = screen.editor.transcript.segments[0].checked
        await pilot.press("f1")
        await settle(pilot)
        assert screen.editor.transcript.segments[0].checked is not before  # f1 now marks checked
        bound = {b.key for bs in screen._bindings.key_to_bindings.values() for b in bs if b.action == "toggle_checked"}
        assert bound == {"f1"}  # ctrl+e is free again
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("editor_keys.fly: no such editor action" in w for w in warnings)
        assert any("editor_keys.next_unsure: 'ctrl+' is not a key list" in w for w in warnings)
        assert "f1" in screen_text(app).lower()  # the footer shows the user's key


async def test_rename_in_every_session_of_the_project(demo_project, reopen) -> None:
    """The rename dialog's "every session" box: another session's transcript changes too."""
    from interviewkit.sessions import add_session
    from interviewkit.transcript.editing import TranscriptEditor

    s02 = demo_project.index.find_session("S02")
    other = add_session(demo_project, "S03")
    for session in (s02, other):
        transcript = open_transcript(demo_project, s02)
        TranscriptEditor(transcript).set_speaker([0, 1], "I")
        save_transcript(demo_project, session, transcript, base=None)  # S02's copy, also into S03
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+r")
        modal = app.screen
        assert isinstance(modal, RenameModal)
        modal.query_one("#rename-code", Input).value = "INT"
        modal.query_one("#rename-everywhere", Checkbox).value = True
        await pilot.click("#ok")
        await settle(pilot)
        assert any("Renamed in 1 other sessions (2 segments)" in n.message for n in app._notifications)
    again = reopen(demo_project.root)
    for session_id in ("S02", "S03"):
        transcript = open_transcript(again, again.index.find_session(session_id))
        assert [s.speaker for s in transcript.segments[:2]] == ["INT", "INT"]
    assert again.verify_audit()[1] == []


def two_sessions(project):
    """S02 and a copy of its transcript as S03 (the same words in two sessions)."""
    from interviewkit.sessions import add_session

    s02 = project.index.find_session("S02")
    other = add_session(project, "S03")
    save_transcript(project, other, open_transcript(project, s02))
    return s02, other


async def test_find_and_replace_across_the_project(demo_project, reopen) -> None:
    two_sessions(demo_project)
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+f")
        modal = app.screen
        modal.query_one("#find-pattern", Input).value = "young people"
        modal.query_one("#find-project", Checkbox).value = True
        await pilot.click("#find")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ChoiceModal)
        sessions = [value.session_id for _, value in listing.choices]
        assert "S02" in sessions and "S03" in sessions
        chosen = next(i for i, value in enumerate(v for _, v in listing.choices) if value.session_id == "S03")
        listing.query_one(OptionList).highlighted = chosen
        await pilot.press("enter")
        await settle(pilot)
        other = app.screen
        assert isinstance(other, EditorScreen) and other is not screen and other.session.id == "S03"
        await until(pilot, lambda: other.editor is not None and other.view.mark is not None)
        index, start, end = other.view.mark
        assert other.view.cursor == index and segments(other)[index].text[start:end].lower() == "young people"

        await pilot.press("escape", "ctrl+f")  # replace in this session (undoable) and in every other one
        modal = app.screen
        modal.query_one("#find-pattern", Input).value = "young people"
        modal.query_one("#find-replacement", Input).value = "teenagers"
        modal.query_one("#find-project", Checkbox).value = True
        await pilot.click("#replace")
        await settle(pilot)
        await until(pilot, lambda: any("other sessions" in n.message for n in app._notifications))
        assert not any("young people" in s.text.lower() for s in segments(other))
        await pilot.press("ctrl+z")
        assert any("young people" in s.text.lower() for s in segments(other))
        await pilot.press("ctrl+y", "escape")
        await settle(pilot)
    for session_id in ("S02", "S03"):
        assert not any("young people" in s.text.lower() for s in saved(reopen, demo_project, session_id).segments)


async def test_typing_without_a_pause_is_still_saved(demo_project, reopen, monkeypatch) -> None:
    """Autosave waits for a pause in the typing, but never longer than MAX_UNSAVED_SECONDS."""
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 30.0)
    monkeypatch.setattr(editor_module, "MAX_UNSAVED_SECONDS", 1.0)
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("enter", "end")
        began = time.monotonic()
        while time.monotonic() - began < 3.0:  # a key every 0.1 s: never a 30-s pause
            await pilot.press("x")
            await pilot.pause(0.1)
            if "xxxx" in saved(reopen, demo_project).segments[0].text:
                break
        assert "xxxx" in saved(reopen, demo_project).segments[0].text
        assert screen.editing  # saved without leaving the text box
