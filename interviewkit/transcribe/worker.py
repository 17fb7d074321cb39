"""An engine in a worker process, so a screen stays responsive while the model works.

``EngineProcess`` has the ``Engine`` interface; the model lives in a child process (started with
``spawn``, so it shares no threads or locks with the parent).  The parent keeps the vault: it
decrypts audio into memory and sends the child speech as numpy arrays over a pipe; the child
answers with segments.  The child never sees a key or a file of the project, writes nothing,
and its output goes to /dev/null (it must not scribble on the terminal the TUI draws on).
``close()`` stops it at once, mid-chunk too: that is how a job is cancelled without waiting.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from interviewkit.errors import InterviewkitError
from interviewkit.transcribe.engines import TranscribeOptions, load_engine
from interviewkit.transcribe.models import ModelError, ModelRef
from interviewkit.transcribe.result import Segment

START_TIMEOUT = 600.0  # loading (and, the first time, joining or converting) a model


@contextlib.contextmanager
def _quiet_stdio() -> Iterator[None]:
    """Starting a process, multiprocessing hands ``sys.stderr``'s descriptor to its resource
    tracker; a running TUI has replaced ``sys.stdout``/``sys.stderr`` with objects that have
    none, and nothing may write on the terminal it draws anyway: /dev/null for the moment."""
    saved = sys.stdout, sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stdout = sys.stderr = devnull
        try:
            yield
        finally:
            sys.stdout, sys.stderr = saved


class EngineStopped(InterviewkitError):
    """The worker process ended (stopped by the user, or it crashed)."""


def _serve(connection: Connection, engine: str, model: ModelRef, device: str) -> None:
    """The child: load the engine, then answer requests until the pipe closes."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        worker = load_engine(engine, model, device)
    except InterviewkitError as error:
        connection.send(("error", type(error).__name__, error.where, error.problem, error.hint, error.code,
                         {key: str(value) for key, value in error.params.items()}))
        return
    except Exception as exc:  # noqa: BLE001 — reported to the parent as a model error
        connection.send(("error", "ModelError", str(model.path), f"the engine failed to start ({exc})", ""))
        return
    connection.send(("ready", worker.name, worker.device))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        kind, payload = request
        try:
            if kind == "transcribe":
                speech, options = payload
                connection.send(("ok", [s.to_dict() for s in worker.transcribe(speech, options)]))
            elif kind == "language":
                connection.send(("ok", worker.detect_language(payload)))
        except Exception as exc:  # noqa: BLE001 — the parent raises it as one line
            connection.send(("error", "ModelError", str(model.path), f"transcription failed ({exc})", ""))


class EngineProcess:
    """An ``Engine`` whose model runs in a child process."""

    def __init__(self, engine: str, model: ModelRef, device: str = "auto") -> None:
        context = multiprocessing.get_context("spawn")
        self.model = model
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, engine, model, device), daemon=True,
                                         name="interviewkit-engine")
        with _quiet_stdio():
            self._process.start()
        child.close()
        self._lock = threading.Lock()  # one call at a time on the pipe
        self._close_lock = threading.Lock()  # close() may come from any thread, any number of times
        self._closed = False
        reply = self._receive(START_TIMEOUT)
        self.name: str = reply[1]
        self.device: str = reply[2]

    def _receive(self, timeout: float | None = None) -> Any:
        try:
            if timeout is not None and not self._connection.poll(timeout):
                self.close()
                raise EngineStopped(self.model.name, "the transcription engine did not start in time",
                                    "check the model with: interviewkit models check",
                                    code="transcribe.engine_no_start", params={"model": self.model.name})
            reply = self._connection.recv()
        except (EOFError, OSError):
            raise EngineStopped(self.model.name, "the transcription stopped",
                                "what was done is kept; start it again to continue",
                                code="transcribe.stopped") from None
        if reply[0] == "error":
            raise ModelError(reply[2], reply[3], reply[4], code=reply[5] if len(reply) > 5 else "",
                             params=reply[6] if len(reply) > 6 else None)
        return reply

    def _call(self, kind: str, payload: Any) -> Any:
        with self._lock:
            if self._closed:
                raise EngineStopped(self.model.name, "the transcription stopped",
                                    "what was done is kept; start it again to continue", code="transcribe.stopped")
            try:
                self._connection.send((kind, payload))
            except (BrokenPipeError, OSError):
                raise EngineStopped(self.model.name, "the transcription engine has stopped",
                                    "start the transcription again", code="transcribe.engine_stopped") from None
            try:
                return self._receive()[1]
            finally:
                if self._closed:  # closed while this call waited: the pipe is ours to close now
                    self._close_connection()

    def transcribe(self, speech: np.ndarray, options: TranscribeOptions) -> list[Segment]:
        return [Segment.from_dict(s) for s in self._call("transcribe", (speech, options))]

    def detect_language(self, speech: np.ndarray) -> tuple[str, float]:
        language, probability = self._call("language", speech)
        return language, probability

    def close(self) -> None:
        """Stop the child now (a call in progress raises ``EngineStopped``).

        Safe from any thread and any number of times (the screen's Stop key, the job's own
        ``finally`` and the screen's unmount all close it, often at once).  The pipe's descriptor
        is closed exactly once, and never under a call still reading it: a descriptor closed
        twice is ``EBADF`` at best, and at worst closes a file some other thread has just opened
        under the same number.  A call in progress gets end-of-file from the ended child and
        closes the pipe itself on its way out."""
        with self._close_lock:  # one thread reaps the child; waitpid from two at once is a race too
            self._closed = True
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        if self._lock.acquire(blocking=False):  # no call is using the pipe
            try:
                self._close_connection()
            finally:
                self._lock.release()

    def _close_connection(self) -> None:
        with self._close_lock:
            if not self._connection.closed:
                self._connection.close()

    def __enter__(self) -> EngineProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
