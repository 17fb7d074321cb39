"""The parts of the anonymisation screen: the entities found, one entity's occurrences in
context, the indirect-identifier warnings, the status line and the de-identified preview.

Each panel draws from a ``SessionAnonymisation`` (``interviewkit.anonymise.review``) in a given
language and keeps its cursor on the same row (by key) when redrawn.  Speakers are shown by
their codes only: the transcript's display names are names.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from interviewkit.anonymise.review import Occurrence, SessionAnonymisation
from interviewkit.i18n import t
from interviewkit.transcript.model import Transcript
from interviewkit.tui.widgets.transcript_view import hms

MARKS = {"pending": "?", "accepted": "✓", "rejected": "✗", "ask": "⚑"}
STYLES = {"pending": "yellow", "accepted": "green", "rejected": "dim", "ask": "magenta"}
CONTEXT_WIDTH = 28  # characters of context on either side of a match
OCCURRENCE_CYCLE = ("accepted", "rejected", "ask")  # ``o`` on one occurrence, then back to its entity's


def decision(status: str, lang: str) -> Text:
    """A decision as a mark and a word, e.g. ``✓ replace``."""
    return Text(f"{MARKS.get(status, '?')} {t(f'anonymise.decision.{status}', lang)}", style=STYLES.get(status, ""))


def snippet(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> Text:
    """``…before [match] after…`` on one line, the match highlighted, the spacing kept."""
    before = " ".join(text[max(0, start - width):start].split())
    after = " ".join(text[end:end + width].split())
    out = Text("…" if start > width else "")
    out.append(before + (" " if before and text[start - 1].isspace() else ""))
    out.append(f"[{' '.join(text[start:end].split())}]", style="bold reverse")
    out.append((" " if after and text[end].isspace() else "") + after)
    if end + width < len(text):
        out.append("…")
    return out


class KeyedTable(DataTable):
    """A row-cursor table that is redrawn whole and keeps its cursor on the same row key
    (or, when that row is gone, at the same position)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def selected_key(self) -> str | None:
        if self.row_count == 0 or self.cursor_row < 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def select_key(self, key: str | None) -> bool:
        if key is None:
            return False
        try:
            self.move_cursor(row=self.get_row_index(key))
        except RowDoesNotExist:
            return False
        return True

    def redraw(self, columns: tuple[str, ...], rows: list[tuple[str, list[object]]], lang: str,
               keep: str | None = None, position: int | None = None) -> None:
        """Redraw; the cursor stays on ``keep`` (default: the row it is on), else at ``position``
        (default: where it is)."""
        position = self.cursor_row if position is None else position
        keep = self.selected_key() if keep is None else keep
        self.clear(columns=True)
        for key in columns:
            self.add_column(t(key, lang), key=key)
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not self.select_key(keep) and self.row_count:
            self.move_cursor(row=min(max(position, 0), self.row_count - 1))


class EntityTable(KeyedTable):
    """One row per entity of the session, in order of first appearance in the transcript."""

    COLUMNS = ("anonymise.col.decision", "anonymise.col.label", "anonymise.col.type", "anonymise.col.count",
               "anonymise.col.forms")

    def show(self, found: SessionAnonymisation, lang: str, keep: str | None = None) -> None:
        rows: list[tuple[str, list[object]]] = []
        for entity, occurrences in found.groups():
            forms = list(dict.fromkeys(" ".join(o.text.split()) for o in occurrences))
            rows.append((entity.id, [decision(entity.status, lang), Text(found.map.replacement(entity, entity.name)),
                                     t(f"anonymise.type.{entity.type}", lang), str(len(occurrences)),
                                     Text(", ".join(forms))]))
        self.redraw(self.COLUMNS, rows, lang, keep)


