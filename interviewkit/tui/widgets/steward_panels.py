"""The parts of the steward screen: its layout (the archive fields and five views), how each view
is filled from the core's results (``interviewkit.archive``), the core calls its workers make, and
the typed confirmation of deletions.

Everything shown comes from what the core already reduced to counts, keys and one-line problems:
no participant is named.  Projects are shown by their path inside the archive folder.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Markdown,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.data_table import CellDoesNotExist

from interviewkit.archive.discovery import ArchiveProject
from interviewkit.archive.rekey import ProjectOutcome
from interviewkit.archive.retention import RetentionAction
from interviewkit.archive.status import CONSENT_STATES, ProjectStatus
from interviewkit.archive.verify import VerifyProblem
from interviewkit.errors import InterviewkitError, InvalidInput
from interviewkit.i18n import format_number, t
from interviewkit.project import Credentials
from interviewkit.recipients import SCOPES
from interviewkit.tui.base import LocalizedSelect, localized
from interviewkit.tui.errors import render_error, without_cli
from interviewkit.tui.screens.audio_import import PathSuggester
from interviewkit.tui.widgets.export_panels import ConfirmWordModal

TABS = ("status", "verify", "due", "keys", "report")
FOCUS = {"status": "#steward-status", "verify": "#steward-verify", "due": "#steward-due", "keys": "#steward-key",
         "report": "#steward-report-scroll"}  # what each view focuses when shown
TITLE_WIDTH = 30  # a longer title (or a problem) is cut in the table; the notes below have it whole
STATUS_COLUMNS = ("project", "title", "responsible", "approval", "end", "sessions", "consent", "audio",
                  "transcripts", "names", "next")
# What a narrow terminal keeps: these always (Next wraps if it must) …
STATUS_ALWAYS = ("project", "names", "next")
# … then these, most important first, while they fit; the others are left out (and named below the table).
STATUS_OPTIONAL = ("title", "end", "approval", "consent", "audio", "transcripts", "sessions", "responsible")
CELL_PADDING = 2     # a DataTable cell's padding, left and right
NEXT_MIN_WIDTH = 20  # Next wraps onto more lines rather than getting narrower than this
TABLE_MARGIN = 4     # the view's padding and the table's scroll bar
DueEntry = tuple[ArchiveProject, RetentionAction]


def relative(path: Path, root: Path) -> str:
    """A project as shown: its path inside the archive folder (its name when it is the folder)."""
    try:
        return str(Path(path).relative_to(root)) if Path(path) != root else Path(path).name
    except ValueError:
        return str(path)


def shorten(text: str, root: Path) -> str:
    """A core line with the archive folder left out of its paths (one line), and without the CLI's
    flags and commands (a core text written for the CLI: ``interviewkit.tui.errors.without_cli``)."""
    return without_cli(" ".join(str(text).replace(f"{root}{os.sep}", "").split()))


def selected_row(table: DataTable) -> str | None:
    """The key of the row under the cursor (None: the table is empty)."""
    try:
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    except CellDoesNotExist:
        return None


def _header(table: DataTable, keys: Sequence[str], lang: str, widths: dict[str, int] | None = None) -> None:
    table.clear(columns=True)
    for key in keys:
        table.add_column(t(f"steward.col.{key}", lang), key=key, width=(widths or {}).get(key))


# -- status -------------------------------------------------------------------------------------

def _status_cells(row: ProjectStatus, root: Path, lang: str) -> dict[str, Text]:
    """A project's cells by column; one that cannot be opened has its problem under Title."""
    if row.problem:
        return {"project": Text(relative(row.path, root)), "title": Text(shorten(row.problem, root), style="red")}
    names = {True: t("steward.names.yes", lang), False: t("steward.names.destroyed", lang), None: "?"}
    approval = Text(", ".join(row.approvals) or t("steward.missing", lang), style="" if row.approvals else "bold red")
    return {"project": Text(relative(row.path, root)), "title": Text(row.title),
            "responsible": Text(row.responsible or "–"), "approval": approval, "end": Text(row.end_date or "–"),
            "sessions": Text(str(row.sessions)),
            "consent": Text("/".join(str(row.consent.get(state, 0)) for state in CONSENT_STATES)),
            "audio": Text(format_number(row.audio_hours, lang, ".2f")), "transcripts": Text(str(row.transcripts)),
            "names": Text(names[row.linkage_holds_names]), "next": Text(row.next_action)}


