"""A session's anonymisation: what was found, what the reviewer decided, the de-identified text.

Detection runs afresh each time (it is fast and deterministic), so edits to the transcript never
leave stale offsets behind.  What persists is the reviewer's work, in the linkage key (it names
people, so it has the linkage recipients, and is destroyed with it):

* the pseudonym map (``pseudonyms.PseudonymMap``), whose entities carry the project-wide decision:
  ``pending``, ``accepted`` (replace everywhere), ``rejected`` (not an identifier: *sol* the sun),
  ``ask`` (flagged for the supervisor; replaced meanwhile, but the session is not reviewed);
* terms the reviewer added (a missed name, found from then on in every session);
* decisions on single occurrences, which override their entity's.

The audit log records that decisions were made and how many, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.anonymise.detectors.vocabulary import Term
from interviewkit.anonymise.hits import ENTITY_TYPES
from interviewkit.anonymise.indirect import IndirectWarning, indirect_identifiers
from interviewkit.anonymise.pipeline import default_detectors, detect
from interviewkit.anonymise.pseudonyms import CONVENTIONS, Entity, PseudonymMap, form_key
from interviewkit.anonymise.text import Document
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import open_transcript

if TYPE_CHECKING:
    from interviewkit.linkage import LinkageKey
    from interviewkit.project import Project
    from interviewkit.sessions import Session

STATUSES = ("pending", "accepted", "rejected", "ask")
# Placeholder names (guide values such as {municipality}) that say what kind of thing they hold.
PLACEHOLDER_TYPES = {"municipality": "municipality", "kommune": "municipality", "workplace": "workplace",
                     "arbeidsplass": "workplace", "school": "workplace", "skole": "workplace",
                     "kindergarten": "workplace", "barnehage": "workplace", "project": "project",
                     "prosjekt": "project"}


@dataclass
class Occurrence:
    key: str             # "<segment id>:<start>:<end>": how a single decision is stored
    segment: int         # index in the transcript
    start: int           # offsets into the segment's text
    end: int
    text: str
    type: str
    confidence: float
    detector: str
    entity_id: str
    own_status: str | None = None


@dataclass
class SessionAnonymisation:
    session: Session
    transcript: Transcript
    map: PseudonymMap
    occurrences: list[Occurrence]
    warnings: list[tuple[int, IndirectWarning]] = field(default_factory=list)

    def entity(self, occurrence: Occurrence) -> Entity:
        return self.map.entities[occurrence.entity_id]

    def status(self, occurrence: Occurrence) -> str:
        return occurrence.own_status or self.entity(occurrence).status

    def groups(self) -> list[tuple[Entity, list[Occurrence]]]:
        """Occurrences by entity, in order of first appearance."""
        by_entity: dict[str, list[Occurrence]] = {}
        for occurrence in self.occurrences:
            by_entity.setdefault(occurrence.entity_id, []).append(occurrence)
        return [(self.map.entities[eid], found) for eid, found in by_entity.items()]

    @property
    def unresolved(self) -> int:
        """Occurrences still pending or waiting for the supervisor."""
        return sum(1 for o in self.occurrences if self.status(o) in ("pending", "ask"))

    @property
    def reviewed(self) -> bool:
        return self.unresolved == 0

    def context(self, occurrence: Occurrence, width: int = 40) -> tuple[str, str, str]:
        text = self.transcript.segments[occurrence.segment].text
        before = text[max(0, occurrence.start - width):occurrence.start]
        after = text[occurrence.end:occurrence.end + width]
        return " ".join(before.split()), text[occurrence.start:occurrence.end], " ".join(after.split())

    def replacements(self, segment: int) -> list[tuple[int, int, str]]:
        """(start, end, replacement) in one segment for every occurrence not rejected."""
        return [(o.start, o.end, self.map.replacement(self.entity(o), o.text))
                for o in self.occurrences if o.segment == segment and self.status(o) != "rejected"]

    def anonymised(self) -> Transcript:
        """The de-identified transcript: replacements applied, speaker display names and the
        recogniser's words (which hold the original names) dropped; times and codes kept."""
        out = Transcript([], {}, self.transcript.language)
        for index, segment in enumerate(self.transcript.segments):
            copy = segment.copy()
            copy.text = apply_replacements(segment.text, self.replacements(index))
            copy.words = []
            out.segments.append(copy)
        return out


