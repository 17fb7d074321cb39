"""The interview screen: one session run through its guide.

The guide as a tree (○ open, ✓ asked, ✗ skipped, ↺ later), the current question large, its
probes on demand, a clock (total against the plan, the theme against its budget), a
suggestion when the open must questions need more time than is left, notes typed without
leaving the screen, the session's participants (codes and roles), and a place for the
recorder.  Every change is saved at once (encrypted, atomically, in a thread worker), so
that a closed or killed app resumes where it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Tree

from interviewkit.audio.store import WriteGuard
from interviewkit.consent import Participant
from interviewkit.errors import InterviewkitError
from interviewkit.guides.model import Guide
from interviewkit.guides.shipped import shipped_guide
from interviewkit.interview import (
    NOTE_KINDS,
    Clock,
    GuideRecord,
    InterviewRun,
    InterviewSummary,
    LoadedGuide,
    SaveQueue,
    SystemClock,
    audit_details,
    clock_text,
    load_run,
    log_interview,
    new_run,
    resolve_guide,
    save_run_bytes,
    shipped_guide_names,
    summary,
)
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui import app as app_module
from interviewkit.tui.app import InterviewkitApp
from interviewkit.tui.base import BaseModal, BaseScreen, LocalizedSelect, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.audio import AUDIO_ACTIONS, AudioActions
from interviewkit.tui.widgets.interview_panels import (
    ClockPanel,
    GuideTree,
    NotesPanel,
    ParticipantsPanel,
    QuestionPanel,
    SuggestionPanel,
)
from interviewkit.tui.widgets.live_draft import LiveDraftPanel
from interviewkit.tui.widgets.recorder_panel import RecorderPanel, saver_guard

# While the clock runs, the run is saved at least this often (seconds of session time), so
# that a killed app loses at most this much of the clock.
CHECKPOINT_SECONDS = 10.0

# The actions of this screen, in footer and palette order: (action, keys).  The first key is shown.
ACTIONS = (
    ("next_question", "n,down"),
    ("previous_question", "p,up"),
    ("mark_asked", "a,enter"),
    ("mark_skipped", "s"),
    ("mark_later", "l"),
    ("toggle_probes", "o"),
    ("focus_note", "t,slash"),
    ("cycle_note_kind", "ctrl+t"),
    ("toggle_clock", "space"),
    ("go_to", "g"),
    ("show_summary", "m,ctrl+r"),
    ("record", "r"),
    ("stop_recording", "R"),
    ("import_audio", "M"),
    ("play_audio", "P"),
    ("transcribe", "T"),
    ("toggle_live", "L"),
    ("audio_devices", "D"),
    ("edit_consent", "c"),
    ("end_interview", "e"),
    ("back", "escape"),
)


# Left out of the footer for room (the command palette offers every action; the summary
# has a button to end the interview; the recorder panel shows its own keys).
FOOTER_HIDDEN = ("cycle_note_kind", "go_to", "end_interview", "record", "stop_recording", "toggle_live",
                 "edit_consent", *AUDIO_ACTIONS)
# The recorder and the audio actions do not need the guide: these work before the interview is loaded.
RECORDER_ACTIONS = ("record", "stop_recording", "toggle_live", *AUDIO_ACTIONS)


class InterviewScreen(AudioActions, BaseScreen):
    TICK_SECONDS = 1.0  # how often the clock is redrawn (tests make it shorter)
    AUTO_FOCUS = ""  # keys go to the screen: the tree and the note field are entered on purpose
    BINDINGS = [Binding(keys, action, action.replace("_", " "), show=action not in FOOTER_HIDDEN)
                for action, keys in ACTIONS]

    def __init__(self, project: Project, session: Session, guide: Guide | LoadedGuide | None = None,
                 planned_minutes: float | None = None, clock: Clock | None = None) -> None:
        super().__init__()
        self.project = project
        self.session = session
        self.initial_guide = guide
        self.planned_minutes = planned_minutes
        self.clock = clock or SystemClock()
        self.run: InterviewRun | None = None
        self.show_probes = False
        self.note_kind = NOTE_KINDS[0]
        self.saver = SaveQueue(lambda data: save_run_bytes(project, session, data))
        self.last_checkpoint = self.clock.monotonic()

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="interview-body"):
            yield localized(GuideTree(id="guide-tree"), border_title="interview.guide")
            with Vertical(id="interview-main"):
                yield localized(Label(id="interview-loading"), content="interview.loading")
                yield QuestionPanel(id="question-panel")
                yield SuggestionPanel(id="suggestion")
                yield localized(NotesPanel(id="notes-recent", markup=False), border_title="interview.notes")
                yield LiveDraftPanel(self.project, self.session, guard=saver_guard(self.saver), id="live-draft")
            with Vertical(id="interview-side"):
                yield localized(ClockPanel(id="clock-panel"), border_title="interview.clock")
                yield localized(ParticipantsPanel(id="participants-panel", markup=False),
                                border_title="interview.participants")
                with localized(Container(id="recorder"), border_title="interview.recorder"):
                    yield RecorderPanel(self.project, self.session, guard=saver_guard(self.saver), id="recorder-panel")
        with Horizontal(id="note-bar"):
            yield LocalizedSelect([(f"note.kind.{kind}", kind) for kind in NOTE_KINDS], id="note-kind",
                                  allow_blank=False, value=NOTE_KINDS[0])
            yield localized(Input(id="note-input"), placeholder="interview.note.placeholder")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_title()
        self.query_one("#question-panel").display = False
        self.query_one("#suggestion").display = False
        self.query_one("#note-bar").display = False
        self.render_participants()
        self.set_interval(self.TICK_SECONDS, self.tick)
        project, session, clock = self.project, self.session, self.clock
        self.run_core(lambda: load_run(project, session, clock), self.loaded, self.load_failed)

    def set_title(self) -> None:
        self.title = self.tr("interview.title", session=self.session.id)
        self.sub_title = self.project.index.study.title

    def localize(self) -> None:
        super().localize()
        self.set_title()
        self.render_participants()
        self.query_one(RecorderPanel).localize()
        self.query_one(LiveDraftPanel).localize()
        if self.run is not None:
            self.query_one(GuideTree).relabel(self.run, self.tr)
            self.render_run()

    # -- loading or starting the run ----------------------------------------------------

    def loaded(self, run: InterviewRun | None) -> None:
        if run is not None:
            initial = self.initial_guide
            if initial is not None:
                record = initial.record if isinstance(initial, LoadedGuide) else GuideRecord.of(initial)
                if record.sha256 != run.record.sha256:
                    self.notify(self.tr("interview.guide_ignored", title=run.record.title), severity="warning",
                                timeout=10, markup=False)
            run.reopened()
            self.notify(self.tr("interview.resumed"))
            self.begin(run)
        elif self.initial_guide is not None:
            self.create_run(self.initial_guide, self.planned_minutes)
        else:
            self.app.push_screen(GuidePickerModal(self.session, self.planned_minutes), self.guide_picked)

    def load_failed(self, message: str) -> None:
        self.query_one("#interview-loading", Label).update(Content(message))
        self.query_one("#interview-loading").add_class("error")
        self.show_error(message)

    def guide_picked(self, picked: tuple[LoadedGuide, float | None] | None) -> None:
        if picked is None:
            self.leave()
            return
        loaded, minutes = picked
        self.create_run(loaded, minutes)

    def create_run(self, guide: Guide | LoadedGuide, planned_minutes: float | None) -> None:
        if isinstance(guide, LoadedGuide):
            model, record = guide.guide, guide.record
        else:
            model, record = guide, None
        try:
            run = new_run(self.project, self.session, model, record, planned_minutes=planned_minutes, clock=self.clock)
        except InterviewkitError as error:
            self.load_failed(self.error_text(error))
            return
        missing = sorted(model.placeholders() - set(run.placeholders))
        if missing:
            self.notify(self.tr("interview.placeholders_missing", names=", ".join(missing)), severity="warning",
                        timeout=10, markup=False)
        self.begin(run)

    def begin(self, run: InterviewRun) -> None:
        self.run = run
        self.query_one("#interview-loading").display = False
        self.query_one("#question-panel").display = True
        self.query_one("#note-bar").display = True
        self.query_one(GuideTree).build(run, self.tr)
        self.render_run()
        self.persist()
        self.refresh_bindings()

    # -- showing ------------------------------------------------------------------------

    def render_run(self) -> None:
        run = self.run
        if run is None:
            return
        self.query_one(QuestionPanel).show(run, self.tr, self.show_probes)
        self.query_one(NotesPanel).show(run, self.tr)
        self.render_clock()

    def render_clock(self) -> None:
        run = self.run
        if run is None:
            return
        self.query_one(ClockPanel).show(run, self.tr)
        self.query_one(SuggestionPanel).show(run, self.tr)

    def render_participants(self) -> None:
        index = self.project.index
        people = [p for pid in self.session.participants if (p := _participant(index.participants, pid))]
        self.query_one(ParticipantsPanel).show(people, self.tr)

    def changed(self) -> None:
        """After every change of the run: save it, then show it."""
        run = self.run
        if run is None:
            return
        self.persist()
        tree = self.query_one(GuideTree)
        tree.relabel(run, self.tr)
        tree.follow(run)
        self.render_run()

    def tick(self) -> None:
        run = self.run
        if run is None:
            return
        self.render_clock()
        if run.running and self.clock.monotonic() - self.last_checkpoint >= CHECKPOINT_SECONDS:
            self.persist()

    # -- saving ---------------------------------------------------------------------------

    def persist(self) -> None:
        """Save the run now: serialised here (fast), encrypted and written in a worker."""
        if self.run is None:
            return
        self.saver.put(self.run.to_bytes())
        self.last_checkpoint = self.clock.monotonic()
        self.run_core(self.saver.flush, lambda _: None, busy=False)

    def audit(self, action: str) -> None:
        """Record interview.start / interview.end in the audit log (and save the run)."""
        run = self.run
        if run is None:
            return
        project, session, details = self.project, self.session, audit_details(run, action)
        self.saver.put(run.to_bytes())
        self.last_checkpoint = self.clock.monotonic()
        self.run_core(lambda: self.saver.exclusive(lambda: log_interview(project, session, action, details)),
                      lambda _: None, busy=False)

    def on_unmount(self) -> None:
        # Leaving or quitting: book the clock and write the last state (a few milliseconds).
        if self.run is not None:
            self.saver.put(self.run.to_bytes())
        with contextlib.suppress(Exception):  # the app is closing; the previous save is intact
            self.saver.flush()

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.run is None and action not in ("back", "command_palette", *RECORDER_ACTIONS):
            return None  # shown dimmed until the run is loaded
        return True

    def action_next_question(self) -> None:
        if self.run is not None:
            if self.run.next():
                self.changed()
            else:
                self.notify(self.tr("interview.at_end"))

    def action_previous_question(self) -> None:
        if self.run is not None:
            if self.run.previous():
                self.changed()
            else:
                self.notify(self.tr("interview.at_start"))

    def mark(self, state: str) -> None:
        if self.run is not None:
            self.run.mark_and_advance(state)
            self.changed()

    def action_mark_asked(self) -> None:
        self.mark("asked")

    def action_mark_skipped(self) -> None:
        self.mark("skipped")

    def action_mark_later(self) -> None:
        self.mark("later")

    def action_toggle_probes(self) -> None:
        self.show_probes = not self.show_probes
        self.render_run()

    def action_focus_note(self) -> None:
        if self.run is not None:
            self.query_one("#note-input", Input).focus()

    def action_cycle_note_kind(self) -> None:
        select = self.query_one("#note-kind", Select)
        index = NOTE_KINDS.index(self.note_kind)
        select.value = NOTE_KINDS[(index + 1) % len(NOTE_KINDS)]  # Select.Changed sets note_kind

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "note-kind" and event.value in NOTE_KINDS:
            event.stop()
            self.note_kind = str(event.value)
            if self.focused is not event.select:
                self.notify(self.tr("interview.note.kind", kind=self.tr(f"note.kind.{self.note_kind}")))

    def action_toggle_clock(self) -> None:
        run = self.run
        if run is None:
            return
        first = run.started is None
        run.toggle()
        if first and run.started is not None:
            self.audit("interview.start")
        else:
            self.persist()
        self.render_clock()

    def action_go_to(self) -> None:
        if self.run is not None:
            tree = self.query_one(GuideTree)
            tree.follow(self.run)
            tree.focus()

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        question_id = event.node.data
        if self.run is None or not question_id or question_id.startswith("section:"):
            return
        self.set_focus(None)
        if self.run.move(question_id):
            self.changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "note-input":
            return
        event.stop()
        text = event.value.strip()
        event.input.value = ""
        self.set_focus(None)
        if self.run is None or not text:
            return
        note = self.run.add_note(text, self.note_kind)
        self.notify(self.tr("interview.note.saved", at=clock_text(note.at)))
        self.changed()

    def action_show_summary(self) -> None:
        if self.run is not None:
            self.app.push_screen(SummaryModal(summary(self.run)), self.summary_closed)

    def summary_closed(self, choice: str | None) -> None:
        if choice == "end":
            self.action_end_interview()

    def action_end_interview(self) -> None:
        from interviewkit.tui.screens.forms import ConfirmModal

        if self.run is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes and self.run is not None:
                self.run.end()
                self.audit("interview.end")
                self.notify(self.tr("interview.ended"))
                self.render_run()

        self.app.push_screen(ConfirmModal("interview.end.confirm"), confirmed)

    def action_record(self) -> None:
        self.query_one(RecorderPanel).toggle()

    def action_stop_recording(self) -> None:
        self.query_one(RecorderPanel).stop()

    def action_toggle_live(self) -> None:
        on = self.query_one(LiveDraftPanel).toggle()
        self.notify(self.tr("live.on.notify" if on else "live.off.notify"))
        recorder = self.query_one(RecorderPanel)
        if on and recorder.recorder is not None and recorder.recorder.take_id and recorder.phase != "idle":
            self.query_one(LiveDraftPanel).take_started(recorder.recorder.take_id)

    def action_edit_consent(self) -> None:
        """A participant changes their consent during the session (revoking audio stops the recorder
        at once: the core tells it).  One participant: their form; several: choose first."""
        from interviewkit.tui.screens.forms import ChooseParticipantModal, EditParticipantModal

        index = self.project.index
        people = [p for pid in self.session.participants
                  if (p := _participant(index.participants, pid)) is not None and not p.withdrawn]
        if not people:
            self.notify(self.tr("interview.participants.none"), severity="warning")
            return

        def edit(code: str | None) -> None:
            person = next((p for p in self.project.index.participants if p.code == code), None)
            if person is not None:
                self.app.push_screen(EditParticipantModal(self.project, person), self.consent_edited)

        if len(people) == 1:
            edit(people[0].code)
        else:
            self.app.push_screen(ChooseParticipantModal(people, "interview.consent.choose"), edit)

    def consent_edited(self, message: str | None) -> None:
        if message:
            self.notify(message, markup=False)
        self.render_participants()
        self.query_one(RecorderPanel).render_all()

    def on_recorder_panel_take_started(self, message: RecorderPanel.TakeStarted) -> None:
        self.query_one(LiveDraftPanel).take_started(message.take_id)

    def on_recorder_panel_take_stopped(self, message: RecorderPanel.TakeStopped) -> None:
        self.query_one(LiveDraftPanel).take_stopped()

    def audio_session(self) -> Session | None:
        return self.session

    def audio_guard(self) -> WriteGuard:
        return saver_guard(self.saver)  # the import's writes go between the screen's own saves

    def audio_blocked(self) -> str | None:
        return None if self.query_one(RecorderPanel).phase == "idle" else "play.recording"

    def audio_imported(self, message: str | None) -> None:
        super().audio_imported(message)
        if message is not None:
            self.query_one(RecorderPanel).load_takes()

    def action_back(self) -> None:
        if self.focused is not None:  # from the note field or the tree: back to the guide
            self.set_focus(None)
            return
        self.leave()

    def leave(self) -> None:
        from interviewkit.tui.screens.home import HomeScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, HomeScreen):
            self.app.pop_screen()
        else:
            self.app.switch_screen(HomeScreen(self.project))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _keys in ACTIONS:
            name = "back_home" if action == "back" else action
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"),
                                 self.leave if action == "back" else getattr(self, f"action_{action}"))


def _participant(participants: list[Participant], participant_id: str) -> Participant | None:
    return next((p for p in participants if p.id == participant_id), None)


# -- choosing the guide -------------------------------------------------------------------


class GuidePickerModal(BaseModal):
    """A shipped guide or a guide file, and the planned length; dismisses with
    ``(LoadedGuide, minutes or None)``, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: Session, planned_minutes: float | None = None) -> None:
        super().__init__()
        self.session = session
        self.planned_minutes = planned_minutes

    def compose(self) -> ComposeResult:
        names = shipped_guide_names()
        with Vertical(classes="dialog wide", id="guide-dialog"):
            yield localized(Label(classes="dialog-title"), content=("guidepick.title", {"session": self.session.id}))
            yield Label(id="guide-audience", classes="explain", markup=False)
            yield localized(Label(), content="guidepick.shipped")
            yield LocalizedSelect([(name, name) for name in names], translate=False, id="guide-shipped",
                                  prompt_key="guidepick.shipped.prompt", value=names[0] if names else Select.NULL)
            yield localized(Label(), content="guidepick.path")
            yield localized(Input(id="guide-path"), placeholder="guidepick.path.placeholder")
            yield localized(Label(), content="guidepick.minutes")
            minutes = f"{self.planned_minutes:g}" if self.planned_minutes else ""
            yield localized(Input(minutes, id="guide-minutes"), placeholder="guidepick.minutes.placeholder")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="use"), label="guidepick.start")
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.render_audience()
        self.query_one("#use", Button).focus()

    def localize(self) -> None:
        super().localize()
        self.render_audience()

    def render_audience(self) -> None:
        kind = self.tr(f"kind.{self.session.kind}")
        self.query_one("#guide-audience", Label).update(Content(self.tr("guidepick.audience", audience=kind)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "use":
            self.use()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.use()

    def use(self) -> None:
        if self.busy:
            return
        error = self.query_one("#error", Label)
        path = self.query_one("#guide-path", Input).value.strip()
        shipped = self.query_one("#guide-shipped", Select).value
        spec = path or (str(shipped) if shipped != Select.NULL else "")
        if not spec:
            error.update(self.tr("guidepick.empty"))
            return
        minutes_text = self.query_one("#guide-minutes", Input).value.strip().replace(",", ".")
        minutes: float | None = None
        if minutes_text:
            try:
                minutes = float(minutes_text)
            except ValueError:
                minutes = -1
            if not 0 < minutes < 24 * 60:
                error.update(self.tr("guidepick.minutes.invalid"))
                return
        error.update(self.tr("guidepick.loading"))
        # A shipped guide by its own file, never by a name that something in the current folder could shadow.
        self.run_core(lambda: resolve_guide(spec if path else shipped_guide(spec)),
                      lambda loaded: self.dismiss((loaded, minutes)), self.failed)

    def failed(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))


# -- the summary ----------------------------------------------------------------------------


class SummaryModal(BaseModal):
    """Counts, time per theme against its budget, the must questions left, the notes."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, result: InterviewSummary) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="summary-dialog"):
            yield Label(id="summary-title", classes="dialog-title", markup=False)
            yield Label(id="summary-counts", markup=False)
            yield Label(id="summary-total", markup=False)
            yield localized(Label(classes="section"), content="summary.sections")
            yield DataTable(id="summary-sections", cursor_type="none", zebra_stripes=True)
            yield localized(Label(classes="section"), content="summary.open_must")
            yield Label(id="summary-open-must", markup=False)
            yield localized(Label(classes="section"), content="summary.notes")
            with VerticalScroll(id="summary-notes"):
                yield Label(id="summary-notes-text", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="close"), label="common.close")
                if self.result.status != "ended":
                    yield localized(Button(variant="warning", id="end"), label="cmd.end_interview")
        yield Footer()

    def on_mount(self) -> None:
        self.render_summary()
        self.query_one("#close", Button).focus()

    def localize(self) -> None:
        super().localize()
        self.render_summary()

    def render_summary(self) -> None:
        result, tr, none = self.result, self.tr, self.tr("common.none")
        self.query_one("#summary-title", Label).update(
            Content(tr("summary.title", session=result.session_id or none)))
        self.query_one("#summary-counts", Label).update(Content(tr("summary.counts", **result.counts)))
        planned = clock_text(result.planned_seconds) if result.planned_seconds is not None else none
        self.query_one("#summary-total", Label).update(Content(tr(
            "summary.total", total=clock_text(result.total_seconds), planned=planned,
            status=tr(f"istatus.{result.status}"))))
        table = self.query_one("#summary-sections", DataTable)
        table.clear(columns=True)
        for key in ("summary.col.section", "summary.col.time", "summary.col.budget", "summary.col.asked",
                    "summary.col.state"):
            table.add_column(tr(key), key=key)
        for section in result.sections:
            budget = clock_text(section.budget_seconds) if section.budget_seconds is not None else none
            state = Text(tr("summary.over"), style="bold red") if section.over else Text("")
            table.add_row(Text(section.title), clock_text(section.seconds), budget,
                          f"{section.counts.get('asked', 0)}/{sum(section.counts.values())}", state,
                          key=section.section_id)
        open_must = result.open_must
        self.query_one("#summary-open-must", Label).update(Content(
            "\n".join(f"• {q.text}" for q in open_must) if open_must else tr("summary.open_must.none")))
        notes = [f"{clock_text(n.at)} [{tr(f'note.kind.{n.kind}')}] {' '.join(n.text.split())}" for n in result.notes]
        self.query_one("#summary-notes-text", Label).update(Content("\n".join(notes) or tr("summary.notes.none")))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss("end" if event.button.id == "end" else None)


# -- opening the app directly on the interview ----------------------------------------------


class InterviewApp(InterviewkitApp):
    """The app, opened on one session's interview (``interviewkit interview PROJECT SESSION``).
    Escape leads to the project home as usual."""

    CSS_PATH = str(Path(app_module.__file__).parent / InterviewkitApp.CSS_PATH)  # relative to app.py, not here

    def __init__(self, project: Project, session: Session, guide: Guide | LoadedGuide | None = None,
                 planned_minutes: float | None = None, clock: Clock | None = None,
                 language: str | None = None) -> None:
        super().__init__(root=project.root, project=project, language=language)
        self.interview_session = session
        self.interview_guide = guide
        self.interview_minutes = planned_minutes
        self.interview_clock = clock

    def first_screen(self) -> Screen:
        return InterviewScreen(self.project, self.interview_session, self.interview_guide,  # type: ignore[arg-type]
                               self.interview_minutes, self.interview_clock)


def run_interview_tui(project: Project, session: Session, guide: Guide | LoadedGuide | None = None,
                      planned_minutes: float | None = None, language: str | None = None) -> None:
    """Open the terminal interface on the interview screen of ``session``."""
    InterviewApp(project, session, guide, planned_minutes, language=language).run()


__all__ = ["GuidePickerModal", "InterviewApp", "InterviewScreen", "SummaryModal", "run_interview_tui"]
