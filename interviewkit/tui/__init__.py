"""interviewkit's terminal interface (Textual).  Entry point: ``run_tui``."""

from __future__ import annotations

from interviewkit.tui.app import InterviewkitApp, run_tui

__all__ = ["InterviewkitApp", "run_tui"]
