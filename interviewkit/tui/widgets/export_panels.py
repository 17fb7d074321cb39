"""The parts of the export screen: the form (format, sessions, purpose, options, where to save),
the consent summary and how it is computed, and the typed confirmation of an identifiable export.

The summary comes from the core's consent gates (``build_export`` with ``unreviewed_ok``), so it
shows what would go out even before every session is reviewed.  It names people by code only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet

from interviewkit.errors import NotFound
from interviewkit.export.selection import build_export
from interviewkit.export.writers import FORMATS, slug
from interviewkit.i18n import CATALOGS, t
from interviewkit.transcript.store import open_transcript
from interviewkit.tui.base import BaseModal, localized
from interviewkit.tui.screens.audio_import import PathSuggester

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

PER_SESSION = ("txt", "md", "srt", "vtt")  # one file per session: the default output is a folder
CODEBOOK_FORMATS = ("qdpx", "qdc")  # where a guide gives a starter codebook
# The gates' left-out lines (English, codes only), translated where their form is known.
LEFT_OUT = tuple((re.compile(pattern), key) for pattern, key in (
    (r"^(?P<code>[^:]+): withdrew on (?P<date>\S+)$", "export.left.withdrew"),
    (r"^(?P<code>[^:]+): no consent to archiving$", "export.left.archiving"),
    (r"^(?P<code>[^:]+): not transcribed$", "export.left.untranscribed"),
    (r"^(?P<code>[^:]+): not exported \(its participants are left out\)$", "export.left.session"),
    (r"^(?P<code>[^:]+): (?P<count>\d+) turns of participants left out$", "export.left.turns"),
    (r"^(?P<code>[^:]+): audio not exported \(not everyone consented to it\)$", "export.left.audio"),
))


# -- the consent summary -------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    sessions: tuple[str, ...]                            # the sessions that go out
    left_out: tuple[str, ...]                            # the gates' lines: who and what is kept out
    no_quotes: tuple[tuple[str, int, tuple[str, ...]], ...]  # (session, turns marked, speaker codes)
    unreviewed: tuple[str, ...]                          # sessions whose anonymisation is not reviewed
    identifiable: bool


def transcribed_sessions(project: Project) -> set[str]:
    """The ids of the sessions with a transcript (the only ones that can be exported)."""
    found = set()
    for session in project.index.sessions:
        try:
            open_transcript(project, session)
        except NotFound:
            continue
        found.add(session.id)
    return found


def summarise(project: Project, sessions: list[str], purpose: str, identifiable: bool, audio: bool) -> Summary:
    """What an export of ``sessions`` would let out (computed as the export does, reviewed or not)."""
    from interviewkit.anonymise.review import analyse_session

    export = build_export(project, sessions=sessions, purpose=purpose, identifiable=identifiable,
                          unreviewed_ok=True, audio=audio)
    no_quotes = []
    for session in export.sessions:
        marked = [s for s in session.segments if not s.quotes_allowed]
        if marked:
            no_quotes.append((session.id, len(marked), tuple(dict.fromkeys(s.speaker or "?" for s in marked))))
    unreviewed = () if identifiable else tuple(
        s.id for s in export.sessions
        if not analyse_session(project, project.index.find_session(s.id)).reviewed)  # type: ignore[arg-type]
    return Summary(tuple(s.id for s in export.sessions), export.left_out, tuple(no_quotes), unreviewed, identifiable)


def left_out_text(line: str, lang: str) -> str:
    for pattern, key in LEFT_OUT:
        match = pattern.match(line)
        if match:
            return t(key, lang, **match.groupdict())
    return line


def summary_text(summary: Summary, lang: str) -> str:
    none = t("common.none", lang)
    lines = [t("export.summary.sessions", lang, sessions=", ".join(summary.sessions) or none), "",
             t("export.summary.left_out", lang)]
    lines += [f"  {left_out_text(line, lang)}" for line in summary.left_out] or [f"  {t('export.summary.nobody', lang)}"]
    lines += ["", t("export.summary.no_quotes", lang)]
    lines += [f"  {t('export.summary.no_quotes.line', lang, session=s, count=n, codes=', '.join(codes))}"
              for s, n, codes in summary.no_quotes] or [f"  {t('export.summary.no_quotes.none', lang)}"]
    lines.append("")
    if summary.identifiable:
        lines.append(t("export.summary.identifiable", lang))
    elif summary.unreviewed:
        lines.append(t("export.summary.unreviewed", lang, sessions=", ".join(summary.unreviewed)))
    else:
        lines.append(t("export.summary.reviewed", lang))
    return "\n".join(lines)


# -- the form ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    sessions: tuple[str, ...]
    purpose: str
    audio: bool
    highlight: bool
    identifiable: bool
    guide: Path | None
    encrypt_to: tuple[str, ...]
    output: str  # as typed (a trailing / means a folder)


def default_output(title: str, fmt: str, folder: Path) -> str:
    name = slug(title)
    if fmt in PER_SESSION:
        return str(folder / f"{name}-{fmt}") + os.sep
    return str(folder / (f"{name}-codebook.qdc" if fmt == "qdc" else f"{name}.{fmt}"))


def format_label(name: str, lang: str) -> Content:
    key = f"export.format.{name}"
    return Content(t(key, lang) if key in CATALOGS["en"] else f"{name} — {FORMATS[name].description}")


def _field(name: str, suggester: PathSuggester | None = None) -> ComposeResult:
    with Horizontal(classes="export-field"):
        yield localized(Label(classes="export-field-label"), content=f"export.{name}")
        yield localized(Input(id=f"export-{name}", compact=True, suggester=suggester),
                        placeholder=f"export.{name}.placeholder")


class ExportForm(VerticalScroll):
    """Every choice of an export; the session boxes are enabled once it is known which are transcribed."""

    def __init__(self, sessions: list[Session], title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sessions = sessions
        self.project_title = title
        self.transcribed: set[str] | None = None
        self.auto_output = ""  # the last default put in the output field (replaced while untouched)

    def compose(self) -> ComposeResult:
        yield localized(Label(classes="export-heading"), content="export.format")
        with RadioSet(id="export-format", compact=True):
            for i, name in enumerate(FORMATS):
                yield RadioButton(name, value=i == 0, id=f"export-fmt-{name}", compact=True)
        yield localized(Label(classes="export-heading"), content="export.sessions")
        with Vertical(id="export-sessions"):
            for i, session in enumerate(self.sessions):
                yield Checkbox(session.id, value=True, disabled=True, id=f"export-session-{i}", compact=True)
        yield localized(Label(classes="export-heading"), content="export.purpose")
        with RadioSet(id="export-purpose", compact=True):
            yield localized(RadioButton(value=True, id="export-purpose-analysis", compact=True),
                            label="export.purpose.analysis")
            yield localized(RadioButton(id="export-purpose-archive", compact=True), label="export.purpose.archive")
        yield localized(Label(classes="export-heading"), content="export.options")
        for name in ("audio", "highlight", "identifiable"):
            yield localized(Checkbox(id=f"export-{name}", compact=True), label=f"export.{name}")
        yield from _field("guide", PathSuggester())
        yield from _field("encrypt")
        yield from _field("output", PathSuggester())

    def render_labels(self, lang: str) -> None:
        for name in FORMATS:
            self.query_one(f"#export-fmt-{name}", RadioButton).label = format_label(name, lang)
        for i, session in enumerate(self.sessions):
            text = f"{session.id} · {t(f'kind.{session.kind}', lang)}" + (f" · {session.date}" if session.date else "")
            if self.transcribed is not None and session.id not in self.transcribed:
                text += f" — {t('export.session.untranscribed', lang)}"
            self.query_one(f"#export-session-{i}", Checkbox).label = Content(text)

    def set_transcribed(self, ids: set[str], lang: str) -> None:
        self.transcribed = ids
        for i, session in enumerate(self.sessions):
            box = self.query_one(f"#export-session-{i}", Checkbox)
            box.disabled = session.id not in ids
            box.value = session.id in ids
        self.render_labels(lang)

    def chosen_format(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("export-fmt-") if pressed is not None else next(iter(FORMATS))

    def chosen_sessions(self) -> list[str]:
        if self.transcribed is None:
            return []
        return [s.id for i, s in enumerate(self.sessions)
                if s.id in self.transcribed and self.query_one(f"#export-session-{i}", Checkbox).value]

    def chosen_purpose(self) -> str:
        pressed = self.query_one("#export-purpose", RadioSet).pressed_button
        return "archive" if pressed is not None and pressed.id == "export-purpose-archive" else "analysis"

    def ticked(self, name: str) -> bool:
        box = self.query_one(f"#export-{name}", Checkbox)
        return box.value and not box.disabled

    def format_changed(self, folder: Path) -> None:
        """Options only where the format uses them; a fresh default path while the user has not typed one."""
        fmt = self.chosen_format()
        self.query_one("#export-audio", Checkbox).disabled = fmt != "qdpx"
        self.query_one("#export-highlight", Checkbox).disabled = fmt != "docx"
        self.query_one("#export-guide", Input).disabled = fmt not in CODEBOOK_FORMATS
        output = self.query_one("#export-output", Input)
        if output.value in ("", self.auto_output):
            self.auto_output = output.value = default_output(self.project_title, fmt, folder)

    def choice(self) -> ExportChoice:
        fmt = self.chosen_format()
        guide = self.query_one("#export-guide", Input).value.strip()
        return ExportChoice(
            fmt, tuple(self.chosen_sessions()), self.chosen_purpose(), self.ticked("audio"), self.ticked("highlight"),
            self.ticked("identifiable"),
            Path(guide).expanduser() if guide and fmt in CODEBOOK_FORMATS else None,
            tuple(self.query_one("#export-encrypt", Input).value.replace(",", " ").split()),
            self.query_one("#export-output", Input).value.strip())


# -- the typed confirmation ----------------------------------------------------------------------

class ConfirmWordModal(BaseModal):
    """An identifiable export: dismisses with True once the word shown is typed (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-confirm-dialog"):
            yield localized(Label(classes="dialog-title"), content="export.confirm.title")
            yield localized(Label(classes="explain"), content="export.confirm.explain")
            yield Label(id="export-confirm-prompt", markup=False)
            yield Input(id="export-confirm-word")
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield localized(Button(variant="error", id="confirm"), label="export.confirm.button")
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.localize()
        self.query_one("#export-confirm-word", Input).focus()

    def localize(self) -> None:
        super().localize()
        self.query_one("#export-confirm-prompt", Label).update(
            Content(self.tr("export.confirm.prompt", word=self.tr("export.confirm.word"))))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.check()
        else:
            self.dismiss(None)

    def check(self) -> None:
        word = self.tr("export.confirm.word")
        if self.query_one("#export-confirm-word", Input).value.strip().casefold() == word.casefold():
            self.dismiss(True)
        else:
            self.query_one("#error", Label).update(Content(self.tr("export.confirm.wrong", word=word)))
