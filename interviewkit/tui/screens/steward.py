"""The data steward's desk over a folder of projects, as ``interviewkit archive …`` is for the CLI:
the archive folder and the steward's age identity file (else the keys the app was started with),
then five views: Status, Verify (with a progress bar), Due (``a`` carries the deletions out after a
typed confirmation), Keys (a recipient added or removed everywhere) and the processing record of the
project selected in Status (``r``; ``ctrl+s`` saves it).  Core calls run in thread workers; a
problem is one line.  Verifying only reads: Escape may leave while it runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.content import Content
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Markdown,
    ProgressBar,
    TabbedContent,
)

from interviewkit.project import Credentials, Project
from interviewkit.i18n import t
from interviewkit.tui.base import BaseScreen, LocalizedSelect, current_language
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.widgets import steward_panels as panels
from interviewkit.tui.widgets.steward_panels import TABS, relative

# (action, key), in footer and palette order; actions without a key are buttons and palette commands.
ACTIONS = (("verify_archive", "v"), ("apply_due", "a"), ("show_report", "r"), ("save_report", "ctrl+s"),
           ("steward_reload", "f5"), ("add_key", ""), ("remove_key", ""), ("back", "escape"))
RUNNING = ("#steward-verify-running", "#steward-keys-running")
VIEW_KEYS = tuple(str(n) for n in range(1, len(TABS) + 1))  # 1–5: the views, one group in the footer


def today() -> dt.date:
    return dt.date.today()


class StewardScreen(BaseScreen):
    DEFAULT_CSS = """
    StewardScreen Footer.-compact FooterLabel { margin: 0 1 0 0; }
    """
    BINDINGS = [*(Binding(key, f"show_tab('{tab}')", tab, group=Binding.Group("views", compact=True))
                  for key, tab in zip(VIEW_KEYS, TABS, strict=True)),
                *(Binding(key, action, action.replace("_", " "), show=action != "back")
                  for action, key in ACTIONS if key)]

    def __init__(self, project: Project | None = None, folder: Path | None = None) -> None:
        super().__init__()
        self.localize_view_keys(current_language())
        self.folder = folder or (project.root.parent if project is not None else Path.cwd())
        self.root: Path | None = None              # the archive of the views shown …
        self.credentials: Credentials | None = None  # … and the keys it was opened with
        self.results: dict[str, Any] = {}          # what the views show (kept to show it in another language)
        self.generation = 0                        # only the latest load is shown
        self.verifying = False
        self.report: tuple[str, Path, str] | None = None  # (project as shown, its folder, Markdown)
        self.message: tuple[str, dict[str, Any]] = ("", {})  # the line under the fields
        self.last_post = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield from panels.compose_setup(self.folder)
        yield Label(id="steward-message", classes="error", markup=False)
        yield from panels.compose_views()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for part in (*RUNNING, "#steward-report-save"):
            self.query_one(part).display = False
        self.render_all()
        if self.app_credentials() is not None:
            self.action_steward_reload()
        else:
            self.show_message("steward.give_identity")
            self.query_one("#steward-identity", Input).focus()

    def localize(self) -> None:
        super().localize()
        self.localize_view_keys(self.lang)
        self.render_all()
        self.show_message(self.message[0], **self.message[1])

    def localize_view_keys(self, lang: str) -> None:
        """The footer's group of view keys (1–5) under one translated word (``localize_bindings``
        translates each binding's own description, not its group's)."""
        group = Binding.Group(t("steward.views", lang), compact=True)
        self._bindings = BindingsMap.from_keys(
            {key: [dataclasses.replace(b, group=group) if key in VIEW_KEYS else b for b in bindings]
             for key, bindings in self._bindings.key_to_bindings.items()})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Save record is in the footer once there is a record to save (the footer has little room)."""
        return self.report is not None if action == "save_report" else True

    def on_resize(self) -> None:
        self.render_all()  # the status table keeps the columns that fit

    def render_all(self) -> None:
        self.title = self.tr("steward.title")
        self.sub_title = str(self.root or "")
        panels.render_views(self, self.results, self.root or self.folder, self.lang)

    def show_message(self, key: str = "", **fmt: Any) -> None:
        """One line under the fields: a catalog key, or with ``line=`` a line as it is (an error)."""
        self.message = (key, dict(fmt))
        line = fmt.pop("line", None)
        text = line.splitlines()[0] if line else self.tr(key, **fmt) if key else ""
        self.query_one("#steward-message", Label).update(Content(text))

    def show_error(self, message: str) -> None:
        self.show_message(line=message)

    def action_show_tab(self, tab: str) -> None:
        """Show a view and focus its main part (TabbedContent shows the view that holds the focus)."""
        self.query_one(TabbedContent).active = f"steward-tab-{tab}"
        self.query_one(panels.FOCUS[tab]).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        {"steward-key": self.action_add_key, "steward-report-path": self.action_save_report}.get(
            event.input.id or "", self.action_steward_reload)()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"steward-open": self.action_steward_reload, "steward-add": self.action_add_key,
                  "steward-remove": self.action_remove_key}.get(event.button.id or "")
        if action is not None:
            action()

    # -- opening the archive ------------------------------------------------------------------------

    def app_credentials(self) -> Credentials | None:
        credentials = getattr(self.app, "credentials", None)
        if credentials is None or credentials.empty:
            return None
        return dataclasses.replace(credentials, unwrap_in_child=True)  # scrypt off this process

    def action_steward_reload(self) -> None:
        folder = self.query_one("#steward-folder", Input).value.strip()
        identity = self.query_one("#steward-identity", Input).value.strip()
        credentials = (Credentials(identity_files=[Path(identity).expanduser().absolute()]) if identity
                       else self.app_credentials())
        if not folder:
            self.show_message("steward.no_folder")
        elif credentials is None:
            self.show_message("steward.give_identity")
        elif not self.guard_busy():
            self.load(Path(folder).expanduser().absolute(), credentials)

    def load(self, root: Path, credentials: Credentials) -> None:
        """Read the status and the due actions of every project (in a worker)."""
        self.generation += 1
        generation, day = self.generation, today()
        self.show_message("steward.loading")
        for table in ("#steward-status", "#steward-due"):
            self.query_one(table).loading = True
        self.run_core(lambda: panels.load_archive(root, credentials, day),
                      lambda result: self.loaded(generation, root, credentials, result),
                      lambda message: self.loaded(generation, root, credentials, None, message), busy=False)

    def loaded(self, generation: int, root: Path, credentials: Credentials, result: dict[str, Any] | None,
               error: str = "") -> None:
        if generation != self.generation or not self.is_attached:
            return
        for table in ("#steward-status", "#steward-due"):
            self.query_one(table).loading = False
        if result is None:
            self.show_message(line=error)
            return
        first = root != self.root
        if first:  # another archive: what the other views showed no longer applies
            self.results, self.report = {}, None
            self.query_one("#steward-report-save").display = False
            self.refresh_bindings()
            self.query_one("#steward-report", Markdown).update("")
        self.root, self.credentials = root, credentials
        self.results.update(result)
        self.render_all()
        self.show_message("steward.loaded", count=len(result["status"]))
        if first:
            self.action_show_tab("status")

    def reload_opened(self) -> None:
        if self.is_attached and self.root is not None and self.credentials is not None:
            self.load(self.root, self.credentials)

    def opened(self, writes: bool = False) -> tuple[Path, Credentials] | None:
        """The archive shown and its keys, or None (and why) when none is open or a task runs."""
        if self.root is None or self.credentials is None:
            self.show_message("steward.not_open")
            return None
        if writes and self.verifying:
            self.notify(self.tr("steward.wait_verify"), severity="warning")
            return None
        return None if self.guard_busy() else (self.root, self.credentials)

    def post_progress(self, bar: str, done: int, total: int, project: str = "") -> None:
        """From the worker thread: at most ten updates a second (and the last)."""
        now = time.monotonic()
        if done >= total or now - self.last_post >= 0.1:
            self.last_post = now
            self.post_message(panels.StewardProgress(bar, done, total, project))  # dropped once the screen is gone

    def on_steward_progress(self, message: panels.StewardProgress) -> None:
        if message.project:
            self.query_one("#steward-keys-project", Label).update(Content(message.project))
        self.query_one(f"#steward-{message.bar}-progress", ProgressBar).update(total=max(message.total, 1),
                                                                               progress=message.done)

    def start(self, running: str) -> None:
        self.query_one(running).display = True
        self.query_one(f"{running.removesuffix('-running')}-progress", ProgressBar).update(total=None, progress=0)

    def finished(self, result_name: str, result: Any = None, error: str = "") -> bool:
        """A task's end: hide its progress, keep its result or show its error; False if the screen is gone."""
        if not self.is_attached:
            return False
        for part in RUNNING:
            if result_name in part:
                self.query_one(part).display = False
        if error:
            self.show_message(line=error)
        else:
            self.results[result_name] = result
            self.render_all()
        return True

    # -- verify ---------------------------------------------------------------------------------

    def action_verify_archive(self) -> None:
        from interviewkit.archive.verify import verify_archive

        opened = None if self.verifying else self.opened()
        if opened is None:
            return
        root, credentials = opened
        self.action_show_tab("verify")
        self.verifying = True
        self.start("#steward-verify-running")
        progress = lambda done, total: self.post_progress("verify", done, total)
        self.run_core(lambda: verify_archive(root, credentials, progress=progress),
                      lambda results: self.verify_done(results), lambda error: self.verify_done(None, error),
                      busy=False)

    def verify_done(self, results: dict[Path, list[Any]] | None, error: str = "") -> None:
        self.verifying = False
        self.finished("verify", results, error)

    # -- due: carrying out the deletions --------------------------------------------------------

    def action_apply_due(self) -> None:
        opened = self.opened(writes=True)
        if opened is None:
            return
        self.action_show_tab("due")
        found = panels.doable(list(self.results.get("due", ([], []))[0]))
        if not found:  # nothing due, or nothing these keys can carry out: the view says why
            self.show_message("steward.due.none_doable" if self.results.get("due", ([], []))[0] else "steward.due.none")
            return
        unreviewed_ok, day, lang = self.query_one("#steward-unreviewed", Checkbox).value, today(), self.lang

        def confirmed(yes: bool | None) -> None:
            if not yes:
                self.show_message("steward.apply.not_confirmed")
                return
            self.show_message("steward.applying")
            self.run_core(lambda: panels.apply_confirmed(*opened, found, day, unreviewed_ok, lang), self.applied)

        self.app.push_screen(panels.ConfirmDeleteModal(len(found)), confirmed)

    def applied(self, results: list[panels.Applied]) -> None:
        self.notify(self.tr("steward.apply.notify", done=sum(r.done for r in results), count=len(results)))
        if self.finished("applied", results):
            self.reload_opened()

    # -- keys -----------------------------------------------------------------------------------

    def key_change(self, remove: bool) -> Callable[[], list[Any]] | None:
        """The change of recipients the Keys view asks for, as a job (None: why not is shown)."""
        key = self.query_one("#steward-key", Input).value.strip()
        opened = self.opened(writes=True)
        if opened is not None and not key:
            self.show_message("steward.keys.empty")
        if opened is None or not key:
            return None
        root, credentials = opened
        scope = str(self.query_one("#steward-scope", LocalizedSelect).value)
        return lambda: panels.change_recipients(root, credentials, key, scope, remove, lambda path, done, total:
                                                self.post_progress("keys", done, total, relative(path, root)))

    def run_keys(self, job: Callable[[], list[Any]]) -> None:
        self.action_show_tab("keys")
        self.show_message("")
        self.start("#steward-keys-running")
        self.run_core(job, self.keys_done, lambda error: self.finished("keys", error=error))

    def keys_done(self, outcomes: list[Any]) -> None:
        if self.finished("keys", outcomes):
            self.query_one("#steward-key", Input).value = ""
            self.reload_opened()  # the recipients in Status changed

    def action_add_key(self) -> None:
        job = self.key_change(remove=False)
        if job is not None:
            self.run_keys(job)

    def action_remove_key(self) -> None:
        from interviewkit.tui.screens.forms import ConfirmModal

        job = self.key_change(remove=True)
        if job is not None:
            key = self.query_one("#steward-key", Input).value.strip()
            self.app.push_screen(ConfirmModal("steward.keys.confirm_remove", key=key),
                                 lambda yes: self.run_keys(job) if yes else None)

    # -- the processing record ------------------------------------------------------------------

    def action_show_report(self) -> None:
        opened = self.opened()
        if opened is None:
            return
        root, credentials = opened
        selected = panels.selected_row(self.query_one("#steward-status", DataTable))
        path = Path(selected) if selected else None
        if path is None:
            self.show_message("steward.report.select")
            return
        day, lang = today(), self.lang
        self.show_message("steward.report.loading")
        self.run_core(lambda: panels.record_of(path, credentials, day, lang),
                      lambda text: self.report_ready((relative(path, root), path, text)), busy=False)

    def report_ready(self, report: tuple[str, Path, str]) -> None:
        from interviewkit.tui.screens.export import default_folder

        if not self.is_attached:
            return
        self.report = name, path, text = report
        self.query_one("#steward-report", Markdown).update(text)
        self.query_one("#steward-report-path", Input).value = str(
            default_folder(path) / f"{self.tr('steward.report.file')}-{path.name}.md")
        self.query_one("#steward-report-save").display = True
        self.refresh_bindings()  # Save record joins the footer
        self.show_message("steward.report.shown", project=name)
        self.action_show_tab("report")

    def action_save_report(self) -> None:
        target = self.query_one("#steward-report-path", Input).value.strip()
        if self.report is None:
            self.show_message("steward.report.none")
        elif not target:
            self.show_message("steward.report.no_path")
        else:
            self.save_report(Path(target).expanduser(), self.report[2], overwrite=False)

    def save_report(self, output: Path, text: str, overwrite: bool) -> None:
        """Save under the output rule: never in a project folder; a file already there only after a yes."""
        from interviewkit.errors import InterviewkitError
        from interviewkit.export.output import OutputExists, check_output
        from interviewkit.tui.screens.forms import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_report(output, text, overwrite=True)
            else:
                self.show_message("steward.report.kept")

        try:
            check_output([output], overwrite)
        except OutputExists:
            self.app.push_screen(ConfirmModal("steward.report.overwrite", path=str(output)), answered)
            return
        except InterviewkitError as error:
            self.show_error(self.error_text(error))
            return
        self.run_core(lambda: panels.write_text(output, text, overwrite),
                      lambda path: self.show_message("steward.report.saved", path=str(path)), busy=False)

    # -- leaving --------------------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.guard_busy():  # a verification may go on: it only reads
            self.app.pop_screen()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _key in ACTIONS:
            name = "close_steward" if action == "back" else action
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), getattr(self, f"action_{action}"))
        for tab in TABS:
            yield PaletteCommand(self.tr("cmd.steward_tab", view=self.tr(f"steward.tab.{tab}")),
                                 self.tr("cmd.steward_tab.help"), lambda tab=tab: self.action_show_tab(tab))
