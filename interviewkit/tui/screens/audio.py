"""Audio from the home and interview screens: the actions (import a file, listen to a session,
transcribe it, choose the devices) and the device picker.

The devices are chosen per computer and kept in the settings file by name (indexes change
when a device is plugged in); ``INTERVIEWKIT_AUDIO_DEVICE`` still overrides the microphone.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Label

from interviewkit.audio.devices import (
    DEVICE_ENV,
    KINDS,
    AudioDevice,
    chosen_device,
    list_devices,
    save_device,
    saved_device,
)
from interviewkit.audio.store import WriteGuard
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.base import localized
from interviewkit.tui.screens.forms import FormModal

# The audio actions a screen with a session offers (footer keys are the screen's own).
AUDIO_ACTIONS = ("import_audio", "play_audio", "transcribe", "audio_devices")
DEFAULT_ROW = "default"  # the row key of "follow the system's default"


class AudioActions:
    """Mixin for a screen (a ``CoreWork``) that has a project and a current session.  The screen
    lists ``AUDIO_ACTIONS`` among its own (keys, footer, palette)."""

    project: Project

    def audio_session(self) -> Session | None:
        raise NotImplementedError

    def audio_guard(self) -> WriteGuard | None:
        """How the import's writes are serialised with the screen's own (None: they are not)."""
        return None

    def audio_blocked(self) -> str | None:
        """Why listening is not possible now (a catalog key), or None."""
        return None

    def audio_imported(self, message: str | None) -> None:
        """After the import dialog (None: nothing was imported); screens that show takes extend this."""
        self.audio_message(message)

    def audio_message(self, message: str | None) -> None:
        if message is not None:
            self.notify(message, timeout=15, markup=False)  # type: ignore[attr-defined]

    def session_target(self) -> Session | None:
        """The session an action is for (None, after saying why, while busy or with none selected)."""
        if self.guard_busy():  # type: ignore[attr-defined]
            return None
        session = self.audio_session()
        if session is None:
            self.notify(self.tr("interview.no_session"), severity="warning")  # type: ignore[attr-defined]
        return session

    def action_import_audio(self) -> None:
        from interviewkit.tui.screens.audio_import import ImportModal

        session = self.session_target()
        if session is not None:
            self.app.push_screen(ImportModal(self.project, session, guard=self.audio_guard()),  # type: ignore[attr-defined]
                                 self.audio_imported)

    def action_play_audio(self) -> None:
        from interviewkit.tui.screens.playback import PlaybackScreen

        session = self.session_target()
        if session is None:
            return
        blocked = self.audio_blocked()
        if blocked is not None:
            self.notify(self.tr(blocked), severity="warning", timeout=8)  # type: ignore[attr-defined]
        else:
            self.app.push_screen(PlaybackScreen(self.project, session))  # type: ignore[attr-defined]

    def action_transcribe(self) -> None:
        from interviewkit.tui.screens.transcribe import TranscribeModal

        session = self.session_target()
        if session is not None:
            self.app.push_screen(TranscribeModal(self.project, session), self.audio_message)  # type: ignore[attr-defined]

    def action_audio_devices(self) -> None:
        if not self.guard_busy():  # type: ignore[attr-defined]
            self.app.push_screen(DevicePickerModal(), self.audio_message)  # type: ignore[attr-defined]


class DevicePickerModal(FormModal):
    """The microphone and the playback device of this computer; dismisses with a message once saved."""

    SAVE_KEY = "devices.use"

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[AudioDevice] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="devices-dialog"):
            yield localized(Label(classes="dialog-title"), content="devices.title")
            yield localized(Label(classes="explain"), content="devices.explain")
            yield Label(id="devices-override", markup=False)
            for kind in KINDS:
                yield localized(Label(classes="section"), content=f"devices.{kind}")
                yield DataTable(id=f"{kind}-devices", classes="devices", cursor_type="row", zebra_stripes=True)
            yield from self.buttons()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#devices-override", Label).display = False
        self.query_one("#input-devices", DataTable).focus()
        self.run_core(lambda: (list_devices(), {kind: saved_device(kind) for kind in KINDS}), self.listed,
                      self.show_error)

    def localize(self) -> None:
        super().localize()
        if self.devices:
            self.render_tables({kind: self.choice_of(kind) for kind in KINDS})

    def listed(self, found: tuple[list[AudioDevice], dict[str, str | None]]) -> None:
        self.devices, saved = found
        self.query_one("#error", Label).update("")
        override = chosen_device("input")
        if override != saved["input"]:  # INTERVIEWKIT_AUDIO_DEVICE is set
            label = self.query_one("#devices-override", Label)
            localized(label, content=("devices.override", {"env": DEVICE_ENV, "device": override}))
            label.display = True
        self.render_tables(saved)

    def render_tables(self, chosen: dict[str, str | None]) -> None:
        """One table per kind: the system's default first, then the devices; ● marks ``chosen``."""
        for kind in KINDS:
            table = self.query_one(f"#{kind}-devices", DataTable)
            current = chosen[kind]
            table.clear(columns=True)
            for key in ("devices.col.device", "devices.col.channels", "devices.col.default"):
                table.add_column(self.tr(key), key=key)
            usable = [d for d in self.devices if _channels(d, kind) > 0]
            default = next((d for d in usable if _is_default(d, kind)), None)
            name = self.tr("devices.default", name=default.name) if default else self.tr("devices.default.none")
            table.add_row(Text(_mark(current is None) + name), "", "", key=DEFAULT_ROW)
            for device in usable:
                table.add_row(Text(_mark(device.name == current) + device.name), str(_channels(device, kind)),
                              self.tr("devices.is_default") if _is_default(device, kind) else "",
                              key=str(device.index))
            selected = next((d for d in usable if d.name == current), None)
            table.move_cursor(row=table.get_row_index(str(selected.index) if selected else DEFAULT_ROW))

    def choice_of(self, kind: str) -> str | None:
        """The device name under the cursor of ``kind``'s table (None: the system's default)."""
        table = self.query_one(f"#{kind}-devices", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((d.name for d in self.devices if str(d.index) == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_save()

    def save(self) -> None:
        if not self.devices:
            return
        choice = {kind: self.choice_of(kind) for kind in KINDS}

        def store() -> None:
            for kind, name in choice.items():
                save_device(kind, name)

        default = self.tr("devices.default.none")
        self.run_core(store, lambda _: self.dismiss(self.tr("devices.saved", input=choice["input"] or default,
                                                            output=choice["output"] or default)))


def _channels(device: AudioDevice, kind: str) -> int:
    return device.inputs if kind == "input" else device.outputs


def _is_default(device: AudioDevice, kind: str) -> bool:
    return device.is_default_input if kind == "input" else device.is_default_output


def _mark(chosen: bool) -> str:
    return "● " if chosen else "  "


__all__ = ["AUDIO_ACTIONS", "AudioActions", "DevicePickerModal"]
