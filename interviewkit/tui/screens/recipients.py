"""Who can decrypt the project: list the age recipients, add one (paste an age1… key and
choose its scope) or remove the selected one.  Re-encrypting every file runs in a thread
worker with a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Footer, Input, Label, ProgressBar
from textual.widgets.data_table import CellDoesNotExist

from interviewkit import recipients
from interviewkit.project import Project
from interviewkit.recipients import SCOPES
from interviewkit.tui.base import BaseModal, LocalizedSelect, localized


class RecipientsModal(BaseModal):
    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+r", "resume_rewrap", "Finish change")]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="recipients-dialog"):
            yield localized(Label(classes="dialog-title"), content="recipients.title")
            yield localized(Label(classes="explain"), content="recipients.explain")
            yield localized(Label(id="cut-short", classes="error"), content="recipients.cut_short")
            yield DataTable(id="recipients", cursor_type="row")
            with Horizontal(id="new-recipient"):
                yield localized(Input(id="new-key"), placeholder="recipients.new.placeholder")
                yield LocalizedSelect([(f"scope.{s}", s) for s in SCOPES], id="scope", allow_blank=False,
                                      value=SCOPES[0])
            with Horizontal(id="rewrap"):
                yield localized(Label(), content="recipients.rewrapping")
                yield ProgressBar(id="rewrap-progress", total=None, show_eta=False)
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="add"), label="recipients.add")
                yield localized(Button(variant="error", id="remove"), label="recipients.remove")
                yield localized(Button(variant="warning", id="resume"), label="recipients.resume")
                yield localized(Button(id="close"), label="common.close")
        yield Footer()

    def on_mount(self) -> None:
        self.render_table()
        self.set_busy(False)
        self.show_cut_short()
        (self.query_one("#resume", Button) if self.project.index.rewrap_pending
         else self.query_one("#new-key", Input)).focus()

    def localize(self) -> None:
        super().localize()
        self.render_table()

    def render_table(self) -> None:
        table = self.query_one("#recipients", DataTable)
        table.clear(columns=True)
        for key in ("recipients.key", "recipients.data", "recipients.linkage", "recipients.note"):
            table.add_column(self.tr(key), key=key)
        for row in recipients.list_recipients(self.project):
            note = self.tr("recipients.project_key") if row.project_key else ""
            table.add_row(Text(row.key), "✓" if row.data else "✗", "✓" if row.linkage else "✗", note, key=row.key)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if not self.is_mounted:
            return
        self.query_one("#rewrap").display = busy
        for widget in self.query("Button, #new-key, #scope"):
            widget.disabled = busy
        if busy:
            self.query_one("#rewrap-progress", ProgressBar).update(total=None, progress=0)

    def show_cut_short(self) -> None:
        """A change of recipients that was cut short (kill, full disk) is said, with its way out;
        adding a key waits until it is finished (room for the notice at 80×24)."""
        pending = self.project.index.rewrap_pending
        self.query_one("#cut-short").display = pending
        self.query_one("#resume").display = pending
        self.query_one("#new-recipient").display = not pending
        self.query_one("#add").display = not pending
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume_rewrap":
            return self.project.index.rewrap_pending  # Finish is in the footer only when there is one to finish
        return True

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))

    def progress(self, done: int, total: int) -> None:
        """Called from the worker thread by the core for each re-encrypted file."""
        self.app.call_from_thread(self.query_one("#rewrap-progress", ProgressBar).update, total=total, progress=done)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.add_key()
        elif event.button.id == "remove":
            self.ask_remove()
        elif event.button.id == "resume":
            self.action_resume_rewrap()
        elif event.button.id == "close":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.add_key()

    def add_key(self) -> None:
        if self.busy:
            return
        key = self.query_one("#new-key", Input).value.strip()
        if not key:
            self.show_error(self.tr("recipients.empty"))
            return
        scope = str(self.query_one("#scope", LocalizedSelect).value)
        project = self.project
        self.show_error("")
        self.run_core(lambda: recipients.add_recipient(project, key, scope, progress=self.progress), self.added)

    def added(self, count: int) -> None:
        message = self.tr("recipients.added", count=count)
        self.query_one("#new-key", Input).value = ""
        self.render_table()
        self.show_cut_short()
        self.notify(message, markup=False)

    def selected_key(self) -> str | None:
        table = self.query_one("#recipients", DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def ask_remove(self) -> None:
        from interviewkit.tui.screens.forms import ConfirmModal

        if self.busy:
            return
        key = self.selected_key()
        if key is None:
            self.show_error(self.tr("recipients.no_selection"))
            return
        self.show_error("")

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_key(key)

        self.app.push_screen(ConfirmModal("recipients.confirm_remove", key=key), answered)

    def remove_key(self, key: str) -> None:
        project = self.project
        self.run_core(lambda: recipients.remove_recipient(project, key, progress=self.progress), self.removed)

    def removed(self, count: int) -> None:
        message = self.tr("recipients.removed", count=count)
        self.render_table()
        self.show_cut_short()
        self.notify(message, markup=False)

    def action_resume_rewrap(self) -> None:
        if self.busy:
            return
        project = self.project
        self.show_error("")
        self.run_core(lambda: recipients.resume_rewrap(project, progress=self.progress), self.resumed)

    def resumed(self, count: int) -> None:
        self.render_table()
        self.show_cut_short()
        self.query_one("#new-key", Input).focus()
        self.notify(self.tr("recipients.resumed", count=count), markup=False)
