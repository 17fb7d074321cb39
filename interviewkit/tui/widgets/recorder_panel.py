"""The recorder in the interview screen: record, pause and stop, a level meter, clipping and
silence warnings, elapsed time, a free-disk estimate, the session's takes, and who has not
consented to audio recording (codes only).

The recorder runs in the core (``interviewkit.audio.recorder``); starting and stopping run in
thread workers, and the panel reads the recorder's state ten times a second while it runs.
An interrupted take (a crash) found when the screen opens is offered for continuing: ``r``
then continues it instead of starting a new take.  The input device: the ``device`` given,
else ``INTERVIEWKIT_AUDIO_DEVICE``, else the one chosen in the device picker, else the default.
"""

from __future__ import annotations

import contextlib

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static

from interviewkit.audio.consent_gate import (
    NO_AUDIO_CONSENT,
    WITHDRAWN,
    ConsentProblem,
    ConsentRevoked,
    audio_consent_problems,
)
from interviewkit.audio.devices import DEVICE_ENV, chosen_device
from interviewkit.audio.meter import Level
from interviewkit.audio.recorder import Recorder
from interviewkit.audio.store import AudioTake, list_takes
from interviewkit.errors import InterviewkitError
from interviewkit.i18n import t
from interviewkit.interview import SaveQueue, clock_text
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.errors import render_error

METER_CELLS = 14
SHOWN_TAKES = 3
DISK_WARNING_SECONDS = 30 * 60  # warn when less than this much recording fits on the disk
__all__ = ["DEVICE_ENV", "RecorderPanel", "consent_lines", "saver_guard"]


def saver_guard(saver: SaveQueue) -> Callable[[Callable[[], Any]], Any]:
    """Run the recorder's project writes between the screen's own saves (the project lock is
    per process, not per thread).  A failed save of the screen's state is the screen's to report."""

    def guard(job: Callable[[], Any]) -> Any:
        result: list[Any] = []
        try:
            saver.exclusive(lambda: result.append(job()))
        except InterviewkitError:
            if not result:
                raise
        return result[0] if result else None

    return guard


def consent_lines(problems: list[ConsentProblem] | None, tr: Callable[..., str]) -> list[str]:
    """Who blocks audio in a session (codes only), one line per reason; [] when nobody does."""
    if problems is None:
        return [tr("rec.consent.nobody")]
    missing = [p.code for p in problems if p.reason == NO_AUDIO_CONSENT]
    withdrawn = [p.code for p in problems if p.reason == WITHDRAWN]
    return ([tr("rec.consent.missing", codes=", ".join(missing))] if missing else []) + \
        ([tr("rec.consent.withdrawn", codes=", ".join(withdrawn))] if withdrawn else [])


def meter_bar(level: Level, cells: int = METER_CELLS) -> str:
    filled = round(level.fraction() * cells)
    return "█" * filled + "░" * (cells - filled)


def short_duration(seconds: float) -> str:
    return f"{seconds / 3600:.0f} h" if seconds >= 2 * 3600 else f"{seconds / 60:.0f} min"