def status_columns(natural: dict[str, int], width: int) -> dict[str, int]:
    """The columns that fit in ``width`` cells and each one's width, in the table's order: Project,
    Names and Next always (Next wraps rather than going under ``NEXT_MIN_WIDTH``), then the others
    by importance while they fit whole."""
    widths = {key: natural[key] for key in STATUS_ALWAYS}
    budget = width - sum(w + CELL_PADDING for key, w in widths.items() if key != "next") - CELL_PADDING
    widths["next"] = max(NEXT_MIN_WIDTH, min(natural["next"], budget))
    budget -= widths["next"]
    for key in STATUS_OPTIONAL:
        if natural[key] + CELL_PADDING <= budget:
            widths[key] = natural[key]
            budget -= natural[key] + CELL_PADDING
    return {key: widths[key] for key in STATUS_COLUMNS if key in widths}


def fill_status(table: DataTable, rows: list[ProjectStatus], root: Path, lang: str, width: int = 0) -> list[str]:
    """One row per project (row key: its path); a project that cannot be opened shows its problem.
    Given ``width`` (the cells the table has), the columns that do not fit are left out, least
    important first (Project, Names and Next stay); their keys are returned."""
    cells = [_status_cells(row, root, lang) for row in rows]
    natural = {key: max([len(t(f"steward.col.{key}", lang)), *(c[key].cell_len for c in cells if key in c)])
               for key in STATUS_COLUMNS}
    natural["title"] = min(natural["title"], TITLE_WIDTH)
    widths = status_columns(natural, width) if width else natural
    if "title" not in widths:  # a project's problem goes where there is room
        for found in cells:
            if "names" not in found:
                found["next"] = found.pop("title")
    table.clear(columns=True)
    for key, size in widths.items():
        table.add_column(t(f"steward.col.{key}", lang), key=key, width=size)
    wraps = widths["next"] < natural["next"]
    for row, found in zip(rows, cells, strict=True):
        table.add_row(*(found.get(key, "") for key in widths), key=str(row.path), height=None if wraps else 1)
    return [key for key in STATUS_COLUMNS if key not in widths]


def status_notes(rows: list[ProjectStatus], root: Path, lang: str, hidden: Sequence[str] = ()) -> str:
    """The columns left out, the projects that cannot be opened and the warnings of the others,
    then who can read each."""
    lines = [t("steward.problem", lang, project=relative(r.path, root), problem=shorten(r.problem, root))
             for r in rows if r.problem]
    lines += [t("steward.warning", lang, project=relative(r.path, root), warning=shorten(w, root))
              for r in rows for w in r.warnings]
    lines = lines or [t("steward.no_warnings", lang)]
    if hidden:
        lines.insert(0, t("steward.columns_hidden", lang,
                          columns=", ".join(t(f"steward.col.{key}", lang) for key in hidden)))
    for row in rows:
        if row.opened:
            you, names = t("steward.recipient.you", lang), t("steward.recipient.names", lang)
            keys = ", ".join(k.short + (f" ({you})" if k.yours else "") + (f" [{names}]" if k.linkage else "")
                             for k in row.recipients)
            lines.append(t("steward.recipients", lang, project=relative(row.path, root), keys=keys))
    return "\n".join(lines)


# -- verify -------------------------------------------------------------------------------------

def fill_verify(table: DataTable, results: dict[Path, list[VerifyProblem]], root: Path, lang: str) -> None:
    _header(table, ("project", "result"), lang)
    for path, problems in results.items():
        result = (Text(t("steward.verify.ok", lang), style="green") if not problems
                  else Text(t("steward.verify.problems", lang, count=len(problems)), style="bold red"))
        table.add_row(Text(relative(path, root)), result, key=str(path))


