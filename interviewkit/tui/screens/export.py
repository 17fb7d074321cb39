"""Export the project for coding tools, Word, text, subtitles or tables, as ``interviewkit export``
does: choose the format, the sessions, the purpose and the options; see what the consent gates
let out (updated as the choices change); then export in a thread worker with a progress bar.

Escape cancels until the files are being saved (``write_output`` is atomic: no partial file).  An
identifiable export is written only after a typed confirmation; a file that is already there is
replaced only after a yes (No, the focused answer, keeps it byte for byte); every export is in the
audit log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, ProgressBar, RadioSet, Static

from interviewkit.errors import InterviewkitError, InvalidInput
from interviewkit.export.model import ExportProject
from interviewkit.export.output import OutputPlan, refuse_inside_project
from interviewkit.project import Project
from interviewkit.tui.base import BaseScreen, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.widgets.export_panels import (
    ConfirmWordModal,
    ExportChoice,
    ExportForm,
    Summary,
    summarise,
    summary_text,
    transcribed_sessions,
)
from interviewkit.vault.keys import parse_recipient

STEPS = ("export.phase.collect", "export.phase.write", "export.phase.save")
SUMMARY_INPUTS = ("export-audio", "export-identifiable")  # boxes (besides the sessions) the summary depends on


class ExportProgress(Message):
    """From the export's thread: the phase it has reached (an index into ``STEPS``)."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step = step


@dataclass(frozen=True)
class Written:
    paths: tuple[Path, ...]
    identifiable: bool
    encrypted: bool


@dataclass(frozen=True)
class WouldReplace:
    """The export is rendered, but files are already where it goes: the user is asked first."""

    plan: OutputPlan
    export: ExportProject


def default_folder(project_root: Path) -> Path:
    """The current folder, or the home folder when that is inside the project (no plaintext in it)."""
    here, root = Path.cwd().resolve(), Path(project_root).resolve()
    return Path.home() if here == root or root in here.parents else here


