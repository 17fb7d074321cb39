"""Anonymising a session: review what detection found in its transcript and decide.

Left, the entities (a person, a municipality …) in order of first appearance in the transcript,
so that rows never jump when a decision is made; right, where the selected one occurs.  Below,
the indirect identifiers (a role, an age) to consider, which are never replaced.  ``p`` shows the
de-identified transcript instead of the lists.

Every decision goes through the core (``interviewkit.anonymise.review``) in a worker, followed by
a fresh analysis of the session, and the view is redrawn keeping the selection.  The pseudonym
map lives in the linkage key: without it the screen only says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from interviewkit.anonymise import review
from interviewkit.anonymise.hits import ENTITY_TYPES
from interviewkit.anonymise.pseudonyms import Entity, form_key
from interviewkit.anonymise.review import Occurrence, SessionAnonymisation
from interviewkit.errors import NotFound
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.base import BaseScreen, LocalizedSelect, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.screens.editor_modals import EditorModal
from interviewkit.tui.widgets.anonymise_panels import (
    AnonymiseStatus,
    EntityTable,
    OccurrenceTable,
    WarningTable,
    next_own_decision,
    preview_text,
)

# (action, keys), in footer and palette order; the first key is shown.
ACTIONS = (
    ("accept_entity", "a"), ("reject_entity", "r"), ("ask_supervisor", "s"), ("relabel_entity", "l"),
    ("accept_pending", "A,shift+a"), ("decide_occurrence", "o"), ("add_term", "n"), ("toggle_preview", "p"),
    ("back", "escape"),
)
FOOTER_HIDDEN = ("accept_pending", "back")  # room in the footer; the palette offers them (Esc: as everywhere)
NARROW_BELOW = 110  # columns


class LabelModal(EditorModal):
    """What replaces an entity; dismisses with the label typed (never empty)."""

    def __init__(self, name: str, label: str) -> None:
        super().__init__(("anonymise.label.title", {"name": name}))
        self.label = label

    def body(self) -> ComposeResult:
        yield localized(Label(classes="explain"), content="anonymise.label.help")
        yield Input(self.label, id="anon-label")

    def on_mount(self) -> None:
        self.query_one("#anon-label", Input).focus()

    def submit(self, button: str) -> None:
        label = " ".join(self.query_one("#anon-label", Input).value.split())
        if not label.strip("[] "):
            self.show_error(self.tr("anonymise.label.empty"))
            return
        self.dismiss(label)


class AddTermModal(EditorModal):
    """A name detection missed; dismisses with ``(type, text)``.  Also opened by the editor."""

    TITLE_KEY = "anonymise.term.title"

    def __init__(self, text: str = "", type_: str = "person") -> None:
        super().__init__()
        self.text, self.type_ = text, type_

    def body(self) -> ComposeResult:
        yield localized(Label(classes="explain"), content="anonymise.term.help")
        yield localized(Label(), content="anonymise.term.type")
        yield LocalizedSelect([(f"anonymise.type.{kind}", kind) for kind in ENTITY_TYPES], id="anon-term-type",
                              allow_blank=False, value=self.type_)
        yield localized(Label(), content="anonymise.term.text")
        yield localized(Input(self.text, id="anon-term-text"), placeholder="anonymise.term.placeholder")

    def on_mount(self) -> None:
        self.query_one("#anon-term-text", Input).focus()

    def submit(self, button: str) -> None:
        text = " ".join(self.query_one("#anon-term-text", Input).value.split())
        if not text:
            self.show_error(self.tr("anonymise.term.empty"))
            return
        self.dismiss((str(self.query_one("#anon-term-type", LocalizedSelect).value), text))


class AnonymiseScreen(BaseScreen):
    BINDINGS = [Binding(keys, action, action.replace("_", " "), show=action not in FOOTER_HIDDEN)
                for action, keys in ACTIONS]
    # Narrower than this, the two lists stack, each the full width, so that no column a decision
    # needs (the forms seen, the context) is cut off; wide tables still scroll sideways (← →).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]

    def __init__(self, project: Project, session: Session) -> None:
        super().__init__()
        self.project, self.session = project, session
        self.found: SessionAnonymisation | None = None
        self.problem: str | None = None  # the one line shown instead of the lists
        self.problem_key: tuple[str, dict[str, str]] | None = None  # … when it is ours (translated anew)
        self.previewing = False
        self.select_form: str | None = None  # after adding a term: select the entity it became

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="anon-message", classes="error", markup=False)
        with Horizontal(id="anon-lists"):
            yield localized(EntityTable(id="anon-entities"), border_title="anonymise.entities")
            yield localized(OccurrenceTable(id="anon-occurrences"), border_title="anonymise.occurrences")
        yield localized(WarningTable(id="anon-warnings"), border_title="anonymise.warnings")
        with localized(VerticalScroll(id="anon-preview"), border_title="anonymise.preview"):
            yield Static(id="anon-preview-text", markup=False)
        yield AnonymiseStatus(id="anon-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_title()
        self.query_one("#anon-preview").display = False
        self.query_one("#anon-warnings").display = False
        self.query_one("#anon-message").display = False
        self.query_one("#anon-lists").loading = True
        self.status.show(None, self.lang, self.tr("anonymise.loading"))
        project, session = self.project, self.session

        def job() -> SessionAnonymisation | tuple[str, dict[str, str]]:
            if not project.can_read_linkage():
                return "anonymise.no_linkage", {}
            try:
                return review.analyse_session(project, session)
            except NotFound:  # no transcript yet
                return "anonymise.no_transcript", {"session": session.id}

        self.run_core(job, self.loaded, self.failed, busy=False)  # Escape may leave while it runs

    def set_title(self) -> None:
        self.title = self.tr("anonymise.title", session=self.session.id)
        self.sub_title = self.project.index.study.title

    def localize(self) -> None:
        super().localize()
        self.set_title()
        if self.problem_key is not None:
            self.failed(self.tr(self.problem_key[0], **self.problem_key[1]))
        self.render_all()

    @property
    def entities(self) -> EntityTable:
        return self.query_one(EntityTable)

    @property
    def occurrences(self) -> OccurrenceTable:
        return self.query_one(OccurrenceTable)

    @property
    def status(self) -> AnonymiseStatus:
        return self.query_one(AnonymiseStatus)

    # -- showing -------------------------------------------------------------------------------

    def loaded(self, result: SessionAnonymisation | tuple[str, dict[str, str]]) -> None:
        if not self.is_attached:  # left while analysing
            return
        self.query_one("#anon-lists").loading = False
        if isinstance(result, tuple):
            self.problem_key = result
            self.failed(self.tr(result[0], **result[1]))
            return
        self.found = result
        self.render_all()
        self.entities.focus()

    def failed(self, message: str) -> None:
        """Nothing to review (no linkage key, no transcript …): one line instead of the lists."""
        if not self.is_attached:
            return
        self.query_one("#anon-lists").loading = False
        self.problem = message.splitlines()[0] if message else ""
        label = self.query_one("#anon-message", Label)
        label.update(Content(self.problem))
        label.display = True
        for part in ("#anon-lists", "#anon-warnings", "#anon-preview"):
            self.query_one(part).display = False
        self.status.show(None, self.lang)

    def render_all(self) -> None:
        found = self.found
        if found is None:
            return
        keep = None
        if self.select_form is not None:
            wanted, self.select_form = self.select_form, None
            keep = next((o.entity_id for o in found.occurrences if form_key(o.text) == wanted), None)
        self.entities.show(found, self.lang, keep)
        self.render_occurrences()
        self.query_one(WarningTable).show(found, self.lang)
        self.query_one("#anon-warnings").display = bool(found.warnings) and not self.previewing
        self.status.show(found, self.lang)
        if self.previewing:
            self.render_preview()

    def render_occurrences(self) -> None:
        self.occurrences.show(self.found, self.entities.selected_key(), self.lang)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.entities:
            self.render_occurrences()

    def render_preview(self) -> None:
        found = self.found
        if found is not None:
            self.run_core(lambda: preview_text(found.anonymised()),
                          lambda text: self.query_one("#anon-preview-text", Static).update(Content(text)), busy=False)

    # -- what the keys act on --------------------------------------------------------------------

    def ready(self) -> bool:
        """True when there is something to decide on and no decision is being saved."""
        if self.problem is not None or self.found is None:
            self.notify(self.problem or self.tr("anonymise.loading"), severity="warning", markup=False)
            return False
        return not self.guard_busy()

    def selected_entity(self) -> Entity | None:
        if not self.ready():
            return None
        entity = self.found.map.entities.get(self.entities.selected_key() or "")  # type: ignore[union-attr]
        if entity is None:
            self.notify(self.tr("anonymise.no_entity"), severity="warning")
        return entity

    def selected_occurrence(self) -> Occurrence | None:
        if not self.ready():
            return None
        key = self.occurrences.selected_key()
        found = next((o for o in self.found.occurrences if o.key == key), None)  # type: ignore[union-attr]
        if found is None:
            self.notify(self.tr("anonymise.no_occurrence"), severity="warning")
        return found

    def apply(self, change: Callable[[Project, Session], Any], message: str | None = None) -> None:
        """Save one decision and analyse the session again, in a worker; then show the new state."""
        project, session = self.project, self.session

        def job() -> SessionAnonymisation:
            change(project, session)
            return review.analyse_session(project, session)

        def done(found: SessionAnonymisation) -> None:
            self.found = found
            self.render_all()
            if message:
                self.notify(message, markup=False)

        def failed(error: str) -> None:
            self.select_form = None
            self.status.show(self.found, self.lang)
            self.show_error(error.splitlines()[0] if error else error)

        self.status.show(self.found, self.lang, self.tr("anonymise.working"))
        self.run_core(job, done, failed)

    # -- the decisions -------------------------------------------------------------------------

    def decide_entity(self, status: str) -> None:
        entity = self.selected_entity()
        if entity is not None:
            self.apply(lambda p, s: review.decide(p, s, [entity.id], status))

    def action_accept_entity(self) -> None:
        self.decide_entity("accepted")

    def action_reject_entity(self) -> None:
        self.decide_entity("rejected")

    def action_ask_supervisor(self) -> None:
        self.decide_entity("ask")

    def action_relabel_entity(self) -> None:
        entity = self.selected_entity()
        if entity is None:
            return

        def chosen(label: str | None) -> None:
            if label is not None:
                self.apply(lambda p, s: review.relabel(p, entity.id, label))

        self.app.push_screen(LabelModal(entity.name, entity.label), chosen)

    def action_accept_pending(self) -> None:
        """Accept every entity of this session still pending (and occurrences left pending on their own)."""
        if not self.ready():
            return
        found = self.found
        assert found is not None
        ids = [entity.id for entity, _ in found.groups() if entity.status == "pending"]
        own = [o for o in found.occurrences if found.status(o) == "pending" and o.own_status is not None]
        if not ids and not own:
            self.notify(self.tr("anonymise.none_pending"))
            return

        def change(project: Project, session: Session) -> None:
            if ids:
                review.decide(project, session, ids, "accepted")
            if own:
                review.decide(project, session, sorted({o.entity_id for o in own}), "accepted",
                              occurrence_keys=[o.key for o in own])

        self.apply(change, self.tr("anonymise.accepted_all", count=len(ids) + len(own)))

    def action_decide_occurrence(self) -> None:
        """This occurrence only: accepted → rejected → ask → as its entity."""
        occurrence = self.selected_occurrence()
        if occurrence is None:
            return
        status, key = next_own_decision(self.found, occurrence), occurrence.key  # type: ignore[arg-type]
        self.apply(lambda p, s: review.decide(p, s, [occurrence.entity_id], status, occurrence_keys=[key]))

    def action_add_term(self) -> None:
        if not self.ready():
            return

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                kind, text = result
                self.select_form = form_key(text)
                self.apply(lambda p, s: review.add_term(p, kind, text), self.tr("anonymise.term_added", text=text))

        self.app.push_screen(AddTermModal(), chosen)

    def action_toggle_preview(self) -> None:
        if self.problem is not None or self.found is None:
            self.ready()  # says why not
            return
        self.previewing = not self.previewing
        self.query_one("#anon-lists").display = not self.previewing
        self.query_one("#anon-warnings").display = bool(self.found.warnings) and not self.previewing
        self.query_one("#anon-preview").display = self.previewing
        if self.previewing:
            self.render_preview()
            self.query_one("#anon-preview").focus()
        else:
            self.entities.focus()

    def action_back(self) -> None:
        if self.previewing:
            self.action_toggle_preview()
        elif not self.guard_busy():
            self.app.pop_screen()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _keys in ACTIONS:
            name = "close_anonymise" if action == "back" else f"anonymise_{action}"
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), getattr(self, f"action_{action}"))
