"""The editor open with an unsaved edit while ``transcript replace`` changes the same transcript:
its save is refused as stale and asked about (Reload, Merge, Keep mine), never a silent overwrite,
and whichever the choice, nothing is lost."""

from __future__ import annotations

import pytest

from interviewkit.transcript.project_wide import replace_in_project
from interviewkit.transcript.store import list_revisions, load_revision, open_transcript
from interviewkit.tui.screens import editor as editor_module
from interviewkit.tui.screens import editor_conflict
from interviewkit.tui.screens.editor_conflict import ConflictModal
from tests.tui.conftest import editor_app, opened, screen_text, settle, until

SIZE = (120, 40)
MINE = " Edited in the editor."
THEIRS = "fritidsklubb"


@pytest.fixture
def counted_saves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """No autosave until ``soon`` says so; every save the editor tries is counted."""
    monkeypatch.setattr(editor_module, "AUTOSAVE_SECONDS", 600.0)
    monkeypatch.setattr(editor_module, "MAX_UNSAVED_SECONDS", 600.0)
    calls: list[int] = []
    real = editor_conflict.save_transcript

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(editor_conflict, "save_transcript", counting)
    return calls


def stored(reopen, project):  # type: ignore[no-untyped-def]
    again = reopen(project.root)
    session = again.index.find_session("S02")
    history = [" ".join(s.text for s in load_revision(again, session, r.name).segments)
               for r in list_revisions(again, session)]
    return open_transcript(again, session), history


async def edit_while_the_cli_replaces(pilot, demo_project, reopen, counted_saves):  # type: ignore[no-untyped-def]
    """An unsaved edit of segment 0 in the editor; the CLI's replace in the meantime; then the
    editor's save: the conflict dialog.  Returns the screen and the text of segment 0 before."""
    screen = await opened(pilot)
    original = screen.editor.transcript.segments[0].text
    await pilot.press("enter", "end", *MINE, "enter")
    assert screen.editor.transcript.segments[0].text == original + MINE
    counts = replace_in_project(reopen(demo_project.root), "youth club", THEIRS)  # another process's project
    assert counts == {"S02": 2}
    editor_module.AUTOSAVE_SECONDS = 0.2  # (monkeypatched: put back after the test) the autosave comes
    await until(pilot, lambda: isinstance(pilot.app.screen, ConflictModal), seconds=15)
    await settle(pilot)
    tries = len(counted_saves)
    text = screen_text(pilot.app)
    assert "The transcript was changed elsewhere" in text and "revision 0, now 1" in text
    await pilot.pause(1.0)  # five autosave delays: no retry while the question is open
    assert len(counted_saves) == tries
    return screen, original


async def test_merge_keeps_both_changes(demo_project, reopen, counted_saves) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen, original = await edit_while_the_cli_replaces(pilot, demo_project, reopen, counted_saves)
        await pilot.press("m")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictModal) and screen.conflict is None
        shown = screen.editor.transcript
        assert shown.segments[0].text == original + MINE and THEIRS in shown.text()
        assert "saved" in screen_text(app)
    transcript, history = stored(reopen, demo_project)
    assert transcript.segments[0].text == original + MINE and THEIRS in transcript.text()
    assert any(THEIRS in text and MINE not in text for text in history)  # theirs, as it was, in the history


async def test_reload_shows_theirs_and_keeps_mine_in_the_history(demo_project, reopen, counted_saves) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen, original = await edit_while_the_cli_replaces(pilot, demo_project, reopen, counted_saves)
        await pilot.press("r")
        await settle(pilot)
        shown = screen.editor.transcript
        assert shown.segments[0].text == original and THEIRS in shown.text()
        assert not screen.editor.can_undo
        await pilot.press("escape")  # leaving: nothing to save, nothing refused
        await settle(pilot)
    transcript, history = stored(reopen, demo_project)
    assert transcript.segments[0].text == original and THEIRS in transcript.text() and transcript.revision == 1
    assert any(MINE in text and THEIRS not in text for text in history)  # mine, discarded but kept