class RecorderPanel(Vertical):
    UPDATE_SECONDS = 0.1

    class TakeStarted(Message):
        """Recording of ``take_id`` began (or continued): live transcription may follow it."""

        def __init__(self, take_id: str) -> None:
            super().__init__()
            self.take_id = take_id

    class TakeStopped(Message):
        """The recording stopped (the take is closed)."""

    def __init__(self, project: Project, session: Session, guard: Callable[[Callable[[], Any]], Any] | None = None,
                 device: str | int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.session = session
        self.guard = guard
        self.device = device  # None: chosen when recording starts (see the module's docstring)
        self.recorder: Recorder | None = None
        self.phase = "idle"  # idle | starting | recording | paused | stopping
        self.takes: list[AudioTake] = []
        self.interrupted: AudioTake | None = None
        self.message: tuple[str, str] | None = None  # (text, css class)
        self.timer: Timer | None = None

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Label(id="rec-status", markup=False)
        yield Static(id="rec-meter", markup=False)
        yield Label(id="rec-warning", markup=False)
        yield Label(id="rec-disk", markup=False)
        yield Label(id="rec-consent", markup=False)
        yield Label(id="rec-message", markup=False)
        yield Static(id="rec-takes", markup=False)

    def on_mount(self) -> None:
        self.timer = self.set_interval(self.UPDATE_SECONDS, self.update_live, pause=True)
        self.render_all()
        self.load_takes()

    def load_takes(self) -> None:
        """Read the session's takes (again: after an import)."""
        project, session = self.project, self.session
        self.core(lambda: list_takes(project, session), self.takes_loaded, self.show_message)

    def on_unmount(self) -> None:
        recorder = self.recorder
        if recorder is not None and recorder.active:  # leaving or quitting: keep the take (a fast flush)
            try:
                recorder.stop()
            except InterviewkitError:
                pass  # the segments written so far are kept; the take can be continued later

    # -- helpers --------------------------------------------------------------------------------

    def tr(self, key: str, /, **fmt: Any) -> str:
        return t(key, getattr(self.app, "language", "en"), **fmt)

    def core(self, job: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]) -> None:
        self.screen.run_core(job, done, failed, busy=False)  # type: ignore[attr-defined]

    def _set(self, selector: str, text: str) -> None:
        widget = self.query_one(selector)
        if getattr(widget, "_shown_text", None) != text:
            widget._shown_text = text  # type: ignore[attr-defined]
            widget.update(Content(text))  # type: ignore[attr-defined]
        widget.display = bool(text)

    def show_message(self, text: str, kind: str = "error") -> None:
        self.message = (text, kind) if text else None
        self.render_message()

    # -- showing ----------------------------------------------------------------------------------

    def render_all(self) -> None:
        self.render_status()
        self.render_consent()
        self.render_takes()
        self.render_message()

    def render_status(self) -> None:
        recorder = self.recorder
        elapsed = clock_text(recorder.elapsed) if recorder is not None else ""
        phase = self.phase
        text = {"idle": "○ " + self.tr("rec.idle"), "starting": "… " + self.tr("rec.starting"),
                "recording": f"● {self.tr('rec.recording')} {elapsed}", "paused": f"‖ {self.tr('rec.paused')} {elapsed}",
                "stopping": "… " + self.tr("rec.stopping")}[phase]
        status = self.query_one("#rec-status", Label)
        self._set("#rec-status", text + ("\n" + self.tr("rec.keys") if phase == "idle" else
                                        "\n" + self.tr("rec.keys.running") if phase in ("recording", "paused")
                                        else ""))
        status.set_class(phase == "recording", "recording")
        status.set_class(phase == "paused", "paused")
        live = phase in ("recording", "paused") and recorder is not None
        self.query_one("#rec-meter").display = live
        if not live:
            self._set("#rec-warning", "")
            self._set("#rec-disk", "")
            self.set_class(False, "clipping")
            self.set_class(False, "silence")

    def update_live(self) -> None:
        """Ten times a second while recording: level, warnings, elapsed, disk, failures."""
        recorder = self.recorder
        if recorder is None or self.phase not in ("recording", "paused"):
            return
        if recorder.failure is not None:
            self.stop(failed=True)
            return
        level = recorder.level
        self._set("#rec-meter", f"{meter_bar(level)} {level.rms_dbfs:4.0f} dB")
        warning = ""
        if level.clipping:
            warning = self.tr("rec.clipping")
        elif level.silence:
            warning = self.tr("rec.silence", seconds=f"{level.silent_seconds:.0f}")
        self._set("#rec-warning", warning)
        self.set_class(level.clipping, "clipping")
        self.set_class(level.silence and not level.clipping, "silence")
        free = recorder.free_disk_seconds()
        self._set("#rec-disk", self.tr("rec.disk", left=short_duration(free)))
        self.query_one("#rec-disk").set_class(free < DISK_WARNING_SECONDS, "low")
        self.render_status()

    def render_consent(self) -> None:
        problems = audio_consent_problems(self.project, self.session)
        label = self.query_one("#rec-consent", Label)
        text = "\n".join(consent_lines(problems, self.tr)) or self.tr("rec.consent.ok")
        self._set("#rec-consent", text)
        label.set_class(problems == [], "ok")
        label.set_class(problems != [], "blocked")  # nobody in the session, or someone without consent

    def render_takes(self) -> None:
        lines = []
        if self.interrupted is not None:
            lines.append(self.tr("rec.interrupted", take=self.interrupted.id[:6],
                                 length=clock_text(self.interrupted.duration_seconds)))
        if self.takes:
            total = sum(take.duration_seconds for take in self.takes)
            lines.append(self.tr("rec.takes", count=len(self.takes), length=clock_text(total)))
            for take in self.takes[-SHOWN_TAKES:]:
                mark = "✓" if take.complete else "!"
                lines.append(f"{mark} {take.id[:6]} {clock_text(take.duration_seconds)}")
        else:
            lines.append(self.tr("rec.takes.none"))
        self._set("#rec-takes", "\n".join(lines))

    def render_message(self) -> None:
        text, kind = self.message or ("", "")
        self._set("#rec-message", text)
        label = self.query_one("#rec-message", Label)
        label.set_class(kind == "error", "error")
        label.set_class(kind == "info", "info")

    def localize(self) -> None:
        self.render_all()
        self.update_live()

    # -- loading --------------------------------------------------------------------------------

    def takes_loaded(self, takes: list[AudioTake]) -> None:
        self.takes = takes
        interrupted = [take for take in takes if not take.complete and take.source == "microphone"]
        if interrupted and self.phase == "idle":
            project, session = self.project, self.session
            # Confirm that no other program is recording it right now.
            self.core(lambda: Recorder.recover(project, session), self.recovered, self.show_message)
        self.render_takes()

    def recovered(self, takes: list[AudioTake]) -> None:
        self.interrupted = takes[-1] if takes else None
        if self.interrupted is not None:
            self.app.notify(self.tr("rec.interrupted.notify", length=clock_text(self.interrupted.duration_seconds)),
                            severity="warning", timeout=10)
        self.render_takes()

    # -- controls -------------------------------------------------------------------------------

    def toggle(self) -> None:
        """r: record (or continue an interrupted take); while recording, pause; while paused, resume."""
        recorder = self.recorder
        if self.phase == "idle":
            self.start()
        elif self.phase == "recording" and recorder is not None:
            recorder.pause()
            self.phase = "paused"
            self.render_status()
        elif self.phase == "paused" and recorder is not None:
            recorder.resume()
            self.phase = "recording"
            self.render_status()

    def start(self) -> None:
        project, session = self.project, self.session
        resume = self.interrupted.id if self.interrupted is not None else None
        device = self.device if self.device is not None else chosen_device("input")
        recorder = Recorder(project, session, device=device, guard=self.guard)
        self.recorder = recorder
        self.phase = "starting"
        self.show_message("")
        self.render_status()

        def job() -> list[Any] | None:
            try:
                project.reload()  # consent may have been recorded in another terminal
            except InterviewkitError:
                pass
            problems = audio_consent_problems(project, session)
            if problems is None or problems:
                return problems if problems is not None else []
            recorder.start(resume_take=resume)
            return None

        self.core(job, self.started, self.start_failed)

    def started(self, refused: list[Any] | None) -> None:
        if refused is not None:  # the consent gate
            self.phase = "idle"
            self.recorder = None
            self.render_consent()
            if refused:
                codes = ", ".join(p.code for p in refused)
                text = self.tr("rec.refused", codes=codes)
            else:
                text = self.tr("rec.refused.nobody")
            self.show_message(text)
            self.app.notify(text, severity="error", timeout=10, markup=False)
            self.render_status()
            return
        self.phase = "recording"
        self.interrupted = None
        self.render_all()
        if self.timer is not None:
            self.timer.resume()
        if self.recorder is not None and self.recorder.take_id is not None:
            self.post_message(self.TakeStarted(self.recorder.take_id))

    def start_failed(self, message: str) -> None:
        self.phase = "idle"
        self.recorder = None
        self.show_message(message)
        self.app.notify(message, severity="error", timeout=10, markup=False)
        self.render_status()

    def stop(self, failed: bool = False) -> None:
        """R: stop and keep the take.  Also after a failure (a lost device, a full disk)."""
        recorder = self.recorder
        if recorder is None or self.phase not in ("recording", "paused"):
            return
        self.phase = "stopping"
        if self.timer is not None:
            self.timer.pause()
        self.render_status()
        project, session = self.project, self.session

        def job() -> tuple[AudioTake, list[AudioTake]]:
            take = recorder.stop()
            if isinstance(recorder.failure, ConsentRevoked):  # show the consent as it is now
                with contextlib.suppress(InterviewkitError):
                    project.reload()
            return take, list_takes(project, session)

        self.core(job, self.stopped, self.stop_failed)

    def stopped(self, result: tuple[AudioTake, list[AudioTake]]) -> None:
        take, self.takes = result
        self.phase = "idle"
        self.post_message(self.TakeStopped())
        recorder = self.recorder
        failure = recorder.failure if recorder is not None else None
        if isinstance(failure, ConsentRevoked):  # someone's consent changed while recording
            text = self.tr("rec.consent_revoked", codes=", ".join(p.code for p in failure.problems) or "–",
                           take=take.id[:6], length=clock_text(take.duration_seconds))
            self.show_message(text)
            self.app.notify(text, severity="error", timeout=15, markup=False)
        elif failure is not None:
            text = self.tr("rec.failed", take=take.id[:6], length=clock_text(take.duration_seconds), error=render_error(failure, self.app.language))
            self.show_message(text)
            self.app.notify(text, severity="error", timeout=15, markup=False)
        else:
            text = self.tr("rec.saved", take=take.id[:6], length=clock_text(take.duration_seconds))
            self.show_message(text, "info")
            self.app.notify(text)
        self.render_all()

    def stop_failed(self, message: str) -> None:
        self.phase = "idle"
        self.post_message(self.TakeStopped())
        self.show_message(message)
        self.app.notify(message, severity="error", timeout=15, markup=False)
        self.render_all()
