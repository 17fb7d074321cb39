"""Retention: the study's deletion policy as dated actions, and carrying them out.

The policy (``study.deletion``) becomes actions, each due at the study's *end*: its
``end_date``, or, when the policy names an ``event`` ("when the thesis is delivered"), the date
the steward confirmed that event (``confirm_event``; an audit entry ``retention.event-confirmed``,
read back from the log).  Until then event-based actions wait.

- ``delete-audio`` (audio ``delete-at-end``; audio cannot be anonymised, so also ``anonymise-at-end``);
- ``destroy-linkage-key`` (linkage key ``delete-at-end``/``anonymise-at-end``);
- ``anonymise-transcripts`` (transcripts ``anonymise-at-end``): done *by* destroying the linkage
  key, which first replaces every transcript by its de-identified version;
- ``delete-transcripts`` (transcripts ``delete-at-end``);
- ``delete-everything`` at the end plus ``years_after_end`` years: every session folder and the
  linkage key's content go; marker, keys, index and audit log stay as proof.

Carrying actions out is all or nothing per project (``apply_actions``): every action's
preconditions are checked first (is it still due? can the keys at hand open and rewrite what it
needs: the linkage key for destroying it, the review, a policy that does not keep the key), and
the first refusal stops them all before anything is deleted.  The plan already says what it can
tell cheaply (``RetentionAction.blocked``: a steward with data access only cannot destroy the
linkage key, and is told who can).

Whether an action is done is derived from what exists (no take folder left, the key destroyed,
no session folder left), never from a flag.  Every deletion is written to the audit log (ids and
counts, never names), followed by one ``retention.apply`` entry per action carried out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewkit.anonymise.key_destruction import (
    DestructionPlan,
    destroy_linkage_key,
    linkage_refusal,
    plan_destruction,
)
from interviewkit.archive.discovery import ArchiveProject, open_archive
from interviewkit.audio.store import TAKE_ID, audio_dir, delete_take, open_take, remove_take_files
from interviewkit.errors import IdentityError, InterviewkitError, InvalidInput, VaultCorrupt
from interviewkit.linkage import LinkageKey
from interviewkit.project import LINKAGE_FILE, Credentials
from interviewkit.study import parse_date
from interviewkit.transcribe.store import DIRECTORY as TRANSCRIPTIONS_DIR
from interviewkit.transcript.store import REVISIONS_DIR, TRANSCRIPT_FILE

if TYPE_CHECKING:
    from interviewkit.project import Project
    from interviewkit.sessions import Session

KINDS = ("delete-audio", "destroy-linkage-key", "anonymise-transcripts", "delete-transcripts", "delete-everything")
# What delete-everything does too (it empties the linkage key without opening it, and deletes the
# transcripts): when it is carried out as well, these are left to it.
DONE_BY_EVERYTHING = ("destroy-linkage-key", "anonymise-transcripts")
STATES = ("done", "due", "overdue", "planned", "waiting-for-event")
OVERDUE_DAYS = 30         # due more than this long ago: overdue
EVENT_GRACE_DAYS = 90     # an event still unconfirmed this long after the end date: a warning
CLOCK_SLACK_DAYS = 1      # time zones: an audit time up to a day ahead is not a clock problem
EVENT_CONFIRMED = "retention.event-confirmed"
APPLIED = "retention.apply"
_SESSION_FILES = (TRANSCRIPT_FILE, REVISIONS_DIR, TRANSCRIPTIONS_DIR)


@dataclass(frozen=True)
class RetentionAction:
    kind: str                 # one of KINDS
    due: dt.date | None       # None: no end date, or an event not yet confirmed
    state: str                # one of STATES
    deletes: str              # what it deletes, in words: counts and hours, never names
    counts: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    # why the keys at hand cannot carry it out (None: they can, as far as planning tells)
    refusal: InterviewkitError | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.kind.replace("-", " ")

    @property
    def blocked(self) -> str:
        """The refusal in words ("" if none)."""
        return f"{self.refusal.problem}; {self.refusal.hint}" if self.refusal is not None else ""

    @property
    def pending(self) -> bool:
        """Due or overdue: the steward should carry it out now."""
        return self.state in ("due", "overdue")

    def when(self) -> str:
        """The state in words: 'overdue since 2025-06-30', 'planned for 2027-12-31' …"""
        if self.state in ("done", "waiting-for-event") or self.due is None:
            return {"done": "done", "waiting-for-event": "waiting for the event to be confirmed"}.get(
                self.state, "no date (the study has no end date)")
        return {"overdue": "overdue since", "due": "due since", "planned": "planned for"}[self.state] + f" {self.due}"


# -- what exists ---------------------------------------------------------------------------------

def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _duration(seconds: float) -> str:
    if seconds >= 360:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.0f} minutes" if seconds >= 60 else f"{seconds:.0f} seconds"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def _session_dirs(project: Project) -> list[Path]:
    folder = project.root / "sessions"
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []


def _take_dirs(project: Project) -> list[tuple[Session, str]]:
    found = []
    for session in project.index.sessions:
        folder = audio_dir(project, session)
        if folder.is_dir():
            found += [(session, p.name) for p in sorted(folder.iterdir()) if p.is_dir() and TAKE_ID.match(p.name)]
    return found


def _audio(project: Project) -> dict[str, Any]:
    """Takes, sessions with audio and seconds; a take whose index is damaged counts as unreadable."""
    takes = _take_dirs(project)
    seconds, unreadable = 0.0, 0
    for session, take_id in takes:
        try:
            seconds += open_take(project, session, take_id).duration_seconds
        except VaultCorrupt:
            unreadable += 1
    return {"takes": len(takes), "sessions": len({s.key for s, _ in takes}), "seconds": round(seconds, 1),
            "unreadable": unreadable}


def _transcribed(project: Project) -> list[Session]:
    return [s for s in project.index.sessions if any(project.session_path(s, n).exists() for n in _SESSION_FILES)]


def _keeps_key(project: Project) -> InvalidInput | None:
    """The refusal for a policy that anonymises the transcripts but keeps the linkage key."""
    policy = project.index.study.deletion
    if policy.linkage_key not in ("archive", "keep"):
        return None
    return InvalidInput("deletion policy", f"the policy keeps the linkage key ({policy.linkage_key}), but "
                        "anonymising the transcripts destroys it", "correct the policy first",
                        code="retention.keeps_linkage_key",
                        params={"kept": policy.linkage_key}, field="deletion-policy")


def _linkage(project: Project) -> tuple[bool | None, int, int]:
    """(destroyed, participants, pseudonym-map entries); destroyed is None when the key is unreadable."""
    try:
        key = project.linkage()
    except InterviewkitError:
        return None, 0, 0
    return (bool(key.anonymisation.get("destroyed")), len(key.entries),
            len(key.anonymisation.get("map", {}).get("entities", {})))


def event_confirmed(project: Project) -> dt.date | None:
    """The date of the policy's event as last confirmed in the audit log, or None."""
    try:
        entries, _ = project.audit_entries()
    except InterviewkitError:
        return None
    confirmed = [e for e in entries if e.action == EVENT_CONFIRMED and e.details.get("date")]
    return _date(confirmed[-1].details["date"]) if confirmed else None


