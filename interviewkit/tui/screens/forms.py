"""Modal forms that change the project: add or edit a session, add or edit a participant,
withdraw one, and a yes/no confirmation.  Each runs its core call in a thread worker, stays open with
the error shown if the core refuses, and dismisses with a message once saved."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Footer, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from interviewkit import consent, sessions
from interviewkit.consent import CONSENT_ITEMS, CONSENT_MODES, ROLES
from interviewkit.errors import IdentityError
from interviewkit.project import Project
from interviewkit.sessions import SESSION_KINDS
from interviewkit.tui.base import BaseModal, LocalizedSelect, localized


class FormModal(BaseModal):
    """A dialog with an error line and Save/Cancel buttons; subclasses implement ``save``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    SAVE_KEY = "common.save"

    def buttons(self) -> ComposeResult:
        yield Label(id="error", classes="error", markup=False)
        with Horizontal(classes="buttons"):
            yield localized(Button(variant="primary", id="save"), label=self.SAVE_KEY)
            yield localized(Button(id="cancel"), label="common.cancel")

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            for button in self.query(Button):
                button.disabled = busy
            if busy:
                self.query_one("#error", Label).update(self.tr("common.working"))

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if not self.busy:
            self.save()

    def save(self) -> None:
        raise NotImplementedError

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value == Select.NULL else str(value)


class AddSessionModal(FormModal):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="session-dialog"):
            yield localized(Label(classes="dialog-title"), content="session.title")
            yield localized(Label(), content="session.id")
            yield localized(Input(id="session-id"), placeholder="session.id.placeholder")
            yield localized(Label(), content="session.kind")
            yield LocalizedSelect([(f"kind.{k}", k) for k in SESSION_KINDS], id="session-kind",
                                  allow_blank=False, value=SESSION_KINDS[0])
            yield localized(Label(), content="session.date")
            yield localized(Input(id="session-date"), placeholder="session.date.placeholder")
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#session-id", Input).focus()

    def save(self) -> None:
        project, session_id = self.project, self.value("#session-id")
        kind, date = self.choice("#session-kind") or SESSION_KINDS[0], self.value("#session-date") or None
        self.run_core(lambda: sessions.add_session(project, session_id, kind=kind, date=date),
                      lambda session: self.dismiss(self.tr("session.added", id=session.id)))


class AddParticipantModal(FormModal):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        def field(label_key: str, widget: Any) -> ComposeResult:
            yield localized(Label(classes="field-label"), content=label_key)
            yield widget

        session_choices = [(s.id, s.id) for s in self.project.index.sessions]
        with Vertical(classes="dialog wide", id="participant-dialog"):
            yield localized(Label(classes="dialog-title"), content="participant.title")
            with VerticalScroll(classes="form-body"):
                with Grid(classes="form-grid"):
                    yield from field("participant.code",
                                     localized(Input(id="code"), placeholder="participant.code.placeholder"))
                    yield from field("participant.role",
                                     LocalizedSelect([(f"role.{r}", r) for r in ROLES], id="role",
                                                     allow_blank=False, value=ROLES[0]))
                    yield from field("participant.name",
                                     localized(Input(id="name"), placeholder="participant.name.placeholder"))
                    yield from field("participant.contact",
                                     localized(Input(id="contact"), placeholder="participant.contact.placeholder"))
                    yield from field("participant.session",
                                     LocalizedSelect(session_choices, id="session", translate=False,
                                                     prompt_key="participant.session.none"))
                    yield from field("participant.mode",
                                     LocalizedSelect([(f"mode.{m}", m) for m in CONSENT_MODES], id="mode",
                                                     allow_blank=False, value=CONSENT_MODES[0]))
                    yield from field("participant.form_version",
                                     localized(Input(id="form-version"),
                                               placeholder="participant.form_version.placeholder"))
                    yield from field("participant.date",
                                     localized(Input(id="date"), placeholder="participant.date.placeholder"))
                    yield from field("participant.obtained_by",
                                     localized(Input(id="obtained-by"),
                                               placeholder="participant.obtained_by.placeholder"))
                yield localized(Label(classes="field-label"), content="participant.consent")
                with Grid(classes="consent-items"):
                    for item in CONSENT_ITEMS:
                        yield localized(Checkbox(id=f"item-{item}"), label=f"item.{item}")
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    def save(self) -> None:
        project = self.project
        code, name, contact = self.value("#code"), self.value("#name"), self.value("#contact")
        role = self.choice("#role") or ROLES[0]
        mode = self.choice("#mode") or CONSENT_MODES[0]
        session = self.choice("#session")
        items = [item for item in CONSENT_ITEMS if self.query_one(f"#item-{item}", Checkbox).value]
        form_version, date = self.value("#form-version"), self.value("#date") or None
        obtained_by = self.value("#obtained-by")

        def add() -> consent.Participant:
            return consent.add_participant(project, code, name, role=role, consent_items=items, contact=contact,
                                           sessions=[session] if session else [], form_version=form_version,
                                           mode=mode, date=date, obtained_by=obtained_by)

        self.run_core(add, lambda participant: self.dismiss(self.tr("participant.added", code=participant.code)))


