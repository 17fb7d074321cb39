"""A batch transcription of a session's audio take: streamed from the vault, cut into chunks at
quiet moments, checkpointed (encrypted) after every chunk, cancellable and resumable.

Memory does not grow with the audio: the take is decrypted segment by segment and only the
chunk being transcribed (two minutes, ~8 MB) is held; what grows is the text (measured by
benchmarks/transcribe.py: 645 MiB peak for a 2-hour recording, ~2 MiB more per chunk).  A job that is cancelled, crashes or is
killed continues from its checkpoint; because chunk boundaries depend on the audio alone and
each chunk is decoded on its own with a fixed seed, the result equals an uninterrupted run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from interviewkit.audio import store as audio_store
from interviewkit.audio.reader import iter_audio
from interviewkit.audio.store import AudioTake
from interviewkit.errors import InterviewkitError, NotFound
from interviewkit.project import Project
from interviewkit.sessions import Session
from interviewkit.transcribe import store
from interviewkit.transcribe.chunking import BATCH, RATE, ChunkPlan, chunks, skip
from interviewkit.transcribe.engines import Engine, TranscribeOptions
from interviewkit.transcribe.pipeline import detect_language, transcribe_chunk
from interviewkit.transcribe.result import Segment, Transcription

READ_SECONDS = 10.0


class TranscriptionCancelled(InterviewkitError):
    """The user stopped the job; what was done is kept and the next run continues from there."""


@dataclass(frozen=True)
class Progress:
    done: float  # seconds of audio transcribed
    total: float
    elapsed: float  # seconds of work in this run
    resumed_from: float  # seconds already done when this run started
    new_segments: tuple[Segment, ...] = ()

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0

    @property
    def remaining(self) -> float | None:
        """Estimated seconds left, from this run's speed so far."""
        worked = self.done - self.resumed_from
        if worked <= 0 or self.elapsed <= 0:
            return None
        return (self.total - self.done) * self.elapsed / worked


ProgressCallback = Callable[[Progress], None]


def project_options(project: Project, language: str | None = None,
                    vocabulary: tuple[str, ...] = ()) -> TranscribeOptions:
    """Options from the project: its language unless one is given, its vocabulary and placeholder
    values (names of places and programmes) as the prompt."""
    from interviewkit.transcribe.engines import whisper_language

    study = project.index.study
    code = whisper_language(language if language is not None else study.language)
    words = (*study.vocabulary, *study.placeholders.values(), *vocabulary)
    return TranscribeOptions(language=code, vocabulary=tuple(w for w in words if w))


def _take(project: Project, session: Session, take: AudioTake | str | None) -> AudioTake:
    if isinstance(take, AudioTake):
        return take
    takes = audio_store.list_takes(project, session)
    if not takes:
        raise NotFound(session.id, "the session has no audio", "record or import audio first",
                       code="transcribe.no_audio", params={"session": session.id})
    if take is None:
        return takes[-1]
    found = [t for t in takes if t.id == take or t.id.startswith(take)]
    if len(found) != 1:
        raise NotFound(take, "no such take in the session" if not found else "the take id is ambiguous",
                       f"takes: {', '.join(t.id for t in takes)}",
                       code="audio.no_take" if not found else "transcribe.ambiguous_take",
                       params={"take": take, "session": session.id})
    return found[0]


def run_chunks(blocks: Iterable[np.ndarray], engine: Engine, options: TranscribeOptions, total: float,
               state: store.Checkpoint, progress: ProgressCallback | None = None,
               cancel: threading.Event | None = None, on_chunk: Callable[[], None] | None = None,
               plan: ChunkPlan = BATCH, where: str = "") -> None:
    """Transcribe ``blocks`` (the audio from ``state.next_sample`` on) chunk by chunk into
    ``state``; ``on_chunk`` runs after each (to save a checkpoint)."""
    resumed_from = state.next_sample / RATE
    started = time.monotonic()
    if state.language is not None:
        options = replace(options, language=state.language)

    def report(new: list[Segment]) -> None:
        if progress is not None:
            progress(Progress(min(state.next_sample / RATE, total), total, time.monotonic() - started,
                              resumed_from, tuple(new)))

    report([])
    for chunk in chunks(blocks, plan, first_index=state.next_index, start=state.next_sample):
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled(where, "transcription stopped",
                                         f"{state.next_sample / RATE:.0f} s of {total:.0f} s are done; "
                                         "run it again to continue",
                                         code="transcribe.cancelled",
                                         params={"done": round(state.next_sample / RATE), "total": round(total)})
        if options.language is None:
            found = detect_language(engine, chunk.audio, options.vad)
            if found is not None:
                options = replace(options, language=found[0])
                state.language = found[0]
        new = transcribe_chunk(engine, chunk.audio, options, chunk.start_seconds)
        state.segments.extend(new)
        state.next_index = chunk.index + 1
        state.next_sample = chunk.end
        if on_chunk is not None:
            on_chunk()
        report(new)


def transcribe_take(project: Project, session: Session, engine: Engine, options: TranscribeOptions,
                    take: AudioTake | str | None = None, progress: ProgressCallback | None = None,
                    cancel: threading.Event | None = None, restart: bool = False,
                    plan: ChunkPlan = BATCH) -> Transcription:
    """Transcribe one take (the latest when ``take`` is None), continuing any checkpoint."""
    take = _take(project, session, take)
    if not take.complete:
        take = audio_store.open_take(project, session, take.id)
    total = take.duration_seconds
    fresh = store.Checkpoint(take.id, engine.name, engine.model.name, options.to_dict())
    state = None if restart else store.load_checkpoint(project, session, take.id)
    if state is None or not state.matches(fresh):
        state = fresh
    blocks = skip(iter_audio(project, session, take, chunk_seconds=READ_SECONDS), state.next_sample)
    run_chunks(blocks, engine, options, total, state, progress, cancel,
               on_chunk=lambda: store.save_checkpoint(project, session, state), plan=plan, where=session.id)
    result = Transcription(state.segments, state.language or options.language, total, engine.name,
                           engine.model.name, state.options)
    store.save_transcription(project, session, take.id, result)
    store.remove(project, session, take.id, "progress")
    return result


def transcribe_blocks(blocks: Iterable[np.ndarray], engine: Engine, options: TranscribeOptions, total: float,
                      progress: ProgressCallback | None = None, cancel: threading.Event | None = None,
                      where: str = "", plan: ChunkPlan = BATCH) -> Transcription:
    """Transcribe audio that is not in a project (a plain file): no checkpoint."""
    state = store.Checkpoint("", engine.name, engine.model.name, options.to_dict())
    run_chunks(blocks, engine, options, total, state, progress, cancel, plan=plan, where=where)
    duration = state.next_sample / RATE
    return Transcription(state.segments, state.language or options.language, duration, engine.name,
                         engine.model.name, state.options)
