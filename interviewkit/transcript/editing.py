"""Every change to a transcript, undoable.

``TranscriptEditor`` wraps a ``Transcript``; each method is one user action and one undo step
(``undo``/``redo`` restore the whole previous state of the touched segments, and the cursor
position the screen should show).  ``revision`` counts changes, so the screen can autosave a
few seconds after the last one.  Word timings survive edits: ``realign`` keeps the timing of
every word the edit left unchanged (a word-level diff) and spreads the time of changed words
over their neighbours' gap.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from interviewkit.errors import InvalidInput
from interviewkit.transcribe.result import Word
from interviewkit.transcript.model import Segment, Transcript, new_id

UNDO_LIMIT = 1000  # undo steps kept (each holds only the segments it touched)


def _normalise(token: str) -> str:
    """A word as the diff compares it: case-folded, without surrounding punctuation."""
    stripped = "".join(c for c in token if not unicodedata.category(c).startswith("P"))
    return (stripped or token).casefold()


def realign(old_words: list[Word], new_text: str, start: float, end: float) -> list[Word]:
    """Words for ``new_text``: unchanged words keep their timing and probability; new or changed
    words get times between their neighbours and probability 1.0 (a person wrote them)."""
    tokens = new_text.split()
    old_keys = [_normalise(w.text.strip()) for w in old_words]
    new_keys = [_normalise(t) for t in tokens]
    kept: list[Word | None] = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(j2 - j1):
                old = old_words[i1 + k]
                kept[j1 + k] = Word(old.start, old.end, " " + tokens[j1 + k], old.probability)
    words: list[Word] = []
    j = 0
    while j < len(tokens):
        word = kept[j]
        if word is not None:
            words.append(word)
            j += 1
            continue
        run_end = j
        while run_end < len(tokens) and kept[run_end] is None:
            run_end += 1
        gap_start = words[-1].end if words else start
        following = kept[run_end] if run_end < len(tokens) else None
        gap_end = following.start if following is not None else end
        gap_end = max(gap_start, gap_end)
        count = run_end - j
        step = (gap_end - gap_start) / count
        for k in range(count):
            words.append(Word(round(gap_start + k * step, 3), round(gap_start + (k + 1) * step, 3),
                              " " + tokens[j + k], 1.0))
        j = run_end
    return words


@dataclass(frozen=True)
class Position:
    """Where the cursor is: segment index and character offset in its text."""

    index: int
    offset: int = 0


@dataclass
class _Hunk:
    """``old`` replaced by ``new`` at ``start`` (copies, so nothing outside can change them)."""

    start: int
    old: list[Segment]
    new: list[Segment]


@dataclass
class _Step:
    hunks: list[_Hunk]
    before: Position  # the cursor to show after undo
    after: Position  # … and after redo
    speakers_before: dict[str, str] | None = None  # None: the speakers were not changed
    speakers_after: dict[str, str] | None = None


class TranscriptEditor:
    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.revision = 0  # +1 for every change, undo and redo
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []

    # -- internals --
    def _segment(self, index: int) -> Segment:
        if not 0 <= index < len(self.transcript.segments):
            raise IndexError(f"no segment {index}")
        return self.transcript.segments[index]

    def _apply(self, hunks: list[_Hunk], before: Position, after: Position,
               speakers: dict[str, str] | None = None) -> Position:
        """Do one change (the hunks in order) and record it as one undo step."""
        segments = self.transcript.segments
        for hunk in hunks:
            segments[hunk.start:hunk.start + len(hunk.old)] = [s.copy() for s in hunk.new]
        step = _Step(hunks, before, after)
        if speakers is not None and speakers != self.transcript.speakers:
            step.speakers_before, step.speakers_after = dict(self.transcript.speakers), dict(speakers)
            self.transcript.speakers = dict(speakers)
        self._undo.append(step)
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self.revision += 1
        return after

    def _replace(self, index: int, new: list[Segment], before: Position, after: Position) -> Position:
        old = [self._segment(index).copy()]
        return self._apply([_Hunk(index, old, [s.copy() for s in new])], before, after)

    # -- edits (each one undo step; each returns where the cursor should go) --
    def set_text(self, index: int, text: str) -> Position:
        segment = self._segment(index)
        after = Position(index, len(text))
        if text == segment.text:
            return after
        changed = segment.copy()
        changed.text = text
        changed.words = realign(segment.words, text, segment.start, segment.end)
        return self._replace(index, [changed], Position(index, 0), after)

    def insert(self, position: Position, text: str) -> Position:
        segment = self._segment(position.index)
        offset = max(0, min(position.offset, len(segment.text)))
        self.set_text(position.index, segment.text[:offset] + text + segment.text[offset:])
        return Position(position.index, offset + len(text))

    def split(self, position: Position) -> Position:
        """Split the segment at the cursor; the time boundary is the nearest word boundary."""
        segment = self._segment(position.index)
        offset = max(0, min(position.offset, len(segment.text)))
        first_text, second_text = segment.text[:offset].rstrip(), segment.text[offset:].lstrip()
        if not first_text or not second_text:
            raise InvalidInput("split", "there is no text on one side of the cursor",
                               "put the cursor between two words of the segment",
                               code="editor.split_at_edge")
        offsets = segment.word_offsets()
        first_words = [w for w, o in zip(segment.words, offsets) if o < offset]
        second_words = [w for w, o in zip(segment.words, offsets) if o >= offset]
        if first_words:
            boundary = first_words[-1].end
        elif second_words:
            boundary = second_words[0].start
        else:
            boundary = segment.start + (segment.end - segment.start) * offset / max(1, len(segment.text))
        boundary = min(max(boundary, segment.start), segment.end)
        first = Segment(segment.id, segment.take, segment.start, boundary, first_text, segment.speaker,
                        realign(first_words, first_text, segment.start, boundary), False)
        second = Segment(new_id(), segment.take, boundary, segment.end, second_text, segment.speaker,
                         realign(second_words, second_text, boundary, segment.end), False)
        return self._replace(position.index, [first, second], Position(position.index, offset),
                             Position(position.index + 1, 0))

    def merge_next(self, index: int) -> Position:
        """Join segment ``index`` with the next (same take only; the speaker of the first)."""
        first = self._segment(index)
        if index + 1 >= len(self.transcript.segments):
            raise InvalidInput("merge", "this is the last segment", "there is nothing to join it with",
                               code="editor.merge_last")
        second = self.transcript.segments[index + 1]
        if first.take != second.take:
            raise InvalidInput("merge", "the segments belong to different recordings",
                               "only segments of the same recording can be joined",
                               code="editor.merge_takes")
        texts = [t for t in (first.text.rstrip(), second.text.lstrip()) if t]
        merged = Segment(first.id, first.take, first.start, max(first.end, second.end), " ".join(texts),
                         first.speaker, first.copy().words + second.copy().words,
                         first.checked and second.checked)
        join = len(first.text.rstrip()) + (1 if len(texts) == 2 else 0)
        old = [first.copy(), second.copy()]
        return self._apply([_Hunk(index, old, [merged])], Position(index + 1, 0), Position(index, join))

    def set_speaker(self, indexes: list[int], code: str | None) -> Position:
        code = code or None
        hunks = []
        for index in sorted(set(indexes)):
            segment = self._segment(index)
            if segment.speaker != code:
                changed = segment.copy()
                changed.speaker = code
                hunks.append(_Hunk(index, [segment.copy()], [changed]))
        where = Position(min(indexes), 0) if indexes else Position(0, 0)
        if not hunks:
            return where
        return self._apply(hunks, where, where)

    def fill_speaker(self, index: int) -> Position:
        """"Same speaker until here": the speaker of the nearest segment above ``index`` that has
        one, given to every segment after it down to ``index`` (one undo step)."""
        self._segment(index)
        above = index - 1
        while above >= 0 and not self.transcript.segments[above].speaker:
            above -= 1
        if above < 0:
            raise InvalidInput(None, "no segment above the cursor has a speaker",
                               "give the first segment of the run a speaker (keys 1–9), then fill down to here",
                               code="transcript.no_speaker_above")
        return self.set_speaker(list(range(above + 1, index + 1)), self.transcript.segments[above].speaker)

    def insert_segment(self, index: int) -> Position:
        """A new, empty segment after segment ``index``: same take, speaker unknown, placed in the
        time between it and the next segment of the take."""
        segment = self._segment(index)
        following = self.transcript.segments[index + 1] if index + 1 < len(self.transcript.segments) else None
        end = following.start if following is not None and following.take == segment.take else segment.end
        new = Segment(new_id(), segment.take, segment.end, max(segment.end, end), "", None, [], False)
        return self._apply([_Hunk(index + 1, [], [new])], Position(index, 0), Position(index + 1, 0))

    def delete_segment(self, index: int) -> Position:
        """Remove segment ``index`` (undo brings it back with its id, words and speaker)."""
        segment = self._segment(index)
        if len(self.transcript.segments) == 1:
            raise InvalidInput(None, "this is the only segment of the transcript", "edit its text instead (Enter)",
                               code="transcript.only_segment")
        after = Position(min(index, len(self.transcript.segments) - 2), 0)
        return self._apply([_Hunk(index, [segment.copy()], [])], Position(index, 0), after)

    def rename_speaker(self, code: str, new_code: str | None = None, name: str | None = None) -> Position:
        """Change a speaker's code everywhere in the transcript and/or its display name."""
        speakers = dict(self.transcript.speakers)
        target = code
        hunks = []
        if new_code and new_code != code:
            target = new_code
            for index, segment in enumerate(self.transcript.segments):
                if segment.speaker == code:
                    changed = segment.copy()
                    changed.speaker = new_code
                    hunks.append(_Hunk(index, [segment.copy()], [changed]))
            if code in speakers:
                old_name = speakers.pop(code)
                speakers.setdefault(new_code, old_name)
        if name is not None:
            if name.strip():
                speakers[target] = name.strip()
            else:
                speakers.pop(target, None)
        where = Position(hunks[0].start, 0) if hunks else Position(0, 0)
        if not hunks and speakers == self.transcript.speakers:
            return where
        return self._apply(hunks, where, where, speakers)

    def restore(self, other: Transcript) -> Position:
        """Make the transcript ``other`` (a saved revision): one undo step, so undo brings back
        what was there before."""
        where = Position(0, 0)
        old = [s.copy() for s in self.transcript.segments]
        new = [s.copy() for s in other.segments]
        if [s.to_dict() for s in old] == [s.to_dict() for s in new] and other.speakers == self.transcript.speakers:
            return where
        return self._apply([_Hunk(0, old, new)], where, where, dict(other.speakers))

    def set_checked(self, index: int, checked: bool = True) -> Position:
        segment = self._segment(index)
        where = Position(index, 0)
        if segment.checked == checked:
            return where
        changed = segment.copy()
        changed.checked = checked
        return self._replace(index, [changed], where, where)

    def replace_all(self, pattern: str, replacement: str, regex: bool = False,
                    case_sensitive: bool = False) -> int:
        """Replace in every segment (one undo step); returns how many were replaced."""
        if not pattern:
            return 0
        compiled = compile_pattern(pattern, regex, case_sensitive)
        hunks = []
        total = 0
        for index, segment in enumerate(self.transcript.segments):
            try:
                if regex:
                    text, count = compiled.subn(replacement, segment.text)
                else:
                    text, count = compiled.subn(lambda _m: replacement, segment.text)
            except (re.error, IndexError) as exc:
                raise InvalidInput("replace", f"the replacement '{replacement}' is not valid ({exc})",
                                   "check the group references (\\1, \\g<name>)",
                                   code="editor.bad_replacement",
                                   params={"replacement": replacement, "detail": exc}) from None
            if not count or text == segment.text:
                continue
            total += count
            changed = segment.copy()
            changed.text = text
            changed.words = realign(segment.words, text, segment.start, segment.end)
            hunks.append(_Hunk(index, [segment.copy()], [changed]))
        if hunks:
            where = Position(hunks[0].start, 0)
            self._apply(hunks, where, where)
        return total

    # -- looking --
    def find(self, pattern: str, after: Position, regex: bool = False,
             case_sensitive: bool = False) -> Position | None:
        """The next match after the cursor (wrapping round), or None."""
        segments = self.transcript.segments
        if not pattern or not segments:
            return None
        compiled = compile_pattern(pattern, regex, case_sensitive)
        count = len(segments)
        start = min(max(after.index, 0), count - 1)
        for step in range(count + 1):
            index = (start + step) % count
            text = segments[index].text
            if step == 0:
                match = compiled.search(text, after.offset + 1) if after.offset + 1 <= len(text) else None
            elif step == count:  # back round to the cursor's segment: a match at or before the cursor
                match = compiled.search(text)
                if match is not None and match.start() > after.offset:
                    match = None
            else:
                match = compiled.search(text)
            if match is not None:
                return Position(index, match.start())
        return None

    def next_unsure(self, after: Position) -> Position | None:
        """The next word the recogniser was unsure of (wrapping round), or None."""
        segments = self.transcript.segments
        if not segments:
            return None
        count = len(segments)
        start = min(max(after.index, 0), count - 1)
        for step in range(count + 1):
            index = (start + step) % count
            segment = segments[index]
            unsure = segment.unsure_words()
            if not unsure:
                continue
            offsets = segment.word_offsets()
            for i in unsure:
                offset = offsets[i]
                if step == 0 and offset <= after.offset:
                    continue
                if step == count and offset > after.offset:
                    break
                return Position(index, offset)
        return None

    # -- history --
    def undo(self) -> Position | None:
        if not self._undo:
            return None
        step = self._undo.pop()
        segments = self.transcript.segments
        for hunk in reversed(step.hunks):
            segments[hunk.start:hunk.start + len(hunk.new)] = [s.copy() for s in hunk.old]
        if step.speakers_before is not None:
            self.transcript.speakers = dict(step.speakers_before)
        self._redo.append(step)
        self.revision += 1
        return step.before

    def redo(self) -> Position | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        segments = self.transcript.segments
        for hunk in step.hunks:
            segments[hunk.start:hunk.start + len(hunk.old)] = [s.copy() for s in hunk.new]
        if step.speakers_after is not None:
            self.transcript.speakers = dict(step.speakers_after)
        self._undo.append(step)
        self.revision += 1
        return step.after

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)


