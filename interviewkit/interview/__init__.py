"""Running an interview through a guide: the run (what was asked, skipped or left for later,
time per theme against its budget, notes), its storage with the session, and its summary.

Knows nothing of the screen (``interviewkit.tui.screens.interview``).
"""

from __future__ import annotations

from interviewkit.interview.clock import Clock, ManualClock, SystemClock, clock_text
from interviewkit.interview.guide_codec import GuideRecord, LoadedGuide, resolve_guide, shipped_guide_names
from interviewkit.interview.run import (
    DEFAULT_QUESTION_MINUTES,
    NOTE_KINDS,
    QUESTION_STATES,
    Event,
    InterviewRun,
    Note,
    QuestionState,
    SectionTime,
    StateChange,
    Suggestion,
)
from interviewkit.interview.store import (
    RUN_FILE,
    SaveQueue,
    audit_details,
    load_run,
    log_interview,
    new_run,
    record_end,
    record_start,
    save_run,
    save_run_bytes,
)
from interviewkit.interview.summary import InterviewSummary, QuestionLine, SectionSummary, summary, summary_markdown

__all__ = [
    "DEFAULT_QUESTION_MINUTES", "NOTE_KINDS", "QUESTION_STATES", "RUN_FILE", "Clock", "Event", "GuideRecord",
    "InterviewRun", "InterviewSummary", "LoadedGuide", "ManualClock", "Note", "QuestionLine", "QuestionState",
    "SaveQueue", "SectionSummary", "SectionTime", "StateChange", "Suggestion", "SystemClock", "audit_details",
    "clock_text", "load_run", "log_interview", "new_run", "record_end", "record_start", "resolve_guide", "save_run",
    "save_run_bytes",
    "shipped_guide_names", "summary", "summary_markdown",
]
