"""What every screen shares: translated text, translated key bindings, and core calls in
thread workers that report ``InterviewkitError`` as one line instead of crashing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from textual import work
from textual._context import active_app
from textual.binding import ActiveBinding, Binding, BindingsMap
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static

from interviewkit.errors import InterviewkitError
from interviewkit.i18n import DEFAULT_LANGUAGE, t
from interviewkit.tui.errors import render_error

W = TypeVar("W", bound=Widget)
TextSpec = str | tuple[str, dict[str, Any]]
I18N_ATTRIBUTE = "_interviewkit_i18n"


def current_language() -> str:
    """The language of the running app (English outside one)."""
    try:
        return getattr(active_app.get(), "language", DEFAULT_LANGUAGE)
    except LookupError:
        return DEFAULT_LANGUAGE


def localized(widget: W, **attributes: TextSpec) -> W:
    """Give ``widget`` translated text now and whenever the language changes.

    Each keyword names an attribute (``content`` for a Static/Label's text, or ``label``,
    ``placeholder``, ``border_title``, ``tooltip``…) and a catalog key, or a
    ``(key, {format values})`` pair.
    """
    spec = {name: (value, {}) if isinstance(value, str) else value for name, value in attributes.items()}
    setattr(widget, I18N_ATTRIBUTE, spec)
    _apply(widget, current_language())
    return widget


def _apply(widget: Widget, lang: str) -> None:
    for name, (key, fmt) in getattr(widget, I18N_ATTRIBUTE, {}).items():
        text = t(key, lang, **fmt)
        if name == "content" and isinstance(widget, Static):
            widget.update(Content(text))  # Content: never parsed as markup
        else:
            setattr(widget, name, text)


def apply_language(root: Widget, lang: str) -> None:
    """Re-translate ``root`` and every widget below it made with ``localized`` (or a ``LocalizedSelect``)."""
    for widget in [root, *root.query("*")]:
        _apply(widget, lang)
        if isinstance(widget, LocalizedSelect):
            widget.relocalize(lang)


class LocalizedSelect(Select[str]):
    """A Select whose option labels (and blank prompt) are catalog keys; the values stay as they are."""

    def __init__(self, choices: Sequence[tuple[str, str]], *, prompt_key: str | None = None,
                 translate: bool = True, **kwargs: Any) -> None:
        self.i18n_choices = list(choices)  # (catalog key, or with translate=False the label itself; value)
        self.i18n_prompt_key = prompt_key
        self.i18n_translate = translate
        lang = current_language()
        if prompt_key is not None:
            kwargs["prompt"] = t(prompt_key, lang)
        super().__init__(self._translated_options(lang), **kwargs)

    def _translated_options(self, lang: str) -> list[tuple[str, str]]:
        return [(t(key, lang) if self.i18n_translate else key, value) for key, value in self.i18n_choices]

    def relocalize(self, lang: str) -> None:
        value = self.value
        if self.i18n_prompt_key is not None:
            self.prompt = t(self.i18n_prompt_key, lang)
        self.set_options(self._translated_options(lang))
        if value != Select.NULL:
            self.value = value


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Translate the descriptions of ``node``'s key bindings (catalog keys ``key.<action>``).

    Textual has no public setter for a binding's description, so the node's binding map is
    rebuilt with translated copies (new lists: the class-level map is shared).
    """
    bindings = node._bindings
    translated = {}
    for key, key_bindings in bindings.key_to_bindings.items():
        new_list = []
        for binding in key_bindings:
            action = binding.action.rsplit(".", 1)[-1]
            text = t(f"key.{action}", lang)
            if text != f"key.{action}":
                binding = dataclasses.replace(binding, description=text)
            new_list.append(binding)
        translated[key] = new_list
    node._bindings = BindingsMap.from_keys(translated)


def binding_name(action: str) -> str:
    """The catalog name of a binding's action: ``app.focus_next`` → ``focus_next``; an action
    that selects as it moves (``cursor_left(True)``) → ``cursor_left_select``."""
    name, _, arguments = action.partition("(")
    name = name.rsplit(".", 1)[-1]
    return f"{name}_select" if "True" in arguments else name


