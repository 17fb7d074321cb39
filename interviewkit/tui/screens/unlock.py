"""Getting in: the open-project screen (type a folder) and the unlock screen (passphrase
or identity file; scrypt runs in a thread worker so the interface stays responsive)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, LoadingIndicator

from interviewkit.errors import InterviewkitError
from interviewkit.project import Credentials, Project, ProjectMarker
from interviewkit.tui.base import BaseScreen, localized


class OpenScreen(BaseScreen):
    """No project given: ask for its folder, check it is a project, then unlock it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="card", id="open-card"):
            yield localized(Label(classes="card-title"), content="open.title")
            yield localized(Label(), content="open.folder")
            yield localized(Input(id="folder"), placeholder="open.placeholder")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="open"), label="open.button")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.tr("open.title")
        self.query_one("#folder", Input).focus()

    def localize(self) -> None:
        super().localize()
        self.title = self.tr("open.title")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.open_folder()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "open":
            self.open_folder()

    def open_folder(self) -> None:
        error = self.query_one("#error", Label)
        text = self.query_one("#folder", Input).value.strip()
        if not text:
            error.update(self.tr("open.empty"))
            return
        root = Path(text).expanduser().absolute()
        try:
            ProjectMarker.read(root)  # one small plaintext file: no crypto, nothing written
        except InterviewkitError as exc:
            error.update(Content(str(exc)))
            return
        error.update("")
        self.app.switch_screen(UnlockScreen(root, back=True))


class UnlockScreen(BaseScreen):
    """Passphrase (masked) or identity file → ``Project.open`` in a thread worker."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, root: Path, credentials: Credentials | None = None, back: bool = False) -> None:
        super().__init__()
        self.root = Path(root)
        self.initial_credentials = credentials
        self.back = back

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="card", id="unlock-card"):
            yield localized(Label(classes="card-title"), content="unlock.title")
            yield localized(Label(id="project-path", markup=False), content=("unlock.project", {"path": str(self.root)}))
            yield localized(Label(), content="unlock.passphrase")
            yield localized(Input(password=True, id="passphrase"), placeholder="unlock.passphrase.placeholder")
            yield localized(Label(), content="unlock.identity")
            yield localized(Input(id="identity"), placeholder="unlock.identity.placeholder")
            with Horizontal(id="unlock-busy"):
                yield LoadingIndicator()
                yield localized(Label(), content="unlock.busy")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="unlock"), label="unlock.button")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.tr("unlock.title")
        self.set_busy(False)
        self.query_one("#passphrase", Input).focus()
        credentials = self.initial_credentials
        self.initial_credentials = None
        if credentials is not None and not credentials.empty:
            self.unlock(credentials)

    def localize(self) -> None:
        super().localize()
        self.title = self.tr("unlock.title")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.back
        return True

    def action_back(self) -> None:
        if self.back and not self.busy:
            self.app.switch_screen(OpenScreen())

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if not self.is_mounted:
            return
        self.query_one("#unlock-busy").display = busy
        for widget in self.query("#passphrase, #identity, #unlock"):
            widget.disabled = busy

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "unlock":
            self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        passphrase = self.query_one("#passphrase", Input).value
        identity = self.query_one("#identity", Input).value.strip()
        credentials = Credentials(passphrase=passphrase or None,
                                  identity_files=[Path(identity).expanduser()] if identity else [])
        if credentials.empty:
            self.query_one("#error", Label).update(self.tr("unlock.empty"))
            return
        self.unlock(credentials)

    def unlock(self, credentials: Credentials) -> None:
        self.query_one("#error", Label).update("")
        self.set_busy(True)
        # pyrage holds the GIL while it runs scrypt: the core runs it in a child process so
        # that this screen keeps redrawing (the spinner moves) while the worker waits.
        credentials = dataclasses.replace(credentials, unwrap_in_child=True)
        root = self.root
        self.run_core(lambda: Project.open(root, credentials), self.unlocked, self.failed)

    def unlocked(self, project: Project) -> None:
        self.app.open_project(project)  # type: ignore[attr-defined]

    def failed(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))
        passphrase = self.query_one("#passphrase", Input)
        passphrase.value = ""
        passphrase.focus()
