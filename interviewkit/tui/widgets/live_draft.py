"""The live draft under the interview: what Whisper heard while the take is being recorded.

When recording starts, the panel loads the model in a worker process (``EngineProcess``) and
starts a ``LiveTranscriber`` on the take; new text appears a few seconds after it is spoken,
and the tail is finished after the recording stops.  The draft is saved encrypted after every
chunk.  Live transcription can be switched off (``L``; remembered in the settings file); then
the panel says so and nothing runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from interviewkit.errors import InterviewkitError
from interviewkit.tui.errors import render_error
from interviewkit.i18n import t
from interviewkit.interview import clock_text
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.settings import load_setting, save_setting
from interviewkit.transcribe.job import project_options
from interviewkit.transcribe.live import LiveTranscriber
from interviewkit.transcribe.models import resolve_model
from interviewkit.transcribe.result import Segment
from interviewkit.transcribe.worker import EngineProcess

SETTING = "live_transcription"  # "on" (default) or "off"
SHOWN_SEGMENTS = 200


def live_enabled() -> bool:
    return load_setting(SETTING) != "off"


class LiveDraftPanel(VerticalScroll):
    def __init__(self, project: Project, session: Session, guard: Callable[[Callable[[], Any]], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.session = session
        self.guard = guard
        self.enabled = live_enabled()
        self.live: LiveTranscriber | None = None
        self.engine: EngineProcess | None = None
        self.lines: list[str] = []
        self.state = "idle"  # idle | loading | running | failed

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="live-text", markup=False)

    def on_mount(self) -> None:
        self.render_text()

    def tr(self, key: str, /, **fmt: Any) -> str:
        return t(key, getattr(self.app, "language", "en"), **fmt)

    def localize(self) -> None:
        self.border_title = self.tr("live.title")
        self.render_text()

    def render_text(self) -> None:
        self.border_title = self.tr("live.title")
        if self.lines:
            text = "\n".join(self.lines)
        elif not self.enabled:
            text = self.tr("live.off")
        elif self.state == "loading":
            text = self.tr("live.loading")
        else:
            text = self.tr("live.waiting")
        self.query_one("#live-text", Static).update(Content(text))
        self.scroll_end(animate=False)

    # -- following a take -------------------------------------------------------------------

    def take_started(self, take_id: str) -> None:
        """The recorder began (or continued) ``take_id``: transcribe it as it grows."""
        if not self.enabled or self.live is not None:
            return
        self.state = "loading"
        self.render_text()
        project, session, guard = self.project, self.session, self.guard
        app = self.app

        def post(callback: Callable[..., None], *args: Any) -> None:
            try:
                app.call_from_thread(callback, *args)
            except RuntimeError:  # the app has closed meanwhile
                pass

        def job() -> LiveTranscriber:
            engine = self.engine = EngineProcess("faster-whisper", resolve_model(None))
            live = LiveTranscriber(project, session, take_id, engine, project_options(project),
                                   on_segments=lambda new: post(self.add, new),
                                   on_error=lambda error: post(self.failed, error), guard=guard)
            return live.start()

        self.screen.run_core(job, self.running, self.load_failed, busy=False)  # type: ignore[attr-defined]

    def running(self, live: LiveTranscriber) -> None:
        self.live = live
        self.state = "running"
        self.render_text()

    def load_failed(self, message: str) -> None:
        self.state = "failed"
        self.close_engine()
        self.app.notify(self.tr("live.failed", message=message), severity="error", timeout=10, markup=False)
        self.render_text()

    def failed(self, error: InterviewkitError) -> None:
        if self.state != "idle":
            self.load_failed(render_error(error, self.app.language))

    def add(self, segments: list[Segment]) -> None:
        self.lines.extend(f"[{clock_text(s.start)}] {s.text.strip()}" for s in segments if s.text.strip())
        del self.lines[:-SHOWN_SEGMENTS]
        self.render_text()

    def take_stopped(self) -> None:
        """The recording stopped: the transcriber finishes the tail, then the engine is closed."""
        live = self.live
        if live is None:
            return
        self.live = None

        def finish() -> None:
            live.wait(120)
            self.close_engine()

        self.screen.run_core(finish, lambda _: None, lambda _: None, busy=False)  # type: ignore[attr-defined]
        self.state = "idle"

    def close_engine(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.close()

    def toggle(self) -> bool:
        """L: switch live transcription on or off (remembered); returns the new state."""
        self.enabled = not self.enabled
        try:
            save_setting(SETTING, "on" if self.enabled else "off")
        except InterviewkitError as error:
            self.app.notify(render_error(error, self.app.language), severity="error", markup=False)
        if not self.enabled and self.live is not None:
            self.live.cancel()
            self.take_stopped()
        self.render_text()
        return self.enabled

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.cancel()
        self.close_engine()
