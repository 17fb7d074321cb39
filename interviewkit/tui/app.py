"""The Textual app: thin.  Screens own their logic (``interviewkit.tui.screens``); the app
holds the language, picks the first screen, and keeps Textual from writing to disk."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import constants, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from interviewkit.errors import InterviewkitError
from interviewkit.i18n import other_language, resolve_language, save_language_setting, t
from interviewkit.project import Credentials, Project
from interviewkit.tui.base import localize_bindings
from interviewkit.tui.commands import InterviewkitCommands, PaletteCommand
from interviewkit.tui.errors import render_error

# Built-in palette commands we keep, by their English title, with our catalog key.
_SYSTEM_COMMANDS = {"Theme": "cmd.theme", "Keys": "cmd.keys", "Maximize": "cmd.maximize",
                    "Minimize": "cmd.minimize"}
# Built-in palette commands we drop: ours replace Quit; a screenshot would write study data to disk.
_DROPPED_COMMANDS = {"Quit", "Screenshot"}


def _keep_textual_off_disk() -> None:
    """Textual can log to a file (TEXTUAL_LOG), record every key press including the
    passphrase to ./keys.log (TEXTUAL_DEBUG) and save screenshots (TEXTUAL_SCREENSHOT).
    None of that may happen here: nothing is written to disk unencrypted."""
    constants.LOG_FILE = None  # type: ignore[misc]
    constants.DEBUG = False  # type: ignore[misc]
    constants.SCREENSHOT_DELAY = -1  # type: ignore[misc]


class InterviewkitApp(App[None]):
    """interviewkit's terminal interface."""

    CSS_PATH = "styles.tcss"
    TITLE = "interviewkit"
    COMMANDS = App.COMMANDS | {InterviewkitCommands}
    BINDINGS = [
        Binding("f2", "switch_language", "Norsk", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, root: Path | None = None, credentials: Credentials | None = None,
                 project: Project | None = None, language: str | None = None) -> None:
        _keep_textual_off_disk()
        self.language = resolve_language(language)  # before super(): screens made during init read it
        super().__init__()
        # No devtools connection either (TEXTUAL=devtools would send every log line out).
        self.devtools = None
        self._devtools_redirector = None
        self.features = frozenset(self.features - {"devtools", "debug"})
        self.root_path = Path(root) if root is not None else None
        self.credentials = credentials
        self.project = project
        localize_bindings(self, self.language)

    # -- screens -----------------------------------------------------------------------

    def on_mount(self) -> None:
        # Pushed (not the default screen) so that later screens can replace it with switch_screen.
        self.push_screen(self.first_screen())

    def first_screen(self) -> Screen:
        from interviewkit.tui.screens.home import HomeScreen
        from interviewkit.tui.screens.unlock import OpenScreen, UnlockScreen

        if self.project is not None:
            return HomeScreen(self.project)
        if self.root_path is not None:
            return UnlockScreen(self.root_path, self.credentials)
        return OpenScreen()

    def open_project(self, project: Project) -> None:
        """Called by the unlock screen once the project is unlocked."""
        from interviewkit.tui.screens.home import HomeScreen

        self.project = project
        self.switch_screen(HomeScreen(project))

    # -- language ----------------------------------------------------------------------

    def tr(self, key: str, /, **fmt: object) -> str:
        return t(key, self.language, **fmt)

    def action_switch_language(self) -> None:
        self.set_language(other_language(self.language))

    def set_language(self, lang: str, save: bool = True) -> None:
        """Re-render every screen in ``lang`` (text, tables, footer) and remember the choice."""
        self.language = lang
        localize_bindings(self, lang)
        for screen in self.screen_stack:
            localize = getattr(screen, "localize", None)
            if localize is not None:
                localize()
            screen.refresh_bindings()  # each screen's footer, also one behind a modal
        self.notify(self.tr("language.switched"))
        if save:
            self._save_language(lang)

    @work(thread=True, group="settings")
    def _save_language(self, lang: str) -> None:
        try:
            save_language_setting(lang)
        except InterviewkitError as error:
            message = self.tr("error.settings", message=render_error(error, self.language))
            self.call_from_thread(self.notify, message, severity="error", markup=False)

    # -- command palette ---------------------------------------------------------------

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(self.tr("cmd.language"), self.tr("cmd.language.help"), self.action_switch_language)
        yield PaletteCommand(self.tr("cmd.quit"), self.tr("cmd.quit.help"), self.exit)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title in _DROPPED_COMMANDS:
                continue
            key = _SYSTEM_COMMANDS.get(command.title)
            if key == "cmd.keys" and command.help.startswith("Hide"):
                key = "cmd.keys.hide"
            if key is not None:
                command = SystemCommand(self.tr(key), self.tr(f"{key}.help"), command.callback, command.discover)
            yield command

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=self.tr("palette.placeholder")))

    # -- nothing to disk -----------------------------------------------------------------

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify(self.tr("screenshot.disabled"), severity="warning")

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        self.notify(self.tr("screenshot.disabled"), severity="warning")
        return None

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        raise PermissionError(self.tr("screenshot.disabled"))


def run_tui(root: Path | None, credentials: Credentials | None = None, project: Project | None = None,
            language: str | None = None) -> None:
    """Start the terminal interface.

    ``project`` (already unlocked): open on the project home screen.  Else ``root``: the
    unlock screen for that folder (``credentials``, if not empty, are tried first).
    Else: a screen that asks for the project folder.  Raises ``InvalidInput`` for an
    unknown ``language``.
    """
    InterviewkitApp(root=root, credentials=credentials, project=project, language=language).run()
