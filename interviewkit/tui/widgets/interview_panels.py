"""The parts of the interview screen: the guide tree, the current question, the clock, the
time-runs-short suggestion, the recent notes and the session's participants.

Each shows an ``InterviewRun`` (``show(run, tr)``); none changes it.  Texts from the guide
and notes are never parsed as markup (guides write ``[Navn på kommunen]``).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static, Tree
from textual.widgets.tree import TreeNode

from interviewkit.consent import Participant
from interviewkit.interview import InterviewRun, clock_text

Translate = Callable[..., str]

STATE_ICONS = {"open": "○", "asked": "✓", "skipped": "✗", "later": "↺"}
STATE_STYLES = {"open": "", "asked": "green", "skipped": "red", "later": "yellow"}
PRIORITY_STYLES = {"must": "bold", "should": "", "optional": "dim"}
RECENT_NOTES = 6


class GuideTree(Tree[str]):
    """Sections (themes) and their questions; a question's node data is its id."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("guide", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self.guide_size = 0
        self.question_nodes: dict[str, TreeNode[str]] = {}
        self.section_nodes: dict[str, TreeNode[str]] = {}

    def build(self, run: InterviewRun, tr: Translate) -> None:
        self.clear()
        self.question_nodes.clear()
        self.section_nodes.clear()
        for section in run.guide.sections:
            node = self.root.add(self.section_label(run, section.id, tr), data=f"section:{section.id}", expand=True)
            self.section_nodes[section.id] = node
            for question in section.questions:
                self.question_nodes[question.id] = node.add_leaf(self.question_label(run, question.id, tr),
                                                                 data=question.id)
        self.follow(run)

    def section_label(self, run: InterviewRun, section_id: str, tr: Translate) -> Text:
        section = next(s for s in run.guide.sections if s.id == section_id)
        label = Text(run.text(section.title), style="bold")
        if section.budget_minutes is not None:
            label.append(f"  {section.budget_minutes:g} min", style="dim")
        return label

    def question_label(self, run: InterviewRun, question_id: str, tr: Translate) -> Text:
        _, question = run.find(question_id)
        state = run.state_of(question_id)
        label = Text()
        label.append("▸ " if question_id == run.current else "  ", style="bold")
        label.append(STATE_ICONS[state], style=STATE_STYLES[state])
        label.append(" ")
        label.append(tr(f"priority.{question.priority}"), style=PRIORITY_STYLES.get(question.priority, ""))
        label.append(" ")
        label.append(" ".join(run.text(question.text).split()))
        return label

    def relabel(self, run: InterviewRun, tr: Translate) -> None:
        for section_id, node in self.section_nodes.items():
            node.set_label(self.section_label(run, section_id, tr))
        for question_id, node in self.question_nodes.items():
            node.set_label(self.question_label(run, question_id, tr))

    def follow(self, run: InterviewRun) -> None:
        node = self.question_nodes.get(run.current or "")
        if node is not None:
            self.move_cursor(node)


class QuestionPanel(Vertical):
    """The current question, large, with its theme, priority, condition, note and probes."""

    def compose(self) -> ComposeResult:
        yield Label(id="question-section", markup=False)
        yield Label(id="question-meta", markup=False)
        yield Static(id="question-text", markup=False)
        yield Label(id="question-condition", markup=False)
        yield Label(id="question-note", markup=False)
        yield Static(id="probes", markup=False)

    def show(self, run: InterviewRun, tr: Translate, show_probes: bool) -> None:
        section, question = run.current_question()
        order = run.order()
        position = tr("interview.question", n=order.index(question.id) + 1, total=len(order))
        self.query_one("#question-section", Label).update(Content(f"{run.text(section.title)} · {position}"))
        state = run.state_of(question.id)
        meta = (f"{tr('interview.priority', priority=tr(f'priority.{question.priority}'))} · "
                f"{tr('interview.state', state=tr(f'qstate.{state}'))}")
        self.query_one("#question-meta", Label).update(Content(meta))
        self.query_one("#question-text", Static).update(Content(run.text(question.text)))
        self.set_class(state != "open", "done")
        condition = self.query_one("#question-condition", Label)
        condition.display = bool(question.condition)
        condition.update(Content(tr("interview.condition", text=question.condition or "")))
        note = self.query_one("#question-note", Label)
        note.display = bool(question.note)
        note.update(Content(tr("interview.note", text=question.note or "")))
        probes = self.query_one("#probes", Static)
        if not question.probes:
            probes.update(Content(tr("interview.probes.none")))
        elif show_probes:
            lines = [tr("interview.probes")] + [f"  • {run.text(probe)}" for probe in question.probes]
            probes.update(Content("\n".join(lines)))
        else:
            probes.update(Content(tr("interview.probes.hidden", count=len(question.probes))))
        probes.set_class(show_probes and bool(question.probes), "shown")


