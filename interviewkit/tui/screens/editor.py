"""The transcript editor: a session's transcript, corrected while listening.

The transcript is one virtual widget (``TranscriptView``); Enter edits the segment under the
cursor in a text box below it (Enter or Escape puts the text back).  Every change goes through
the core's ``TranscriptEditor`` (one undo step each) and is saved, encrypted, in a worker a
few seconds after the last one; leaving saves a revision.  Playback uses the core's
``Player`` for the segment's take, opened on the first play; a timer follows the position
(the word being heard, and in follow mode the cursor).  The keys work while typing.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, TextArea

from interviewkit.errors import InterviewkitError
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.settings import load_settings, settings_path
from interviewkit.transcript.editing import Position, TranscriptEditor
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import (
    REVISION_EVERY_SECONDS,
    open_transcript,
    save_transcript,
)
from interviewkit.tui import app as app_module
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.base import BaseScreen, current_language, localize_bindings
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.editor_modals import EditorDialogs
from interviewkit.tui.screens.editor_playback import EditorPlayback
from interviewkit.tui.widgets.editor_status import EditorState, EditorStatus
from interviewkit.tui.widgets.transcript_view import TranscriptView, hms

AUTOSAVE_SECONDS = 3.0  # save this long after the last change
MAX_UNSAVED_SECONDS = 15.0  # … or this long after the first unsaved one, however fast the typing
POLL_SECONDS = 0.1

# (action, keys, works while typing), in footer and palette order; the first key is shown.
ACTIONS = (
    ("play_pause", "ctrl+space,ctrl+@,f5", True), ("skip_back", "f3", True), ("skip_forward", "f4", True),
    ("slower", "f6", True), ("faster", "f7", True), ("replay", "f8", True), ("toggle_follow", "f9", True),
    ("edit_segment", "enter", False), ("toggle_checked", "ctrl+e", True), ("next_unsure", "ctrl+u", True),
    ("speaker", "ctrl+k", True), ("rename_speaker", "ctrl+r", True), ("split", "ctrl+s", True),
    ("merge", "ctrl+j", True), ("timestamp", "ctrl+t", True), ("conventions", "ctrl+o", True),
    ("jump", "ctrl+g", True), ("find", "ctrl+f", True), ("undo", "ctrl+z", False), ("redo", "ctrl+y", False),
    ("history", "f12,ctrl+h", False), ("mark_identifier", "ctrl+n", True), ("back", "escape", False),
)
FOOTER_SHOWN = ("play_pause", "skip_back", "skip_forward", "edit_segment", "toggle_checked", "next_unsure",
                "speaker", "find", "back")


class SegmentArea(TextArea):
    """The text box of the segment being edited: Enter puts the text back (no line breaks)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.commit_edit()  # type: ignore[attr-defined]
            return
        await super()._on_key(event)


KEYS_SETTING = "editor_keys"  # in the settings file: {"play_pause": "f1", "skip_back": "ctrl+b,f3", …}
_KEY = r"(?:(?:ctrl|shift|alt|meta)\+)*[a-z0-9_@\[\]\-]+"
KEY_PATTERN = re.compile(rf"^{_KEY}(?:,{_KEY})*$")


def editor_bindings(custom: dict[str, str] | None = None) -> list[Binding]:
    """The editor's key bindings, with the user's own keys (``editor_keys`` in the settings
    file, action → comma-separated keys) instead of the defaults where given."""
    custom = custom or {}
    return [Binding(custom.get(action, keys), action, action.replace("_", " "), show=action in FOOTER_SHOWN,
                    priority=typing) for action, keys, typing in ACTIONS] + [
        Binding("ctrl+left", "skip_back", show=False), Binding("ctrl+right", "skip_forward", show=False)]


def custom_keys() -> tuple[dict[str, str], list[str]]:
    """The user's key choices from the settings file, and a line for each one that is not usable."""
    raw = load_settings().get(KEYS_SETTING)
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{settings_path()}: \"{KEYS_SETTING}\" is not an object — write it as "
                    '{"play_pause": "f1", …}; the default keys are used']
    known = {action for action, _, _ in ACTIONS}
    keys, problems = {}, []
    for action, value in raw.items():
        if action not in known:
            problems.append(f"{settings_path()}: {KEYS_SETTING}.{action}: no such editor action — use one of "
                            f"{', '.join(sorted(known))}")
        elif not isinstance(value, str) or not KEY_PATTERN.match(value.replace(" ", "").lower()):
            problems.append(f"{settings_path()}: {KEYS_SETTING}.{action}: '{value}' is not a key list — "
                            "write keys such as \"f1\" or \"ctrl+b,f3\"")
        else:
            keys[action] = value.replace(" ", "").lower()
    return keys, problems


