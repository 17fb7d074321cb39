"""The small dialogs of the transcript editor: jump to a time, pick a speaker, rename a
speaker, find and replace, pick a convention, and the revision history.  Each dismisses with
what was chosen (None when cancelled); the editor screen does the change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Footer, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from interviewkit.audio.clock import parse_clock
from interviewkit.errors import InterviewkitError
from interviewkit.transcript.conventions import conventions_for
from interviewkit.transcript.editing import Position, TranscriptEditor, compile_pattern
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import StaleTranscript, list_revisions, load_revision
from interviewkit.tui.base import BaseModal, localized


class EditorModal(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    TITLE_KEY = ""

    def __init__(self, title: tuple[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.title_spec = title or (self.TITLE_KEY, {})

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor-dialog"):
            yield localized(Label(classes="dialog-title", markup=False), content=self.title_spec)
            yield from self.body()
            yield Label(id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield from self.buttons()
                yield localized(Button(id="cancel"), label="common.cancel")
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def buttons(self) -> ComposeResult:
        yield localized(Button(variant="primary", id="ok"), label="editor.ok")

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit(event.button.id or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit("ok")

    def submit(self, button: str) -> None:
        self.dismiss(None)


class JumpModal(EditorModal):
    """Dismisses with seconds."""

    TITLE_KEY = "editor.jump.title"

    def body(self) -> ComposeResult:
        yield localized(Input(id="jump-time"), placeholder="editor.jump.placeholder")

    def submit(self, button: str) -> None:
        try:
            self.dismiss(parse_clock(self.query_one("#jump-time", Input).value, "mm:ss"))
        except InterviewkitError as error:
            self.show_error(self.error_text(error))


class ChoiceModal(EditorModal):
    """A list to choose from (Enter or a click); dismisses with the chosen value."""

    def __init__(self, title: tuple[str, dict[str, Any]], choices: list[tuple[str, Any]]) -> None:
        super().__init__(title)
        self.choices = choices

    def body(self) -> ComposeResult:
        yield OptionList(*[Option(Content(label), id=str(i)) for i, (label, _) in enumerate(self.choices)],
                         id="choices")

    def buttons(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][1])


class SpeakerModal(ChoiceModal):
    """The session's speakers, or a code typed in; dismisses with ``("set", code or None)``."""

    def __init__(self, title: tuple[str, dict[str, Any]], choices: list[tuple[str, Any]]) -> None:
        super().__init__(title, [(label, ("set", code)) for label, code in choices])

    def body(self) -> ComposeResult:
        yield from super().body()
        yield localized(Input(id="speaker-code", max_length=16), placeholder="editor.speaker.free")

    def submit(self, button: str) -> None:
        code = self.query_one("#speaker-code", Input).value.strip()
        self.dismiss(("set", code or None))


