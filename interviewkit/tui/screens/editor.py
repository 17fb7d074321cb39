"""The transcript editor: a session's transcript, corrected while listening.

The transcript is one virtual widget (``TranscriptView``); Enter edits the segment under the
cursor in a text box below it (Enter or Escape puts the text back).  Every change goes through
the core's ``TranscriptEditor`` (one undo step each) and is saved, encrypted, in a worker a
few seconds after the last one (Ctrl+S saves at once); leaving keeps one revision for the visit
if it changed anything, and where the transcriber left off (``EditorPlace``).  Every save is
based on the stored revision the editor last read or wrote: one refused as stale (saved elsewhere
meanwhile) is never overwritten silently but asked about (``editor_conflict``).  Playback uses the
core's ``Player`` for the segment's take, opened on the first play; a timer follows the position
(the word being heard, and in follow mode the cursor).  Most keys work while typing; the
single keys (1–9 speaker, = same speaker until here, Delete a segment) act only when the
transcript itself has the focus, since the text box takes them as typing (Insert, which the
text box does not use, adds a segment from either).
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
from interviewkit.transcript.editing import Position, TranscriptEditor, spaced, speaker_order
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import (
    EditorPlace,
    StaleTranscript,
    keep_revision,
    load_place,
    open_transcript,
    save_place,
)
from interviewkit.tui import app as app_module
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.base import BaseScreen, current_language, localize_bindings
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.editor_conflict import EditorConflicts
from interviewkit.tui.screens.editor_modals import EditorDialogs
from interviewkit.tui.screens.editor_playback import EditorPlayback
from interviewkit.tui.transport_keys import TRANSPORT_KEYS
from interviewkit.tui.widgets.editor_status import EditorState, EditorStatus
from interviewkit.tui.widgets.transcript_view import TranscriptView, hms

AUTOSAVE_SECONDS = 3.0  # save this long after the last change
MAX_UNSAVED_SECONDS = 15.0  # … or this long after the first unsaved one, however fast the typing
POLL_SECONDS = 0.1

SPEAKER_KEYS = 9  # speaker_1 … speaker_9: keys 1–9, the session's speakers in order (speaker_order)

# (action, keys, works while typing), in footer and palette order; the first key is shown.  The
# playback keys are the shared ones (interviewkit.tui.transport_keys), as on the playback screen.
# Actions that do not work while typing act only when the transcript has the focus (the text
# box takes its keys first: digits, =, Insert and Delete are typing there).
ACTIONS = (
    ("play_pause", TRANSPORT_KEYS["play_pause"], True), ("skip_back", TRANSPORT_KEYS["skip_back"], True),
    ("skip_forward", TRANSPORT_KEYS["skip_forward"], True), ("slower", TRANSPORT_KEYS["slower"], True),
    ("faster", TRANSPORT_KEYS["faster"], True), ("replay", "f8", True), ("toggle_follow", "f9", True),
    ("edit_segment", "enter", False), ("save", "ctrl+s", True), ("toggle_checked", "ctrl+e", True),
    ("next_unsure", "ctrl+u", True), ("speaker", "ctrl+k", True), ("fill_speaker", "equals_sign", False),
    ("rename_speaker", "ctrl+r", True), ("split", "ctrl+l", True), ("merge", "ctrl+j", True),
    ("insert_segment", "insert", False), ("delete_segment", "delete", False), ("timestamp", "ctrl+t", True),
    ("conventions", "ctrl+o", True), ("jump", "ctrl+g", True), ("find", "ctrl+f", True),
    ("undo", "ctrl+z", False), ("redo", "ctrl+y", False), ("history", "f12,ctrl+h", False),
    ("mark_identifier", "ctrl+n", True), ("back", "escape", False),
    *((f"speaker_{n}", str(n), False) for n in range(1, SPEAKER_KEYS + 1)),
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


KEYS_SETTING = "editor_keys"  # in the settings file: {"play_pause": "f1", "skip_back": "ctrl+left,f3", …}
_KEY = r"(?:(?:ctrl|shift|alt|meta)\+)*[a-z0-9_@\[\]\-]+"
KEY_PATTERN = re.compile(rf"^{_KEY}(?:,{_KEY})*$")


def editor_bindings(custom: dict[str, str] | None = None) -> list[Binding]:
    """The editor's key bindings, with the user's own keys (``editor_keys`` in the settings
    file, action → comma-separated keys) instead of the defaults where given."""
    custom = custom or {}
    claimed = {key for keys in custom.values() for key in keys.split(",")}  # the user's keys win over defaults

    def unclaimed(keys: str) -> str:
        return ",".join(key for key in keys.split(",") if key not in claimed)

    bindings = []
    for action, keys, typing in ACTIONS:
        chosen = custom.get(action) or unclaimed(keys)
        if chosen:  # an action whose every key was taken stays in the command palette
            bindings.append(Binding(chosen, action, action.replace("_", " "), show=action in FOOTER_SHOWN,
                                    priority=typing))
    for key, action in (("ctrl+left", "skip_back"), ("ctrl+right", "skip_forward")):  # off the text box only
        if key not in claimed:
            bindings.append(Binding(key, action, show=False))
    return bindings


def custom_keys() -> tuple[dict[str, str], list[str]]:
    """The user's key choices from the settings file, and a line for each one that is not usable."""
    raw = load_settings().get(KEYS_SETTING)
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{settings_path()}: \"{KEYS_SETTING}\" is not an object — write it as "
                    '{"play_pause": "f1", …}; the default keys are used']
    known = {action for action, _, _ in ACTIONS}
    keys: dict[str, str] = {}
    problems: list[str] = []
    owner: dict[str, str] = {}  # key → the action the user gave it first
    for action, value in raw.items():
        if action not in known:
            problems.append(f"{settings_path()}: {KEYS_SETTING}.{action}: no such editor action — use one of "
                            f"{', '.join(sorted(known))}")
        elif not isinstance(value, str) or not KEY_PATTERN.match(value.replace(" ", "").lower()):
            problems.append(f"{settings_path()}: {KEYS_SETTING}.{action}: '{value}' is not a key list — "
                            "write keys such as \"f1\" or \"ctrl+left,f3\"")
        else:
            wanted = value.replace(" ", "").lower().split(",")
            taken = [key for key in wanted if key in owner]
            for key in taken:
                problems.append(f"{settings_path()}: {KEYS_SETTING}.{action}: '{key}' is already the key of "
                                f"{owner[key]} — choose another key for one of them")
            chosen = [key for key in wanted if key not in owner]
            owner.update(dict.fromkeys(chosen, action))
            if chosen:
                keys[action] = ",".join(chosen)
    return keys, problems


