"""Errors of the audio module: each one line naming the place and the remedy."""

from __future__ import annotations

from interviewkit.errors import InterviewkitError


class AudioUnavailable(InterviewkitError):
    """PortAudio or ffmpeg is missing, or there is no (such) audio device."""


class MediaError(InterviewkitError):
    """A file to import is not usable: not media, corrupt, empty, or without an audio track."""


class ImportCancelled(InterviewkitError):
    """The user stopped an import; nothing of it was kept."""
