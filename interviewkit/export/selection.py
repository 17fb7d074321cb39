"""The consent gates: what of a project may leave it, for which purpose.

* Participants who withdrew are absent: their turns in group transcripts are left out, and a
  session that was theirs alone is not exported at all.
* For an ``archive`` export, participants without consent to archiving are left out the same way.
* Participants without consent to direct quotes stay in, their turns marked (every writer shows
  the mark).
* The text is the reviewed, de-identified transcript; an unreviewed session stops the export
  unless the caller accepts that, and identifiable text only on request (the audit log says so).
* Audio goes only when asked for, and only for sessions whose every speaker consented to audio
  (and, for an archive, to archiving).

What was kept out is listed in ``ExportProject.left_out`` by code and count, never by name.
The result holds no reference to the project: the writers see only what passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from interviewkit.audio.ffmpeg import convert
from interviewkit.audio.store import list_takes, read_pcm
from interviewkit.audit import current_actor
from interviewkit.consent import Participant
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.export.model import (
    PURPOSES,
    ExportAudio,
    ExportParticipant,
    ExportProject,
    ExportSegment,
    ExportSession,
)
from interviewkit.transcript.store import open_transcript

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session
    from interviewkit.transcript.model import Transcript


def _excluded(participant: Participant, purpose: str) -> str | None:
    """Why a participant is kept out of an export for ``purpose`` (None: they are in)."""
    if participant.withdrawn:
        return f"withdrew on {participant.withdrawn}"
    if purpose == "archive" and not participant.consent.items.get("archiving"):
        return "no consent to archiving"
    return None


def _text(project: Project, session: Session, identifiable: bool, unreviewed_ok: bool) -> Transcript:
    if identifiable:
        return open_transcript(project, session)
    from interviewkit.anonymise.review import analyse_session

    found = analyse_session(project, session)
    if not found.reviewed and not unreviewed_ok:
        raise InvalidInput(session.id, f"the anonymisation is not reviewed ({found.unresolved} detections open)",
                           "review it first (TUI: anonymise; CLI: interviewkit anonymise PROJECT SESSION), "
                           "or export it unreviewed on purpose",
                           code="export.not_reviewed", params={"session": session.id, "open": found.unresolved})
    return found.anonymised()


def _audio_reader(project: Project, session: Session, take_id: str) -> Callable[[], bytes]:
    def read() -> bytes:  # decrypted and encoded in memory, when the writer asks
        take = next(t for t in list_takes(project, session) if t.id == take_id)
        return convert(read_pcm(project, session, take), take.rate, take.channels, out_format="ogg")
    return read


def build_export(project: Project, *, sessions: list[str] | None = None, purpose: str = "analysis",
                 identifiable: bool = False, unreviewed_ok: bool = False, audio: bool = False) -> ExportProject:
    if purpose not in PURPOSES:
        raise InvalidInput("--purpose", f"unknown purpose '{purpose}'", f"use one of {', '.join(PURPOSES)}",
                           code="export.unknown_purpose", params={"value": purpose, "choices": ", ".join(PURPOSES)})
    index = project.index
    chosen = index.sessions
    if sessions:
        unknown = [s for s in sessions if index.find_session(s) is None]
        if unknown:
            raise NotFound(", ".join(unknown), "no such session", "see: interviewkit session list PROJECT",
                           code="export.unknown_sessions", params={"ids": ", ".join(unknown)})
        chosen = [s for s in index.sessions if s.id in sessions]
    by_id = {p.id: p for p in index.participants}
    excluded = {p.code: reason for p in index.participants if (reason := _excluded(p, purpose))}
    left_out = [f"{code}: {reason}" for code, reason in excluded.items()]
    out_sessions: list[ExportSession] = []
    for session in chosen:
        members = [by_id[pid] for pid in session.participants if pid in by_id]
        speakers = [p for p in members if p.role == "participant"]
        if speakers and all(p.code in excluded for p in speakers):
            left_out.append(f"{session.id}: not exported (its participants are left out)")
            continue
        try:
            transcript = _text(project, session, identifiable, unreviewed_ok)
        except NotFound:
            left_out.append(f"{session.id}: not transcribed")
            continue
        codes = {p.code: p for p in members}
        takes = list_takes(project, session)
        offsets, at = {}, 0.0
        for take in takes:
            offsets[take.id], at = at, at + take.duration_seconds
        segments = []
        dropped = 0
        for segment in transcript.segments:
            if segment.speaker in excluded:
                dropped += 1
                continue
            speaker = codes.get(segment.speaker or "")
            segments.append(ExportSegment(segment.start, segment.end, segment.speaker, segment.text, segment.take,
                                          offsets.get(segment.take, 0.0),
                                          speaker is None or bool(speaker.consent.items.get("quotes"))))
        if dropped:
            left_out.append(f"{session.id}: {dropped} turns of participants left out")
        session_audio: tuple[ExportAudio, ...] = ()
        if audio:
            needed = ("audio", "archiving") if purpose == "archive" else ("audio",)
            if members and all(p.consent.items.get(item) for p in members for item in needed) and not any(
                    p.code in excluded for p in members):
                session_audio = tuple(ExportAudio(t.id, t.duration_seconds, offsets[t.id],
                                                  _audio_reader(project, session, t.id)) for t in takes)
            elif takes:
                left_out.append(f"{session.id}: audio not exported (not everyone consented to it)")
        out_sessions.append(ExportSession(session.id, session.kind, session.date, transcript.language,
                                          tuple(p.code for p in members if p.code not in excluded), tuple(segments),
                                          session_audio))
    exported = {s.id for s in out_sessions}
    key_of = {s.key: s.id for s in index.sessions}
    participants = tuple(
        ExportParticipant(p.code, p.role, dict(p.consent.items),
                          tuple(key_of[k] for k in p.sessions if key_of.get(k) in exported))
        for p in index.participants if p.code not in excluded)
    study = index.study
    return ExportProject(study.title, study.institution, study.responsible, study.approval_summary(), study.language,
                         purpose, identifiable, current_actor(), dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                         participants, tuple(out_sessions), tuple(left_out))


def log_export(project: Project, export: ExportProject, fmt: str, encrypted: bool) -> None:
    """Every export is in the audit log (an erasure later knows which exports to replace)."""
    with project.writing() as change:
        change.log("export", f"project:{project.marker.project_id}", format=fmt, purpose=export.purpose,
                   sessions=[s.id for s in export.sessions], identifiable=export.identifiable, encrypted=encrypted,
                   left_out=len(export.left_out))
