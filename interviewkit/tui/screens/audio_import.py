"""Import an audio or video file into a session: a path (``~`` allowed, → completes a name),
the import in a thread worker with a progress bar (Escape cancels it: the core removes the
partial take), then the take's length, any warnings, and the plain fact that the original is
still on disk unencrypted, with the offer to delete it (after the take is read back) or keep it.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Button, Footer, Input, Label, ProgressBar

from interviewkit.audio.clock import clock
from interviewkit.audio.consent_gate import audio_consent_problems
from interviewkit.audio.importer import ImportResult, import_file, remove_original
from interviewkit.audio.store import WriteGuard
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.base import PhasedModal, localized
from interviewkit.tui.widgets.recorder_panel import consent_lines


def complete_path(value: str) -> str | None:
    """``value`` (a path as typed; ``~`` is the home folder) completed to the first matching
    file or folder name (a folder ends in ``/``); hidden names only when asked for."""
    if not value:
        return None
    if value == "~":
        return "~/"
    head, slash, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(head + slash)) if slash else Path(".")
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in entries
                           if entry.name.startswith(prefix) and (prefix[:1] == "." or entry.name[:1] != "."))
    except OSError:
        return None
    return next((value + name[len(prefix):] for name in names if name != prefix), None)


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name (→ accepts it); the folder is read off the UI thread."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)


class ImportProgress(Message):
    """From the import's thread: seconds decoded so far, and in all (None: not known)."""

    def __init__(self, done: float, total: float | None) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ImportModal(PhasedModal):
    """Dismisses with a message once the take is stored (and the original kept or deleted), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    PART_PREFIX = "import"
    PHASES = {"choose": ("choose", ("import", "cancel")), "importing": ("running", ("cancel",)),
              "done": ("done", ("delete-original", "keep-original")), "deleting": ("done", ())}

    def __init__(self, project: Project, session: Session, guard: WriteGuard | None = None) -> None:
        super().__init__()
        self.project = project
        self.session = session
        self.guard = guard
        self.phase = "choose"
        self.cancel_event = threading.Event()
        self.result: ImportResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="import-dialog"):
            yield localized(Label(classes="dialog-title", markup=False),
                            content=("import.title", {"session": self.session.id}))
            yield localized(Label(classes="explain"), content="import.explain")
            yield Label(id="import-consent", classes="error", markup=False)
            with Vertical(id="import-choose"):
                yield localized(Label(), content="import.path")
                yield localized(Input(id="import-path", suggester=PathSuggester()),
                                placeholder="import.path.placeholder")
                yield localized(Label(classes="hint"), content="import.path.hint")
            with Vertical(id="import-running"):
                yield Label(id="import-status", markup=False)
                yield ProgressBar(id="import-progress", show_eta=False)
                yield localized(Label(classes="hint"), content="import.cancel_hint")
            with Vertical(id="import-done"):
                yield Label(id="import-result", markup=False)
                yield Label(id="import-warnings", markup=False)
                yield Label(id="import-original", markup=False)
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="import"), label="import.button")
                yield localized(Button(variant="error", id="delete-original"), label="import.delete")
                yield localized(Button(id="keep-original"), label="import.keep")
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.render_consent()
        self.show_phase("choose")
        self.query_one("#import-path", Input).focus()

    def localize(self) -> None:
        super().localize()
        self.render_consent()
        if self.result is not None:
            self.show_result(self.result)

    def render_consent(self) -> None:
        """Who blocks the import (the core refuses too; said before a path is typed)."""
        problems = audio_consent_problems(self.project, self.session)
        label = self.query_one("#import-consent", Label)
        label.display = problems is None or bool(problems)
        if label.display:
            label.update(Content("\n".join([*consent_lines(problems, self.tr), self.tr("import.refused")])))

    # -- phases ---------------------------------------------------------------------------

    def show_phase(self, phase: str) -> None:
        super().show_phase(phase)
        if phase == "deleting":
            self.query_one("#error", Label).update(self.tr("import.deleting"))

    # -- importing ------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def button_actions(self) -> dict[str, Callable[[], None]]:
        return {"import": self.start, "delete-original": self.delete_original, "keep-original": self.keep,
                "cancel": self.action_cancel}

    def start(self) -> None:
        if self.phase != "choose":
            return
        typed = self.query_one("#import-path", Input).value.strip()
        if not typed:
            self.show_error(self.tr("import.empty"))
            return
        path = Path(typed).expanduser()
        project, session, guard = self.project, self.session, self.guard
        cancel = self.cancel_event = threading.Event()

        app = self.app

        def progress(done: float, total: float | None) -> None:
            # Thread-safe and without waiting for the screen (a blocking call could hang the
            # import if the app quits); dropped once the dialog is closed.
            if not app.is_running:  # the app quit: Textual does not always unmount this dialog first
                cancel.set()
            self.post_message(ImportProgress(done, total))

        self.show_error("")
        self.progressed(0.0, None)
        self.show_phase("importing")
        self.run_core(lambda: import_file(project, session, path, progress=progress, cancel=cancel, guard=guard),
                      self.imported, self.failed)

    def on_import_progress(self, message: ImportProgress) -> None:
        if self.phase == "importing":
            self.progressed(message.done, message.total)

    def progressed(self, done: float, total: float | None) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
        if self.cancel_event.is_set():
            return
        text = self.tr("import.status", done=clock(done), total=clock(total)) if total else \
            self.tr("import.status.unknown", done=clock(done))
        self.query_one("#import-status", Label).update(Content(text))

    def failed(self, message: str) -> None:
        self.show_phase("choose")
        self.show_error(self.tr("import.cancelled") if self.cancel_event.is_set() else message)
        self.query_one("#import-path", Input).focus()

    def imported(self, result: ImportResult) -> None:
        self.result = result
        seconds = result.take.duration_seconds
        self.query_one("#import-progress", ProgressBar).update(total=max(seconds, 0.001), progress=seconds)
        self.show_phase("done")
        self.show_result(result)
        self.query_one("#keep-original", Button).focus()

    def show_result(self, result: ImportResult) -> None:
        take = result.take
        self.query_one("#import-result", Label).update(Content(
            self.tr("import.done", take=take.id, length=clock(take.duration_seconds))))
        warnings = self.query_one("#import-warnings", Label)
        warnings.update(Content("\n".join(self.tr("import.warning", text=text) for text in result.warnings)))
        warnings.display = bool(result.warnings)
        self.query_one("#import-original", Label).update(Content(
            self.tr("import.original", path=str(result.original)) + "\n" + self.tr("import.original.ask")))

    # -- the original ---------------------------------------------------------------------

    def delete_original(self) -> None:
        result = self.result
        if result is None or self.phase != "done":
            return
        project, session = self.project, self.session
        self.show_phase("deleting")
        self.run_core(lambda: remove_original(project, session, result), lambda _: self.finish("import.deleted"),
                      self.delete_failed)

    def delete_failed(self, message: str) -> None:
        self.show_phase("done")
        self.show_error(message)

    def keep(self) -> None:
        if self.phase == "done":
            self.finish("import.kept")

    def finish(self, key: str) -> None:
        assert self.result is not None
        take = self.result.take
        self.dismiss(self.tr(key, take=take.id, length=clock(take.duration_seconds), path=str(self.result.original)))

    def action_cancel(self) -> None:
        """Escape: close; while importing, cancel the import; once imported, keep the original."""
        if self.phase == "choose":
            self.dismiss(None)
        elif self.phase == "importing":
            self.cancel_event.set()
            self.query_one("#import-status", Label).update(self.tr("import.cancelling"))
            self.query_one("#cancel", Button).disabled = True
        elif self.phase == "done":
            self.keep()

    def on_unmount(self) -> None:
        self.cancel_event.set()  # the app closes during an import: the core removes the partial take
