"""Getting in: the open-project screen (type a folder, or make a new project), the new-project
screen (the fields of ``interviewkit init``; the same core call, ``Project.init``) and the unlock
screen (passphrase or identity file; scrypt runs in a thread worker so the interface stays
responsive)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, LoadingIndicator

from interviewkit.errors import InterviewkitError
from interviewkit.project import Credentials, Project, ProjectMarker, check_new_passphrase
from interviewkit.study import Approval, StudyInfo
from interviewkit.tui.base import BaseScreen, LocalizedSelect, localized
from interviewkit.tui.commands import PaletteCommand


class OpenScreen(BaseScreen):
    """No project given: ask for its folder, check it is a project, then unlock it; or make a
    new project (ctrl+n, the button, or the palette)."""

    BINDINGS = [Binding("ctrl+n", "new_project", "New project")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="card", id="open-card"):
            yield localized(Label(classes="card-title"), content="open.title")
            yield localized(Label(), content="open.folder")
            yield localized(Input(id="folder"), placeholder="open.placeholder")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="open"), label="open.button")
                yield localized(Button(id="new"), label="open.new")
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
        elif event.button.id == "new":
            self.action_new_project()

    def action_new_project(self) -> None:
        self.app.switch_screen(NewProjectScreen(self.query_one("#folder", Input).value.strip()))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(self.tr("cmd.new_project"), self.tr("cmd.new_project.help"), self.action_new_project)

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
            error.update(Content(self.error_text(exc)))
            return
        error.update("")
        self.app.switch_screen(UnlockScreen(root, back=True))


class NewProjectScreen(BaseScreen):
    """Create a project: the fields of ``interviewkit init`` (title, institution, Sikt reference,
    end date, access, passphrase twice, language), then ``Project.init`` in a thread worker."""

    DEFAULT_CSS = """
    NewProjectScreen { align-horizontal: center; }
    NewProjectScreen #new-card { height: 1fr; max-height: 100%; margin: 0; }
    NewProjectScreen #new-fields { height: 1fr; }
    NewProjectScreen #new-fields Label { margin-top: 0; }
    NewProjectScreen #new-busy { height: 1; display: none; }
    NewProjectScreen #new-busy LoadingIndicator { width: 10; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]
    FIELDS = (  # (input id, label key, placeholder key, password)
        ("folder", "new.folder", "new.folder.placeholder", False),
        ("title", "new.study_title", "new.study_title.placeholder", False),
        ("institution", "new.institution", "new.institution.placeholder", False),
        ("sikt", "new.sikt", "new.sikt.placeholder", False),
        ("end-date", "new.end_date", "new.end_date.placeholder", False),
        ("access", "new.access", "new.access.placeholder", False),
        ("passphrase", "new.passphrase", "new.passphrase.placeholder", True),
        ("repeat", "new.repeat", "new.repeat.placeholder", True),
    )
    LANGUAGES = ("nb", "nn", "en")

    def __init__(self, folder: str = "") -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="card", id="new-card"):
            yield localized(Label(classes="card-title"), content="new.title")
            with VerticalScroll(id="new-fields"):
                for name, label, placeholder, password in self.FIELDS:
                    yield localized(Label(), content=label)
                    value = self.folder if name == "folder" else ""
                    yield localized(Input(value, password=password, id=name), placeholder=placeholder)
                yield localized(Label(), content="new.language")
                yield LocalizedSelect([(f"lang.{code}", code) for code in self.LANGUAGES], id="language",
                                      allow_blank=False, value=self.LANGUAGES[0])
            with Horizontal(id="new-busy"):
                yield LoadingIndicator()
                yield localized(Label(), content="new.busy")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="primary", id="create"), label="new.create")
                yield localized(Button(id="back"), label="new.back")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.tr("new.title")
        self.query_one("#title" if self.folder else "#folder", Input).focus()

    def localize(self) -> None:
        super().localize()
        self.title = self.tr("new.title")

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            self.query_one("#new-busy").display = busy
            for widget in self.query("Input, Select, Button"):
                widget.disabled = busy

    def action_back(self) -> None:
        if not self.busy:
            self.app.switch_screen(OpenScreen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "create":
            self.create()
        elif event.button.id == "back":
            self.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.create()

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def create(self) -> None:
        if self.busy:
            return
        error = self.query_one("#error", Label)
        folder = self.value("folder").strip()
        if not folder:
            error.update(self.tr("new.empty_folder"))
            self.query_one("#folder", Input).focus()
            return
        passphrase = self.value("passphrase")
        if passphrase != self.value("repeat"):
            error.update(self.tr("new.passphrases_differ"))
            self.query_one("#repeat", Input).value = ""
            self.query_one("#repeat", Input).focus()
            return
        root = Path(folder).expanduser().absolute()
        sikt = self.value("sikt").strip()
        title, institution, end_date = self.value("title"), self.value("institution").strip(), self.value("end-date")
        access = [who.strip() for who in self.value("access").split(",") if who.strip()]
        language = str(self.query_one("#language", LocalizedSelect).value)

        def make() -> Project:
            check_new_passphrase(passphrase)
            study = StudyInfo(title=title.strip(), institution=institution, end_date=end_date.strip() or None,
                              approvals=[Approval("sikt", sikt)] if sikt else [], access=access, language=language)
            return Project.init(root, study, passphrase)

        error.update("")
        self.run_core(make, self.created, self.failed)

    def created(self, project: Project) -> None:
        self.app.notify(self.tr("new.created", title=project.index.study.title), markup=False)
        self.app.open_project(project)  # type: ignore[attr-defined]

    def failed(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))


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