def apply_replacements(text: str, replacements: list[tuple[int, int, str]]) -> str:
    parts, cursor = [], 0
    for start, end, new in sorted(replacements):
        if start < cursor:
            continue
        parts += [text[cursor:start], new]
        cursor = end
    return "".join(parts) + text[cursor:]


# -- the persisted state (inside the linkage key) ----------------------------------------------

def _state(linkage: LinkageKey) -> dict[str, Any]:
    state = linkage.anonymisation
    state.setdefault("map", {})
    state.setdefault("terms", [])
    state.setdefault("occurrences", {})
    return state


def _language(project: Project) -> str:
    return "en" if project.index.study.language == "en" else "no"


def load_map(project: Project, linkage: LinkageKey) -> PseudonymMap:
    state = _state(linkage)
    if state["map"]:
        return PseudonymMap.from_dict(state["map"])
    convention = getattr(project.index.study, "anonymisation", "labels")
    return PseudonymMap(convention if convention in CONVENTIONS else "labels", _language(project))


def project_terms(project: Project, linkage: LinkageKey) -> list[Term]:
    """What the project knows: participants' names (they keep their codes), guide placeholder
    values (the municipality, the school), and terms the reviewer added."""
    terms: list[Term] = []
    codes = {p.id: p.code for p in project.index.participants}
    for pid, entry in linkage.entries.items():
        if entry.name.strip():
            terms.append(Term("person", entry.name, codes.get(pid, entry.code)))
    for name, value in project.index.study.placeholders.items():
        if value.strip():
            terms.append(Term(PLACEHOLDER_TYPES.get(name.lower(), "place"), value))
    for item in _state(linkage)["terms"]:
        terms.append(Term(item["type"], item["text"]))
    return terms


def analyse_session(project: Project, session: Session, ner: bool = False,
                    persist: bool = True) -> SessionAnonymisation:
    """Detect identifiers in the session's transcript and tie each to its entity.  New entities
    are numbered and saved in the map (under the project lock), so labels stay the same in every
    later run; an analysis that meets nothing new writes nothing.  ``persist=False`` never writes
    (new entities are numbered in memory only: for a read-only look at the state)."""
    linkage = project.linkage()
    destroyed = linkage.anonymisation.get("destroyed")
    if destroyed:
        raise InvalidInput("linkage.age", f"the linkage key was destroyed on {destroyed}: the data is anonymous now",
                           "nothing can be linked to a person any more",
                           code="anonymise.anonymous_now", params={"date": destroyed})
    transcript = open_transcript(project, session)
    language = "en" if (transcript.language or "").startswith("en") else _language(project)
    terms = project_terms(project, linkage)
    codes = {t.text: t.code for t in terms if t.code}
    detectors = default_detectors(language, terms, ner)
    found = [(index, segment, detect(Document(segment.text), detectors))
             for index, segment in enumerate(transcript.segments)]  # the slow part: outside the lock
    warnings = [(index, w) for index, segment in enumerate(transcript.segments)
                for w in indirect_identifiers(segment.text)]

    def tie(pmap: PseudonymMap, own: dict[str, str]) -> list[Occurrence]:
        occurrences = []
        for index, segment, hits in found:
            for hit in hits:
                entity = pmap.entity_for(hit, codes.get(hit.canonical))
                key = f"{segment.id}:{hit.start}:{hit.end}"
                occurrences.append(Occurrence(key, index, hit.start, hit.end, hit.text, entity.type,
                                              hit.confidence, hit.detector, entity.id, own.get(key)))
        return occurrences

    pmap = load_map(project, linkage)
    before = pmap.to_dict()
    occurrences = tie(pmap, _state(linkage)["occurrences"].get(session.id, {}))
    if persist and pmap.to_dict() != before:  # something new was numbered: save it (from the newest map)
        with project.writing() as change:
            state = _state(change.linkage)
            pmap = load_map(project, change.linkage)
            occurrences = tie(pmap, state["occurrences"].get(session.id, {}))
            state["map"] = pmap.to_dict()
    return SessionAnonymisation(session, transcript, pmap, occurrences, warnings)