class ClockPanel(Vertical):
    """Total time against the plan, the current theme against its budget, the current question.

    Redrawn every tick: a label is updated only when its text changes.
    """

    def compose(self) -> ComposeResult:
        yield Label(id="clock-status", markup=False)
        yield Label(id="clock-total", markup=False)
        yield Label(id="clock-section", markup=False)
        yield Label(id="clock-question", markup=False)

    def show(self, run: InterviewRun, tr: Translate) -> None:
        none = tr("common.none")
        text = {"running": "● ", "paused": "‖ ", "ended": "■ ", "not-started": "○ "}[run.status]
        text += tr(f"istatus.{run.status}")
        if run.status == "not-started":
            text += " — " + tr("interview.start_hint")
        _set(self.query_one("#clock-status", Label), text).set_class(run.running, "running")
        elapsed = run.elapsed()
        planned = run.planned_seconds()
        total = tr("interview.total", elapsed=clock_text(elapsed),
                   planned=clock_text(planned) if planned is not None else none)
        _set(self.query_one("#clock-total", Label), total).set_class(planned is not None and elapsed > planned, "over")
        section = run.current_section_time()
        budget = clock_text(section.budget_seconds) if section.budget_seconds is not None else none
        text = tr("interview.section_time", elapsed=clock_text(section.seconds), budget=budget)
        _set(self.query_one("#clock-section", Label), text).set_class(section.over, "over")
        question_id = run.current or ""
        _set(self.query_one("#clock-question", Label),
             tr("interview.question_time", elapsed=clock_text(run.question_elapsed(question_id))))


class SuggestionPanel(Vertical):
    """Shown only when the open must questions need more time than is left: how short, which
    must questions are open (one line each), which others could be dropped."""

    def compose(self) -> ComposeResult:
        yield Label(id="suggestion-text", markup=False)
        yield Static(id="suggestion-list", markup=False)

    def show(self, run: InterviewRun, tr: Translate) -> None:
        suggestion = run.suggestion()
        if suggestion is None:
            if self.display:
                self.display = False
            return
        head = (tr("interview.short", remaining=clock_text(max(0.0, suggestion.remaining_seconds)),
                   needed=clock_text(suggestion.needed_seconds)) + "\n" + tr("interview.short.must"))
        lines = [f"• {_short(run, question_id)}" for question_id in suggestion.must_open[:6]]
        if len(suggestion.must_open) > 6:
            lines.append(f"… +{len(suggestion.must_open) - 6}")
        if suggestion.drop:
            lines.append(tr("interview.short.drop") + " " + ", ".join(suggestion.drop))
        _set(self.query_one("#suggestion-text", Label), head)
        _set(self.query_one("#suggestion-list", Static), "\n".join(lines))
        if not self.display:
            self.display = True

    @property
    def text(self) -> str:
        """Everything it says, as plain text."""
        return "\n".join(str(widget.render()) for widget in self.query("#suggestion-text, #suggestion-list"))


class NotesPanel(Static):
    """The latest notes, with their session-clock time and kind."""

    def show(self, run: InterviewRun, tr: Translate) -> None:
        if not run.notes:
            self.update(Content(tr("interview.notes.none")))
            return
        lines = [f"{clock_text(note.at)} [{tr(f'note.kind.{note.kind}')}] {' '.join(note.text.split())}"
                 for note in run.notes[-RECENT_NOTES:]]
        self.update(Content("\n".join(lines)))


class ParticipantsPanel(Static):
    """The session's people by code and role: never names."""

    def show(self, participants: list[Participant], tr: Translate) -> None:
        if not participants:
            self.update(Content(tr("interview.participants.none")))
            return
        lines = []
        for person in participants:
            line = f"{person.code:<6} {tr(f'role.{person.role}')}"
            if person.withdrawn:
                line += f" ({tr('status.withdrawn')})"
            lines.append(line)
        self.update(Content("\n".join(lines)))


def _set(label: Label | Static, text: str) -> Label | Static:
    """Update a label's text only if it changed (no needless redraw every tick)."""
    if getattr(label, "_shown_text", None) != text:
        label._shown_text = text  # type: ignore[attr-defined]
        label.update(Content(text))
    return label


def _short(run: InterviewRun, question_id: str) -> str:
    _, question = run.find(question_id)
    return " ".join(run.text(question.text).split())