def confirm_event(project: Project, date: dt.date | str) -> dt.date:
    """Record that the policy's event happened on ``date`` (audit ``retention.event-confirmed``)."""
    event = project.index.study.deletion.event.strip()
    if not event:
        raise InvalidInput("deletion policy", "the policy names no event to confirm",
                           "its actions are dated by the study's end date",
                           code="retention.no_event", field="deletion-policy")
    day = date if isinstance(date, dt.date) else _date(parse_date(date, "event date"))
    if day is None or day > dt.date.today():
        raise InvalidInput("event date", f"'{date}' is not a past date", "give the date the event happened",
                           code="retention.not_past_date", params={"value": date}, field="event-date")
    with project.writing() as change:
        change.log(EVENT_CONFIRMED, f"project:{project.marker.project_id}", date=day.isoformat())
    return day


# -- planning ------------------------------------------------------------------------------------

def _state(due: dt.date | None, done: bool, today: dt.date) -> str:
    if done:
        return "done"
    if due is None or due > today:
        return "planned"
    return "overdue" if (today - due).days > OVERDUE_DAYS else "due"


def planned_actions(project: Project, today: dt.date) -> list[RetentionAction]:
    """The deletion policy as dated actions, each with its state today and what it deletes."""
    study = project.index.study
    policy = study.deletion
    event = policy.event.strip()
    end = event_confirmed(project) if event else _date(study.end_date)
    actions: list[RetentionAction] = []
    cannot_sign = _sign_refusal(project)  # a key of scope data reads, but changes nothing

    def add(kind: str, due: dt.date | None, done: bool, deletes: str, counts: dict[str, Any], note: str = "",
            lasting: bool = False, refusal: InterviewkitError | None = None) -> None:
        refusal = cannot_sign or refusal
        # "nothing left" before the due date is not done (more may come); a destroyed key is for good
        done = done and (lasting or (due is not None and due <= today))
        state = "waiting-for-event" if event and end is None and not done else _state(due, done, today)
        if event and end is None:
            note = f"{note}; waiting for: {event}".strip("; ")
        actions.append(RetentionAction(kind, due, state, "nothing left" if done else deletes, counts, note,
                                       None if done else refusal))

    if policy.audio in ("delete-at-end", "anonymise-at-end"):
        audio = _audio(project)
        what = (f"{_n(audio['takes'], 'take')} in {_n(audio['sessions'], 'session')}, "
                f"{_duration(audio['seconds'])} of audio") + (f" ({audio['unreadable']} of unreadable length)"
                                                              if audio["unreadable"] else "")
        add("delete-audio", end, audio["takes"] == 0, what, audio,
            "a voice identifies: audio is deleted, not anonymised" if policy.audio == "anonymise-at-end" else "")
    destroyed, participants, entities = _linkage(project)
    # keys that cannot open the linkage key cannot count what is in it, nor destroy it
    refusal = (linkage_refusal(project) if destroyed is None else None) or _keeps_key(project)
    if policy.linkage_key in ("delete-at-end", "anonymise-at-end"):
        names = (f"names and contacts of {_n(participants, 'participant')}, {_n(entities, 'pseudonym-map entry')}"
                 if destroyed is not None else "the names and contacts in the linkage key (unreadable with this key: "
                 "not counted)")
        add("destroy-linkage-key", end, destroyed is True, names,
            {"participants": participants if destroyed is not None else None,
             "entities": entities if destroyed is not None else None},
            "the linkage key cannot be read with this key" if destroyed is None else "", lasting=True,
            refusal=refusal)
    transcribed = _transcribed(project)
    if policy.transcripts == "anonymise-at-end":
        add("anonymise-transcripts", end, destroyed is True,
            f"{_n(len(transcribed), 'transcript')} replaced by the de-identified version, revisions and "
            "machine transcriptions deleted", {"transcripts": len(transcribed)},
            "done together with destroy-linkage-key: destroying the key de-identifies the transcripts first",
            lasting=True, refusal=refusal)
    elif policy.transcripts == "delete-at-end":
        add("delete-transcripts", end, not transcribed, f"the transcripts of {_n(len(transcribed), 'session')}",
            {"transcripts": len(transcribed)})
    if policy.years_after_end is not None:
        folders = _session_dirs(project)
        add("delete-everything", _add_years(end, policy.years_after_end) if end else None,
            not folders and destroyed is not False,
            f"{_n(len(folders), 'session folder')} and the linkage key (marker, index and audit log stay)",
            {"sessions": len(folders)}, f"{policy.years_after_end} years after the end")
    if any(a.kind == "delete-everything" and a.pending for a in actions):  # no key to open: nothing stops them
        actions = [dataclasses.replace(a, refusal=cannot_sign,
                                       note=f"{a.note}; done by delete-everything".strip("; "))
                   if a.kind in DONE_BY_EVERYTHING and a.pending else a for a in actions]
    return actions


