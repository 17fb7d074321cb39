"""The project home screen: the study at a glance, its sessions and participants, and
every action (also in the command palette)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from interviewkit.consent import CONSENT_ITEMS, Participant
from interviewkit.errors import IdentityError
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.base import BaseScreen, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.audio import AudioActions

# The actions of this screen, in footer and palette order: (action, key).
ACTIONS = (
    ("interview", "i"),
    ("add_session", "s"),
    ("add_participant", "a"),
    ("withdraw", "w"),
    ("recipients", "r"),
    ("verify_audit", "v"),
    ("import_audio", "m"),
    ("play_audio", "p"),
    ("transcribe", "t"),
    ("edit_transcript", "e"),
    ("anonymise", "n"),
    ("export", "x"),
    ("steward", "f"),
    ("audio_devices", "d"),
    ("reload", "f5"),
)
FOOTER_HIDDEN = ("reload", "audio_devices")  # room in the footer; the palette offers them


class HomeScreen(AudioActions, BaseScreen):
    BINDINGS = [Binding(key, action, action.replace("_", " "), show=action not in FOOTER_HIDDEN)
                for action, key in ACTIONS]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.names: dict[str, str] | None = None  # participant id → name, only while readable

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
        self.query_one("#participants", DataTable).focus()
        self.load_names()

    def localize(self) -> None:
        super().localize()
        self.render_all()

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
        table = self.query_one("#sessions", DataTable)
        selected = _selected_key(table)
        table.clear(columns=True)
        for key in ("col.session", "col.kind", "col.date", "col.count"):
            table.add_column(self.tr(key), key=key)
        for session in self.project.index.sessions:
            table.add_row(Text(session.id), self.tr(f"kind.{session.kind}"), session.date or self.tr("common.none"),
                          str(len(session.participants)), key=session.key)
        _restore_cursor(table, selected)

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

    # -- actions -----------------------------------------------------------------------

    def selected_participant(self) -> Participant | None:
        table = self.query_one("#participants", DataTable)
        code = _selected_key(table)
        return self.project.index.find_participant(code) if code is not None else None

    def selected_session(self) -> Session | None:
        key = _selected_key(self.query_one("#sessions", DataTable))
        return next((s for s in self.project.index.sessions if s.key == key), None) if key is not None else None

    def audio_session(self) -> Session | None:
        return self.selected_session()

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

        if self.guard_busy():
            return
        participant = self.selected_participant()
        if participant is None:
            self.notify(self.tr("home.no_selection"), severity="warning")
        elif participant.withdrawn:
            self.notify(self.tr("withdraw.already", code=participant.code, date=participant.withdrawn),
                        severity="warning", markup=False)
        else:
            self.app.push_screen(WithdrawModal(self.project, participant.code), self.changed)

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
            self.app.push_screen(AuditModal(len(entries), [str(p) for p in problems]))

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