class ExportScreen(BaseScreen):
    BINDINGS = [Binding("ctrl+s", "start_export", "Export"), Binding("escape", "back", "Back")]

    def __init__(self, project: Project, folder: Path | None = None) -> None:
        super().__init__()
        self.project = project
        self.folder = folder or default_folder(project.root)  # where the default output goes
        self.summary: Summary | None = None
        self.summary_note: str | None = None  # a line shown instead of the summary (an error)
        self.summary_generation = 0  # only the answer to the latest request is shown
        self.summary_key: tuple[object, ...] | None = None  # the choices the summary is for
        self.running = False
        self.fmt = ""
        self.cancel_event = threading.Event()
        self.lock = threading.Lock()  # cancel and "saving has begun" decided one at a time
        self.saving = False
        self.result: Written | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="export-body"):
            yield ExportForm(list(self.project.index.sessions), self.project.index.study.title, id="export-form")
            with localized(VerticalScroll(id="export-summary"), border_title="export.summary"):
                yield Static(id="export-summary-text", markup=False)
                yield localized(Checkbox(id="export-unreviewed", compact=True), label="export.unreviewed_ok")
        with Vertical(id="export-running"):
            yield Label(id="export-status", markup=False)
            yield ProgressBar(id="export-progress", total=len(STEPS), show_eta=False)
        yield Label(id="export-result", markup=False)
        yield Label(id="export-warning", markup=False)
        yield Label(id="error", classes="error", markup=False)
        with Horizontal(classes="buttons", id="export-buttons"):
            yield localized(Button(variant="primary", id="export-start"), label="export.start")
            yield localized(Button(id="export-close"), label="common.close")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_title()
        for part in ("#export-running", "#export-unreviewed", "#export-result", "#export-warning"):
            self.query_one(part).display = False
        self.form.render_labels(self.lang)
        self.form.format_changed(self.folder)
        self.query_one("#export-summary-text", Static).update(self.tr("export.summary.loading"))
        project = self.project
        self.run_core(lambda: transcribed_sessions(project), self.got_transcribed, self.summary_failed, busy=False)
        self.query_one("#export-format", RadioSet).focus()

    @property
    def form(self) -> ExportForm:
        return self.query_one(ExportForm)

    def set_title(self) -> None:
        self.title = self.tr("export.title")
        self.sub_title = self.project.index.study.title

    def localize(self) -> None:
        super().localize()
        self.set_title()
        self.form.render_labels(self.lang)
        self.render_summary()
        if self.result is not None:
            self.show_result(self.result)

    # -- the consent summary ---------------------------------------------------------------------

    def got_transcribed(self, ids: set[str]) -> None:
        if self.is_attached:
            self.form.set_transcribed(ids, self.lang)
            self.refresh_summary()

    def refresh_summary(self) -> None:
        """Ask the consent gates again (in a worker) what the current choices would let out."""
        form = self.form
        if form.transcribed is None or self.running:
            return
        self.summary_generation += 1
        generation = self.summary_generation
        sessions = form.chosen_sessions()
        if not sessions:
            self.summary, self.summary_note = None, self.tr("export.summary.none_chosen")
            self.render_summary()
            return
        project, purpose = self.project, form.chosen_purpose()
        identifiable, audio = form.ticked("identifiable"), form.ticked("audio")
        key = (tuple(sessions), purpose, identifiable, audio)
        self.run_core(lambda: summarise(project, sessions, purpose, identifiable, audio),
                      lambda summary: self.summary_ready(generation, key, summary),
                      lambda message: self.summary_failed(message, generation), busy=False)

    def summary_ready(self, generation: int, key: tuple[object, ...], summary: Summary) -> None:
        if generation == self.summary_generation and self.is_attached:
            self.summary, self.summary_key, self.summary_note = summary, key, None
            self.render_summary()

    def summary_failed(self, message: str, generation: int | None = None) -> None:
        if generation in (None, self.summary_generation) and self.is_attached:
            self.summary, self.summary_note = None, message.splitlines()[0] if message else ""
            self.render_summary()

    def render_summary(self) -> None:
        summary = self.summary
        text = summary_text(summary, self.lang) if summary is not None else self.summary_note
        self.query_one("#export-summary-text", Static).update(Content(text or self.tr("export.summary.loading")))
        self.query_one("#export-unreviewed").display = bool(summary and summary.unreviewed)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        box_id = event.checkbox.id or ""
        if box_id.startswith("export-session-") or box_id in SUMMARY_INPUTS:
            self.refresh_summary()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "export-format":
            self.form.format_changed(self.folder)
        self.refresh_summary()  # the purpose, or the format (audio is only for qdpx)

    # -- exporting ------------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-start":
            self.action_start_export()
        elif event.button.id == "export-close":
            self.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start_export()

    def action_start_export(self) -> None:
        if self.running or self.guard_busy():
            return
        choice = self.form.choice()
        unreviewed_ok = self.query_one("#export-unreviewed", Checkbox).value
        problem = self.check(choice, unreviewed_ok)
        if problem:
            self.show_line(problem)
        elif choice.identifiable:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.run_export(choice, unreviewed_ok)
                else:
                    self.show_line(self.tr("export.not_confirmed"))

            self.app.push_screen(ConfirmWordModal(), confirmed)
        else:
            self.run_export(choice, unreviewed_ok)

    def check(self, choice: ExportChoice, unreviewed_ok: bool) -> str | None:
        """What stops the export before it starts (the core checks again), as one line."""
        if not choice.sessions:
            return self.tr("export.no_sessions")
        if not choice.output:
            return self.tr("export.no_output")
        try:
            refuse_inside_project(choice.output)  # before anything is rendered (and again when written)
            for recipient in choice.encrypt_to:
                parse_recipient(recipient, self.tr("export.encrypt"))
        except InterviewkitError as error:
            return self.error_text(error)
        summary = self.summary
        current = self.summary_key == (choice.sessions, choice.purpose, choice.identifiable, choice.audio)
        if summary is not None and current and summary.unreviewed and not (unreviewed_ok or choice.identifiable):
            return self.tr("export.unreviewed.refused", sessions=", ".join(summary.unreviewed))
        return None

    def run_export(self, choice: ExportChoice, unreviewed_ok: bool) -> None:
        from interviewkit.export.codebook import codebook_from_guide
        from interviewkit.export.output import plan_output
        from interviewkit.export.selection import build_export
        from interviewkit.export.writers import Options, render
        from interviewkit.guides.loader import load_guide

        project = self.project
        cancel = self.cancel_event = threading.Event()
        self.saving = False

        def step(index: int) -> None:
            self.post_message(ExportProgress(index))  # thread-safe; dropped once the screen is gone

        def stop_if_cancelled() -> None:
            if cancel.is_set():
                raise InvalidInput(None, self.tr("export.cancelled"))

        def job() -> Written | WouldReplace:
            step(0)
            codebook = codebook_from_guide(load_guide(choice.guide)) if choice.guide is not None else None
            export = build_export(project, sessions=list(choice.sessions), purpose=choice.purpose,
                                  identifiable=choice.identifiable, unreviewed_ok=unreviewed_ok, audio=choice.audio)
            if not export.sessions:
                raise InvalidInput(None, self.tr("export.nothing"), "; ".join(export.left_out))
            stop_if_cancelled()
            step(1)
            files = render(export, choice.fmt, Options(highlight=choice.highlight, codebook=codebook))
            plan = plan_output(files, choice.output, choice.encrypt_to)
            if plan.existing:
                stop_if_cancelled()
                return WouldReplace(plan, export)
            return self.save(plan, export, choice.fmt, overwrite=False)

        self.fmt = choice.fmt
        self.set_running(True)
        self.progressed(0)
        self.run_core(job, self.finished, self.failed)

    def save(self, plan: OutputPlan, export: ExportProject, fmt: str, overwrite: bool) -> Written:
        """Write the files and log the export (in the worker); Escape no longer cancels from here."""
        from interviewkit.export.output import write_output
        from interviewkit.export.selection import log_export

        with self.lock:
            if self.cancel_event.is_set():
                raise InvalidInput(None, self.tr("export.cancelled"))
            self.saving = True
        self.post_message(ExportProgress(2))
        written = write_output(plan, overwrite=overwrite)
        log_export(self.project, export, fmt, encrypted=bool(plan.recipients))
        return Written(tuple(written), export.identifiable, bool(plan.recipients))

    def ask_to_replace(self, pending: WouldReplace) -> None:
        """Files are already there: replace them only on a yes (No is focused, so Enter keeps them)."""
        from interviewkit.tui.screens.forms import ConfirmModal

        existing = pending.plan.existing
        fmt = self.fmt

        def answered(yes: bool | None) -> None:
            if not self.is_attached:
                return
            if yes:
                self.saving = False
                self.run_core(lambda: self.save(pending.plan, pending.export, fmt, overwrite=True),
                              self.finished, self.failed)
            else:
                self.set_running(False)
                self.show_line(self.tr("export.overwrite.kept"))
                self.query_one("#export-output", Input).focus()

        if len(existing) == 1:
            question = ConfirmModal("export.overwrite.one", path=str(existing[0]))
        else:
            question = ConfirmModal("export.overwrite.many", path=str(existing[0]), more=len(existing) - 1)
        self.app.push_screen(question, answered)

    def set_running(self, running: bool) -> None:
        self.running = running
        self.form.disabled = running
        self.query_one("#export-unreviewed").disabled = running
        self.query_one("#export-start", Button).disabled = running
        self.query_one("#export-close", Button).disabled = running
        self.query_one("#export-running").display = running
        if running:
            self.result = None
            for part in ("#export-result", "#export-warning"):
                self.query_one(part).display = False
            self.show_line("")

    def on_export_progress(self, message: ExportProgress) -> None:
        if self.running:
            self.progressed(message.step)

    def progressed(self, step: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=step)
        if not self.cancel_event.is_set():
            self.query_one("#export-status", Label).update(Content(
                self.tr(STEPS[step], format=self.fmt) + "  " + self.tr("export.cancel_hint")))

    def finished(self, written: Written | WouldReplace) -> None:
        if not self.is_attached:
            return
        if isinstance(written, WouldReplace):
            self.ask_to_replace(written)
            return
        self.set_running(False)
        self.result = written
        self.show_result(written)
        self.notify(self.tr("export.done.notify", count=len(written.paths)), markup=False)
        self.query_one("#export-close", Button).focus()

    def show_result(self, written: Written) -> None:
        result = self.query_one("#export-result", Label)
        result.update(Content("\n".join([self.tr("export.done", count=len(written.paths)),
                                         *(f"  {path}" for path in written.paths)])))
        warning = self.query_one("#export-warning", Label)
        key = "export.encrypted" if written.encrypted else "export.plain.names" if written.identifiable else "export.plain"
        warning.update(Content(self.tr(key)))
        warning.set_class(written.identifiable and not written.encrypted, "error")
        result.display = warning.display = True

    def failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.set_running(False)
        self.show_line(self.tr("export.cancelled") if self.cancel_event.is_set() else message)

    def show_line(self, message: str) -> None:
        """One line (an error, or why nothing was exported) under the form."""
        self.query_one("#error", Label).update(Content(message.splitlines()[0] if message else ""))

    def show_error(self, message: str) -> None:
        self.show_line(message)

    # -- leaving, cancelling ---------------------------------------------------------------------

    def action_back(self) -> None:
        """Escape: leave; while exporting, cancel (until the files are being saved)."""
        if not self.running:
            self.app.pop_screen()
            return
        with self.lock:
            if not self.saving:
                self.cancel_event.set()
        label = self.query_one("#export-status", Label)
        label.update(self.tr("export.cancelling") if self.cancel_event.is_set() else self.tr("export.too_late"))

    def on_unmount(self) -> None:
        with self.lock:
            if not self.saving:
                self.cancel_event.set()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        actions: tuple[tuple[str, Callable[[], None]], ...] = (
            ("start_export", self.action_start_export), ("close_export", self.action_back))
        for name, callback in actions:
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), callback)