def _sign_refusal(project: Project) -> InterviewkitError | None:
    """Why the keys at hand cannot sign the audit entries every deletion needs (None: they can)."""
    try:
        project.signing_key()
    except IdentityError as error:
        if error.code == "project.read_only_key":  # the plan names the project and the action already
            return IdentityError("", error.problem, error.hint, code=error.code)
        raise
    return None


def next_action(project: Project, today: dt.date) -> str:
    """One line for the status listing: the most urgent open action."""
    actions = planned_actions(project, today)
    if not actions:
        return "nothing planned (the policy keeps everything)"
    open_ = [a for a in actions if a.state != "done"]
    if not open_:
        return "nothing left to do"
    rank = {"overdue": 0, "due": 1, "planned": 2, "waiting-for-event": 3}
    first = min(open_, key=lambda a: (rank[a.state], a.due or dt.date.max))
    more = sum(1 for a in open_ if a is not first and a.pending)
    return f"{first.label}: {first.when()}" + (f" (+{more} more due)" if more else "")


def retention_warnings(project: Project, today: dt.date) -> list[str]:
    """Dates that cannot be right, and what the policy lacks; one line each, no names."""
    study = project.index.study
    policy = study.deletion
    end = _date(study.end_date)
    dated = sorted(d for d in (_date(s.date) for s in project.index.sessions) if d is not None)
    warnings: list[str] = []
    if end is None:
        warnings.append("no end date: the deletion policy cannot be dated — set the study's end date")
    elif dated and dated[-1] > end:
        late = sum(1 for d in dated if d > end)
        warnings.append(f"the end date {end} is before the last session ({dated[-1]}): {_n(late, 'session')} "
                        "dated after the end date — correct the end date or the session dates")
    if not study.approvals:
        warnings.append("no approval reference (Sikt/NSD/REK) — record the approval the study runs under")
    if policy.event.strip() and end is not None and event_confirmed(project) is None \
            and (today - end).days > EVENT_GRACE_DAYS:
        warnings.append(f"the deletion event ({policy.event.strip()}) is still not confirmed, "
                        f"{(today - end).days} days after the end date {end} — confirm it or correct the policy")
    if policy.transcripts == "anonymise-at-end" and policy.linkage_key in ("archive", "keep"):
        warnings.append("the policy anonymises the transcripts but keeps the linkage key: anonymising destroys "
                        "the key — correct the policy")
    future = [d for d in dated if d > today]
    if future:
        warnings.append(f"{_n(len(future), 'session')} dated in the future (the last {future[-1]}): "
                        "a date or this computer's clock is wrong")
    try:
        entries, _ = project.audit_entries()
    except InterviewkitError as error:
        return [*warnings, f"the audit log cannot be read ({error.problem})"]
    limit = today + dt.timedelta(days=CLOCK_SLACK_DAYS)
    ahead = [e.time[:10] for e in entries if e.time[:10] > limit.isoformat()]
    if ahead:
        warnings.append(f"{_n(len(ahead), 'audit entry')} dated after today (the last {max(ahead)}): the clocks "
                        "of the computers that wrote the project disagree")
    return warnings