# -- the reviewer's decisions ------------------------------------------------------------------

def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise InvalidInput("status", f"unknown decision '{status}'", f"use one of {', '.join(STATUSES)}",
                           code="anonymise.unknown_decision",
                           params={"value": status, "choices": ", ".join(STATUSES)}, field="status")


def decide(project: Project, session: Session, entity_ids: list[str], status: str | None,
           occurrence_keys: list[str] | None = None, note: str | None = None) -> None:
    """Set the decision for whole entities (every occurrence in the project), or, with
    ``occurrence_keys``, for those occurrences only (``None`` there: they follow their entity
    again)."""
    if status is not None or not occurrence_keys:
        _check_status(status or "")
    with project.writing() as change:
        state = _state(change.linkage)
        pmap = load_map(project, change.linkage)
        for entity_id in entity_ids:
            if entity_id not in pmap.entities:
                raise NotFound(entity_id, "no such detected entity", "see: interviewkit anonymise PROJECT SESSION --list",
                               code="anonymise.no_entity", params={"id": entity_id})
        if occurrence_keys:
            own = state["occurrences"].setdefault(session.id, {})
            for key in occurrence_keys:
                if status is None:
                    own.pop(key, None)
                else:
                    own[key] = status
        else:
            for entity_id in entity_ids:
                pmap.entities[entity_id].status = status
                if note is not None:
                    pmap.entities[entity_id].note = note
        state["map"] = pmap.to_dict()
        change.log("anonymise.decide", f"session:{session.key}", status=status or "as-entity",
                   entities=len(entity_ids), occurrences=len(occurrence_keys or []))


def set_convention(project: Project, convention: str) -> None:
    """Choose labels / generic / pseudonyms; labels already given are made anew in that style
    (a participant keeps the speaker code; numbers stay)."""
    if convention not in CONVENTIONS:
        raise InvalidInput("--convention", f"unknown convention '{convention}'", f"use one of {', '.join(CONVENTIONS)}",
                           code="anonymise.unknown_convention",
                           params={"value": convention, "choices": ", ".join(CONVENTIONS)})
    with project.writing() as change:
        project.index.study.anonymisation = convention
        state = _state(change.linkage)
        if state["map"]:
            pmap = PseudonymMap.from_dict(state["map"])
            pmap.convention = convention
            pmap.relabel_all()
            state["map"] = pmap.to_dict()
        change.log("study.anonymisation", f"project:{project.marker.project_id}", convention=convention)


def relabel(project: Project, entity_id: str, label: str) -> None:
    with project.writing() as change:
        state = _state(change.linkage)
        pmap = load_map(project, change.linkage)
        if entity_id not in pmap.entities:
            raise NotFound(entity_id, "no such detected entity", "see: interviewkit anonymise PROJECT SESSION --list",
                               code="anonymise.no_entity", params={"id": entity_id})
        try:
            pmap.rename(entity_id, label)
        except ValueError:
            raise InvalidInput("label", "the new label is empty", "type the label, e.g. Person 4",
                               code="anonymise.empty_label") from None
        taken = [e for e in pmap.entities.values() if e.label == pmap.entities[entity_id].label and e.id != entity_id]
        if taken:
            pmap.merge_into(entity_id, taken[0].id)  # the same label means the same person
        state["map"] = pmap.to_dict()
        change.log("anonymise.relabel", f"entity:{entity_id}")


def add_term(project: Project, type_: str, text: str) -> None:
    """A missed identifier: found from now on in every session of the project."""
    if type_ not in ENTITY_TYPES:
        raise InvalidInput("type", f"unknown kind '{type_}'", f"use one of {', '.join(ENTITY_TYPES)}",
                           code="anonymise.unknown_type",
                           params={"value": type_, "choices": ", ".join(ENTITY_TYPES)}, field="type")
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("term", "the term is empty", "select or type the name to add",
                           code="anonymise.empty_term")
    with project.writing() as change:
        terms = _state(change.linkage)["terms"]
        if not any(form_key(t["text"]) == form_key(text) for t in terms):
            terms.append({"type": type_, "text": text})
        change.log("anonymise.add-term", f"project:{project.marker.project_id}", type=type_)