class WithdrawModal(FormModal):
    """Withdraw one participant; the user must type the code to confirm."""

    SAVE_KEY = "withdraw.button"

    def __init__(self, project: Project, code: str) -> None:
        super().__init__()
        self.project = project
        self.code = code

    def compose(self) -> ComposeResult:
        code = {"code": self.code}
        with Vertical(classes="dialog", id="withdraw-dialog"):
            yield localized(Label(classes="dialog-title", markup=False), content=("withdraw.title", code))
            yield localized(Label(classes="explain", markup=False), content=("withdraw.explain", code))
            yield localized(Label(markup=False), content=("withdraw.prompt", code))
            yield Input(id="confirm-code")
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#save", Button).variant = "error"
        self.query_one("#save", Button).disabled = True
        self.query_one("#confirm-code", Input).focus()

    def confirmed(self) -> bool:
        return self.value("#confirm-code") == self.code

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#save", Button).disabled = self.busy or not self.confirmed()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted and not busy:
            self.query_one("#save", Button).disabled = not self.confirmed()

    def save(self) -> None:
        if not self.confirmed():
            return
        from interviewkit.archive.erasure import Withdrawal, withdraw

        project, code = self.project, self.code

        def done(withdrawal: Withdrawal) -> None:
            check = withdrawal.check
            said = [self.tr("withdraw.done", code=withdrawal.participant.code),
                    self.tr("withdraw.checked", files=check.checked) if check.clean else
                    self.tr("withdraw.found", count=len(check.found), paths=", ".join(check.found))]
            if check.unreadable:
                said.append(self.tr("withdraw.unchecked", count=len(check.unreadable)))
            self.dismiss(" ".join(said))

        self.run_core(lambda: withdraw(project, code), done)


