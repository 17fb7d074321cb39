"""A three-way merge of two versions of one transcript, segment by segment.

When the editor's save is refused as stale (``transcript.stale``: someone else saved the
transcript since the editor read it), ``merge_transcripts(base, mine, theirs)`` combines the
editor's version (``mine``) with the stored one (``theirs``), both grown from ``base`` (what the
editor last read or saved).  Segments are matched by their ``id``; the rules, per segment:

* changed on one side only (or the same way on both): that side's version;
* changed differently on both sides: **mine** is kept, and the segment is listed as a conflict
  (the caller keeps ``theirs`` in the revision history first, so their text is not lost);
* deleted on one side and unchanged on the other: deleted; deleted on one side and changed on
  the other: the changed version is kept, listed as a conflict;
* new on one side: kept.  The order is mine; a segment new in theirs goes right after the
  segment that precedes it in theirs (the start if none does).

Speaker display names and the language follow the same rule (one side changed: that side;
both: mine).  Nothing here touches the vault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interviewkit.transcript.model import Segment, Transcript


@dataclass
class MergeResult:
    transcript: Transcript  # the merged transcript (revision: theirs', the one it builds on)
    conflicts: list[str] = field(default_factory=list)  # ids of segments changed on both sides (mine kept)
    from_theirs: int = 0  # segments taken from theirs (changed or new there, or deleted there)


def _same(a: Segment | None, b: Segment | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.to_dict() == b.to_dict()


def _pick(base: Segment | None, mine: Segment | None, theirs: Segment | None) -> tuple[Segment | None, bool, bool]:
    """(the merged segment or None for deleted, conflict?, taken from theirs?)."""
    if _same(mine, theirs):
        return mine, False, False
    if _same(mine, base):
        return theirs, False, True
    if _same(theirs, base):
        return mine, False, False
    if mine is None:  # I deleted it, they changed it: their change is kept
        return theirs, True, True
    return mine, True, False  # both changed it (or they deleted what I changed): mine


def _merge_names(base: dict[str, str], mine: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for code in [*mine, *(c for c in theirs if c not in mine), *(c for c in base if c not in mine and c not in theirs)]:
        was, mine_name, their_name = base.get(code), mine.get(code), theirs.get(code)
        chosen = their_name if mine_name == was else mine_name
        if chosen:
            merged[code] = chosen
    return merged


def merge_transcripts(base: Transcript, mine: Transcript, theirs: Transcript) -> MergeResult:
    """Combine ``mine`` and ``theirs``, both changed from ``base`` (see the module's rules)."""
    base_by_id = {s.id: s for s in base.segments}
    mine_by_id = {s.id: s for s in mine.segments}
    theirs_by_id = {s.id: s for s in theirs.segments}
    conflicts: list[str] = []
    from_theirs = 0
    chosen: dict[str, Segment | None] = {}
    for segment_id in [*mine_by_id, *(i for i in theirs_by_id if i not in mine_by_id),
                       *(i for i in base_by_id if i not in mine_by_id and i not in theirs_by_id)]:
        picked, conflict, theirs_taken = _pick(base_by_id.get(segment_id), mine_by_id.get(segment_id),
                                               theirs_by_id.get(segment_id))
        chosen[segment_id] = picked.copy() if picked is not None else None
        if conflict:
            conflicts.append(segment_id)
        if theirs_taken:
            from_theirs += 1
    order = [s.id for s in mine.segments]
    # segments that are not in mine but stay (new in theirs, or deleted by me and changed by them)
    for position, segment in enumerate(theirs.segments):
        if segment.id in mine_by_id or chosen.get(segment.id) is None:
            continue
        before = next((theirs.segments[i].id for i in range(position - 1, -1, -1)
                       if theirs.segments[i].id in order), None)
        order.insert(order.index(before) + 1 if before is not None else 0, segment.id)
    segments = [chosen[i] for i in order if chosen.get(i) is not None]
    language = theirs.language if mine.language == base.language else mine.language
    merged = Transcript([s for s in segments if s is not None],
                        _merge_names(base.speakers, mine.speakers, theirs.speakers), language, theirs.revision)
    return MergeResult(merged, conflicts, from_theirs)