class EditorScreen(EditorDialogs, EditorPlayback, BaseScreen):
    BINDINGS = editor_bindings()

    def __init__(self, project: Project, session: Session, start_at: tuple[int, int, int] | None = None) -> None:
        super().__init__()
        self.start_at = start_at  # (segment, offset, length): a match to show once loaded
        keys, self.key_problems = custom_keys()
        if keys:  # the user's own keys: this screen's binding map, rebuilt (then translated)
            self._bindings = BindingsMap(editor_bindings(keys))
            localize_bindings(self, current_language())
        self.project, self.session = project, session
        self.save_lock = threading.Lock()  # one write of the transcript at a time (worker or leaving)
        self.written_revision = -1  # the newest revision written to the vault
        self.editor: TranscriptEditor | None = None
        self.edit_index: int | None = None  # the segment in the text box
        self.saved_revision = 0
        self.changed_at = 0.0
        self.save_state = "saved"
        self.saving = False
        self.revision_at = time.monotonic()
        self.init_playback()
        self.find_spec: tuple[str, bool, bool] | None = None
        self.edit_text = ""
        self.typed_at = 0.0
        self.unsaved_since: float | None = None  # when the oldest change not yet saved was made

    def compose(self) -> ComposeResult:
        yield Header()
        yield TranscriptView(id="transcript")
        area = SegmentArea(id="segment-edit", soft_wrap=True, show_line_numbers=False)
        area.display = False
        yield area
        yield Label(id="editor-error", classes="error", markup=False)
        yield EditorStatus(id="editor-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.tr("editor.title", session=self.session.id)
        self.sub_title = self.project.index.study.title
        self.view.loading = True
        self.set_interval(POLL_SECONDS, self.poll)
        for problem in self.key_problems:
            self.notify(problem, severity="warning", timeout=15, markup=False)
        project, session = self.project, self.session
        self.run_core(lambda: open_transcript(project, session), self.loaded, self.load_failed, busy=False)

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def area(self) -> SegmentArea:
        return self.query_one(SegmentArea)

    def loaded(self, transcript: Transcript) -> None:
        self.editor = TranscriptEditor(transcript)
        self.saved_revision = 0
        self.view.loading = False
        self.view.set_transcript(transcript)
        self.view.focus()
        if self.start_at is not None and self.start_at[0] < len(transcript.segments):
            index, offset, length = self.start_at
            self.view.move_to(index)
            self.start_edit(offset)
            self.show_match(index, offset, length)
        self.render_status()

    def open_session(self, session_id: str, start_at: tuple[int, int, int] | None = None) -> None:
        """Leave this transcript (saved) for another session's, in the editor."""
        session = self.project.index.find_session(session_id)
        if session is None:
            return
        self.commit_edit()
        self.save_now()
        self.app.switch_screen(EditorScreen(self.project, session, start_at))

    def load_failed(self, message: str) -> None:
        self.view.loading = False
        self.show_error(message + " " + self.tr("editor.hint_transcribe"))

    def show_error(self, message: str) -> None:
        self.query_one("#editor-error", Label).update(message.splitlines()[0] if message else "")
        if message:
            super().show_error(message)

    def localize(self) -> None:
        super().localize()
        self.title = self.tr("editor.title", session=self.session.id)
        self.render_status(force=True)

    # -- changes -----------------------------------------------------------------------------

    def change(self, job: Callable[[TranscriptEditor], Position | None], reopen: bool = False) -> Position | None:
        """Do one change through the core editor; move the cursor where it says; errors as one line."""
        if self.editor is None:
            return None
        try:
            position = job(self.editor)
        except (InterviewkitError, IndexError, ValueError) as error:
            self.show_error(str(error))
            return None
        self.changed_at = time.monotonic()
        self.unsaved_since = self.unsaved_since or self.changed_at
        self.view.mark = None
        self.view.relayout()
        if position is not None:
            self.view.move_to(position.index)
            if reopen:
                self.edit_index = None  # the text box held the text before the change
                self.start_edit(position.offset)
        self.render_status()
        return position

    def commit_edit(self, close: bool = True) -> None:
        index, editor = self.edit_index, self.editor
        if index is None or editor is None:
            return
        # The box's own text: keys typed just before Enter may not have reached on_text_area_changed.
        self.edit_text = self.area.text.replace("\n", " ")
        if self.typed_pending():
            text = self.edit_text
            self.change(lambda e: e.set_text(index, text))
        if close:
            self.edit_index = None
            self.area.display = False
            self.view.focus()
            self.render_status()

    def start_edit(self, offset: int | None = None) -> None:
        if self.editor is None or not self.editor.transcript.segments:
            return
        self.commit_edit(close=False)
        self.edit_index = index = self.view.cursor
        text = self.editor.transcript.segments[index].text
        area = self.area
        area.load_text(text)
        self.edit_text = text
        area.display = True
        area.move_cursor(area.document.get_location_from_index(len(text) if offset is None else min(offset, len(text))))
        area.focus()
        self.render_status()

    def edit_offset(self) -> int:
        return self.area.document.get_index_from_location(self.area.cursor_location) if self.editing else 0

    @property
    def editing(self) -> bool:
        return self.edit_index is not None

    def on_transcript_view_cursor_moved(self, event: TranscriptView.CursorMoved) -> None:
        if self.editing and event.index != self.edit_index:
            self.commit_edit()
        self.render_status()

    def on_transcript_view_edit_requested(self, event: TranscriptView.EditRequested) -> None:
        self.start_edit()

    def action_edit_segment(self) -> None:
        if not self.editing:
            self.start_edit()

    def insert_text(self, text: str) -> None:
        if not self.editing:
            self.start_edit()
        if self.editing:
            self.area.insert(text)

    def action_timestamp(self) -> None:
        segment = self.segment()
        if segment is not None:
            at = self.player.position if self.player is not None and self.player_take == segment.take else segment.start
            self.insert_text(f"[{hms(at)}] ")

    def action_split(self) -> None:
        index, offset = self.view.cursor, self.edit_offset()
        if not self.editing:
            self.notify(self.tr("editor.split.hint"), severity="warning")
            return
        self.commit_edit(close=False)
        self.change(lambda e: e.split(Position(index, offset)), reopen=True)

    def action_merge(self) -> None:
        self.commit_edit()
        self.change(lambda e, i=self.view.cursor: e.merge_next(i))

    def action_toggle_checked(self) -> None:
        segment = self.segment()
        if segment is None:
            return
        self.commit_edit()
        index = self.view.cursor
        self.change(lambda e: e.set_checked(index, not segment.checked))
        if self.editor and self.editor.transcript.segments[index].checked:
            self.view.move_to(index + 1)

    def action_next_unsure(self) -> None:
        after = Position(self.view.cursor, self.edit_offset() if self.editing else -1)
        found = self.editor.next_unsure(after) if self.editor else None
        self.go_to(found, "editor.unsure.none")

    def go_to(self, found: Position | None, none_key: str) -> None:
        if found is None:
            self.notify(self.tr(none_key))
            return
        self.commit_edit()
        self.view.move_to(found.index)
        self.start_edit(found.offset)
        self.render_status()

    def action_undo(self) -> None:
        self.commit_edit()
        if self.editor is not None and not self.editor.can_undo:
            self.notify(self.tr("editor.undo.none"))
        self.change(lambda e: e.undo())

    def action_redo(self) -> None:
        self.commit_edit()
        if self.editor is not None and not self.editor.can_redo:
            self.notify(self.tr("editor.redo.none"))
        self.change(lambda e: e.redo())

    def action_mark_identifier(self) -> None:
        """The text selected in the segment's text box: a missed name, anonymised in every session."""
        from interviewkit.anonymise import review
        from interviewkit.tui.screens.anonymise import AddTermModal

        selected = " ".join(self.area.selected_text.split()) if self.editing else ""
        if not selected:
            self.notify(self.tr("editor.mark.hint"), severity="warning")
            return
        project = self.project

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                kind, text = result
                self.run_core(lambda: review.add_term(project, kind, text),
                              lambda _: self.notify(self.tr("anonymise.term_added", text=text), markup=False),
                              busy=False)

        self.app.push_screen(AddTermModal(selected), chosen)

    # -- saving ------------------------------------------------------------------------------

    def snapshot(self) -> Transcript:
        """A copy to save in a worker while the screen goes on editing."""
        t = self.editor.transcript  # type: ignore[union-attr]
        return Transcript([dataclasses.replace(s, words=list(s.words)) for s in t.segments], dict(t.speakers),
                          t.language)

    def autosave(self, force: bool = False, revision: bool = False) -> None:
        editor = self.editor
        if editor is None or self.saving or (editor.revision == self.saved_revision and not revision):
            return
        if not force and time.monotonic() - self.changed_at < AUTOSAVE_SECONDS and not self.overdue():
            return
        revision = revision or time.monotonic() - self.revision_at >= REVISION_EVERY_SECONDS
        wanted, copy, project, session = editor.revision, self.snapshot(), self.project, self.session
        self.saving, self.save_state = True, "saving"

        def done(_: object) -> None:
            self.saving, self.saved_revision = False, wanted
            self.save_state = "saved" if editor.revision == wanted else "unsaved"
            if editor.revision == wanted and not self.typed_pending():
                self.unsaved_since = None
            if revision:
                self.revision_at = time.monotonic()

        def failed(message: str) -> None:
            self.saving, self.save_state = False, "failed"
            self.changed_at = time.monotonic()  # try again after the delay
            self.show_error(message)

        def save() -> None:
            with self.save_lock:
                if wanted > self.written_revision:  # not older than what leaving already wrote
                    save_transcript(project, session, copy, revision=revision)
                    self.written_revision = wanted

        self.run_core(save, done, failed, busy=False)

    def overdue(self) -> bool:
        """Changes have waited MAX_UNSAVED_SECONDS: save even though the typing goes on."""
        return self.unsaved_since is not None and time.monotonic() - self.unsaved_since >= MAX_UNSAVED_SECONDS

    def save_now(self) -> None:
        """On leaving: save here and now, with a revision, if anything changed (no widget is touched)."""
        index = self.edit_index
        if self.typed_pending() and self.editor is not None and index is not None:
            self.editor.set_text(index, self.edit_text)
        with self.save_lock:  # after an autosave still writing in its worker, never beside it
            if self.editor is not None and self.editor.revision != self.saved_revision:
                save_transcript(self.project, self.session, self.snapshot(), revision=True)
                self.saved_revision = self.written_revision = self.editor.revision

    # -- playback (EditorPlayback) ---------------------------------------------------------

    def poll(self) -> None:
        """Ten times a second: the word being heard, the cursor in follow mode, autosave."""
        player, editor = self.player, self.editor
        if player is not None and editor is not None and player.playing:
            index = self.heard_index()
            if index is not None:
                self.view.set_playing((index, editor.transcript.word_at(index, player.position)))
                if self.follow and not self.editing and index != self.view.cursor:
                    self.view.move_to(index)
        else:
            self.view.set_playing(None)
        if self.typed_pending() and (time.monotonic() - self.typed_at >= AUTOSAVE_SECONDS or self.overdue()):
            self.commit_edit(close=False)  # typing counts as a change once it pauses: a crash loses little
            self.autosave(force=True)
        else:
            self.autosave()
        self.render_status()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.edit_text, self.typed_at = event.text_area.text.replace("\n", " "), time.monotonic()
        if self.unsaved_since is None and self.typed_pending():
            self.unsaved_since = self.typed_at

    def render_status(self, force: bool = False) -> None:
        player, editor = self.player, self.editor
        dirty = editor is not None and (editor.revision != self.saved_revision or self.typed_pending())
        state = EditorState(
            playing=bool(player and player.playing), position=player.position if player else None,
            duration=player.duration if player else 0.0, speed=player.speed if player else 1.0, follow=self.follow,
            checked=editor.transcript.checked_fraction if editor else 0.0,
            saved=self.save_state if self.save_state in ("saving", "failed") else "unsaved" if dirty else "saved",
            segment=self.view.cursor, segments=len(editor.transcript.segments) if editor else 0,
            editing=self.editing)
        status = self.query_one(EditorStatus)
        if force:
            status.state = None
        status.show(state, self.lang)

    def typed_pending(self) -> bool:
        index, editor = self.edit_index, self.editor
        return index is not None and editor is not None and index < len(editor.transcript.segments) and \
            self.edit_text != editor.transcript.segments[index].text

    # -- leaving ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.editing:
            self.commit_edit()
            return
        try:
            self.save_now()
        except InterviewkitError as error:
            self.show_error(str(error))
            return
        from interviewkit.tui.screens.home import HomeScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, HomeScreen):
            self.app.pop_screen()
        else:
            self.app.switch_screen(HomeScreen(self.project))

    def on_unmount(self) -> None:
        self.closed = True
        try:
            self.save_now()
        except (InterviewkitError, OSError):
            pass
        self.close_player()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _keys, _typing in ACTIONS:
            name = "close_editor" if action == "back" else f"editor_{action}"
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), getattr(self, f"action_{action}"))


class EditorApp(InterviewkitApp):
    """The app opened on one session's transcript (``interviewkit edit PROJECT SESSION``)."""

    CSS_PATH = str(Path(app_module.__file__).parent / InterviewkitApp.CSS_PATH)

    def __init__(self, project: Project, session: Session, language: str | None = None) -> None:
        super().__init__(root=project.root, project=project, language=language)
        self.edit_session = session

    def first_screen(self) -> Screen:
        return EditorScreen(self.project, self.edit_session)  # type: ignore[arg-type]
