"""Transcribe a session's audio take: choose take, language, engine and model, then watch the
draft grow with a progress bar, elapsed and remaining time.

The model runs in a worker process (``transcribe.worker.EngineProcess``) driven from a thread
worker, so the interface never stalls.  Escape stops the job at once (the process is ended);
the work done so far is kept in the encrypted checkpoint and the next start continues there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Select, Static

from interviewkit.audio.clock import clock
from interviewkit.audio.store import AudioTake, list_takes
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.transcribe import store
from interviewkit.transcribe.chunking import RATE
from interviewkit.transcribe.engines import DEFAULT_ENGINE, ENGINES
from interviewkit.transcribe.job import Progress, project_options, transcribe_take
from interviewkit.transcribe.models import DEFAULT_MODEL, resolve_model
from interviewkit.transcribe.result import Segment, Transcription
from interviewkit.transcribe.worker import EngineProcess
from interviewkit.tui.base import LocalizedSelect, PhasedModal, localized

LANGUAGE_CHOICES = [("transcribe.language.project", "project"), ("transcribe.language.no", "no"),
                    ("transcribe.language.nn", "nn"), ("transcribe.language.en", "en"),
                    ("transcribe.language.auto", "auto")]
PREVIEW_SEGMENTS = 200


class TranscribeModal(PhasedModal):
    """Dismisses with a message when a transcription finished (or was stopped), else None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    PART_PREFIX = "transcribe"
    PHASES = {"choose": ("choose", ("start", "cancel")), "running": ("running", ("stop",)),
              "done": ("running", ("close",))}

    def __init__(self, project: Project, session: Session) -> None:
        super().__init__()
        self.project = project
        self.session = session
        self.takes: list[AudioTake] = list_takes(project, session)
        self.phase = "choose"
        self.cancel_event = threading.Event()
        self.engine: EngineProcess | None = None
        self.started = 0.0
        self.progress: Progress | None = None
        self.progress_at = 0.0
        self.outcome: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="transcribe-dialog"):
            yield localized(Label(classes="dialog-title", markup=False),
                            content=("transcribe.title", {"session": self.session.id}))
            yield localized(Label(classes="explain"), content="transcribe.explain")
            with Vertical(id="transcribe-choose"):
                yield localized(Label(), content="transcribe.take")
                yield Select([(self.take_label(t), t.id) for t in reversed(self.takes)], id="transcribe-take",
                             allow_blank=False) if self.takes else localized(Label(classes="error"),
                                                                             content="transcribe.no_audio")
                yield localized(Label(), content="transcribe.language")
                yield LocalizedSelect(LANGUAGE_CHOICES, id="transcribe-language", allow_blank=False, value="project")
                yield localized(Label(), content="transcribe.engine")
                yield LocalizedSelect([(name, name) for name in ENGINES], id="transcribe-engine", translate=False,
                                      allow_blank=False, value=DEFAULT_ENGINE)
                yield localized(Label(), content="transcribe.model")
                yield Input(value=DEFAULT_MODEL, id="transcribe-model")
                yield Label(id="transcribe-state", classes="hint", markup=False)
            with Vertical(id="transcribe-running"):
                yield Label(id="transcribe-status", markup=False)
                yield ProgressBar(id="transcribe-progress", show_eta=False)
                with VerticalScroll(id="transcribe-text"):
                    yield Static(id="transcribe-preview", markup=False)
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="start"), label="transcribe.start")
                yield localized(Button(variant="error", id="stop"), label="transcribe.stop")
                yield localized(Button(id="close"), label="common.close")
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.show_phase("choose")
        self.render_state(preselect=True)
        self.set_interval(1.0, self.tick)
        start = self.query_one("#start", Button)
        start.disabled = not self.takes
        start.focus()

    def take_label(self, take: AudioTake) -> str:
        return f"{take.id}  {clock(take.duration_seconds)}  {self.tr('transcribe.source.' + take.source)}"

    def localize(self) -> None:
        super().localize()
        self.render_state()

    def selected_take(self) -> AudioTake | None:
        if not self.takes:
            return None
        value = self.query_one("#transcribe-take", Select).value
        return next((t for t in self.takes if t.id == value), self.takes[-1])

    def render_state(self, preselect: bool = False) -> None:
        """What starting will do: continue a checkpoint, replace a finished transcription, or begin.
        With ``preselect`` (a take chosen), also choose the language an earlier pass found."""
        take = self.selected_take()
        label = self.query_one("#transcribe-state", Label)
        if take is None:
            label.update("")
            return
        checkpoint = store.load_checkpoint(self.project, self.session, take.id)
        finished = store.load_transcription(self.project, self.session, take.id)
        if preselect:
            earlier = finished or store.load_transcription(self.project, self.session, take.id, kind="live")
            if earlier is not None and earlier.language in ("no", "nn", "en"):
                # A session may be in another language than the project: keep what it was found to be.
                self.query_one("#transcribe-language", Select).value = earlier.language
        if checkpoint is not None:
            text = self.tr("transcribe.state.resume", done=clock(checkpoint.next_sample / RATE),
                           total=clock(take.duration_seconds))
        elif finished is not None:
            text = self.tr("transcribe.state.replace")
        else:
            text = self.tr("transcribe.state.new", total=clock(take.duration_seconds))
        label.update(Content(text))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "transcribe-take":
            self.render_state(preselect=True)

    # -- running ----------------------------------------------------------------------------

    def button_actions(self) -> dict[str, Callable[[], None]]:
        return {"start": self.start, "stop": self.action_cancel, "close": self.close, "cancel": self.action_cancel}

    def start(self) -> None:
        take = self.selected_take()
        if self.phase != "choose" or take is None:
            return
        language = self.query_one("#transcribe-language", Select).value
        engine_name = str(self.query_one("#transcribe-engine", Select).value)
        model_name = self.query_one("#transcribe-model", Input).value.strip() or DEFAULT_MODEL
        project, session = self.project, self.session
        cancel = self.cancel_event = threading.Event()
        app = self.app

        def job() -> Transcription:
            options = project_options(project, None if language == "project" else str(language))
            engine = self.engine = EngineProcess(engine_name, resolve_model(model_name))
            try:
                if cancel.is_set():
                    engine.close()
                return transcribe_take(project, session, engine, options, take=take, cancel=cancel,
                                       progress=lambda p: app.call_from_thread(self.progressed, p))
            finally:
                engine.close()

        self.show_error("")
        self.show_phase("running")
        self.query_one("#transcribe-status", Label).update(self.tr("transcribe.loading", model=model_name))
        self.started = time.monotonic()
        self.run_core(job, self.finished, self.failed)

    def progressed(self, progress: Progress) -> None:
        self.progress = progress
        self.progress_at = time.monotonic()
        self.query_one("#transcribe-progress", ProgressBar).update(total=progress.total or 1, progress=progress.done)
        self.tick()
        if progress.new_segments:
            self.add_text(list(progress.new_segments))

    def tick(self) -> None:
        """The status line, once a second while running: done, elapsed, an estimate of what is left."""
        progress = self.progress
        if self.phase != "running" or progress is None or self.cancel_event.is_set():
            return
        elapsed = time.monotonic() - self.started
        remaining = progress.remaining
        if remaining is not None:
            remaining = max(0.0, remaining - (time.monotonic() - self.progress_at))
        self.query_one("#transcribe-status", Label).update(Content(self.tr(
            "transcribe.status", done=clock(progress.done), total=clock(progress.total), elapsed=clock(elapsed),
            remaining=clock(remaining) if remaining is not None else "…")))

    def add_text(self, segments: list[Segment]) -> None:
        preview = self.query_one("#transcribe-preview", Static)
        lines = [f"[{clock(s.start)}] {s.text.strip()}" for s in segments]
        current = str(preview.content) if preview.content else ""
        text = "\n".join(([current] if current else []) + lines).splitlines()[-PREVIEW_SEGMENTS:]
        preview.update(Content("\n".join(text)))
        self.query_one("#transcribe-text", VerticalScroll).scroll_end(animate=False)

    def finished(self, result: Transcription) -> None:
        words = sum(len(s.words) for s in result.segments)
        self.outcome = self.tr("transcribe.done", session=self.session.id, segments=len(result.segments),
                               words=words, language=result.language or "?")
        self.query_one("#transcribe-status", Label).update(Content(self.outcome))
        self.query_one("#transcribe-progress", ProgressBar).update(total=1, progress=1)
        if not self.query_one("#transcribe-preview", Static).content:
            self.add_text(result.segments)
        self.show_phase("done")
        self.query_one("#close", Button).focus()

    def failed(self, message: str) -> None:
        if self.cancel_event.is_set():
            self.outcome = self.tr("transcribe.stopped")
            self.dismiss(self.outcome)
            return
        self.show_phase("choose")
        self.render_state()
        self.show_error(message)

    def close(self) -> None:
        self.dismiss(self.outcome)

    def action_cancel(self) -> None:
        """Escape: close; while running, stop the job now (what is done stays in the checkpoint)."""
        if self.phase == "choose":
            self.dismiss(None)
        elif self.phase == "running":
            self.cancel_event.set()
            self.query_one("#transcribe-status", Label).update(self.tr("transcribe.stopping"))
            self.query_one("#stop", Button).disabled = True
            if self.engine is not None:
                self.engine.close()
        else:
            self.close()

    def on_unmount(self) -> None:
        self.cancel_event.set()
        if self.engine is not None:
            self.engine.close()
