"""Work on every transcript of a project at once: search, search and replace, and speakers.

``transcribed_sessions`` opens each session that has a transcript (or a machine transcription to
build one from).  ``replace_in_project`` and ``rename_speaker_in_project`` change the transcripts
in memory first (so an invalid replacement changes nothing anywhere), then save each changed one
with a revision (the user can go back) and write one audit entry for the whole operation: counts
and speaker codes only, never the pattern, the replacement, a display name or any text.  Both read
and write under one hold of the project lock (the saves in a ``Project.writing()`` block inside
it), so their saves can never be stale (``base=None``) and never overwrite an editor's save made
in between; with nothing to change nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.transcript.editing import TranscriptEditor, compile_pattern
from interviewkit.transcript.store import open_transcript, save_transcript

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session
    from interviewkit.transcript.model import Transcript

CONTEXT_CHARS = 60  # characters of context shown around a match
SPEAKER_CODE = re.compile(r"^[\w.-]{1,20}$")
SPEAKERS_HINT = "see the speakers with: interviewkit transcript speakers PROJECT"


@dataclass(frozen=True)
class Match:
    session_id: str
    index: int  # segment index in the session's transcript
    offset: int  # character offset of the match in the segment's text
    length: int
    context: str  # about CONTEXT_CHARS characters around the match, on one line


def transcribed_sessions(project: Project) -> list[tuple[Session, Transcript]]:
    """Every session with a transcript or a transcription, in the index's order."""
    found = []
    for session in project.index.sessions:
        try:
            found.append((session, open_transcript(project, session)))
        except NotFound:
            continue
    return found


def check_pattern(pattern: str, regex: bool = False, case_sensitive: bool = False) -> re.Pattern[str]:
    """The compiled pattern; an empty one or an invalid regular expression raises InvalidInput."""
    if not pattern:
        raise InvalidInput("pattern", "the search pattern is empty", "give the text to look for",
                           code="editor.empty_pattern")
    return compile_pattern(pattern, regex, case_sensitive)


def _context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The match with the text around it, on one line, ``…`` where it was cut."""
    room = max(0, width - (end - start))
    before = max(0, start - room // 2)
    after = min(len(text), end + (room - (start - before)))
    before = max(0, min(before, after - width))
    shown = " ".join(text[before:after].split())
    return ("…" if before > 0 else "") + shown + ("…" if after < len(text) else "")


def search_transcripts(transcripts: list[tuple[Session, Transcript]], pattern: str, regex: bool = False,
                       case_sensitive: bool = False) -> list[Match]:
    """Every match in the given transcripts (empty matches of a regular expression are skipped)."""
    compiled = check_pattern(pattern, regex, case_sensitive)
    matches = []
    for session, transcript in transcripts:
        for index, segment in enumerate(transcript.segments):
            for found in compiled.finditer(segment.text):
                if found.end() == found.start():
                    continue
                matches.append(Match(session.id, index, found.start(), found.end() - found.start(),
                                     _context(segment.text, found.start(), found.end())))
    return matches


def search_project(project: Project, pattern: str, regex: bool = False, case_sensitive: bool = False) -> list[Match]:
    """Every match in every transcript of the project, session by session, in text order."""
    check_pattern(pattern, regex, case_sensitive)  # a bad pattern is reported before anything is decrypted
    return search_transcripts(transcribed_sessions(project), pattern, regex, case_sensitive)


def _save_all(project: Project, changed: list[tuple[Session, Transcript]], action: str, **details) -> None:
    """Save each changed transcript with a revision, and log one audit entry for all of them
    (call holding the project lock since the transcripts were read: nothing can have changed)."""
    with project.writing() as change:
        for session, transcript in changed:
            save_transcript(project, session, transcript, revision=True, base=None)
        change.log(action, f"project:{project.marker.project_id}", **details)


def replace_in_project(project: Project, pattern: str, replacement: str, regex: bool = False,
                       case_sensitive: bool = False, exclude: str | None = None) -> dict[str, int]:
    """Replace in every transcript (but session ``exclude``, which the editor changes itself);
    returns session id → replacements (changed sessions only)."""
    check_pattern(pattern, regex, case_sensitive)
    counts: dict[str, int] = {}
    with project.lock:
        project.reload()  # as it is now: read and written under this one hold of the lock
        changed = []
        for session, transcript in transcribed_sessions(project):
            if session.id == exclude:
                continue
            count = TranscriptEditor(transcript).replace_all(pattern, replacement, regex, case_sensitive)
            if count:
                counts[session.id] = count
                changed.append((session, transcript))
        if changed:
            _save_all(project, changed, "transcript.replace", sessions=len(changed), replaced=sum(counts.values()))
    return counts


def rename_speaker_in_project(project: Project, code: str, new_code: str | None = None,
                              name: str | None = None) -> dict[str, int]:
    """Give a speaker a new code and/or display name in every transcript; returns session id →
    segments whose code changed (every session whose transcript changed, 0 for a name only)."""
    new_code = (new_code or "").strip() or None
    if new_code is None and name is None:
        raise InvalidInput("rename-speaker", "nothing to change", "give --to NEW_CODE and/or --name NAME",
                           code="speaker.nothing_to_change")
    if new_code is not None and not SPEAKER_CODE.match(new_code):
        raise InvalidInput("--to", f"'{new_code}' is not a valid speaker code",
                           "use letters, digits, '.', '-' or '_' (at most 20), e.g. I, D1, T2",
                           code="speaker.bad_code", params={"code": new_code})
    counts: dict[str, int] = {}
    with project.lock:
        project.reload()  # as it is now: read and written under this one hold of the lock
        transcripts = [(session, transcript) for session, transcript in transcribed_sessions(project)
                       if code in transcript.speakers or any(s.speaker == code for s in transcript.segments)]
        if not transcripts:
            raise NotFound(code, "no segment has this speaker", SPEAKERS_HINT,
                           code="speaker.not_found", params={"code": code})
        changed = []
        for session, transcript in transcripts:  # only those with the speaker: a name is not added elsewhere
            segments = sum(1 for s in transcript.segments if s.speaker == code) if new_code not in (None, code) else 0
            editor = TranscriptEditor(transcript)
            editor.rename_speaker(code, new_code, name)
            if editor.revision:
                counts[session.id] = segments
                changed.append((session, transcript))
        if changed:
            _save_all(project, changed, "transcript.rename-speaker", code=code, new_code=new_code or code,
                      sessions=len(changed), segments=sum(counts.values()), name_changed=name is not None)
    return counts


def speakers_in_project(project: Project) -> dict[str, tuple[str | None, int]]:
    """Every speaker code used or named in the project's transcripts → (display name, segments)."""
    names: dict[str, str | None] = {}
    counts: dict[str, int] = {}
    for _, transcript in transcribed_sessions(project):
        for segment in transcript.segments:
            if segment.speaker:
                counts[segment.speaker] = counts.get(segment.speaker, 0) + 1
                names.setdefault(segment.speaker, None)
        for code, shown in transcript.speakers.items():
            if shown and not names.get(code):
                names[code] = shown
            counts.setdefault(code, 0)
    return {code: (names.get(code), counts[code]) for code in sorted(counts)}
