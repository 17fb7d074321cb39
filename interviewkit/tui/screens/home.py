"""The project home screen: the study at a glance, its sessions (with where each stands) and
participants, and every action (also in the command palette).

The focus rule: focus starts in *Sessions*.  Session keys (``SESSION_ACTIONS``: interview, import,
listen, transcribe, edit, anonymise) act on the session highlighted in Sessions and put the focus
there.  Participant keys (``PARTICIPANT_ACTIONS``: withdraw) act on the participant highlighted in
Participants only while that table has focus; pressed elsewhere they move the focus there and say
to choose.  Back from any screen or dialog, the table that had focus has it again, on the same row.

The footer shows the actions of the table that has focus, as many as fit the terminal's width
(``FOOTER_FIRST`` order); every action is in the command palette (ctrl+p), which the footer shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from interviewkit.consent import CONSENT_ITEMS, Participant
from interviewkit.errors import IdentityError
from interviewkit.project import Project
from interviewkit.session_state import SessionState, session_states
from interviewkit.sessions import Session
from interviewkit.tui.base import BaseScreen, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.audio import AudioActions

# The actions of this screen, in footer and palette order: (action, key).
ACTIONS = (
    ("interview", "i"),
    ("import_audio", "m"),
    ("play_audio", "p"),
    ("transcribe", "t"),
    ("edit_transcript", "e"),
    ("anonymise", "n"),
    ("add_session", "s"),
    ("add_participant", "a"),
    ("withdraw", "w"),
    ("edit_participant", "c"),
    ("edit_session", "g"),
    ("remove_session", "delete"),
    ("recipients", "r"),
    ("export", "x"),
    ("steward", "f"),
    ("verify_audit", "v"),
    ("audio_devices", "d"),
    ("reload", "f5"),
)
# Actions on the highlighted session (through ``session_target``) or participant (``participant_target``).
SESSION_ACTIONS = ("interview", "import_audio", "play_audio", "transcribe", "edit_transcript", "anonymise",
                   "edit_session", "remove_session")
PARTICIPANT_ACTIONS = ("withdraw", "edit_participant")
# What the footer offers, first things first, by the table that has focus; what does not fit the
# terminal's width is left out (the palette has everything).
FOOTER_FIRST = {
    "sessions": ("interview", "play_audio", "transcribe", "edit_transcript", "anonymise", "import_audio", "export",
                 "add_session"),
    "participants": ("add_participant", "withdraw", "edit_participant", "recipients", "add_session", "export"),
}
TABLES = ("sessions", "participants")


class HomeScreen(AudioActions, BaseScreen):
    BINDINGS = [Binding(key, action, action.replace("_", " ")) for action, key in ACTIONS]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.names: dict[str, str] | None = None  # participant id → name, only while readable
        self.states: dict[str, SessionState] | None = None  # session id → where it stands, once read
        self.states_asked = 0  # the newest reading asked for (an older one that ends later is dropped)
        self.focus_table = "sessions"  # the table that had focus last
        self.resumed = False  # shown once already (a later resume is a return from another screen)

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="study"):
            yield Label(id="study-title", markup=False)
            yield Label(id="study-institution", markup=False)
            yield Label(id="study-approvals", markup=False)
            yield Label(id="study-end", markup=False)
        yield localized(Label(classes="section", id="sessions-title"), content="home.sessions")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield localized(Label(classes="section", id="participants-title"), content="home.participants")
        hidden = localized(Label(id="names-hidden"), content="home.no_linkage")
        hidden.display = False
        yield hidden
        yield DataTable(id="participants", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.render_all()
        self.query_one("#sessions", DataTable).focus()
        self.load_names()
        self.load_states()

    def localize(self) -> None:
        super().localize()
        self.render_all()
        self.fit_footer()

    # -- focus: where the eye is ---------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id in TABLES:
            self.focus_table = event.widget.id
            self.fit_footer()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_footer()

    def fit_footer(self) -> None:
        """Show in the footer the focused table's actions, as many as fit the width."""
        shown = footer_actions(self.focus_table, self.app.size.width, self.lang_bindings(), self.app_footer_width())
        bindings = {key: [b if b.show == (b.action in shown) else _with_show(b, b.action in shown) for b in items]
                    for key, items in self._bindings.key_to_bindings.items()}
        self._bindings = BindingsMap.from_keys(bindings)
        self.refresh_bindings()

    def lang_bindings(self) -> dict[str, tuple[str, str]]:
        """action → (key as shown, description), in the current language."""
        return {b.action: (self.app.get_key_display(b), b.description)
                for items in self._bindings.key_to_bindings.values() for b in items}

    def app_footer_width(self) -> int:
        """Columns the footer needs for the app's own keys and the palette's."""
        width = 0
        for items in self.app._bindings.key_to_bindings.values():
            for binding in items:
                if binding.show:
                    width += _footer_item_width(self.app.get_key_display(binding), binding.description)
                elif binding.action == "command_palette":
                    width += _footer_item_width(self.app.get_key_display(binding), binding.description) + 1
        return width

    def render_all(self) -> None:
        study = self.project.index.study
        self.title = self.tr("home.title")
        self.sub_title = study.title
        none = self.tr("common.none")
        self.query_one("#study-title", Label).update(Content(study.title))
        self.query_one("#study-institution", Label).update(
            Content(self.tr("home.institution", value=study.institution or none)))
        self.query_one("#study-approvals", Label).update(
            Content(self.tr("home.approvals", value=study.approval_summary() or none)))
        self.query_one("#study-end", Label).update(Content(self.tr("home.end_date", value=study.end_date or none)))
        self.render_sessions()
        self.render_participants()

    def render_sessions(self) -> None:
        """One row per session: where it stands first (what a decision needs), then kind, date and
        how many people; a wide table scrolls sideways (← →)."""
        table = self.query_one("#sessions", DataTable)
        selected = _selected_key(table)
        table.clear(columns=True)
        for key in ("col.session", *STATE_COLUMNS, "col.kind", "col.date", "col.count"):
            table.add_column(self.tr(key), key=key)
        none = self.tr("common.none")
        for session in self.project.index.sessions:
            state = self.states.get(session.id) if self.states is not None else None
            table.add_row(Text(session.id), *self.state_cells(state), self.tr(f"kind.{session.kind}"),
                          session.date or none, str(len(session.participants)), key=session.key)
        _restore_cursor(table, selected)

    def state_cells(self, state: SessionState | None) -> list[Text]:
        """The cells of ``STATE_COLUMNS`` for one session (``…`` while it is being read)."""
        if state is None:
            return [Text(self.tr("home.state.loading"), style="dim") for _ in STATE_COLUMNS]
        return [Text(text, style=style) for text, style in state_texts(state, self.tr)]

    # -- where each session stands: read in a worker (it decrypts) ----------------------

    def load_states(self) -> None:
        project = self.project
        self.states_asked += 1
        asked = self.states_asked

        def done(states: dict[str, SessionState]) -> None:
            if asked == self.states_asked and self.is_attached:
                self.states = states
                self.render_sessions()

        self.run_core(lambda: session_states(project), done, busy=False)

    def on_screen_resume(self) -> None:
        """Back from a screen or dialog: the table that had focus has it again; the sessions'
        state is read again (the user may have recorded, transcribed or reviewed)."""
        if self.focused is None:
            self.query_one(f"#{self.focus_table}", DataTable).focus()
        self.fit_footer()
        if self.resumed:
            self.load_states()
        self.resumed = True  # the first resume is the screen's start: on_mount reads the state

    def render_participants(self) -> None:
        table = self.query_one("#participants", DataTable)
        selected = _selected_key(table)
        table.clear(columns=True)
        names = self.names
        table.add_column(self.tr("col.code"), key="code")
        if names is not None:
            table.add_column(self.tr("col.name"), key="name")
        for key in ("col.role", "col.sessions", "col.status"):
            table.add_column(self.tr(key), key=key)
        for item in CONSENT_ITEMS:
            table.add_column(self.tr(f"item.short.{item}"), key=f"item.{item}")
        session_ids = {s.key: s.id for s in self.project.index.sessions}
        for participant in self.project.index.participants:
            row: list[object] = [Text(participant.code)]
            if names is not None:
                row.append(Text(names.get(participant.id, self.tr("common.none"))))
            row.append(self.tr(f"role.{participant.role}"))
            row.append(Text(", ".join(session_ids.get(k, "?") for k in participant.sessions) or self.tr("common.none")))
            row.append(_status_text(participant, self.tr(f"status.{participant.status}")))
            row.extend(_tick(participant.consent.items.get(item, False)) for item in CONSENT_ITEMS)
            table.add_row(*row, key=participant.code)
        _restore_cursor(table, selected)

    # -- names (linkage key): read in a worker, held in memory only -------------------

    def load_names(self) -> None:
        project = self.project

        def read_names() -> dict[str, str] | None:
            try:
                return {pid: entry.name for pid, entry in project.linkage().entries.items()}
            except IdentityError:  # this key is not a recipient of the linkage key
                return None

        self.run_core(read_names, self.names_loaded, self.names_failed, busy=False)

    def names_loaded(self, names: dict[str, str] | None) -> None:
        self.names = names
        self.query_one("#names-hidden").display = names is None
        self.render_participants()

    def names_failed(self, message: str) -> None:
        self.names_loaded(None)
        self.show_error(message)

    def changed(self, message: str | None) -> None:
        """After a modal changed the project: say so and show the new state."""
        if message is None:  # cancelled
            return
        self.notify(message, markup=False)
        self.render_all()
        self.load_names()
        self.load_states()

    # -- actions -----------------------------------------------------------------------

    def selected_participant(self) -> Participant | None:
        table = self.query_one("#participants", DataTable)
        code = _selected_key(table)
        return self.project.index.find_participant(code) if code is not None else None

    def selected_session(self) -> Session | None:
        key = _selected_key(self.query_one("#sessions", DataTable))
        return next((s for s in self.project.index.sessions if s.key == key), None) if key is not None else None

    def audio_session(self) -> Session | None:
        """The session a session key acts on: the one highlighted in Sessions, which gets the focus
        (so the eye is there now, and back there after the screen it opens)."""
        self.query_one("#sessions", DataTable).focus()
        return self.selected_session()

    def participant_target(self, choose_key: str = "home.withdraw.choose") -> Participant | None:
        """The participant a participant key acts on: the one highlighted in Participants while that
        table has focus.  Elsewhere the focus moves there and the user is told to choose
        (``choose_key``: what to press then) and None is returned."""
        if self.guard_busy():
            return None
        table = self.query_one("#participants", DataTable)
        if self.focused is not table:
            table.focus()
            self.notify(self.tr(choose_key), timeout=8)
            return None
        participant = self.selected_participant()
        if participant is None:
            self.notify(self.tr("home.no_selection"), severity="warning")
        return participant

    def open_for_session(self, make: Callable[[Project, Session], Screen[None]]) -> None:
        """Open a screen on the session selected in the sessions table (or say to select one)."""
        session = self.session_target()
        if session is not None:
            self.app.push_screen(make(self.project, session))

    def action_interview(self) -> None:
        from interviewkit.tui.screens.interview import InterviewScreen

        self.open_for_session(InterviewScreen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "sessions":  # Enter (or a click) on a session: its interview
            event.stop()
            self.action_interview()

    def action_add_session(self) -> None:
        from interviewkit.tui.screens.forms import AddSessionModal

        if not self.guard_busy():
            self.app.push_screen(AddSessionModal(self.project), self.changed)

    def action_add_participant(self) -> None:
        from interviewkit.tui.screens.forms import AddParticipantModal

        if not self.guard_busy():
            self.app.push_screen(AddParticipantModal(self.project), self.changed)

    def action_withdraw(self) -> None:
        from interviewkit.tui.screens.forms import WithdrawModal

        participant = self.participant_target()
        if participant is None:
            return
        if participant.withdrawn:
            self.notify(self.tr("withdraw.already", code=participant.code, date=participant.withdrawn),
                        severity="warning", markup=False)
        else:
            self.app.push_screen(WithdrawModal(self.project, participant.code), self.changed)

    def action_edit_participant(self) -> None:
        from interviewkit.tui.screens.forms import EditParticipantModal

        participant = self.participant_target("records.choose_participant")
        if participant is None:
            return
        if participant.withdrawn:
            self.notify(self.tr("records.withdrawn", code=participant.code, date=participant.withdrawn),
                        severity="warning", markup=False, timeout=10)
        else:
            self.app.push_screen(EditParticipantModal(self.project, participant), self.changed)

    def action_edit_session(self) -> None:
        from interviewkit.tui.screens.forms import EditSessionModal

        session = self.session_target()
        if session is not None:
            self.app.push_screen(EditSessionModal(self.project, session), self.changed)

    def action_remove_session(self) -> None:
        from interviewkit.sessions import remove_session
        from interviewkit.tui.screens.forms import ConfirmModal

        session = self.session_target()
        if session is None:
            return
        project, session_id = self.project, session.id

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_core(lambda: remove_session(project, session_id),
                              lambda _: self.changed(self.tr("records.remove.done", id=session_id)))

        self.app.push_screen(ConfirmModal("records.remove.confirm", id=session_id), confirmed)

    def action_recipients(self) -> None:
        from interviewkit.tui.screens.recipients import RecipientsModal

        if not self.guard_busy():
            self.app.push_screen(RecipientsModal(self.project), self.changed)

    def action_verify_audit(self) -> None:
        from interviewkit.tui.screens.audit import AuditModal

        if self.guard_busy():
            return
        self.notify(self.tr("home.verifying"))

        def show(result: tuple[list[object], list[object]]) -> None:
            entries, problems = result
            self.app.push_screen(AuditModal(len(entries), [str(p) for p in problems], self.project.signed_head()))

        self.run_core(self.project.verify_audit, show)

    def action_edit_transcript(self) -> None:
        from interviewkit.tui.screens.editor import EditorScreen

        self.open_for_session(EditorScreen)

    def action_anonymise(self) -> None:
        from interviewkit.tui.screens.anonymise import AnonymiseScreen

        self.open_for_session(AnonymiseScreen)

    def action_export(self) -> None:
        from interviewkit.tui.screens.export import ExportScreen

        if not self.guard_busy():
            self.app.push_screen(ExportScreen(self.project))

    def action_steward(self) -> None:
        from interviewkit.tui.screens.steward import StewardScreen

        if not self.guard_busy():
            self.app.push_screen(StewardScreen(self.project))

    def action_reload(self) -> None:
        if not self.guard_busy():
            self.run_core(self.project.reload, lambda _: self.changed(self.tr("home.reloaded")))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _key in ACTIONS:
            yield PaletteCommand(self.tr(f"cmd.{action}"), self.tr(f"cmd.{action}.help"),
                                 getattr(self, f"action_{action}"))


STATE_COLUMNS = ("home.col.interview", "home.col.audio", "home.col.transcript", "home.col.checked",
                 "home.col.review", "home.col.export")
STATE_STYLES = {"not-started": "dim", "in-progress": "yellow", "ended": "green", "none": "dim", "machine": "yellow",
                "edited": "green", "pending": "yellow", "done": "green", "no-access": "dim", "anonymous": "green"}


def state_texts(state: SessionState, tr: Callable[..., str]) -> list[tuple[str, str]]:
    """(text, style) of each of ``STATE_COLUMNS`` for one session, in ``tr``'s language."""
    if state.takes:
        key = "home.audio.one" if state.takes == 1 else "home.audio.many"
        audio = (tr(key, count=state.takes, duration=state.audio_length), "")
    else:
        audio = (tr("home.audio.none"), "dim")
    checked = ((tr("home.checked", percent=state.checked_percent), "green" if state.checked >= 1 else "")
               if state.transcript != "none" else (tr("common.none"), "dim"))
    review = tr(f"home.review.{state.review}", count=state.review_open)
    export = (tr("home.export.last", date=state.last_export.date, format=state.last_export.format)
              if state.last_export else tr("home.export.never"))
    return [(tr(f"home.interview.{state.interview}"), STATE_STYLES[state.interview]), audio,
            (tr(f"home.transcript.{state.transcript}"), STATE_STYLES[state.transcript]), checked,
            (review, STATE_STYLES[state.review]), (export, "" if state.last_export else "dim")]


def footer_actions(table: str, width: int, bindings: dict[str, tuple[str, str]], reserved: int) -> set[str]:
    """The actions the footer shows: ``table``'s, first things first, as many as fit ``width``
    columns less ``reserved`` (``bindings``: action → (key as shown, description))."""
    shown: set[str] = set()
    room = width - reserved
    for action in FOOTER_FIRST[table]:
        need = _footer_item_width(*bindings[action])
        if need <= room:
            shown.add(action)
            room -= need
    return shown


def _footer_item_width(key: str, description: str) -> int:
    """Columns of one key in the compact footer: ``key description`` and a space after."""
    return cell_len(key) + 1 + cell_len(description) + 1


def _with_show(binding: Binding, show: bool) -> Binding:
    return dataclasses.replace(binding, show=show)


def _selected_key(table: DataTable) -> str | None:
    if table.row_count == 0 or table.cursor_row < 0:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None


def _restore_cursor(table: DataTable, key: str | None) -> None:
    if key is None:
        return
    try:
        table.move_cursor(row=table.get_row_index(key))
    except RowDoesNotExist:  # that row is gone
        pass


def _tick(given: bool) -> Text:
    return Text("✓", style="green") if given else Text("✗", style="red")


def _status_text(participant: Participant, label: str) -> Text:
    style = {"consented": "green", "partial": "yellow", "none": "red", "withdrawn": "dim"}.get(participant.status, "")
    return Text(label, style=style)