class RenameModal(EditorModal):
    """Dismisses with ``(new code, display name, in every session of the project)``."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__(("editor.rename.title", {"code": code}))
        self.code, self.shown_name = code, name

    def body(self) -> ComposeResult:
        yield localized(Label(), content="editor.rename.code")
        yield Input(self.code, id="rename-code", max_length=16)
        yield localized(Label(), content="editor.rename.name")
        yield Input(self.shown_name, id="rename-name")
        yield localized(Checkbox(id="rename-everywhere"), label="editor.rename.everywhere")

    def submit(self, button: str) -> None:
        code = self.query_one("#rename-code", Input).value.strip()
        if not code:
            self.show_error(self.tr("editor.rename.empty"))
            return
        self.dismiss((code, self.query_one("#rename-name", Input).value.strip(),
                      self.query_one("#rename-everywhere", Checkbox).value))


class FindModal(EditorModal):
    """Dismisses with ``("find" | "replace", pattern, replacement, regex, case_sensitive,
    in_every_session)``."""

    TITLE_KEY = "editor.find.title"

    def __init__(self, pattern: str = "") -> None:
        super().__init__()
        self.pattern = pattern

    def body(self) -> ComposeResult:
        yield Input(self.pattern, id="find-pattern")
        yield localized(Input(id="find-replacement"), placeholder="editor.find.replacement")
        with Horizontal(classes="editor-options"):
            yield localized(Checkbox(id="find-regex"), label="editor.find.regex")
            yield localized(Checkbox(id="find-case"), label="editor.find.case")
            yield localized(Checkbox(id="find-project"), label="editor.find.project")

    def on_mount(self) -> None:
        self.query_one("#find-pattern", Input).placeholder = self.tr("editor.find.pattern")
        self.query_one("#find-pattern", Input).focus()

    def buttons(self) -> ComposeResult:
        yield localized(Button(variant="primary", id="find"), label="editor.find.next")
        yield localized(Button(id="replace"), label="editor.find.replace_all")

    def submit(self, button: str) -> None:
        pattern = self.query_one("#find-pattern", Input).value
        if not pattern:
            self.show_error(self.tr("editor.find.empty"))
            return
        self.dismiss(("replace" if button == "replace" else "find", pattern,
                      self.query_one("#find-replacement", Input).value,
                      self.query_one("#find-regex", Checkbox).value, self.query_one("#find-case", Checkbox).value,
                      self.query_one("#find-project", Checkbox).value))


class EditorDialogs:
    """Mixin for the editor screen: the actions that ask something first (conventions, speaker,
    rename, find and replace, revision history); the change itself goes through ``change``."""

    find_spec: tuple[str, bool, bool] | None = None

    def action_conventions(self) -> None:
        items = conventions_for(self.project.index.study.language, getattr(self.project.index.study, "conventions", None))
        choices = [(f"{self.convention_label(c.key, c.label)}   {c.text}", c.text) for c in items]
        self.app.push_screen(ChoiceModal(("editor.conventions.title", {}), choices),
                             lambda text: self.insert_text(text) if text else None)

    def convention_label(self, key: str, label: str) -> str:
        """A convention's name in the interface's language (a project's own convention keeps its name)."""
        text = self.tr(f"convention.{key}")  # type: ignore[attr-defined]
        return label if text == f"convention.{key}" else text

    def action_speaker(self) -> None:
        if self.segment() is None:
            return
        index = self.view.cursor
        codes = self.speaker_codes()  # the order of the speaker keys 1–9
        assert self.editor is not None
        transcript = self.editor.transcript

        def label(number: int, code: str) -> str:
            name = transcript.speaker_name(code)
            shown = f"{code}  {name}" if name != code else code
            return f"{number}  {shown}" if number <= 9 else f"   {shown}"

        choices = [(label(n, code), code) for n, code in enumerate(codes, start=1)] + \
            [(self.tr("editor.speaker.none"), None)]

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                self.change(lambda e: e.set_speaker([index], result[1]))

        self.app.push_screen(SpeakerModal(("editor.speaker.title", {}), choices), chosen)

    def action_rename_speaker(self) -> None:
        segment = self.segment()
        if segment is None or not segment.speaker:
            self.notify(self.tr("editor.rename.none"), severity="warning")
            return
        code, transcript = segment.speaker, self.editor.transcript  # type: ignore[union-attr]

        def chosen(result: tuple[str, str, bool] | None) -> None:
            if result is None:
                return
            new_code, name, everywhere = result
            self.change(lambda e: e.rename_speaker(code, new_code if new_code != code else None, name))
            if everywhere:  # this transcript first (saved now), then every other session's
                from interviewkit.transcript.project_wide import rename_speaker_in_project

                self.save_now()  # type: ignore[attr-defined]
                project, target = self.project, new_code if new_code != code else None  # type: ignore[attr-defined]

                def done(counts: dict[str, int]) -> None:
                    others = {s: n for s, n in counts.items() if s != self.session.id}  # type: ignore[attr-defined]
                    self.notify(self.tr("editor.rename.done_project", sessions=len(others),
                                        segments=sum(others.values())), markup=False)

                self.run_core(lambda: rename_speaker_in_project(project, code, target, name), done,
                              lambda message: self.notify(message, severity="warning", markup=False))

        self.app.push_screen(RenameModal(code, transcript.speakers.get(code, "")), chosen)

    def action_find(self) -> None:
        def chosen(result: tuple[str, str, str, bool, bool, bool] | None) -> None:
            if result is None or self.editor is None:
                return
            kind, pattern, replacement, regex, case, everywhere = result
            self.find_spec = (pattern, regex, case)
            if kind == "replace":
                self.commit_edit()
                count = [0]

                def job(e: TranscriptEditor) -> None:
                    count[0] = e.replace_all(pattern, replacement, regex, case)

                self.change(job)  # this session: one undo step
                self.notify(self.tr("editor.find.replaced", count=count[0]))
                if everywhere:
                    self.replace_in_other_sessions(pattern, replacement, regex, case)
            elif everywhere:
                self.find_in_project(pattern, regex, case)
            else:
                self.find_next()

        self.app.push_screen(FindModal(self.find_spec[0] if self.find_spec else ""), chosen)

    def find_next(self) -> None:
        if self.editor is None or self.find_spec is None:
            return
        pattern, regex, case = self.find_spec
        try:
            found = self.editor.find(pattern, Position(self.view.cursor, self.edit_offset() if self.editing else -1),
                                     regex, case)
        except InterviewkitError as error:
            self.show_error(self.error_text(error))
            return
        self.go_to(found, "editor.find.none")
        if found is not None:
            match = compile_pattern(pattern, regex, case).match(self.editor.transcript.segments[found.index].text,
                                                                found.offset)
            self.show_match(found.index, found.offset, match.end() - found.offset if match else 0)

    def show_match(self, index: int, offset: int, length: int) -> None:
        """Highlight a match in the view and select it in the text box."""
        self.view.mark = (index, offset, offset + length)
        self.view.refresh_block(index)
        if self.editing and length:
            area = self.area
            area.selection = Selection(area.document.get_location_from_index(offset),
                                       area.document.get_location_from_index(offset + length))

    def find_in_project(self, pattern: str, regex: bool, case: bool) -> None:
        """Every match in every session: choose one to go there (another session opens in the editor)."""
        from interviewkit.transcript.project_wide import search_project

        self.save_now()  # type: ignore[attr-defined]
        project = self.project

        def listed(matches: list[Any]) -> None:
            if not matches:
                self.notify(self.tr("editor.find.none"))
                return
            choices = [(f"{m.session_id}  #{m.index + 1}  {m.context}", m) for m in matches]
            self.app.push_screen(ChoiceModal(("editor.find.project_title", {"count": len(matches)}), choices), go)

        def go(match: Any) -> None:
            if match is None:
                return
            if match.session_id == self.session.id:
                self.commit_edit()
                self.view.move_to(match.index)
                self.start_edit(match.offset)
                self.show_match(match.index, match.offset, match.length)
            else:
                self.open_session(match.session_id, (match.index, match.offset, match.length))

        self.run_core(lambda: search_project(project, pattern, regex, case), listed,
                      lambda message: self.show_error(message))

    def replace_in_other_sessions(self, pattern: str, replacement: str, regex: bool, case: bool) -> None:
        from interviewkit.transcript.project_wide import replace_in_project

        project, here = self.project, self.session.id

        def done(counts: dict[str, int]) -> None:
            self.notify(self.tr("editor.find.replaced_project", sessions=len(counts),
                                count=sum(counts.values())), markup=False)

        self.run_core(lambda: replace_in_project(project, pattern, replacement, regex, case, exclude=here), done,
                      lambda message: self.notify(message, severity="warning", markup=False))

    def action_history(self) -> None:
        if self.editor is None:
            return
        self.commit_edit()
        project, session = self.project, self.session

        def listed(revisions: list[Any]) -> None:
            if not revisions:
                self.notify(self.tr("editor.history.none"))
                return
            choices = [(r.saved[:19].replace("T", " ") + " UTC", r.name) for r in revisions]
            self.app.push_screen(ChoiceModal(("editor.history.title", {}), choices), restore)

        def restore(name: str | None) -> None:
            if name is None or self.editor is None:
                return
            current, wanted = self.snapshot(), self.editor.revision

            def job() -> Transcript | StaleTranscript:
                with self.save_lock:
                    try:
                        self.write_copy(current, wanted, revision=True)  # the present stays in the history
                    except StaleTranscript as error:
                        return error
                return load_revision(project, session, name)

            def loaded(revision: Transcript | StaleTranscript) -> None:  # one undo step: undo brings the present back
                if isinstance(revision, StaleTranscript):
                    self.stale(revision)
                    return
                self.saved_revision = max(self.saved_revision, wanted)
                self.change(lambda e: e.restore(revision))
                self.notify(self.tr("editor.history.restored"))

            self.run_core(job, loaded)

        self.run_core(lambda: list_revisions(project, session), listed, busy=False)
