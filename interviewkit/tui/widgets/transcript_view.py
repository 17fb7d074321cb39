"""The transcript as one virtual, scrolling widget (Textual's Line API): only the lines on
screen are rendered, so a transcript of thousands of segments opens and redraws at once.

Each segment is a block: a header line (speaker, ``[hh:mm:ss]``, ✓ when checked), its text
wrapped to the width, and a blank line.  Wrapping is cached by text, so an edit re-wraps one
segment.  The cursor's segment is highlighted, words the recogniser was unsure of are
underlined, and while playing the word being heard is shown reversed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from interviewkit.transcript.model import Segment, Transcript

INDENT = 2
_WORD = re.compile(r"\S+\s*")


def hms(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: ``(start, end)`` character offsets of each row (at least one row)."""
    width = max(8, width)
    rows: list[tuple[int, int]] = []
    start = end = 0
    for match in _WORD.finditer(text):
        word_end = match.end()
        if match.start() > start and len(text[start:match.end()].rstrip()) > width:
            rows.append((start, end))
            start = match.start()
        while len(text[start:match.end()].rstrip()) > width:  # a word longer than the row
            rows.append((start, start + width))
            start += width
        end = word_end
    rows.append((start, max(end, len(text))))
    return rows


class TranscriptView(ScrollView, can_focus=True):
    """Shows a transcript; posts ``CursorMoved``, and ``EditRequested`` on a double click (Enter is
    the screen's key, so that the text box has the focus before the next key arrives)."""

    COMPONENT_CLASSES = {"transcript-view--cursor", "transcript-view--speaker", "transcript-view--time",
                         "transcript-view--checked", "transcript-view--unsure", "transcript-view--word",
                         "transcript-view--match"}
    DEFAULT_CSS = """
    TranscriptView { height: 1fr; }
    TranscriptView > .transcript-view--cursor { background: $boost; }
    TranscriptView:focus > .transcript-view--cursor { background: $primary 25%; }
    TranscriptView > .transcript-view--speaker { text-style: bold; color: $accent; }
    TranscriptView > .transcript-view--time { color: $text-muted; }
    TranscriptView > .transcript-view--checked { color: $text-success; text-style: bold; }
    TranscriptView > .transcript-view--unsure { color: $text-warning; text-style: underline; }
    TranscriptView > .transcript-view--word { text-style: reverse; }
    TranscriptView > .transcript-view--match { background: $warning 40%; }
    """
    BINDINGS = [Binding("up", "move(-1)", show=False), Binding("down", "move(1)", show=False),
                Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
                Binding("home", "first", show=False), Binding("end", "last", show=False)]

    class CursorMoved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class EditRequested(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcript = Transcript()
        self.cursor = 0
        self.playing: tuple[int, int | None] | None = None  # (segment, word) being heard
        self.mark: tuple[int, int, int] | None = None  # (segment, start, end): a found match
        self._wrap_width = 0
        self._wrap_cache: dict[str, list[tuple[int, int]]] = {}
        self._rows: list[list[tuple[int, int]]] = []
        self._offsets: list[int] = [0]  # first line of each block; the last one is the total

    # -- the document ---------------------------------------------------------------------

    def set_transcript(self, transcript: Transcript, cursor: int = 0) -> None:
        self.transcript = transcript
        self.relayout()
        self.move_to(cursor)

    def relayout(self) -> None:
        """Re-wrap what changed (cached by text) and recompute where each block starts."""
        width = max(10, self.scrollable_content_region.width - INDENT - 1)
        if width != self._wrap_width:
            self._wrap_width, self._wrap_cache = width, {}
        cache = self._wrap_cache
        rows = []
        for segment in self.transcript.segments:
            wrapped = cache.get(segment.text)
            if wrapped is None:
                wrapped = cache[segment.text] = wrap(segment.text, width)
            rows.append(wrapped)
        self._rows = rows
        self._offsets = [0, *accumulate(len(r) + 2 for r in rows)]
        self.virtual_size = Size(width + INDENT, self._offsets[-1])
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.relayout()
        self.scroll_to_cursor()

    # -- the cursor -----------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        count = len(self.transcript.segments)
        index = max(0, min(index, count - 1)) if count else 0
        changed, previous = index != self.cursor, self.cursor
        self.cursor = index
        if changed:  # only the two blocks whose highlight changes are drawn again
            self.refresh_block(previous)
            self.refresh_block(index)
        self.scroll_to_cursor()
        if changed:
            self.post_message(self.CursorMoved(index))

    def refresh_block(self, index: int) -> None:
        if 0 <= index < len(self._rows):
            top = self._offsets[index]
            region = Region(0, top, self.size.width, self._offsets[index + 1] - top)
            self.refresh(region.translate(-self.scroll_offset))

    def scroll_to_cursor(self) -> None:
        if self.transcript.segments and self.cursor < len(self._rows):
            top = self._offsets[self.cursor]
            self.scroll_to_region(Region(0, top, 1, self._offsets[self.cursor + 1] - top - 1), animate=False,
                                  force=True)

    def set_playing(self, playing: tuple[int, int | None] | None) -> None:
        if playing != self.playing:
            self.playing = playing
            self.refresh()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        line = self._offsets[min(self.cursor, len(self._rows))] + step * max(1, self.size.height - 2)
        self.move_to(self.block_at(max(0, line)))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.transcript.segments) - 1)

    def action_edit(self) -> None:
        self.post_message(self.EditRequested())

    def block_at(self, line: int) -> int:
        return max(0, min(bisect_right(self._offsets, line) - 1, len(self._rows) - 1))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.move_to(self.block_at(event.y + int(self.scroll_offset.y)))
        if event.chain == 2:
            self.action_edit()

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        line = y + int(scroll_y)
        base = self.rich_style
        if not self._rows or line >= self._offsets[-1]:
            return Strip.blank(width, base)
        index = self.block_at(line)
        row = line - self._offsets[index]
        style = base + self.get_component_rich_style("transcript-view--cursor") if index == self.cursor else base
        segment = self.transcript.segments[index]
        if row == 0:
            pieces = self._header(segment, style)
        elif row <= len(self._rows[index]):
            pieces = self._text_row(index, segment, self._rows[index][row - 1], style)
        else:
            return Strip.blank(width, base)
        strip = Strip(pieces)
        return strip.extend_cell_length(width, style).crop(int(scroll_x), int(scroll_x) + width)

    def _header(self, segment: Segment, style: Style) -> list[RichSegment]:
        part = self.get_component_rich_style
        pieces = [RichSegment(self.transcript.speaker_name(segment.speaker),
                              style + part("transcript-view--speaker")),
                  RichSegment(f"  [{hms(segment.start)}]", style + part("transcript-view--time"))]
        if segment.checked:
            pieces.append(RichSegment("  ✓", style + part("transcript-view--checked")))
        return pieces

    def _text_row(self, index: int, segment: Segment, span: tuple[int, int], style: Style) -> list[RichSegment]:
        start, end = span
        text = segment.text
        styles: list[Style | None] = [None] * (end - start)
        part = self.get_component_rich_style

        def paint(a: int, b: int, extra: Style) -> None:
            for i in range(max(a, start), min(b, end)):
                styles[i - start] = extra if styles[i - start] is None else styles[i - start] + extra

        unsure = segment.unsure_words()
        heard = self.playing[1] if self.playing and self.playing[0] == index else None
        if unsure or heard is not None:
            spans = segment.word_spans()
            for i in unsure:
                if i < len(spans):
                    paint(*spans[i], part("transcript-view--unsure"))
            if heard is not None and heard < len(spans):
                paint(*spans[heard], part("transcript-view--word"))
        if self.mark and self.mark[0] == index:
            paint(self.mark[1], self.mark[2], part("transcript-view--match"))
        pieces = [RichSegment(" " * INDENT, style)]
        run_start = 0
        for i in range(1, len(styles) + 1):
            if i == len(styles) or styles[i] != styles[run_start]:
                extra = styles[run_start]
                pieces.append(RichSegment(text[start + run_start:start + i], style + extra if extra else style))
                run_start = i
        return pieces
