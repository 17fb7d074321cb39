"""What an interview run amounts to: counts, time per theme against its budget, the must
questions left, the notes; and the same as Markdown in English or bokmål."""

from __future__ import annotations

from dataclasses import dataclass, field

from interviewkit.i18n import t
from interviewkit.interview.clock import clock_text
from interviewkit.interview.run import QUESTION_STATES, InterviewRun, Note


@dataclass
class SectionSummary:
    section_id: str
    title: str
    seconds: float
    budget_seconds: float | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def over(self) -> bool:
        return self.budget_seconds is not None and self.seconds > self.budget_seconds


@dataclass
class QuestionLine:
    id: str
    section_id: str
    text: str
    priority: str
    state: str
    seconds: float


@dataclass
class InterviewSummary:
    session_id: str | None
    guide_title: str
    guide_version: str
    guide_sha256: str
    audience: str
    status: str  # not-started | running | paused | ended
    started: str | None
    ended: str | None
    total_seconds: float
    planned_seconds: float | None
    counts: dict[str, int]
    sections: list[SectionSummary]
    questions: list[QuestionLine]
    notes: list[Note]

    @property
    def open_must(self) -> list[QuestionLine]:
        return [q for q in self.questions if q.priority == "must" and q.state not in ("asked", "skipped")]


def summary(run: InterviewRun) -> InterviewSummary:
    sections = []
    questions = []
    for section_time, section in zip(run.section_times(), run.guide.sections, strict=True):
        counts = dict.fromkeys(QUESTION_STATES, 0)
        for question in section.questions:
            state = run.state_of(question.id)
            counts[state] += 1
            questions.append(QuestionLine(question.id, section.id, run.text(question.text), question.priority, state,
                                          run.question_elapsed(question.id)))
        sections.append(SectionSummary(section.id, section_time.title, section_time.seconds,
                                       section_time.budget_seconds, counts))
    return InterviewSummary(session_id=run.session_id, guide_title=run.record.title, guide_version=run.record.version,
                            guide_sha256=run.record.sha256, audience=run.audience, status=run.status,
                            started=run.started, ended=run.ended, total_seconds=run.elapsed(),
                            planned_seconds=run.planned_seconds(), counts=run.counts(), sections=sections,
                            questions=questions, notes=list(run.notes))


STATE_MARKS = {"open": "○", "asked": "✓", "skipped": "✗", "later": "↺"}
COUNT_ORDER = ("asked", "skipped", "later", "open")


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def summary_markdown(result: InterviewSummary, lang: str = "en") -> str:
    """The summary as Markdown, headings and labels in ``lang`` (en or nb)."""
    def tr(key: str, **fmt: object) -> str:
        return t(key, lang, **fmt)

    none = tr("common.none")
    lines = [f"# {tr('summary.md.title', session=result.session_id or none)}", ""]
    lines.append(f"- {tr('summary.md.guide', title=_cell(result.guide_title), version=result.guide_version)}")
    lines.append(f"- {tr('summary.md.sha256', sha=result.guide_sha256)}")
    lines.append(f"- {tr('summary.md.audience', audience=tr(f'kind.{result.audience}'))}")
    lines.append(f"- {tr('summary.md.status', status=tr(f'istatus.{result.status}'))}")
    lines.append(f"- {tr('summary.md.started', when=result.started or none)}")
    lines.append(f"- {tr('summary.md.ended', when=result.ended or none)}")
    planned = clock_text(result.planned_seconds) if result.planned_seconds is not None else none
    lines.append(f"- {tr('summary.md.time', total=clock_text(result.total_seconds), planned=planned)}")
    lines += ["", f"## {tr('summary.questions')}", ""]
    lines.append("| " + " | ".join(tr(f"qstate.{s}") for s in COUNT_ORDER) + " |")
    lines.append("|" + "---:|" * len(COUNT_ORDER))
    lines.append("| " + " | ".join(str(result.counts.get(s, 0)) for s in COUNT_ORDER) + " |")
    lines += ["", f"## {tr('summary.sections')}", ""]
    lines.append(f"| {tr('summary.col.section')} | {tr('summary.col.time')} | {tr('summary.col.budget')} | "
                 f"{tr('summary.col.asked')} | {tr('summary.col.state')} |")
    lines.append("|---|---:|---:|---:|---|")
    for section in result.sections:
        budget = clock_text(section.budget_seconds) if section.budget_seconds is not None else none
        done = f"{section.counts.get('asked', 0)}/{sum(section.counts.values())}"
        state = tr("summary.over") if section.over else ""
        lines.append(f"| {_cell(section.title)} | {clock_text(section.seconds)} | {budget} | {done} | {state} |")
    open_must = result.open_must
    lines += ["", f"## {tr('summary.open_must')}", ""]
    if open_must:
        lines += [f"- {q.id}: {_cell(q.text)}" for q in open_must]
    else:
        lines.append(tr("summary.open_must.none"))
    lines += ["", f"## {tr('summary.question_list')}", ""]
    for q in result.questions:
        lines.append(f"- {STATE_MARKS[q.state]} **{q.id}** ({tr(f'priority.{q.priority}')}, {tr(f'qstate.{q.state}')}, "
                     f"{clock_text(q.seconds)}): {_cell(q.text)}")
    lines += ["", f"## {tr('summary.notes')}", ""]
    if result.notes:
        for note in result.notes:
            where = f" ({note.question})" if note.question else ""
            lines.append(f"- {clock_text(note.at)} [{tr(f'note.kind.{note.kind}')}]{where}: {_cell(note.text)}")
    else:
        lines.append(tr("summary.notes.none"))
    return "\n".join(lines) + "\n"
