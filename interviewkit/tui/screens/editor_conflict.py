"""The editor's answer to a stale save: the transcript was saved elsewhere (the CLI's
``transcript replace``, another editor) since the editor read it, so its save was refused
(``transcript.stale``).  Never a silent overwrite: ``ConflictModal`` offers Reload, Merge or Keep
mine (``interviewkit.transcript.store.resolve_stale``), or Escape to decide later.  While the
question is open autosave waits (no retry loop); Ctrl+S or leaving asks again.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label

from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import (
    KEEP_MINE,
    MERGE,
    RELOAD,
    Resolution,
    StaleTranscript,
    resolve_stale,
    save_transcript,
)
from interviewkit.tui.base import BaseModal, localized


class ConflictModal(BaseModal):
    """Dismisses with RELOAD, MERGE, KEEP_MINE, or None (decide later)."""

    BINDINGS = [Binding("m", "conflict_merge", "Merge"), Binding("r", "conflict_reload", "Reload"),
                Binding("k", "conflict_keep_mine", "Keep mine"), Binding("escape", "conflict_later", "Decide later")]

    def __init__(self, base: int, current: int) -> None:
        super().__init__()
        self.revisions = {"base": base, "current": current}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor-dialog", id="conflict-dialog"):
            yield localized(Label(classes="dialog-title", markup=False), content="editor.conflict.title")
            yield localized(Label(classes="explain", markup=False), content=("editor.conflict.explain", self.revisions))
            yield localized(Label(classes="explain", markup=False), content="editor.conflict.choices")
            with Horizontal(classes="buttons"):  # Escape (the footer says so): decide later
                yield localized(Button(variant="primary", id=MERGE), label="editor.conflict.merge")
                yield localized(Button(id=RELOAD), label="editor.conflict.reload")
                yield localized(Button(id=KEEP_MINE), label="editor.conflict.keep_mine")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#{MERGE}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_conflict_reload(self) -> None:
        self.dismiss(RELOAD)

    def action_conflict_merge(self) -> None:
        self.dismiss(MERGE)

    def action_conflict_keep_mine(self) -> None:
        self.dismiss(KEEP_MINE)

    def action_conflict_later(self) -> None:
        self.dismiss(None)


class EditorConflicts:
    """The editor screen's side of a stale save (mixed into ``EditorScreen``).

    The screen keeps ``base_copy`` (the transcript as it last read or wrote it) and
    ``base_revision`` (its stored revision); every write goes through ``write_copy``, which saves
    on top of that revision and moves both on.
    """

    base_copy: Transcript | None
    base_revision: int
    conflict: StaleTranscript | None

    def write_copy(self, copy: Transcript, wanted: int, revision: bool = False) -> None:
        """Save ``copy`` (the editor at change count ``wanted``) on top of the base; call holding
        ``save_lock``.  Raises StaleTranscript when someone else saved in between."""
        written = save_transcript(self.project, self.session, copy, revision=revision, base=self.base_revision)
        self.base_copy, self.base_revision = copy.copy(), written
        self.written_revision = wanted

    def stale(self, error: StaleTranscript) -> None:
        """A save was refused as stale: stop autosaving and ask what to do."""
        self.conflict = error
        self.saving, self.save_state = False, "conflict"
        self.render_status()
        self.ask_conflict()

    def ask_conflict(self) -> None:
        error = self.conflict
        if error is None or isinstance(self.app.screen, ConflictModal):
            return
        self.app.push_screen(ConflictModal(error.base, error.current), self.resolve_conflict)

    def resolve_conflict(self, choice: str | None) -> None:
        editor = self.editor
        if choice is None or editor is None or self.base_copy is None:
            self.notify(self.tr("editor.conflict.waiting"), severity="warning")
            return
        self.commit_edit()  # the text box's typing is part of mine; it closes (Reload replaces its segment)
        project, session, base, mine = self.project, self.session, self.base_copy, self.snapshot()
        wanted = editor.revision

        def job() -> Resolution:
            with self.save_lock:
                resolution = resolve_stale(project, session, choice, base, mine)
                self.base_copy, self.base_revision = resolution.transcript.copy(), resolution.revision
                return resolution

        def done(resolution: Resolution) -> None:
            self.conflict = None
            self.save_state = "saved"
            if choice == RELOAD:  # a new editor on theirs (the undo history was of mine)
                self.written_revision = 0
                self.loaded(resolution.transcript.copy())
                self.notify(self.tr("editor.conflict.reloaded"))
            else:
                if choice == MERGE:  # one undo step: Ctrl+Z brings mine back
                    self.change(lambda e: e.restore(resolution.transcript.copy()))
                    self.notify(self.tr("editor.conflict.merged", conflicts=len(resolution.conflicts)))
                else:
                    self.notify(self.tr("editor.conflict.kept"))
                if choice == MERGE or editor.revision == wanted:  # what is shown is what is stored
                    self.saved_revision = self.written_revision = editor.revision
            self.unsaved_since = None
            self.render_status()

        def failed(message: str) -> None:
            self.show_error(message)

        self.run_core(job, done, failed)

    # the screen's, used here
    save_lock: Any
    written_revision: int
    saved_revision: int
    saving: bool
    save_state: str
    unsaved_since: float | None