def verify_lines(results: dict[Path, list[VerifyProblem]], root: Path, lang: str) -> str:
    """Each problem as the CLI prints it, the file shown inside the archive folder."""
    lines = [relative(problem.path, root) + f": {problem.problem}" + (f" — {problem.hint}" if problem.hint else "")
             for problems in results.values() for problem in problems]
    bad = sum(1 for problems in results.values() if problems)
    return "\n".join([t("steward.verify.summary", lang, count=len(results), bad=bad), *lines])


# -- due ----------------------------------------------------------------------------------------

def refused(found: list[DueEntry]) -> dict[Path, RetentionAction]:
    """The projects whose actions the keys at hand cannot carry out (none of them is done), each
    with the action that stops them."""
    stops: dict[Path, RetentionAction] = {}
    for entry, action in found:
        if action.refusal is not None:
            stops.setdefault(entry.path, action)
    return stops


def doable(found: list[DueEntry]) -> list[DueEntry]:
    """The due actions that can be carried out: those of the projects not refused."""
    stops = refused(found)
    return [(entry, action) for entry, action in found if entry.path not in stops]


def fill_due(table: DataTable, found: list[DueEntry], root: Path, lang: str) -> None:
    """One row per due action; those of a project the keys cannot carry out in red."""
    _header(table, ("project", "action", "when", "deletes"), lang)
    stops = refused(found)
    for number, (entry, action) in enumerate(found):
        style = "red" if entry.path in stops else ""
        table.add_row(Text(relative(entry.path, root), style=style), Text(action.label, style=style),
                      Text(action.when()), Text(action.deletes), key=str(number))


def due_notes(found: list[DueEntry], skipped: list[str], root: Path, lang: str) -> str:
    """How many can be carried out, why the others cannot (before anything is deleted), and the
    projects skipped."""
    count = len(doable(found))
    lines = [t("steward.due.count", lang, count=count) if count
             else t("steward.due.none_doable", lang) if found else t("steward.due.none", lang)]
    lines += [t("steward.due.refused", lang, project=relative(path, root), action=action.label,
                refusal=shorten(render_error(action.refusal, lang), root))
              for path, action in refused(found).items() if action.refusal is not None]
    lines += [t("steward.due.skipped", lang, problem=shorten(line, root)) for line in skipped]
    return "\n".join(lines)


@dataclass(frozen=True)
class Applied:
    project: str   # as shown
    line: str      # the core's line, or why it was not done
    done: bool


def applied_lines(results: list[Applied], lang: str) -> str:
    key = {True: "steward.apply.done", False: "steward.apply.failed"}
    return "\n".join(t(key[r.done], lang, project=r.project, line=r.line) for r in results)


# -- keys ---------------------------------------------------------------------------------------

def fill_outcomes(table: DataTable, outcomes: list[ProjectOutcome], root: Path, lang: str) -> None:
    _header(table, ("project", "result"), lang)
    style = {"done": "green", "already": "", "unreadable": "yellow", "failed": "bold red"}
    for outcome in outcomes:
        text = t(f"steward.keys.{outcome.status}", lang, files=outcome.files, problem=shorten(outcome.problem, root))
        table.add_row(Text(relative(outcome.path, root)), Text(text, style=style.get(outcome.status, "")),
                      key=str(outcome.path))


# -- the layout and what it shows ----------------------------------------------------------------

def compose_setup(folder: Path) -> ComposeResult:
    """The archive folder and the steward's identity file."""
    with Horizontal(id="steward-setup"):
        yield localized(Label(classes="steward-field-label"), content="steward.folder")
        yield localized(Input(str(folder), id="steward-folder", compact=True, suggester=PathSuggester()),
                        placeholder="steward.folder.placeholder")
        yield localized(Label(classes="steward-field-label"), content="steward.identity")
        yield localized(Input(id="steward-identity", compact=True, suggester=PathSuggester()),
                        placeholder="steward.identity.placeholder")
        yield localized(Button(variant="primary", id="steward-open", compact=True), label="steward.open")