def spaced(text: str, offset: int, insertion: str) -> str:
    """``insertion`` as it goes into ``text`` at ``offset``: with a space before it unless it
    starts the text or follows a space, and a space after it unless a space follows."""
    offset = max(0, min(offset, len(text)))
    before = " " if offset > 0 and not text[offset - 1].isspace() else ""
    after = "" if offset < len(text) and text[offset].isspace() else " "
    return before + insertion + after


def speaker_order(session_codes: list[str], transcript: Transcript) -> list[str]:
    """The speaker codes to offer, in the order of the speaker keys 1–9: the session's
    participants first, then the other codes the transcript uses, then ``I`` (the interviewer)."""
    codes: list[str] = []
    for code in [*session_codes, *transcript.speakers, *(s.speaker for s in transcript.segments), "I"]:
        if code and code not in codes:
            codes.append(code)
    return codes


def compile_pattern(pattern: str, regex: bool, case_sensitive: bool) -> re.Pattern[str]:
    """A search pattern; an invalid regular expression raises InvalidInput naming it."""
    flags = 0 if case_sensitive else re.IGNORECASE
    if not regex:
        return re.compile(re.escape(pattern), flags)
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        shown = pattern.replace("\n", "\\n")
        raise InvalidInput("search", f"'{shown}' is not a valid regular expression ({exc})",
                           "correct it, or search for plain text",
                           code="editor.bad_regex", params={"pattern": shown, "detail": exc}) from None
