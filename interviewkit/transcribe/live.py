"""Live transcription: the draft grows while a take is being recorded.

``LiveTranscriber`` follows the take's encrypted segments as the recorder writes them, cuts the
audio into short chunks at pauses (``chunking.LIVE``), transcribes each and saves the draft
(encrypted, ``transcription/<take>.live.age``) after every chunk.  When the recording stops, the
take is closed, the reader reaches its end and the tail is transcribed: the draft is complete
moments after the interview ends.  A full pass afterwards (``job.transcribe_take``) gives the
best quality; the finished transcription then takes precedence over the draft.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from interviewkit.audio.reader import iter_audio
from interviewkit.errors import InterviewkitError
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.transcribe import store
from interviewkit.transcribe.chunking import LIVE, RATE, ChunkPlan
from interviewkit.transcribe.engines import Engine, TranscribeOptions
from interviewkit.transcribe.job import Progress, run_chunks
from interviewkit.transcribe.result import Segment, Transcription

READ_SECONDS = 1.0
Guard = Callable[[Callable[[], Any]], Any]


class LiveTranscriber:
    def __init__(self, project: Project, session: Session, take_id: str, engine: Engine,
                 options: TranscribeOptions, on_segments: Callable[[list[Segment]], None] | None = None,
                 on_error: Callable[[InterviewkitError], None] | None = None, guard: Guard | None = None,
                 plan: ChunkPlan = LIVE, poll_seconds: float = 0.5) -> None:
        self.project = project
        self.session = session
        self.take_id = take_id
        self.engine = engine
        self.options = options
        self.on_segments = on_segments
        self.on_error = on_error
        self.guard = guard or (lambda job: job())
        self.plan = plan
        self.poll_seconds = poll_seconds
        self.state = store.Checkpoint(take_id, engine.name, engine.model.name, options.to_dict())
        self.error: InterviewkitError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-transcription", daemon=True)

    @property
    def segments(self) -> list[Segment]:
        return list(self.state.segments)

    @property
    def done_seconds(self) -> float:
        return self.state.next_sample / RATE

    def start(self) -> LiveTranscriber:
        self._thread.start()
        return self

    def draft(self) -> Transcription:
        return Transcription(list(self.state.segments), self.state.language or self.options.language,
                             self.done_seconds, self.engine.name, self.engine.model.name, self.state.options)

    def _save(self) -> None:
        draft = self.draft()
        self.guard(lambda: store.save_transcription(self.project, self.session, self.take_id, draft, kind="live"))

    def _progress(self, progress: Progress) -> None:
        if progress.new_segments and self.on_segments is not None:
            self.on_segments(list(progress.new_segments))

    def _run(self) -> None:
        blocks = iter_audio(self.project, self.session, self.take_id, chunk_seconds=READ_SECONDS, follow=True,
                            stop=self._stop, poll_seconds=self.poll_seconds)
        try:
            run_chunks(blocks, self.engine, self.options, 0.0, self.state, self._progress, on_chunk=self._save,
                       plan=self.plan, where=self.session.id)
        except InterviewkitError as error:
            self.error = error
            if self.on_error is not None:
                self.on_error(error)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the draft is complete (the take closed and its tail transcribed)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def cancel(self) -> None:
        """Stop following the take now; the draft so far stays saved."""
        self._stop.set()