def _table(name: str, notes: bool = True) -> ComposeResult:
    yield DataTable(id=f"steward-{name}", cursor_type="row", zebra_stripes=True)
    if notes:
        with VerticalScroll(classes="steward-notes"):
            yield Static(id=f"steward-{name}-notes", markup=False)


def compose_views() -> ComposeResult:
    with TabbedContent(id="steward-tabs"):
        with TabPane("status", id="steward-tab-status"):
            yield from _table("status")
        with TabPane("verify", id="steward-tab-verify"):
            with Horizontal(id="steward-verify-running", classes="steward-running"):
                yield localized(Label(), content="steward.verify.running")
                yield ProgressBar(id="steward-verify-progress", show_eta=False)
            yield from _table("verify")
        with TabPane("due", id="steward-tab-due"):
            yield localized(Checkbox(id="steward-unreviewed", compact=True), label="steward.unreviewed_ok")
            yield from _table("due")
        with TabPane("keys", id="steward-tab-keys"):
            with Horizontal(id="steward-key-form"):
                yield localized(Input(id="steward-key", compact=True), placeholder="steward.keys.placeholder")
                yield LocalizedSelect([(f"scope.{s}", s) for s in SCOPES], id="steward-scope", allow_blank=False,
                                      value=SCOPES[0], compact=True)
                yield localized(Button(variant="primary", id="steward-add", compact=True), label="steward.keys.add")
                yield localized(Button(variant="error", id="steward-remove", compact=True), label="steward.keys.remove")
            with Horizontal(id="steward-keys-running", classes="steward-running"):
                yield Label(id="steward-keys-project", markup=False)
                yield ProgressBar(id="steward-keys-progress", show_eta=False)
            yield from _table("keys", notes=False)
        with TabPane("report", id="steward-tab-report"):
            with Horizontal(id="steward-report-save"):
                yield localized(Label(classes="steward-field-label"), content="steward.report.path")
                yield Input(id="steward-report-path", compact=True, suggester=PathSuggester())
            with VerticalScroll(id="steward-report-scroll"):
                yield Markdown(id="steward-report")


def render_views(screen: Widget, results: dict[str, Any], root: Path, lang: str) -> None:
    """The tab labels, each table that has results, and the lines under them, in ``lang``."""
    tabs = screen.query_one(TabbedContent)
    for tab in TABS:
        tabs.get_tab(f"steward-tab-{tab}").label = Content(t(f"steward.tab.{tab}", lang))
    notes = {"status": "", "verify": t("steward.verify.hint", lang), "due": ""}
    if "status" in results:
        table = screen.query_one("#steward-status", DataTable)
        selected = selected_row(table)
        hidden = fill_status(table, results["status"], root, lang, screen.size.width - TABLE_MARGIN)
        if selected in table.rows:  # the same project stays selected
            table.move_cursor(row=table.get_row_index(selected))
        notes["status"] = status_notes(results["status"], root, lang, hidden)
    if "verify" in results:
        fill_verify(screen.query_one("#steward-verify", DataTable), results["verify"], root, lang)
        notes["verify"] = verify_lines(results["verify"], root, lang)
    if "due" in results:
        found, skipped = results["due"]
        fill_due(screen.query_one("#steward-due", DataTable), found, root, lang)
        notes["due"] = due_notes(found, skipped, root, lang)
        if results.get("applied"):
            notes["due"] += "\n\n" + applied_lines(results["applied"], lang)
    if "keys" in results:
        fill_outcomes(screen.query_one("#steward-keys", DataTable), results["keys"], root, lang)
    for view, text in notes.items():
        screen.query_one(f"#steward-{view}-notes", Static).update(Content(text))


class StewardProgress(Message):
    """From a worker thread: bytes verified, or files re-encrypted (``bar``: which progress bar)."""

    def __init__(self, bar: str, done: int, total: int, project: str = "") -> None:
        super().__init__()
        self.bar, self.done, self.total, self.project = bar, done, total, project


# -- the core calls (run in thread workers) -----------------------------------------------------