async def test_keep_mine_overwrites_after_keeping_theirs(demo_project, reopen, counted_saves) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen, original = await edit_while_the_cli_replaces(pilot, demo_project, reopen, counted_saves)
        await pilot.press("k")
        await settle(pilot)
        assert screen.editor.transcript.segments[0].text == original + MINE
        assert screen.saved_revision == screen.editor.revision
    transcript, history = stored(reopen, demo_project)
    assert transcript.segments[0].text == original + MINE and THEIRS not in transcript.text()
    assert any(THEIRS in text and MINE not in text for text in history)  # theirs, as it was, in the history


async def test_decide_later_then_ctrl_s_asks_again(demo_project, reopen, counted_saves) -> None:
    app = editor_app(demo_project, language="nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("enter", "end", *MINE, "enter")
        replace_in_project(reopen(demo_project.root), "youth club", THEIRS)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictModal), seconds=15)
        await settle(pilot)
        editor_module.AUTOSAVE_SECONDS = 0.2  # (monkeypatched: put back after the test)
        assert "Transkripsjonen er endret et annet sted" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        tries = len(counted_saves)
        await pilot.pause(1.0)
        assert len(counted_saves) == tries and not isinstance(app.screen, ConflictModal)
        assert "IKKE LAGRET: endret et annet sted" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
        await pilot.press("m")
        await settle(pilot)
    transcript, _ = stored(reopen, demo_project)
    assert MINE in transcript.segments[0].text and THEIRS in transcript.text()


async def test_a_speaker_named_in_the_editor_is_named_only_in_the_linkage_key(demo_project, reopen, tmp_path) -> None:
    """Renamed to a person's name in the editor: the screen shows the name, the transcript and its
    revisions (what a data-scope key decrypts) hold only the code, the linkage key the name."""
    import json

    from pyrage import x25519
    from textual.widgets import Input

    from interviewkit import recipients
    from interviewkit.transcript.store import REVISIONS_DIR, TRANSCRIPT_FILE
    from interviewkit.tui.screens.editor_modals import RenameModal
    from interviewkit.vault.cipher import read_encrypted

    transcriber = x25519.Identity.generate()
    recipients.add_recipient(demo_project, str(transcriber.to_public()), scope="data")
    project = reopen(demo_project.root)
    app = editor_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("1")  # the first segment: the session's participant, D6
        await pilot.press("up", "ctrl+r")
        modal = app.screen
        assert isinstance(modal, RenameModal)
        modal.query_one("#rename-name", Input).value = "Kari Nordmann"
        await pilot.click("#ok")
        await settle(pilot)
        assert "Kari Nordmann  [00:00:00]" in screen_text(app)
        await pilot.press("escape")  # leaving saves, with a revision
        await settle(pilot)
    session = project.index.find_session("S02")
    files = [project.session_path(session, TRANSCRIPT_FILE),
             *project.session_path(session, REVISIONS_DIR).glob("*.age")]
    plaintexts = [read_encrypted(path, [transcriber]) for path in files]
    assert len(plaintexts) == 2 and all(b"Kari" not in p and json.loads(p)["speakers"] == {} for p in plaintexts)
    again = reopen(project.root)
    assert again.linkage().speakers == {session.key: {"D6": "Kari Nordmann"}}
    app = editor_app(again)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert "Kari Nordmann  [00:00:00]" in screen_text(app)


async def test_quitting_with_the_question_open_keeps_mine_in_the_history(demo_project, reopen, counted_saves) -> None:
    app = editor_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen, original = await edit_while_the_cli_replaces(pilot, demo_project, reopen, counted_saves)
        await pilot.press("escape")  # decide later …
        await settle(pilot)
        assert screen.conflict is not None
        await pilot.press("escape")  # … leaving asks again
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
    # … and the app closed with the question open: theirs stays the transcript, mine goes into the history
    transcript, history = stored(reopen, demo_project)
    assert transcript.segments[0].text == original and THEIRS in transcript.text()
    assert any(MINE in text and THEIRS not in text for text in history)