def due_actions(root: Path, credentials: Credentials, today: dt.date,
                problems: list[str] | None = None) -> list[tuple[ArchiveProject, RetentionAction]]:
    """Every due or overdue action in the archive.  Projects that cannot be opened (encrypted to
    someone else, damaged) are skipped; their one-line problem goes to ``problems`` if given."""
    found: list[tuple[ArchiveProject, RetentionAction]] = []
    for entry in open_archive(root, credentials):
        try:
            if entry.project is None:
                raise InvalidInput(entry.path, entry.problem or "cannot be opened",
                                   code="retention.cannot_open", params={"detail": entry.problem or "cannot be opened"})
            found += [(entry, a) for a in planned_actions(entry.project, today) if a.pending]
        except InterviewkitError as error:
            if problems is not None:
                problems.append(entry.problem or str(error))
    return found


def by_project(found: list[tuple[ArchiveProject, RetentionAction]]
               ) -> list[tuple[ArchiveProject, list[RetentionAction]]]:
    """``due_actions``' list as each project's actions (in the order found): they are carried out
    together, all or none (``apply_actions``)."""
    grouped: dict[Path, tuple[ArchiveProject, list[RetentionAction]]] = {}
    for entry, action in found:
        grouped.setdefault(entry.path, (entry, []))[1].append(action)
    return list(grouped.values())