def load_archive(root: Path, credentials: Credentials, day: dt.date) -> dict[str, Any]:
    """The status of every project and the due actions (with the projects that were skipped)."""
    from interviewkit.archive.retention import due_actions
    from interviewkit.archive.status import archive_status
    from interviewkit.vault.keys import parse_identity_file

    for path in credentials.identity_files:
        parse_identity_file(path)  # a wrong path: one line, not one per project
    skipped: list[str] = []
    rows = archive_status(root, credentials, day)
    return {"status": rows, "due": (due_actions(root, credentials, day, skipped), skipped)}


def apply_confirmed(root: Path, credentials: Credentials, shown: list[DueEntry], day: dt.date, unreviewed_ok: bool,
                    lang: str) -> list[Applied]:
    """Carry out the actions shown and confirmed that are still due, each project's all or none
    (the core checks every one's preconditions again before the first deletion)."""
    from interviewkit.archive.retention import apply_actions, by_project, due_actions

    wanted = {(entry.path, action.kind) for entry, action in shown}
    results = []
    for entry, actions in by_project(due_actions(root, credentials, day)):
        chosen = [action for action in actions if (entry.path, action.kind) in wanted]
        if not chosen or entry.project is None:
            continue
        wanted -= {(entry.path, action.kind) for action in chosen}
        try:
            lines = apply_actions(entry.project, chosen, day, unreviewed_ok)
        except InterviewkitError as error:
            results.append(Applied(relative(entry.path, root), shorten(render_error(error, lang), root), False))
        else:
            results += [Applied(relative(entry.path, root), line, True) for line in lines]
    return results + [Applied(relative(path, root), t("steward.apply.gone", lang, kind=kind.replace("-", " ")), False)
                      for path, kind in sorted(wanted)]


def record_of(path: Path, credentials: Credentials, day: dt.date, lang: str) -> str:
    """The processing record (Markdown) of the project at ``path``."""
    from interviewkit.archive.discovery import open_project
    from interviewkit.archive.report import processing_record

    entry = open_project(path, credentials)
    if entry.project is None:
        raise InvalidInput(None, entry.problem or t("steward.report.unreadable", lang))
    return processing_record(entry.project, day)


def change_recipients(root: Path, credentials: Credentials, key: str, scope: str, remove: bool,
                      progress: Callable[[Path, int, int], None]) -> list[ProjectOutcome]:
    from interviewkit.archive.rekey import add_recipient_everywhere, remove_recipient_everywhere

    if remove:
        return remove_recipient_everywhere(root, credentials, key, progress)
    return add_recipient_everywhere(root, credentials, key, scope, progress)


def write_text(path: Path, text: str, overwrite: bool = False) -> Path:
    """Save a report under the output rule (``interviewkit.export.output.save_file``)."""
    from interviewkit.export.output import save_file

    return save_file(path, text.encode(), overwrite)


# -- the typed confirmation ---------------------------------------------------------------------

class ConfirmDeleteModal(ConfirmWordModal):
    """Carrying out due deletions: dismisses with True once DELETE (SLETT) is typed, else None."""

    PREFIX = "steward.confirm"

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-confirm-dialog"):
            yield localized(Label(classes="dialog-title"), content=f"{self.PREFIX}.title")
            yield localized(Label(classes="explain"), content=(f"{self.PREFIX}.explain", {"count": self.count}))
            yield Label(id="export-confirm-prompt", markup=False)
            yield Input(id="export-confirm-word")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="error", id="confirm"), label=f"{self.PREFIX}.button")
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def localize(self) -> None:
        super(ConfirmWordModal, self).localize()
        self.query_one("#export-confirm-prompt", Label).update(
            Content(self.tr(f"{self.PREFIX}.prompt", word=self.tr(f"{self.PREFIX}.word"))))

    def check(self) -> None:
        word = self.tr(f"{self.PREFIX}.word")
        if self.query_one("#export-confirm-word", Input).value.strip().casefold() == word.casefold():
            self.dismiss(True)
        else:
            self.query_one("#error", Label).update(Content(self.tr(f"{self.PREFIX}.wrong", word=word)))
