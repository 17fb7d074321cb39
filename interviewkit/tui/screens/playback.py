"""Listening to a session: its takes in a table (Enter opens one), and the player of the core
(``interviewkit.audio.player``): play and pause, seek by 5 and 30 seconds, speed 0.5–2.0 in
steps of a quarter, back to the start, a clock and a progress bar.  Resuming after a pause
replays the last second (the core's skip-back), so that no word is lost.

A take is decrypted into memory when opened (in a thread worker).  Every control runs in a
worker too (opening the sound device or the time-stretcher can take a moment), one at a time,
relative to where playback is when it runs.  The player is closed when the screen goes.

The transcript editor's playback keys (``interviewkit.tui.transport_keys``, with the user's
``editor_keys``) do the same things here, beside this screen's own single keys.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Label, ProgressBar

from interviewkit.audio.clock import clock
from interviewkit.audio.devices import chosen_device
from interviewkit.audio.player import Player, stepped_speed
from interviewkit.audio.store import AudioTake, list_takes
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.tui.base import BaseScreen, current_language, localize_bindings, localized
from interviewkit.tui.commands import PaletteCommand
from interviewkit.tui.transport_keys import TRANSPORT_KEYS, transport_keys

SEEK_SECONDS = 5.0
LONG_SEEK_SECONDS = 30.0

# This screen's actions that are the editor's transport actions (the same keys do them).
SHARED = {"toggle_play": "play_pause", "seek_back": "skip_back", "seek_forward": "skip_forward",
          "slower": "slower", "faster": "faster"}

# The actions of this screen, in footer and palette order: (action, keys).  The first key is shown;
# the shared keys of the transport actions follow this screen's own.
ACTIONS = (
    ("toggle_play", "space," + TRANSPORT_KEYS["play_pause"]),
    ("seek_back", "left," + TRANSPORT_KEYS["skip_back"]),
    ("seek_forward", "right," + TRANSPORT_KEYS["skip_forward"]),
    ("seek_back_long", "shift+left,left_square_bracket"),
    ("seek_forward_long", "shift+right,right_square_bracket"),
    ("slower", "minus," + TRANSPORT_KEYS["slower"]),
    ("faster", "plus,equals_sign," + TRANSPORT_KEYS["faster"]),
    ("seek_start", "home"),
    ("back", "escape"),
)
OWN_KEYS = {"toggle_play": "space", "seek_back": "left", "seek_forward": "right", "slower": "minus",
            "faster": "plus,equals_sign"}


# Left out of the footer for room (the screen shows every key; the palette offers every action).
FOOTER_HIDDEN = ("seek_back_long", "seek_forward_long")


def playback_bindings(custom: dict[str, str] | None = None) -> list[Binding]:
    """This screen's bindings; ``custom`` (the user's ``editor_keys``) replaces the shared keys of the
    transport actions, as in the editor.  The player's keys win over the takes table (whose arrows
    would move its cursor); up/down still pick a take."""
    bindings = []
    for action, keys in ACTIONS:
        if custom and action in SHARED and SHARED[action] in custom:
            keys = f"{OWN_KEYS[action]},{transport_keys(SHARED[action], custom)}"
        bindings.append(Binding(keys, action, action.replace("_", " "), show=action not in FOOTER_HIDDEN,
                                priority=action != "back"))
    return bindings


class PlaybackScreen(BaseScreen):
    UPDATE_SECONDS = 0.2  # how often the clock and the bar are redrawn
    AUTO_FOCUS = ""  # keys go to the player; Tab (or a click) enters the takes table
    BINDINGS = playback_bindings()

    def __init__(self, project: Project, session: Session) -> None:
        super().__init__()
        from interviewkit.tui.screens.editor import custom_keys  # the editor's key settings (it warns of errors)

        keys = {action: value for action, value in custom_keys()[0].items() if action in SHARED.values()}
        if keys:
            self._bindings = BindingsMap(playback_bindings(keys))
            localize_bindings(self, current_language())
        self.project = project
        self.session = session
        self.takes: list[AudioTake] = []
        self.player: Player | None = None
        self.take: AudioTake | None = None
        self.state = "none"  # none | loading | ready | failed
        self.control_lock = threading.Lock()  # one control at a time; held while closing
        self.closed = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield localized(Label(classes="section"), content="play.takes")
        yield DataTable(id="takes", cursor_type="row", zebra_stripes=True)
        with localized(Vertical(id="player"), border_title="play.player"):
            yield Label(id="play-take", markup=False)
            yield Label(id="play-state", markup=False)
            yield Label(id="play-clock", markup=False)
            yield ProgressBar(id="play-progress", show_eta=False, show_percentage=False)
            yield localized(Label(classes="hint"), content="play.keys")
            yield localized(Label(classes="hint"), content="play.keys.shared")
            yield Label(id="play-error", classes="error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_title()
        self.set_interval(self.UPDATE_SECONDS, self.render_player)
        project, session = self.project, self.session
        self.run_core(lambda: list_takes(project, session), self.takes_loaded, self.failed, busy=False)

    def set_title(self) -> None:
        self.title = self.tr("play.title", session=self.session.id)
        self.sub_title = self.project.index.study.title

    def localize(self) -> None:
        super().localize()
        self.set_title()
        self.render_takes()
        self.render_player()

    # -- the takes -----------------------------------------------------------------------

    def takes_loaded(self, takes: list[AudioTake]) -> None:
        self.takes = takes
        self.render_takes()
        if takes:
            self.open(takes[0])
        else:
            self.failed(self.tr("play.none"))

    def render_takes(self) -> None:
        table = self.query_one("#takes", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("play.col.take", "play.col.source", "play.col.length", "play.col.complete", "play.col.started"):
            table.add_column(self.tr(key), key=key)
        for take in self.takes:
            table.add_row(Text(take.id), self.tr(f"play.source.{take.source}"), clock(take.duration_seconds),
                          self.tr("common.yes" if take.complete else "common.no"),
                          take.started[:19].replace("T", " "), key=take.id)
        if self.takes:
            table.move_cursor(row=max(0, min(row, len(self.takes) - 1)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        take = next((t for t in self.takes if t.id == event.row_key.value), None)
        if take is not None and take is not self.take:
            self.open(take)

    def open(self, take: AudioTake) -> None:
        """Close the current take's player and decrypt ``take`` into a new one (in a worker)."""
        self.close_player()
        self.take, self.state = take, "loading"
        self.show_error("")
        self.render_player()
        project, session, device = self.project, self.session, chosen_device("output")
        self.run_core(lambda: Player.open(project, session, take.id, device=device),
                      lambda player: self.opened(take, player), self.failed, busy=False)

    def opened(self, take: AudioTake, player: Player) -> None:
        if self.closed or take is not self.take:  # left, or another take was chosen meanwhile
            player.close()
            return
        self.player, self.state = player, "ready"
        self.render_player()

    def failed(self, message: str) -> None:
        self.state = "failed" if self.take is not None else "none"
        self.show_error(message)
        self.render_player()

    def show_error(self, message: str) -> None:
        self.query_one("#play-error", Label).update(Content(message))

    # -- showing ----------------------------------------------------------------------------

    def render_player(self) -> None:
        player, take = self.player, self.take
        self.query_one("#play-take", Label).update(Content(
            self.tr("play.take", take=take.id, source=self.tr(f"play.source.{take.source}")) if take else ""))
        if player is None:
            state = {"loading": "play.state.loading"}.get(self.state)
            self.query_one("#play-state", Label).update(self.tr(state) if state else "")
            self.query_one("#play-clock", Label).update("")
            self.query_one("#play-progress", ProgressBar).update(total=None if self.state == "loading" else 1,
                                                                 progress=0)
            return
        state = "playing" if player.playing else "ended" if player.finished else "paused"
        status = self.query_one("#play-state", Label)
        status.update(self.tr(f"play.state.{state}"))
        status.set_class(state == "playing", "playing")
        position, duration = player.position, player.duration
        speed = self.number(f"{player.speed:.2f}")
        self.query_one("#play-clock", Label).update(Content(self.tr(
            "play.clock", position=clock(position), duration=clock(duration), speed=speed)))
        self.query_one("#play-progress", ProgressBar).update(total=max(duration, 0.001), progress=position)

    def number(self, text: str) -> str:
        return text.replace(".", ",") if self.lang == "nb" else text  # a decimal comma in bokmål

    # -- controls ---------------------------------------------------------------------------

    def control(self, job: Callable[[Player], Any], done: Callable[[Any], None] | None = None) -> None:
        """Run ``job`` on the player in a worker, one at a time; errors as one line."""
        player = self.player
        if player is None:
            if self.state == "loading":
                self.notify(self.tr("play.state.loading"))
            return

        def locked() -> Any:
            with self.control_lock:
                if self.closed or self.player is not player:
                    return None
                return job(player)

        def finished(value: Any) -> None:
            self.show_error("")
            self.render_player()
            if done is not None:
                done(value)

        self.run_core(locked, finished, self.control_failed, busy=False)

    def control_failed(self, message: str) -> None:
        self.show_error(message)
        self.notify(message, severity="error", timeout=10, markup=False)
        self.render_player()

    def action_toggle_play(self) -> None:
        self.control(lambda player: player.toggle())

    def seek_by(self, seconds: float) -> None:
        self.control(lambda player: player.seek(player.position + seconds))

    def action_seek_back(self) -> None:
        self.seek_by(-SEEK_SECONDS)

    def action_seek_forward(self) -> None:
        self.seek_by(SEEK_SECONDS)

    def action_seek_back_long(self) -> None:
        self.seek_by(-LONG_SEEK_SECONDS)

    def action_seek_forward_long(self) -> None:
        self.seek_by(LONG_SEEK_SECONDS)

    def action_seek_start(self) -> None:
        self.control(lambda player: player.seek(0.0))

    def change_speed(self, step: int) -> None:
        def job(player: Player) -> tuple[bool, float]:
            wanted = stepped_speed(player.speed, step)
            changed = wanted != player.speed
            player.speed = wanted
            return changed, wanted

        def done(result: tuple[bool, float] | None) -> None:
            if result is not None and not result[0]:
                self.notify(self.tr("play.speed.max" if step > 0 else "play.speed.min",
                                    speed=self.number(f"{result[1]:g}")))

        self.control(job, done)

    def action_slower(self) -> None:
        self.change_speed(-1)

    def action_faster(self) -> None:
        self.change_speed(1)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- closing ------------------------------------------------------------------------------

    def close_player(self) -> None:
        with self.control_lock:  # waits for a control that is running (it returns at once)
            player, self.player = self.player, None
            if player is not None:
                player.close()

    def on_unmount(self) -> None:
        self.closed = True
        self.close_player()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for action, _keys in ACTIONS:
            name = "close_playback" if action == "back" else action
            yield PaletteCommand(self.tr(f"cmd.{name}"), self.tr(f"cmd.{name}.help"), getattr(self, f"action_{action}"))