def refusal_of(actions: list[RetentionAction]) -> str:
    """Why a project's actions cannot be carried out with the keys at hand, as far as the plan
    tells ("" if nothing stops them): the first blocked action, in words."""
    blocked = next((a for a in actions if a.blocked), None)
    return f"{blocked.label}: {blocked.blocked}" if blocked else ""


# -- carrying out ----------------------------------------------------------------------------

def _files(path: Path) -> int:
    return sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else int(path.is_file())


@dataclass
class _Checked:
    """What the preconditions worked out, for the actions to use."""

    unreviewed_ok: bool
    destruction: DestructionPlan | None = None
    everything: bool = False  # delete-everything is carried out too: DONE_BY_EVERYTHING are left to it


def _delete_audio(project: Project, today: dt.date, checked: _Checked) -> dict[str, Any]:
    takes, seconds, unreadable = _take_dirs(project), 0.0, 0
    for session, take_id in takes:
        try:
            length = open_take(project, session, take_id).duration_seconds
        except VaultCorrupt:  # a damaged take index: delete the files all the same
            with project.writing() as change:
                remove_take_files(project, session, take_id)
                change.log("audio.delete", f"take:{take_id}", session=session.key, seconds=None, unreadable=True)
            unreadable += 1
            continue
        delete_take(project, session, take_id)  # logs audio.delete
        seconds += length
    return {"takes": len(takes), "seconds": round(seconds, 1), "unreadable": unreadable}


def _check_destroy(project: Project, checked: _Checked) -> None:
    """Destroying the key (or anonymising by destroying it): the policy, the keys, the review."""
    refusal = _keeps_key(project)
    if refusal is not None:
        raise refusal
    if checked.destruction is not None:
        return
    try:
        checked.destruction = plan_destruction(project, checked.unreviewed_ok)
    except InvalidInput as error:
        raise InvalidInput(error.where, error.problem,
                           "review them first (interviewkit anonymise PROJECT SESSION), or go ahead without "
                           "review — names the review has not caught would stay in the transcripts",
                           code="retention.not_reviewed", params={"sessions": error.where}) from None


def _destroy_key(project: Project, today: dt.date, checked: _Checked) -> dict[str, Any]:
    _, participants, entities = _linkage(project)
    transcripts = len(_transcribed(project))
    _check_destroy(project, checked)
    try:
        destroy_linkage_key(project, checked.unreviewed_ok, checked.destruction)
    except VaultCorrupt:  # its closing count of the audio left met a damaged take: the key is gone all the same
        if _linkage(project)[0] is not True:
            raise
    return {"participants": participants, "entities": entities, "transcripts": transcripts}


def _delete_transcripts(project: Project, today: dt.date, checked: _Checked) -> dict[str, Any]:
    sessions, files = 0, 0
    for session in _transcribed(project):
        paths = [project.session_path(session, n) for n in _SESSION_FILES]
        count = sum(_files(p) for p in paths)
        with project.writing() as change:
            for path in paths:
                project.remove_path(path)
            change.log("transcript.delete", f"session:{session.key}", files=count)
        sessions, files = sessions + 1, files + count
    return {"sessions": sessions, "files": files}