class ConfirmModal(BaseModal):
    """Yes or no; dismisses with True or False."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, message_key: str, **fmt: object) -> None:
        super().__init__()
        self.message_key = message_key
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield localized(Label(classes="explain", markup=False), content=(self.message_key, self.fmt))
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="error", id="yes"), label="common.yes")
                yield localized(Button(id="no"), label="common.no")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class EditSessionModal(FormModal):
    """Correct a session's id, kind or date (``sessions.edit_session``)."""

    def __init__(self, project: Project, session: sessions.Session) -> None:
        super().__init__()
        self.project = project
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        with Vertical(classes="dialog", id="edit-session-dialog"):
            yield localized(Label(classes="dialog-title", markup=False),
                            content=("records.session.title", {"id": session.id}))
            yield localized(Label(classes="explain"), content="records.session.explain")
            with Grid(classes="form-grid"):
                yield localized(Label(classes="field-label"), content="session.id")
                yield localized(Input(session.id, id="session-id"), placeholder="session.id.placeholder")
                yield localized(Label(classes="field-label"), content="session.kind")
                yield LocalizedSelect([(f"kind.{k}", k) for k in SESSION_KINDS], id="session-kind",
                                      allow_blank=False, value=session.kind)
                yield localized(Label(classes="field-label"), content="session.date")
                yield localized(Input(session.date or "", id="session-date"),
                                placeholder="session.date.placeholder")
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#session-id", Input).focus()

    def save(self) -> None:
        project, current = self.project, self.session.id
        edit = sessions.SessionEdit(id=self.value("#session-id"), kind=self.choice("#session-kind") or SESSION_KINDS[0],
                                    date=self.value("#session-date") or None)

        def done(result: tuple[sessions.Session, list[str]]) -> None:
            session, changed = result
            self.dismiss(self.tr("records.session.edited", id=session.id) if changed
                         else self.tr("records.nothing_changed"))

        self.run_core(lambda: sessions.edit_session(project, current, edit), done)


