"""The processing record (behandlingsoversikt): what a methods chapter and a data-protection
record need, derived from the project index and the audit log, never from memory.

``processing_record`` renders it as Markdown in the project's language (bokmål for ``nb``/``nn``,
English otherwise).  The section headings are fixed (``HEADINGS``) so that tools and tests can
find them.  It names no participant: people appear as counts and dates, recipients as keys.
``erasure_report`` renders the report a steward gives a participant who withdrew (what
``interviewkit.archive.erasure`` erased, what was kept and why, which exports to replace).  The
wording of both lives in ``report_text``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from interviewkit.archive.erasure import exports_to_replace, is_gap, language, participant_sessions
from interviewkit.archive.report_text import ERASURE, HEADINGS, SECTIONS, TEXT, VALUES
from interviewkit.audio.store import take_dir
from interviewkit.audit import AuditEntry
from interviewkit.consent import get_participant
from interviewkit.errors import InvalidInput
from interviewkit.project import Project
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import TRANSCRIPT_FILE

__all__ = ["HEADINGS", "SECTIONS", "erasure_report", "processing_record"]

AUDIO_ACTIONS = {"audio.record": "microphone", "audio.import": "import"}
DETECTORS = "patterns, vocabulary, gazetteer, proper_nouns"


def _day(entry: AuditEntry) -> str:
    return entry.time[:10]


def _span(entries: list[AuditEntry]) -> str:
    days = sorted(_day(e) for e in entries)
    if not days:
        return "–"
    return days[0] if days[0] == days[-1] else f"{days[0]} – {days[-1]}"


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f}"


def _seconds(entries: Iterable[AuditEntry]) -> float:
    return sum(float(e.details.get("seconds") or 0) for e in entries)


def _takes(entries: Iterable[AuditEntry]) -> int:
    """How many takes the entries are about (a continued take has a second, ``continued`` entry)."""
    return len({e.target for e in entries})


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def _describe(item: Any) -> str:
    """One planned retention action: its label, state and what it deletes (else as it prints)."""
    if all(hasattr(item, name) for name in ("label", "when", "deletes")):
        return f"{item.label}: {item.when()}; {item.deletes}" + (f" ({item.note})" if getattr(item, "note", "") else "")
    return str(item)


class _Record:
    def __init__(self, project: Project, today: dt.date) -> None:
        self.project = project
        self.index = project.index
        self.study = project.index.study
        self.today = today
        self.lang = language(project)
        self.t = TEXT[self.lang]
        self.entries, self.problems = project.verify_audit()
        self.lines: list[str] = []

    def of(self, *actions: str) -> list[AuditEntry]:
        return [e for e in self.entries if e.action in actions or
                any(a.endswith(".*") and e.action.startswith(a[:-1]) for a in actions)]

    def v(self, value: object) -> str:
        """An index value in words (``delete-at-end`` → *slettes ved slutt*)."""
        return VALUES[self.lang].get(str(value), str(value))

    def counts(self, counter: Counter[str]) -> str:
        return ", ".join(f"{self.v(k)}: {n}" for k, n in sorted(counter.items())) or "–"

    def yes(self, value: bool) -> str:
        return self.t["yes"] if value else self.t["no"]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def render(self) -> str:
        t = self.t
        self.add(t["title"].format(title=self.study.title), "",
                 t["generated"].format(date=self.today.isoformat(), n=len(self.entries),
                                       check=t["verified"] if not self.problems else
                                       t["problems"].format(n=len(self.problems))))
        for key in SECTIONS:
            self.add("", HEADINGS[self.lang][key], "")
            getattr(self, f"_{key}")()
        return "\n".join(self.lines).rstrip() + "\n"

    def _study(self) -> None:
        t, s = self.t, self.study
        approvals = "; ".join(f"{a.kind.upper()} {a.reference}" + (f" ({a.date})" if a.date else "")
                              + (f", {a.note}" if a.note else "") for a in s.approvals) or "–"
        d = s.deletion
        policy = (f"{t['audio']}: {self.v(d.audio)}; {t['linkage_key']}: {self.v(d.linkage_key)}; "
                  f"{t['transcripts']}: {self.v(d.transcripts)}"
                  + (f"; {t['years_after_end'].format(n=d.years_after_end)}" if d.years_after_end else "")
                  + (f"; {d.event}" if d.event else ""))
        created = self.of("project.init")
        self.add(f"- {t['study_title']}: {s.title}", f"- {t['institution']}: {s.institution or '–'}",
                 f"- {t['responsible']}: {s.responsible or '–'}", f"- {t['approvals']}: {approvals}",
                 f"- {t['legal_basis']}: {self.v(s.legal_basis)}", f"- {t['end_date']}: {s.end_date or '–'}",
                 f"- {t['deletion_policy']}: {policy}", f"- {t['access_described']}: {', '.join(s.access) or '–'}",
                 f"- {t['created']}: {_span(created) if created else s.created}")

    def _recording(self) -> None:
        t = self.t
        kinds = Counter(s.kind for s in self.index.sessions)
        dates = sorted(s.date for s in self.index.sessions if s.date)
        roles = Counter(p.role for p in self.index.participants)
        modes = Counter(p.consent.mode for p in self.index.participants if p.role == "participant")
        self.add(f"- {t['sessions']}: {len(self.index.sessions)} ({self.counts(kinds)})"
                 + (f", {dates[0]} – {dates[-1]}" if dates else ""),
                 f"- {t['people']}: {self.counts(roles)}", f"- {t['consent_modes']}: {self.counts(modes)}")
        takes = self.of(*AUDIO_ACTIONS)
        if not takes:
            self.add(f"- {t['no_audio']}")
            return
        for action, source in AUDIO_ACTIONS.items():
            chosen = [e for e in takes if e.action == action]
            if chosen:
                self.add(f"- {t['takes_' + source].format(n=_takes(chosen), hours=_hours(_seconds(chosen)))}, "
                         f"{_span(chosen)}")
        self.add(f"- {t['audio_total'].format(n=_takes(takes), hours=_hours(_seconds(takes)))}")

    def _storage(self) -> None:
        self.add(self.t["storage"].format(files=len(self.project.vault_files()),
                                          key=self.project.marker.audit_public_key))

    def _access(self) -> None:
        from interviewkit.recipients import list_recipients

        t = self.t
        rows = [[f"`{r.key}`", t["project_key"] if r.project_key else
                 ("all" if r.data and r.linkage else "data" if r.data else "linkage")]
                for r in list_recipients(self.project)]
        self.add(*_table([t["key"], t["scope"]], rows), "")
        self.add(f"- {t['access_described']}: {', '.join(self.study.access) or '–'}")
        changes = self.of("keys.*")
        for e in changes:
            key = e.target.split(":", 1)[-1]
            what = {"keys.add-recipient": t["added"].format(scope=e.details.get("scope", "")),
                    "keys.remove-recipient": t["removed"], "keys.set-recovery": t["recovery"],
                    "keys.rotate": t["rotated"].format(old=e.details.get("old", "?"))}.get(e.action, e.action)
            self.add(f"- {_day(e)}: `{key}` {what}")
        if not changes:
            self.add(f"- {t['no_key_changes']}")

    def _transcription(self) -> None:
        t = self.t
        runs = self.of("transcribe")
        if not runs:
            self.add(f"- {t['no_transcription']}")
            return
        groups: dict[tuple[str, str, str], list[AuditEntry]] = {}
        for e in runs:
            d = e.details
            groups.setdefault((str(d.get("engine", "?")), str(d.get("model", "?")), str(d.get("language") or "?")),
                              []).append(e)
        rows = [[eng, model, lang, str(len(es)), _hours(_seconds(es)), _span(es)]
                for (eng, model, lang), es in sorted(groups.items())]
        self.add(*_table([t["engine"], t["model"], t["language"], t["takes"], t["hours"], t["dates"]], rows))
        edits = self.of("transcript.replace", "transcript.rename-speaker")
        self.add("", f"- {t['edits'].format(n=len(edits))}")

    def _anonymisation(self) -> None:
        t = self.t
        conventions = self.of("study.anonymisation")
        self.add(f"- {t['convention']}: {self.v(self.study.anonymisation)}"
                 + "".join(f" ({_day(e)}: {self.v(e.details.get('convention'))})" for e in conventions),
                 f"- {t['detectors']}: {DETECTORS}; {t['ner']}")
        decisions = self.of("anonymise.decide")
        status = Counter(str(e.details.get("status")) for e in decisions)
        entities = sum(int(e.details.get("entities") or 0) for e in decisions)
        occurrences = sum(int(e.details.get("occurrences") or 0) for e in decisions)
        self.add(f"- {t['decisions'].format(n=len(decisions), entities=entities, occurrences=occurrences)}"
                 + (f" ({', '.join(f'{k}: {n}' for k, n in sorted(status.items()))})" if status else "")
                 + (f", {_span(decisions)}" if decisions else ""),
                 f"- {t['relabels'].format(n=len(self.of('anonymise.relabel')))}; "
                 f"{t['terms'].format(n=len(self.of('anonymise.add-term')))}")
        destroyed = self.of("linkage.destroy")
        self.add(f"- {t['linkage_destroyed'].format(date=_day(destroyed[-1]))}" if destroyed
                 else f"- {t['linkage_kept']}")

    def _exports(self) -> None:
        t = self.t
        exports = self.of("export")
        if not exports:
            self.add(f"- {t['no_exports']}")
            return
        purpose = {"archive": "archive-purpose"} if self.lang == "no" else {}
        rows = [[_day(e), str(e.details.get("format", "")),
                 self.v(purpose.get(str(e.details.get("purpose", "")), e.details.get("purpose", ""))),
                 ", ".join(map(str, e.details.get("sessions", []))), self.yes(bool(e.details.get("identifiable"))),
                 self.yes(bool(e.details.get("encrypted")))] for e in exports]
        self.add(*_table([t["date"], t["format"], t["purpose"], t["sessions"], t["identifiable"], t["encrypted"]],
                         rows))

    def _withdrawals(self) -> None:
        t = self.t
        entries = self.of("participant.withdraw")
        dates = sorted(p.withdrawn for p in self.index.participants if p.withdrawn)
        listed = f" ({', '.join(dates)})" if dates else ""
        self.add(f"- {t['withdrawn'].format(n=len(dates), dates=listed)}")
        if entries:
            self.add(f"- {t['erasures'].format(n=len(entries), dates=_span(entries))}")

    def _deletions(self) -> None:
        t = self.t
        self.add(f"### {t['done']}", "")
        audio = self.of("audio.delete")
        done = []
        if audio:
            done.append(t["audio_deleted"].format(n=len(audio), hours=_hours(_seconds(audio)), dates=_span(audio)))
        done += [t["linkage_destroyed"].format(date=_day(e)) for e in self.of("linkage.destroy")]
        for e in self.of("transcript.delete", "session.erase", "retention.*"):
            counts = ", ".join(f"{k}: {v}" for k, v in sorted(e.details.items()) if isinstance(v, int | float | str))
            done.append(f"{_day(e)}: {e.action}" + (f" ({counts})" if counts else ""))
        self.add(*(f"- {line}" for line in done or [t["nothing"]]))
        self.add("", f"### {t['due']}", "")
        try:
            from interviewkit.archive.retention import planned_actions
        except ImportError:
            self.add(f"- {t['no_plan']}")
            return
        planned = list(planned_actions(self.project, self.today))
        self.add(*(f"- {_describe(item)}" for item in planned or [t["nothing"]]))


def processing_record(project: Project, today: dt.date | None = None) -> str:
    """The processing record of ``project`` as Markdown (see the module doc)."""
    return _Record(project, today or dt.date.today()).render()


def erasure_report(project: Project, code: str) -> str:
    """The participant's erasure report as Markdown: codes, session labels, counts and dates only."""
    participant = get_participant(project, code)
    lang = language(project)
    t = ERASURE[lang]
    if not participant.withdrawn:
        raise InvalidInput(code, t["not_withdrawn"].format(code=code), "withdraw the participant first",
                           code="participant.not_withdrawn", params={"code": code}, field="code")
    entries, _ = project.audit_entries()
    withdrawal = [e for e in entries if e.action == "participant.withdraw" and e.target == f"participant:{participant.id}"]
    entry = withdrawal[-1] if withdrawal else None
    erased = [str(k) for k in entry.details.get("erased", [])] if entry else []
    study = project.index.study
    lines = [t["title"].format(code=code), "", t["study"].format(title=study.title, institution=study.institution or "–"),
             "", t["when"].format(date=participant.withdrawn, time=entry.time if entry else "–",
                                  seq=entry.seq if entry else "–"), "", t["erased_h"], ""]
    lines += [f"- {t[kind]}" if kind in t else f"- {kind}" for kind in erased]
    lines += ["", t["sessions_h"], ""]
    takes = [e for e in entries if e.action in ("audio.record", "audio.import")]
    gaps_anywhere = False
    for session in participant_sessions(project, participant):
        logged = [e for e in takes if e.details.get("session") == session.key]
        gone = [e for e in logged if not take_dir(project, session, e.target.split(":", 1)[-1]).exists()]
        kept = len(logged) > len(gone)
        raw = project.load_session_file(session, TRANSCRIPT_FILE)
        if raw is None and not kept:
            minutes = f"{sum(float(e.details.get('seconds') or 0) for e in gone) / 60:.1f}"
            lines.append(f"- {t['own'].format(session=session.id, takes=_takes(gone), minutes=minutes)}")
            continue
        turns = 0
        if raw is not None:
            turns = sum(1 for s in Transcript.from_bytes(raw).segments if s.speaker == code and is_gap(s.text))
        gaps_anywhere = gaps_anywhere or turns > 0
        lines.append(f"- {t['shared'].format(session=session.id, turns=turns)}")
        if kept:
            lines.append(f"- {t['shared_audio'].format(session=session.id)}")
    lines += ["", t["kept_h"], "", f"- {t['kept_fact']}", f"- {t['kept_audit']}"]
    if gaps_anywhere:
        lines.append(f"- {t['kept_times']}")
    lines += ["", t["exports_h"], ""]
    exports = exports_to_replace(project, participant)
    if not exports:
        lines.append(t["exports_none"])
    else:
        words = VALUES[lang] | ({"archive": VALUES[lang].get("archive-purpose", "archive")})
        rows = [[x.time[:10], x.format, words.get(x.purpose, x.purpose), ", ".join(x.sessions), t["yes"] if x.identifiable else t["no"],
                 str(x.seq)] for x in exports]
        lines += [t["exports_intro"], "",
                  *_table([t["date"], t["format"], t["purpose"], t["sessions"], t["identifiable"], t["entry"]], rows)]
    return "\n".join(lines).rstrip() + "\n"
