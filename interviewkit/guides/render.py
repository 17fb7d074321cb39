"""A guide as readable text, for `interviewkit guide show` and for printing on paper."""

from __future__ import annotations

import textwrap

from interviewkit.guides.model import Guide, Wording, fill

MARKS = {"must": "!", "should": "·", "optional": "?"}

LABELS = {
    "en": {"introduction": "Introduction (read aloud)", "consent": "Before the recorder starts (read aloud)",
           "sections": "sections", "questions": "questions", "language": "language", "version": "version",
           "individual": "individual interview", "group": "group interview", "both": "individual or group",
           "note": "Note", "min": "min", "about": "about",
           "legend": "! must ask   · should ask   ? optional", "missing": "no value yet: {names}"},
    "nb": {"introduction": "Innledning (leses høyt)", "consent": "Før opptaket starter (leses høyt)",
           "sections": "deler", "questions": "spørsmål", "language": "språk", "version": "versjon",
           "individual": "individuelt intervju", "group": "gruppeintervju", "both": "individuelt eller gruppe",
           "note": "Merknad", "min": "min", "about": "ca.",
           "legend": "! må spørres   · bør spørres   ? valgfritt", "missing": "mangler verdi: {names}"},
}
LABELS["nn"] = LABELS["nb"]


def summary(guide: Guide) -> str:
    """'6 sections, 24 questions' (in English: for the CLI's own messages)."""
    return f"{len(guide.sections)} sections, {len(guide.questions())} questions"


def render_guide(guide: Guide, audience: str | None = None, values: dict[str, str] | None = None,
                 width: int = 100, ids: bool = False) -> str:
    """The guide as plain text: header, introduction, consent script, then each section with
    numbered questions (a priority mark in front, probes indented beneath)."""
    words = LABELS.get(guide.info.language, LABELS["en"])
    if audience is None:
        audience = guide.info.audience if guide.info.audience in ("individual", "group") else "individual"
    values = values or {}
    width = max(40, width)

    def text(wording: Wording) -> str:
        return fill(wording.for_audience(audience), values)

    def block(body: str, indent: str, first: str | None = None, gap: bool = False) -> list[str]:
        """Wrapped lines; each line break in the text starts a new paragraph (after a blank line if gap)."""
        lines: list[str] = []
        lead = indent if first is None else first
        for number, paragraph in enumerate(body.strip("\n").split("\n")):
            if gap and number:
                lines.append("")
            wrapped = textwrap.wrap(paragraph, width=width, initial_indent=lead, subsequent_indent=indent,
                                    break_on_hyphens=False) or [lead.rstrip()]
            lines += wrapped
            lead = indent
        return lines

    info = guide.info
    out = [info.title, "=" * min(len(info.title), width)]
    facts = [f"{words['language']} {info.language}", words.get(audience, audience),
             f"{words['version']} {info.version}", f"{len(guide.sections)} {words['sections']}",
             f"{len(guide.questions())} {words['questions']}"]
    if guide.total_budget_minutes():
        facts.append(f"{words['about']} {_minutes(guide.total_budget_minutes())} {words['min']}")
    out.append(" · ".join(facts))
    extra = [x for x in (info.author, info.date) if x]
    if extra:
        out.append(" · ".join(extra))
    missing = sorted(name for name in guide.placeholders() if name not in values)
    if missing:
        out.append(words["missing"].format(names=", ".join("{" + name + "}" for name in missing)))
    for key, wording in (("introduction", guide.introduction), ("consent", guide.consent_script)):
        if wording:
            out += ["", words[key], *block(text(wording), "    ", gap=True)]
    number = 0
    for section in guide.sections:
        heading = text(section.title)
        if section.kind == "theme":
            number += 1
            heading = f"{number}. {heading}"
        details = [section.id] if ids else []
        if section.budget_minutes:
            details.append(f"{_minutes(section.budget_minutes)} {words['min']}")
        out += ["", heading + (f"   [{' · '.join(details)}]" if details else "")]
        if section.note:
            out += block(section.note, "       ", f"   {words['note']}: ")
        for q_number, question in enumerate(section.questions, 1):
            label = f"{number}.{q_number}" if section.kind == "theme" else f"{q_number}."
            lead = f" {MARKS.get(question.priority, ' ')} {label} "
            indent = " " * len(lead)
            out += block(text(question.text) + (f"   [{question.id}]" if ids else ""), indent, lead)
            if question.condition:
                out += block(f"({question.condition})", indent)
            for probe in question.probes:
                out += block(text(probe), indent + "  ", indent + "– ")
            if question.note:
                out += block(f"{words['note']}: {question.note}", indent)
    out += ["", words["legend"]]
    return "\n".join(out) + "\n"


def _minutes(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""