class EditParticipantModal(FormModal):
    """Give or revoke consent items one by one, change role, sessions, name and contact
    (``consent.edit_participant``: each consent change dated and in the audit log)."""

    def __init__(self, project: Project, participant: consent.Participant) -> None:
        super().__init__()
        self.project = project
        self.participant = participant
        self.linkage_open: bool | None = None  # None until the linkage key was read
        self.known_name = ""  # as the linkage key holds them, once read
        self.known_contact = ""

    def compose(self) -> ComposeResult:
        def field(label_key: str, widget: Any) -> ComposeResult:
            yield localized(Label(classes="field-label"), content=label_key)
            yield widget

        person = self.participant
        with Vertical(classes="dialog wide", id="edit-participant-dialog"):
            yield localized(Label(classes="dialog-title", markup=False),
                            content=("records.participant.title", {"code": person.code}))
            with VerticalScroll(classes="form-body"):
                yield localized(Label(classes="field-label"), content="participant.consent")
                with Grid(classes="consent-items"):
                    for item in CONSENT_ITEMS:
                        yield localized(Checkbox(value=bool(person.consent.items.get(item)), id=f"item-{item}"),
                                        label=f"item.{item}")
                yield localized(Label(classes="explain"), content="records.participant.audio_warning")
                with Grid(classes="form-grid"):
                    yield from field("participant.date",
                                     localized(Input(id="consent-date"), placeholder="participant.date.placeholder"))
                    yield from field("participant.role",
                                     LocalizedSelect([(f"role.{r}", r) for r in ROLES], id="role",
                                                     allow_blank=False, value=person.role))
                    yield from field("participant.name",
                                     localized(Input(id="name", disabled=True),
                                               placeholder="participant.name.placeholder"))
                    yield from field("participant.contact",
                                     localized(Input(id="contact", disabled=True),
                                               placeholder="participant.contact.placeholder"))
                closed = localized(Label(id="linkage-closed", classes="explain"),
                                   content="records.participant.linkage_closed")
                closed.display = False
                yield closed
                yield localized(Label(classes="field-label"), content="records.participant.sessions")
                if self.project.index.sessions:
                    with Grid(classes="consent-items", id="sessions"):
                        for number, session in enumerate(self.project.index.sessions):
                            yield Checkbox(session.id, value=session.key in person.sessions,
                                           id=f"session-{number}")
                else:
                    yield localized(Label(), content="records.participant.no_sessions")
                yield localized(Label(classes="field-label"), content="records.participant.history")
                yield Label(self.history_text(), id="history", markup=False)
            yield from self.buttons()
        yield Footer()

    def history_text(self) -> str:
        history = self.participant.consent.history
        if not history:
            return self.tr("records.participant.history.none")
        return "\n".join(self.tr("records.history.given" if change.given else "records.history.revoked",
                                 date=change.date, item=self.tr(f"item.{change.item}"), by=change.recorded_by)
                         for change in history)

    def localize(self) -> None:
        super().localize()
        if self.is_mounted:
            self.query_one("#history", Label).update(Content(self.history_text()))

    def on_mount(self) -> None:
        # Room for the buttons on a small terminal (80×24): the form scrolls instead.
        self.query_one(".form-body").styles.max_height = "45vh"
        self.query_one(f"#item-{CONSENT_ITEMS[0]}", Checkbox).focus()
        project, person_id = self.project, self.participant.id

        def read() -> tuple[str, str] | None:
            try:
                entry = project.linkage().entries.get(person_id)
            except IdentityError:  # this key may not read names
                return None
            return (entry.name, entry.contact) if entry is not None else ("", "")

        self.run_core(read, self.linkage_read, busy=False)

    def linkage_read(self, entry: tuple[str, str] | None) -> None:
        self.linkage_open = entry is not None
        self.query_one("#linkage-closed").display = entry is None
        if entry is not None:
            self.known_name, self.known_contact = entry
            for selector, value in (("#name", self.known_name), ("#contact", self.known_contact)):
                widget = self.query_one(selector, Input)
                widget.value = value
                widget.disabled = False

    def edit(self) -> consent.ParticipantEdit:
        person = self.participant
        ticked = {item: self.query_one(f"#item-{item}", Checkbox).value for item in CONSENT_ITEMS}
        give = [item for item in CONSENT_ITEMS if ticked[item] and not person.consent.items.get(item)]
        revoke = [item for item in CONSENT_ITEMS if not ticked[item] and person.consent.items.get(item)]
        add, remove = [], []
        for number, session in enumerate(self.project.index.sessions):
            chosen = self.query_one(f"#session-{number}", Checkbox).value
            if chosen and session.key not in person.sessions:
                add.append(session.id)
            elif not chosen and session.key in person.sessions:
                remove.append(session.id)
        role = self.choice("#role")
        edit = consent.ParticipantEdit(give=give, revoke=revoke, date=self.value("#consent-date") or None,
                                       role=role if role != person.role else None,
                                       add_sessions=add, remove_sessions=remove)
        if self.linkage_open:
            name, contact = self.value("#name"), self.value("#contact")
            edit.name = name if name != self.known_name else None
            edit.contact = contact if contact != self.known_contact else None
        return edit

    def save(self) -> None:
        project, code, edit = self.project, self.participant.code, self.edit()
        if edit.empty():
            self.dismiss(self.tr("records.nothing_changed"))
            return
        self.run_core(lambda: consent.edit_participant(project, code, edit), self.saved)

    def saved(self, result: consent.ParticipantEdited) -> None:
        def items(given: bool) -> str:
            return ", ".join(self.tr(f"item.{c.item}") for c in result.consent if c.given == given)

        changes = []
        if items(True):
            changes.append(self.tr("records.change.gave", items=items(True)))
        if items(False):
            changes.append(self.tr("records.change.revoked", items=items(False)))
        if result.fields:
            fields = ", ".join(self.tr(f"records.field.{f}") for f in result.fields)
            changes.append(self.tr("records.change.fields", fields=fields))
        if not changes:
            self.dismiss(self.tr("records.nothing_changed"))
            return
        self.dismiss(self.tr("records.participant.edited", code=result.participant.code, changes="; ".join(changes)))


class ChooseParticipantModal(BaseModal):
    """Pick one of the given participants (code and role); dismisses with its code, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, participants: list[consent.Participant], title_key: str) -> None:
        super().__init__()
        self.participants = participants
        self.title_key = title_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choose-participant-dialog"):
            yield localized(Label(classes="dialog-title", markup=False), content=self.title_key)
            yield OptionList(*(Option(f"{p.code}  {self.tr('role.' + p.role) if p.role else ''}".rstrip(), id=p.code)
                               for p in self.participants), id="choose-participant")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#choose-participant", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