class EditorScreen(EditorConflicts, EditorDialogs, EditorPlayback, BaseScreen):
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
        self.base_copy: Transcript | None = None  # the transcript as stored when last read or written here
        self.base_revision = 0  # … and its stored revision: every save is based on it
        self.conflict: StaleTranscript | None = None  # a save refused as stale, not resolved yet
        self.editor: TranscriptEditor | None = None
        self.edit_index: int | None = None  # the segment in the text box
        self.saved_revision = 0
        self.changed_at = 0.0
        self.save_state = "saved"
        self.saving = False
        self.save_requested = False  # Ctrl+S: save at once, and say so in the status line
        self.saved_at: str | None = None  # local time of the last save, shown in the status line
        self.opened_bytes = b""  # the transcript as this visit found it
        self.visit_revision_kept = False  # leaving keeps one revision per visit that changed something
        self.place: EditorPlace | None = None  # where the last visit left off
        self.kept_place: EditorPlace | None = None  # the place as saved (not written again unchanged)
        self._speaker_codes: tuple[int, list[str]] = (-1, [])
        self.last_cursor = 0  # the view's cursor, for saving the place when the widgets are gone
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

        def load() -> tuple[Transcript, EditorPlace | None, bytes]:
            transcript = open_transcript(project, session)
            return transcript, load_place(project, session), transcript.to_bytes()

        def arrived(result: tuple[Transcript, EditorPlace | None, bytes]) -> None:
            transcript, self.place, self.opened_bytes = result
            self.kept_place = self.resume = self.place  # the visit's first play starts where the last one stopped
            self.loaded(transcript)

        self.run_core(load, arrived, self.load_failed, busy=False)

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def area(self) -> SegmentArea:
        return self.query_one(SegmentArea)

    def loaded(self, transcript: Transcript) -> None:
        self.editor = TranscriptEditor(transcript)
        self.saved_revision = 0
        self.base_copy, self.base_revision = transcript.copy(), transcript.revision
        self.view.loading = False
        self.view.set_transcript(transcript)
        self.view.focus()
        if self.start_at is None and self.place is not None and transcript.segments:
            self.view.move_to(self.place.segment_index(transcript))
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
        try:
            self.save_now()
        except StaleTranscript as error:
            self.stale(error)
            return
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
            self.show_error(self.error_text(error) if isinstance(error, InterviewkitError) else str(error))
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
            if not self.editing:
                self.start_edit()
            if self.editing:  # separated by spaces from the words around it
                self.area.insert(spaced(self.area.text, self.edit_offset(), f"[{hms(at)}]"))

    def action_split(self) -> None:
        index, offset = self.view.cursor, self.edit_offset()
        if not self.editing:
            self.notify(self.tr("editor.split.hint"), severity="warning")
            return
        self.commit_edit(close=False)
        self.change(lambda e: e.split(Position(index, offset)), reopen=True)

    def action_insert_segment(self) -> None:
        """A new, empty segment after the cursor's (same take), opened for typing."""
        self.commit_edit()
        self.change(lambda e, i=self.view.cursor: e.insert_segment(i), reopen=True)

    def action_delete_segment(self) -> None:
        self.commit_edit()
        if self.change(lambda e, i=self.view.cursor: e.delete_segment(i)) is not None:
            self.notify(self.tr("editor.segment.deleted"))

    def speaker_codes(self) -> list[str]:
        """The codes of the speaker keys 1–9 and the speaker dialog, in order (kept until a change)."""
        editor = self.editor
        if editor is None:
            return []
        if self._speaker_codes[0] != editor.revision:
            session = [p.code for p in self.project.index.participants if self.session.key in p.sessions]
            self._speaker_codes = (editor.revision, speaker_order(session, editor.transcript))
        return self._speaker_codes[1]

    def assign_speaker_key(self, number: int) -> None:
        """Key 1–9 on the transcript: that speaker for the cursor's segment, then the next segment."""
        codes = self.speaker_codes()
        if self.editing or self.segment() is None:
            return
        if number > len(codes):
            self.notify(self.tr("editor.speaker.no_key", number=number, count=len(codes)), severity="warning")
            return
        index = self.view.cursor
        if self.change(lambda e: e.set_speaker([index], codes[number - 1])) is not None:
            self.view.move_to(index + 1)

    def action_fill_speaker(self) -> None:
        """"Same speaker until here": the speaker above the run, down to the cursor; then the next."""
        if self.editing or self.segment() is None:
            return
        index = self.view.cursor
        if self.change(lambda e: e.fill_speaker(index)) is not None:
            self.view.move_to(index + 1)

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
                          t.language, self.base_revision)

    def action_save(self) -> None:
        """Ctrl+S: save now (the working copy, and where the transcriber is); the status line
        shows the time it was saved.  The revision is kept when leaving."""
        if self.editor is None:
            return
        self.commit_edit(close=False)
        if self.conflict is not None:  # saved elsewhere meanwhile: ask again what to do
            self.ask_conflict()
            return
        if self.editor.revision == self.saved_revision and not self.saving:
            self.saved_at = time.strftime("%H:%M:%S")  # nothing was unsaved: confirmed as it is
        else:
            self.save_requested = True
            self.autosave(force=True)  # or, while a save is running, right after it (poll)
        place, project, session = self.current_place(), self.project, self.session
        if place is not None and place != self.kept_place:
            self.kept_place = place
            self.run_core(lambda: save_place(project, session, place), lambda _: None, busy=False)
        self.render_status()

    def autosave(self, force: bool = False) -> None:
        """Replace the working copy in a worker (never a revision: that is kept once, on leaving)."""
        editor = self.editor
        if editor is None or self.saving or self.conflict is not None or editor.revision == self.saved_revision:
            return
        if not (force or self.save_requested) and time.monotonic() - self.changed_at < AUTOSAVE_SECONDS \
                and not self.overdue():
            return
        wanted, copy, project, session = editor.revision, self.snapshot(), self.project, self.session
        self.saving, self.save_state = True, "saving"

        def done(stale: StaleTranscript | None) -> None:
            if stale is not None:
                self.stale(stale)
                return
            self.saving, self.saved_revision = False, wanted
            self.save_state = "saved" if editor.revision == wanted else "unsaved"
            self.saved_at = time.strftime("%H:%M:%S")
            if editor.revision == wanted:
                self.save_requested = False
            if editor.revision == wanted and not self.typed_pending():
                self.unsaved_since = None

        def failed(message: str) -> None:
            self.saving, self.save_state = False, "failed"
            self.changed_at = time.monotonic()  # try again after the delay
            self.show_error(message)

        def save() -> StaleTranscript | None:
            with self.save_lock:
                if wanted > self.written_revision:  # not older than what leaving already wrote
                    try:
                        self.write_copy(copy, wanted)
                    except StaleTranscript as error:
                        return error
            return None

        self.run_core(save, done, failed, busy=False)

    def overdue(self) -> bool:
        """Changes have waited MAX_UNSAVED_SECONDS: save even though the typing goes on."""
        return self.unsaved_since is not None and time.monotonic() - self.unsaved_since >= MAX_UNSAVED_SECONDS

    def save_now(self, leaving: bool = False) -> None:
        """Save here and now what is unsaved (no widget is touched).  ``leaving``: also keep the
        visit's one revision if the visit changed the transcript, and where the transcriber is."""
        index, editor = self.edit_index, self.editor
        if editor is None:
            return
        if self.typed_pending() and index is not None:
            editor.set_text(index, self.edit_text)
        with self.save_lock:  # after an autosave still writing in its worker, never beside it
            keep = leaving and not self.visit_revision_kept and editor.revision != 0 \
                and editor.transcript.to_bytes() != self.opened_bytes
            if keep or editor.revision != self.saved_revision:
                self.write_copy(self.snapshot(), editor.revision, revision=keep)  # StaleTranscript: ask
                self.saved_revision = editor.revision
                self.visit_revision_kept = self.visit_revision_kept or keep
        if leaving:
            place = self.current_place()
            if place is not None and place != self.kept_place:
                save_place(self.project, self.session, place)
                self.kept_place = place

    def current_place(self) -> EditorPlace | None:
        """Where the transcriber is: the cursor's segment, and the playback position in its take
        (the one the last visit left, while nothing was played in this one)."""
        editor = self.editor
        if editor is None or not editor.transcript.segments:
            return None
        index = min(self.last_cursor, len(editor.transcript.segments) - 1)  # the widgets may be gone (leaving)
        segment = editor.transcript.segments[index]
        position = None
        if self.player is not None and self.player_take == segment.take:
            position = round(self.player.position, 2)
        elif self.kept_place is not None and self.kept_place.take == segment.take:
            position = self.kept_place.position
        return EditorPlace(segment.id, index, segment.take, position)

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
        self.last_cursor = self.view.cursor
        dirty = editor is not None and (editor.revision != self.saved_revision or self.typed_pending())
        state = EditorState(
            playing=bool(player and player.playing), position=player.position if player else None,
            duration=player.duration if player else 0.0, speed=player.speed if player else 1.0, follow=self.follow,
            checked=editor.transcript.checked_fraction if editor else 0.0,
            saved=self.save_state if self.save_state in ("saving", "failed", "conflict")
            else "unsaved" if dirty else "saved",
            segment=self.view.cursor, segments=len(editor.transcript.segments) if editor else 0,
            editing=self.editing, saved_at=self.saved_at,
            speakers=tuple(self.speaker_codes()[:SPEAKER_KEYS]))
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
            self.save_now(leaving=True)
        except StaleTranscript as error:
            self.stale(error)
            return
        except InterviewkitError as error:
            self.show_error(self.error_text(error))
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
            self.save_now(leaving=True)
        except StaleTranscript:  # no one left to ask: mine goes into the history, theirs stays
            if self.editor is not None:
                try:
                    keep_revision(self.project, self.session, self.snapshot())
                except (InterviewkitError, OSError):
                    pass
        except (InterviewkitError, OSError):
            pass
        self.close_player()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _keys, _typing in ACTIONS:
            if action.startswith("speaker_") and action[len("speaker_"):].isdigit():
                continue  # one command per speaker there is, below
            name = "close_editor" if action == "back" else f"editor_{action}"
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), getattr(self, f"action_{action}"))
        for number, code in enumerate(self.speaker_codes()[:SPEAKER_KEYS], start=1):
            yield PaletteCommand(self.tr("cmd.editor_speaker_number", number=number, code=code),
                                 self.tr("cmd.editor_speaker_number.help"),
                                 lambda n=number: self.assign_speaker_key(n))


for _number in range(1, SPEAKER_KEYS + 1):  # the actions of keys 1–9 (speaker_1 … speaker_9 in editor_keys)
    setattr(EditorScreen, f"action_speaker_{_number}",
            lambda self, number=_number: self.assign_speaker_key(number))


class EditorApp(InterviewkitApp):
    """The app opened on one session's transcript (``interviewkit edit PROJECT SESSION``)."""

    CSS_PATH = str(Path(app_module.__file__).parent / InterviewkitApp.CSS_PATH)

    def __init__(self, project: Project, session: Session, language: str | None = None) -> None:
        super().__init__(root=project.root, project=project, language=language)
        self.edit_session = session

    def first_screen(self) -> Screen:
        return EditorScreen(self.project, self.edit_session)  # type: ignore[arg-type]