def _delete_everything(project: Project, today: dt.date, checked: _Checked) -> dict[str, Any]:
    sessions, files = 0, 0
    for folder in _session_dirs(project):
        count = _files(folder)
        with project.writing() as change:  # one folder, one entry: nothing goes unlogged
            project.remove_path(folder)
            change.log("session.erase", f"session:{folder.name}", files=count)
        sessions, files = sessions + 1, files + count
    destroyed, participants, entities = _linkage(project)
    if destroyed is not True:  # written afresh: this works even for a key this steward cannot read
        with project.writing() as change:
            project.write_file(LINKAGE_FILE, LinkageKey(anonymisation={"destroyed": today.isoformat()}).to_bytes())
            change.log("linkage.destroy", f"project:{project.marker.project_id}", participants=participants,
                       entities=entities, transcripts=0, unreviewed=0)
    return {"sessions": sessions, "files": files, "linkage_destroyed": destroyed is not True}


_CARRY = {"delete-audio": _delete_audio, "destroy-linkage-key": _destroy_key, "anonymise-transcripts": _destroy_key,
          "delete-transcripts": _delete_transcripts, "delete-everything": _delete_everything}


_CHECK = {"destroy-linkage-key": _check_destroy, "anonymise-transcripts": _check_destroy}


def _current(project: Project, kind: str, today: dt.date) -> RetentionAction:
    current = next((a for a in planned_actions(project, today) if a.kind == kind), None)
    if current is None:
        raise InvalidInput(kind, "the deletion policy plans no such action", "see the planned actions",
                           code="retention.not_planned")
    return current


def apply_actions(project: Project, actions: list[RetentionAction], today: dt.date,
                  unreviewed_ok: bool = False) -> list[str]:
    """Carry out a project's due actions, all or none; returns one line per action.

    Every action's preconditions are checked first, under the project lock held to the end: that
    it is still planned and due (one already done is a no-op), that the keys at hand can sign the
    audit log, and what it needs besides (destroying the linkage key: keys that open it, every
    session reviewed unless ``unreviewed_ok``, a policy that does not keep the key).  The first
    refusal is raised before anything is deleted.  With delete-everything among them, destroying
    the linkage key and anonymising are left to it (it needs no key that opens the linkage key)."""
    with project.writing():
        project.signing_key()  # every deletion is an audit entry
        checked = _Checked(unreviewed_ok)
        current = [_current(project, action.kind, today) for action in actions]
        checked.everything = any(a.kind == "delete-everything" and a.pending for a in current)
        for action in current:
            if action.state == "done" or (checked.everything and action.kind in DONE_BY_EVERYTHING):
                continue
            if not action.pending:
                raise InvalidInput(action.kind, f"not due: {action.when()}",
                                   "correct the end date (or confirm the event) if the study ended early",
                                   code="retention.not_due", params={"when": action.when()})
            if action.kind in _CHECK:
                _CHECK[action.kind](project, checked)
        return [_carry_out(project, action.kind, today, checked) for action in actions]


def _carry_out(project: Project, kind: str, today: dt.date, checked: _Checked) -> str:
    current = _current(project, kind, today)
    if current.state == "done":
        return f"{current.label}: already done — nothing to do"
    if checked.everything and kind in DONE_BY_EVERYTHING:
        return f"{current.label}: left to delete everything, which empties the linkage key and deletes the transcripts"
    counts = _CARRY[current.kind](project, today, checked)
    with project.writing() as change:
        change.log(APPLIED, f"project:{project.marker.project_id}", kind=current.kind,
                   due=current.due.isoformat() if current.due else None, state=current.state, **counts)
    return f"{current.label}: done ({current.deletes})"


def apply_action(project: Project, action: RetentionAction, today: dt.date, unreviewed_ok: bool = False) -> str:
    """Carry out one due action (``apply_actions`` with one); returns one line.  An action already
    done is a no-op; one not yet due is refused.  ``unreviewed_ok`` lets the linkage key go before
    every session is reviewed."""
    return apply_actions(project, [action], today, unreviewed_ok)[0]