def translated_binding(binding: Binding, lang: str) -> Binding:
    """``binding`` with its description in ``lang``: ``key.<action>`` for interviewkit's own
    actions, ``textual.<action>`` for Textual's (Cursor up, Focus Next, Quit…)."""
    if not binding.description:
        return binding
    name = binding_name(binding.action)
    for key in (f"key.{name}", f"textual.{name}"):
        if key.startswith("textual.") and lang == DEFAULT_LANGUAGE:
            return binding  # Textual's own English, as Textual words it
        text = t(key, lang)
        if text != key:
            return binding if text == binding.description else dataclasses.replace(binding, description=text)
    return binding


class CoreWork:
    """Mixin for screens: run a core call in a thread worker, report errors as one line."""

    busy: bool = False

    @property
    def lang(self) -> str:
        return getattr(self.app, "language", DEFAULT_LANGUAGE)  # type: ignore[attr-defined]

    def tr(self, key: str, /, **fmt: Any) -> str:
        return t(key, self.lang, **fmt)

    def error_text(self, error: InterviewkitError) -> str:
        """A core error as this interface shows it: in its language, naming fields, never CLI flags."""
        return render_error(error, self.lang)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's and the keys panel's bindings, Textual's own included, in the interface's language."""
        lang = self.lang
        return {key: active._replace(binding=translated_binding(active.binding, lang))
                for key, active in super().active_bindings.items()}  # type: ignore[misc]

    def localize(self) -> None:
        """Re-render every visible text in the current language (screens extend this)."""
        apply_language(self, self.lang)  # type: ignore[arg-type]
        localize_bindings(self, self.lang)  # type: ignore[arg-type]

    def guard_busy(self) -> bool:
        """True if a task is running (and the user has been told to wait)."""
        if self.busy:
            self.notify(self.tr("common.busy"), severity="warning")  # type: ignore[attr-defined]
        return self.busy

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def show_error(self, message: str) -> None:
        self.notify(message, severity="error", timeout=10, markup=False)  # type: ignore[attr-defined]

    def run_core(self, job: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[str], None] | None = None, busy: bool = True) -> None:
        """Run ``job`` (a core call that writes or does crypto) off the UI thread.

        With ``busy`` the screen counts as busy (other actions wait) until it is done.
        """
        if busy:
            self.set_busy(True)
        self._core_worker(job, on_done, on_error or self.show_error, busy)

    @work(thread=True, group="core")
    def _core_worker(self, job: Callable[[], Any], on_done: Callable[[Any], None],
                     on_error: Callable[[str], None], busy: bool) -> None:
        try:
            result = job()
        except InterviewkitError as error:
            self._deliver(on_error, self.error_text(error), busy)
        except Exception as exc:  # a bug, but never a crash with a traceback (it could show names)
            self._deliver(on_error, self.tr("error.unexpected", kind=type(exc).__name__, message=str(exc)), busy)
        else:
            self._deliver(on_done, result, busy)

    def _deliver(self, callback: Callable[[Any], None], value: Any, busy: bool) -> None:
        def finish() -> None:
            if busy:
                self.set_busy(False)
            callback(value)

        try:
            self.app.call_from_thread(finish)  # type: ignore[attr-defined]
        except RuntimeError:  # the app closed while the task ran
            pass


class BaseScreen(CoreWork, Screen[None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self, current_language())


class BaseModal(CoreWork, ModalScreen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self, current_language())

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_close(self) -> None:
        self.action_cancel()


class PhasedModal(BaseModal):
    """A dialog that goes through phases (choose → running → done): each phase shows one part
    of the dialog, ``#<PART_PREFIX>-<part>``, and some of its buttons.  Buttons call the
    methods ``button_actions()`` names; ``#error`` holds a one-line error."""

    PART_PREFIX = ""
    PHASES: dict[str, tuple[str, tuple[str, ...]]] = {}  # phase → (part shown, button ids shown)
    phase = ""

    def button_actions(self) -> dict[str, Callable[[], None]]:
        return {}

    def show_phase(self, phase: str) -> None:
        self.phase = phase
        shown, buttons = self.PHASES[phase]
        for part in {part for part, _ in self.PHASES.values()}:
            self.query_one(f"#{self.PART_PREFIX}-{part}").display = part == shown
        for button in self.query(Button):
            button.display = button.id in buttons
            button.disabled = False

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(Content(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = self.button_actions().get(event.button.id or "")
        if action is not None:
            action()
