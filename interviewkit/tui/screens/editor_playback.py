"""Playback in the transcript editor: the core ``Player`` of the cursor's take, opened in a
worker on the first play (audio to the chosen output device), driven one control at a time in
workers; a refusal (no device, no audio) is one line."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from interviewkit.audio.devices import chosen_device
from interviewkit.audio.player import Player, stepped_speed
from interviewkit.tui.screens.editor_modals import JumpModal

SKIP_SECONDS = 2.0


class EditorPlayback:
    """Mixin for the editor screen (a ``CoreWork`` with ``project``, ``session``, ``editor``,
    ``view``, ``segment()``, ``commit_edit()`` and ``render_status()``)."""

    player: Player | None = None
    player_take: str | None = None
    opening = False
    closed = False
    follow = True
    resume: Any = None  # EditorPlace: where the last visit stopped, for the first play of this one

    def init_playback(self) -> None:
        self.control_lock = threading.Lock()

    def segment(self) -> Any:
        if self.editor is None or not self.editor.transcript.segments:
            return None
        return self.editor.transcript.segments[min(self.view.cursor, len(self.editor.transcript.segments) - 1)]

    def control(self, job: Callable[[Player], Any], take: str | None = None) -> None:
        """Run ``job`` on the player of ``take`` (opened first if need be) in a worker, one at a time."""
        take = take or self.player_take
        if take is None or self.opening:
            return
        reopen = self.player is None or take != self.player_take
        project, session, device = self.project, self.session, chosen_device("output")
        self.opening = reopen

        def locked() -> None:
            with self.control_lock:
                if self.closed:
                    return
                if reopen:
                    if self.player is not None:
                        self.player.close()
                    self.player, self.player_take = None, None
                    player = Player.open(project, session, take, device=device)
                    self.player, self.player_take = player, take
                job(self.player)  # type: ignore[arg-type]

        def finished(_: object) -> None:
            self.opening = False
            self.show_error("")
            self.render_status()

        def failed(message: str) -> None:
            self.opening = False
            self.show_error(message)

        self.run_core(locked, finished, failed, busy=False)

    def heard_index(self) -> int | None:
        if self.player is None or self.editor is None or self.player_take is None:
            return None
        return self.editor.transcript.index_at(self.player_take, self.player.position)

    def action_play_pause(self) -> None:
        segment = self.segment()
        if segment is None:
            return
        if self.player is not None and self.player.playing:
            self.control(lambda p: p.pause())
        elif self.player is None or segment.take != self.player_take or self.heard_index() != self.view.cursor:
            start = self.play_from(segment)
            self.control(lambda p: p.play(start), take=segment.take)
        else:
            self.control(lambda p: p.play())

    def play_from(self, segment: Any) -> float:
        """Where playing the cursor's segment starts: where the last visit stopped, the first
        time and if the cursor is still on that segment; else the segment's start."""
        resume, self.resume = self.resume, None
        if resume is not None and resume.position is not None and resume.take == segment.take \
                and resume.segment_index(self.editor.transcript) == self.view.cursor:
            return float(resume.position)
        return float(segment.start)

    def action_replay(self) -> None:
        segment = self.segment()
        if segment is not None:
            self.control(lambda p: p.play(segment.start), take=segment.take)

    def action_skip_back(self) -> None:
        self.control(lambda p: p.seek(p.position - SKIP_SECONDS))

    def action_skip_forward(self) -> None:
        self.control(lambda p: p.seek(p.position + SKIP_SECONDS))

    def change_speed(self, step: int) -> None:
        def job(player: Player) -> None:
            player.speed = stepped_speed(player.speed, step)

        self.control(job)

    def action_slower(self) -> None:
        self.change_speed(-1)

    def action_faster(self) -> None:
        self.change_speed(1)

    def action_toggle_follow(self) -> None:
        self.follow = not self.follow
        self.render_status()

    def action_jump(self) -> None:
        def chosen(seconds: float | None) -> None:
            segment = self.segment()
            if seconds is None or segment is None or self.editor is None:
                return
            index = self.editor.transcript.index_at(self.player_take or segment.take, seconds)
            if index is not None:
                self.commit_edit()
                self.view.move_to(index)
            self.control(lambda p: p.seek(seconds), take=self.player_take or segment.take)

        self.app.push_screen(JumpModal(), chosen)

    def close_player(self) -> None:
        with self.control_lock:
            player, self.player = self.player, None
            if player is not None:
                player.close()
