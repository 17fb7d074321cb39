"""The result of verifying the audit log: "N entries, no problems", or every problem found."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label

from interviewkit.project import SignedHead
from interviewkit.tui.base import BaseModal, localized


class AuditModal(BaseModal):
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, entries: int, problems: list[str], signed: SignedHead | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.problems = problems
        self.signed = signed  # what a steward notes, to see a rollback of the whole project later

    def compose(self) -> ComposeResult:
        if self.problems:
            summary = ("audit.problems", {"count": self.entries, "problems": len(self.problems)})
        else:
            summary = ("audit.ok", {"count": self.entries})
        with Vertical(classes="dialog wide", id="audit-dialog"):
            yield localized(Label(classes="dialog-title"), content="audit.title")
            yield localized(Label(id="audit-summary", classes="error" if self.problems else "ok"), content=summary)
            if self.problems:
                with VerticalScroll(id="audit-problems"):
                    for problem in self.problems:
                        yield Label(problem, classes="problem", markup=False)
            if self.signed is not None:
                yield localized(Label(id="audit-signed"), content=("audit.signed", {
                    "write": self.signed.write, "entry": self.signed.entry, "hash": self.signed.entry_hash[:16]}))
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="close"), label="common.close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
