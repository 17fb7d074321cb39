"""An interview run on disk: one encrypted file per session (``sessions/<key>/interview.age``),
replaced atomically after every change, so that a closed or killed app resumes where it was.
Starting and ending an interview are recorded in the audit log (ids and counts only)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from interviewkit.guides.model import Guide
from interviewkit.interview.clock import Clock
from interviewkit.interview.guide_codec import GuideRecord
from interviewkit.interview.run import InterviewRun
from interviewkit.project import Project
from interviewkit.sessions import Session

RUN_FILE = "interview.age"


def new_run(project: Project, session: Session, guide: Guide, record: GuideRecord | None = None,
            planned_minutes: float | None = None, clock: Clock | None = None) -> InterviewRun:
    """A run for ``session``: group wording for a group session, placeholders from the study."""
    audience = "group" if session.kind == "group" else "individual"
    return InterviewRun.new(guide, clock=clock, record=record, audience=audience,
                            placeholders=dict(project.index.study.placeholders), planned_minutes=planned_minutes,
                            session_id=session.id)


def save_run(project: Project, session: Session, run: InterviewRun) -> None:
    project.save_session_file(session, RUN_FILE, run.to_bytes())


def save_run_bytes(project: Project, session: Session, data: bytes) -> None:
    project.save_session_file(session, RUN_FILE, data)


def load_run(project: Project, session: Session, clock: Clock | None = None) -> InterviewRun | None:
    raw = project.load_session_file(session, RUN_FILE)
    if raw is None:
        return None
    return InterviewRun.from_bytes(raw, clock, where=str(project.session_path(session, RUN_FILE)))


def audit_details(run: InterviewRun, action: str) -> dict[str, object]:
    """What the audit log records of a run: ids and counts, never texts."""
    if action == "interview.start":
        return {"guide_sha256": run.record.sha256, "guide_version": run.record.version,
                "questions": len(run.order()), "audience": run.audience}
    counts = run.counts()
    return {"guide_sha256": run.record.sha256, "asked": counts["asked"], "skipped": counts["skipped"],
            "later": counts["later"], "open": counts["open"], "notes": len(run.notes), "seconds": round(run.elapsed())}


def log_interview(project: Project, session: Session, action: str, details: dict[str, object]) -> None:
    """Append ``interview.start`` or ``interview.end`` to the audit log."""
    with project.writing() as change:
        change.log(action, f"session:{session.key}", **details)


def record_start(project: Project, session: Session, run: InterviewRun) -> None:
    """Audit ``interview.start`` and save the run (call after the first ``run.start()``)."""
    log_interview(project, session, "interview.start", audit_details(run, "interview.start"))
    save_run(project, session, run)


def record_end(project: Project, session: Session, run: InterviewRun) -> None:
    """Audit ``interview.end`` and save the run (call after ``run.end()``)."""
    log_interview(project, session, "interview.end", audit_details(run, "interview.end"))
    save_run(project, session, run)


class SaveQueue:
    """Writes the newest snapshot of a run, one write at a time, from worker threads.

    The screen serialises the run on its own thread after each change (fast) and calls
    ``put``; a worker then calls ``flush``.  Writes never overlap and an older snapshot is
    never written after a newer one.  Other project writes of the same screen go through
    ``exclusive`` (the project lock is per process, not per thread).
    """

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: bytes | None = None

    def put(self, data: bytes) -> None:
        with self._lock:
            self._pending = data

    @property
    def pending(self) -> bool:
        with self._lock:
            return self._pending is not None

    def flush(self) -> bool:
        """Write the newest pending snapshot, if any; True if one was written."""
        with self._write_lock:
            with self._lock:
                data, self._pending = self._pending, None
            if data is None:
                return False
            try:
                self._write(data)
            except BaseException:
                with self._lock:  # keep it for the next try, unless a newer one came
                    if self._pending is None:
                        self._pending = data
                raise
            return True

    def exclusive(self, job: Callable[[], object]) -> None:
        """Run ``job`` (another write to the project) between snapshot writes, then flush."""
        with self._write_lock:
            job()
        self.flush()