class OccurrenceTable(KeyedTable):
    """Where the selected entity occurs: time, speaker code, context, and a decision of its own."""

    COLUMNS = ("anonymise.col.time", "anonymise.col.speaker", "anonymise.col.own", "anonymise.col.context")

    entity_id: str | None = None  # whose occurrences are shown

    def show(self, found: SessionAnonymisation | None, entity_id: str | None, lang: str) -> None:
        """The entity's occurrences; another entity than before starts at its first."""
        fresh = entity_id != self.entity_id
        self.entity_id = entity_id
        rows: list[tuple[str, list[object]]] = []
        for occurrence in found.occurrences if found is not None else []:
            if occurrence.entity_id != entity_id:
                continue
            segment = found.transcript.segments[occurrence.segment]  # type: ignore[union-attr]
            own = own_decision(found, occurrence)  # type: ignore[arg-type]
            rows.append((occurrence.key, [f"[{hms(segment.start)}]", Text(segment.speaker or ""),
                                          decision(own, lang) if own else Text(t("anonymise.own.none", lang), "dim"),
                                          snippet(segment.text, occurrence.start, occurrence.end)]))
        self.redraw(self.COLUMNS, rows, lang, "" if fresh else None, 0 if fresh else None)


def own_decision(found: SessionAnonymisation, occurrence: Occurrence) -> str | None:
    """The occurrence's own decision, or None where it follows its entity's."""
    return occurrence.own_status


def next_own_decision(found: SessionAnonymisation, occurrence: Occurrence) -> str | None:
    """What ``o`` makes an occurrence's own decision: accepted → rejected → ask → None (its
    entity's again; the entity's own status is skipped on the way: it would change nothing)."""
    entity_status = found.entity(occurrence).status
    own = occurrence.own_status
    steps = [s for s in OCCURRENCE_CYCLE if s != entity_status]
    if own not in steps:
        return steps[0] if own is None else None
    if own == steps[-1]:
        return None  # back to following the entity
    return steps[steps.index(own) + 1]


class WarningTable(KeyedTable):
    """Indirect identifiers (a role, an age): to consider, never replaced."""

    COLUMNS = ("anonymise.col.time", "anonymise.col.speaker", "anonymise.col.kind", "anonymise.col.context",
               "anonymise.col.why")

    def show(self, found: SessionAnonymisation | None, lang: str) -> None:
        rows: list[tuple[str, list[object]]] = []
        for number, (index, warning) in enumerate(found.warnings if found is not None else []):
            segment = found.transcript.segments[index]  # type: ignore[union-attr]
            rows.append((str(number), [f"[{hms(segment.start)}]", Text(segment.speaker or ""),
                                       t(f"anonymise.warning.{warning.kind}", lang),
                                       snippet(segment.text, warning.start, warning.end, CONTEXT_WIDTH - 8),
                                       t(f"anonymise.warning.{warning.kind}.why", lang)]))
        self.redraw(self.COLUMNS, rows, lang)
        self.display = bool(rows)


class AnonymiseStatus(Static):
    """One line: how many occurrences are reviewed, how many wait for the supervisor."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, found: SessionAnonymisation | None, lang: str, working: str | None = None) -> None:
        parts = []
        if found is not None:
            total = len(found.occurrences)
            flagged = sum(1 for o in found.occurrences if found.status(o) == "ask")
            if not total:
                parts.append(t("anonymise.nothing", lang))
            else:
                parts.append(t("anonymise.progress", lang, done=total - found.unresolved, total=total))
                if flagged:
                    parts.append(t("anonymise.flagged", lang, count=flagged))
                if found.reviewed:
                    parts.append(t("anonymise.reviewed", lang))
            self.set_class(found.reviewed, "reviewed")
        if working:
            parts.append(working)
        self.update(Content("  ·  ".join(parts)))


def preview_text(transcript: Transcript) -> str:
    """The de-identified transcript as shown: ``[hh:mm:ss] CODE: text``, a blank line between."""
    return "\n\n".join(f"[{hms(s.start)}] {s.speaker + ': ' if s.speaker else ''}{s.text}"
                       for s in transcript.segments)
