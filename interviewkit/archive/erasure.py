"""Erasing a withdrawn participant's data everywhere, proving it, and the report for them.

``consent.withdraw_participant`` erases the linkage entry and the consent record, then calls the
erasers of ``Project.withdrawal_erasers``; this module adds ``erase_withdrawn`` there when it is
imported (``project.ERASER_MODULES`` imports it whenever a project is opened).  It runs inside the
withdrawal's ``writing()`` block: files first, then the linkage key, audit entry and index are
written together when the block ends.  ``withdraw`` (what the CLI and the TUI call) does that and
then runs the check, ``find_name``.

**Their name** (``NameForms``): the name in the linkage key and the names the pseudonym map tied
to their code, whole, and each word of them alone (``Kari``, ``Nordmann``; both halves of
``Anne-Lise``) — except words of one or two letters, name particles (``van``, ``de``) and words
of the name of someone else in the project who has not withdrawn (``Kari`` while a Kari Hansen is
still in: it would erase her, and alone it does not point at this one).  Matched without regard
to case, as whole words (Unicode letters: æ, ø, å are letters; å typed as a + ring too), with a
genitive (``Karis``, ``Kari's``, ``Kari’s``, ``Lars'``).  A mention becomes ``MENTION`` (a marker,
not their code: the code would tie the mention to them again).

What it erases:

* sessions that were the person's own (no other participant who has not withdrawn): every audio
  take, the transcript, its revisions, the machine transcriptions and the interview run (notes);
* sessions shared with others: the person's turns become a marked gap (times and speaker code
  kept, words dropped); the transcript's revisions and the machine transcriptions of the session
  are deleted, since they hold the turns too and carry no reliable speaker codes to rewrite them by;
* in every session: mentions of their name in the transcript (saved as a new revision), its
  revisions, the machine transcriptions (finished, live drafts, progress checkpoints, their
  vocabulary option), the interview run (group notes, placeholder values) and any other file of
  the session (decoded JSON: every string; other text: as text; audio is left as it is); a
  segment whose text changed loses its recogniser's words; their speaker display name, and any
  display name naming them (in the transcripts and in the linkage key's ``speakers``);
* in the linkage key: their entities in the pseudonym map (their code, or named by them) with
  their forms, every form and reviewer's term that names them, single decisions on segments that
  changed or went, mentions in the rest (labels, notes);
* in the index: vocabulary words and placeholder values that name them (removed, not replaced).

The audit entry (``participant.withdraw``) names the kinds erased (``erased``) with counts
(``counts``; see ``KINDS``), never a name.  Left alone, and so reported by the check if they hold
the name: other participants' names and contacts in the linkage key, session ids, study fields
(title, consent ``obtained_by``), and the signed audit log (its actor names).

Exports made earlier cannot be reached: ``exports_to_replace`` lists those the audit log records
with one of the person's sessions, so the steward can replace them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewkit.audio.store import AUDIO_DIR, SEGMENT_PATTERN, TAKE_ID, remove_take_files
from interviewkit.errors import InterviewkitError, NotFound
from interviewkit.project import IDENTITY_FILE, Project
from interviewkit.transcribe.store import DIRECTORY as TRANSCRIPTIONS_DIR
from interviewkit.transcript.model import Transcript
from interviewkit.transcript.store import REVISIONS_DIR, TRANSCRIPT_FILE, open_transcript, save_transcript
from interviewkit.vault.integrity import MANIFEST_FILE

if TYPE_CHECKING:
    from interviewkit.consent import Participant
    from interviewkit.linkage import LinkageKey
    from interviewkit.sessions import Session
    from interviewkit.study import StudyInfo

GAP = {"en": "[withdrawn participant: turn removed]", "no": "[trukket deltaker: ytring fjernet]"}
MENTION = {"en": "[withdrawn participant]", "no": "[trukket deltaker]"}
INTERVIEW_FILE = "interview.age"  # interviewkit.interview.store.RUN_FILE: the run and its notes
SPEAKING_ROLES = ("participant",)


def language(project: Project) -> str:
    """``no`` for a Norwegian project (bokmål or nynorsk), else ``en``."""
    return "no" if project.index.study.language in ("nb", "nn", "no") else "en"


def is_gap(text: str) -> bool:
    return text in GAP.values()


def participant_sessions(project: Project, participant: Participant) -> list[Session]:
    """The sessions the person took part in, in the index's order."""
    return [s for s in project.index.sessions if participant.id in s.participants or s.key in participant.sessions]


def is_own_session(project: Project, session: Session, participant: Participant) -> bool:
    """True when no other participant who has not withdrawn is in the session (interviewers,
    co-moderators and observers do not count): all its data is the person's."""
    if participant.role not in SPEAKING_ROLES:
        return False
    others = [p for p in project.index.participants
              if p.id != participant.id and p.id in session.participants and p.role in SPEAKING_ROLES]
    return all(p.withdrawn for p in others)


@dataclass(frozen=True)
class ExportRecord:
    """An export the audit log records (ids and counts only)."""

    seq: int
    time: str
    format: str
    purpose: str
    sessions: tuple[str, ...]
    identifiable: bool
    encrypted: bool


def exports_to_replace(project: Project, participant: Participant) -> list[ExportRecord]:
    """Exports made before the person withdrew that included one of their sessions."""
    entries, _ = project.audit_entries()
    target = f"participant:{participant.id}"
    cutoff = next((e.seq for e in entries if e.action == "participant.withdraw" and e.target == target), None)
    theirs = {i for s in participant_sessions(project, participant) for i in s.known_ids()}  # renamed since too
    found = []
    for entry in entries:
        if entry.action != "export" or (cutoff is not None and entry.seq > cutoff):
            continue
        sessions = tuple(str(s) for s in entry.details.get("sessions", []))
        if theirs.intersection(sessions):
            details = entry.details
            found.append(ExportRecord(entry.seq, entry.time, str(details.get("format", "")),
                                      str(details.get("purpose", "")), sessions,
                                      bool(details.get("identifiable")), bool(details.get("encrypted"))))
    return found


# -- the person's name -------------------------------------------------------------------------

# Name particles: parts of a name that are ordinary words too, never erased alone.
NAME_PARTICLES = frozenset({"af", "al", "av", "bin", "da", "de", "del", "della", "den", "der", "di", "do", "dos",
                            "du", "el", "ibn", "la", "le", "mac", "mc", "st", "til", "van", "von", "zu", "jr", "sr"})
MIN_PART_LETTERS = 3  # a part of one or two letters (an initial, "Bo", "Li") is too generic to erase alone
# After a name: a genitive (Karis, Kari's, Kari’s, Lars'); the match is a whole word either way.
POSSESSIVE = r"(?:['’]s|['’]|s)?"
# In a binary plaintext (audio) a short word turns up by chance; only longer ones are searched there.
MIN_BINARY_CHARS = 5


def _words(name: str) -> list[str]:
    """The words of a name: each whitespace-separated part, and each part of a hyphenated one."""
    words = []
    for part in name.split():
        part = part.strip(".,;:()[]\"'’")
        words.append(part)
        if "-" in part:
            words.extend(p for p in part.split("-"))
    return [w for w in words if w]


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def _variants(word: str) -> list[str]:
    """The composed and decomposed Unicode spellings (å typed as one letter or as a + ring)."""
    return list(dict.fromkeys(unicodedata.normalize(form, word) for form in ("NFC", "NFD")))


@dataclass(frozen=True)
class NameForms:
    """How the person is written, and so what withdrawal erases and the check looks for.

    ``forms``: the whole names (their name in the linkage key, the names the pseudonym map tied to
    their code); ``parts``: the words of those names that are erased on their own too; ``skipped``:
    words left alone (never logged): one or two letters, a particle (``van``, ``de``), or a word of
    the name of someone else in the project who has not withdrawn (``Kari`` when a Kari Hansen is
    still in): erasing it would erase the other person, and alone it does not point at this one."""

    forms: tuple[str, ...]
    parts: tuple[str, ...]
    skipped: tuple[str, ...] = ()

    def words(self) -> list[str]:
        """Every form and part, longest first (a full name is replaced before its parts)."""
        return sorted(dict.fromkeys((*self.forms, *self.parts)), key=lambda w: (-len(w), w))

    def pattern(self) -> re.Pattern[str] | None:
        """One pattern for every form and part: case-insensitive, whole words (Unicode letters, so æøå
        count as letters), any run of white space between the words of a name, a genitive allowed."""
        alternatives = ["\\s+".join(map(re.escape, variant.split()))
                        for word in self.words() for variant in _variants(word)]
        if not alternatives:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")" + POSSESSIVE + r"(?!\w)", re.IGNORECASE)

    def needles(self, binary: bool) -> list[bytes]:
        """What a plaintext is searched for byte by byte, beside the pattern: each word in UTF-16
        (a text written so, e.g. by another program) as written, in lower, upper and title case;
        in a ``binary`` one (audio) also in UTF-8, for words of at least ``MIN_BINARY_CHARS``
        characters (a shorter one turns up in a recording's bytes by chance)."""
        encodings = ("utf-16-le", "utf-16-be", "utf-8")
        needles = []
        for word in self.words():
            for spelling in {word, word.lower(), word.upper(), word.title()}:
                for variant in _variants(spelling):
                    needles += [variant.encode(e) for e in encodings
                                if e != "utf-8" or (binary and len(word) >= MIN_BINARY_CHARS)]
        return list(dict.fromkeys(needles))


def name_forms(project: Project, participant: Participant, linkage: LinkageKey | None = None) -> NameForms:
    """The written forms of ``participant``'s name (see ``NameForms``), from the linkage key on disk
    (``linkage``: the one being changed, if any: its pseudonym map and the other people's names)."""
    on_disk = project.linkage()
    linkage = linkage or on_disk
    entities = linkage.anonymisation.get("map", {}).get("entities", {})
    ids = {eid for eid, e in entities.items() if e.get("code") == participant.code}
    names = [form for form, eid in linkage.anonymisation.get("map", {}).get("forms", {}).items()
             if eid in ids and entities[eid].get("status") != "rejected"]
    names += [entities[eid].get("name", "") for eid in ids if entities[eid].get("status") != "rejected"]
    # A withdrawal pops the linkage entry in memory first; it is on disk until the change is written.
    entry = on_disk.entries.get(participant.id) or linkage.entries.get(participant.id)
    if entry is not None:
        names.append(entry.name)
    names = list(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))
    withdrawn = {p.id for p in project.index.participants if p.withdrawn and p.id != participant.id}
    others = {w.casefold() for pid, e in linkage.entries.items() if pid != participant.id and pid not in withdrawn
              for w in _words(e.name)}
    forms = tuple(n for n in names if len(n.split()) > 1)
    parts: list[str] = []
    skipped: list[str] = []
    for word in dict.fromkeys(w for n in names for w in _words(n)):
        generic = (_letters(word) < MIN_PART_LETTERS or word.casefold() in NAME_PARTICLES
                   or word.casefold() in others)
        (skipped if generic else parts).append(word)
    return NameForms(forms, tuple(p for p in parts if p.casefold() not in {f.casefold() for f in forms}),
                     tuple(skipped))


# -- the check: is the name anywhere still? ----------------------------------------------------

@dataclass(frozen=True)
class NameCheck:
    """Every vault file this key opens, decrypted and searched for a name (file paths only)."""

    checked: int                   # files decrypted and searched
    found: tuple[str, ...]         # files (relative paths) in which a form of the name is still found
    unreadable: tuple[str, ...]    # files this key cannot open (another scope) or that fail to open

    @property
    def clean(self) -> bool:
        return not self.found


def _holds(plaintext: bytes, pattern: re.Pattern[str], needles: dict[bool, list[bytes]]) -> bool:
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:  # binary: audio
        return any(needle in plaintext for needle in needles[True])
    if pattern.search(text) or any(needle in plaintext for needle in needles[False]):
        return True
    try:  # JSON may write letters as \u escapes
        return bool(pattern.search(json.dumps(json.loads(text), ensure_ascii=False)))
    except ValueError:
        return False


def _plaintext(project: Project, relative: str) -> bytes:
    """A vault file decrypted through the project (the manifest, which vouches for the others, as
    its keeper read and checked it)."""
    if relative == MANIFEST_FILE:
        manifest = project.integrity.current()
        return manifest.to_bytes() if manifest is not None else b""
    return project.read(relative)


def find_name(project: Project, names: NameForms) -> NameCheck:
    """Decrypt every vault file the opener can read (every ``*.age`` but ``keys/identity.age``, the
    manifest and leftovers of an interrupted write too) and search each for ``names``: the pattern
    erasure uses, and byte strings (see ``NameForms.needles``)."""
    pattern = names.pattern()
    needles = {binary: names.needles(binary) for binary in (False, True)}
    checked, found, unreadable = 0, [], []
    identity = project.root / IDENTITY_FILE
    for path in sorted(p for p in project.root.rglob("*.age") if p != identity and p.is_file()):
        relative = path.relative_to(project.root).as_posix()
        try:
            plaintext = _plaintext(project, relative)
        except InterviewkitError:
            unreadable.append(relative)
            continue
        checked += 1
        if pattern is not None and _holds(plaintext, pattern, needles):
            found.append(relative)
    return NameCheck(checked, tuple(found), tuple(unreadable))


# -- erasing -----------------------------------------------------------------------------------

# The kinds of data erased, in the order the audit entry names them (see docs/vault-format.md).
KINDS = ("audio", "transcript", "transcript-turns", "name-mentions", "speaker-name", "transcript-revisions",
         "machine-transcriptions", "interview-notes", "pseudonym-map", "anonymisation-terms", "vocabulary",
         "placeholders")


class _Redactor:
    """Replaces the person in one document: their turns become a gap, mentions of their name a
    marker, their speaker display name goes; counts what it did."""

    def __init__(self, pattern: re.Pattern[str] | None, code: str, lang: str) -> None:
        self.pattern, self.code, self.lang = pattern, code, lang
        self.mentions = self.turns = self.speakers = 0
        self.changed_segments: set[str] = set()

    def text(self, text: str) -> str:
        if self.pattern is None:
            return text
        new, count = self.pattern.subn(MENTION[self.lang], text)
        self.mentions += count
        return new

    def names(self, text: str) -> bool:
        return self.pattern is not None and self.pattern.search(text) is not None

    def speaker_map(self, value: Any) -> Any:
        """A ``speakers`` map (code → display name; or nested, e.g. per session) without their code
        and without any display name that names them (the screen shows the code instead)."""
        if not isinstance(value, dict):
            return self.value(value)
        gone = [k for k, v in value.items() if isinstance(v, str) and (k == self.code or self.names(v))]
        self.speakers += len(gone)
        return {k: self.speaker_map(v) if isinstance(v, dict) else self.value(v)
                for k, v in value.items() if k not in gone}

    def value(self, value: Any, key: str | None = None) -> Any:
        """``value`` (decoded JSON) with the person erased."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            if key == "vocabulary":  # a recogniser's prompt: a word that names them goes altogether
                kept = [w for w in value if not (isinstance(w, str) and self.names(w))]
                self.mentions += len(value) - len(kept)
                value = kept
            return [self.value(item) for item in value]
        if not isinstance(value, dict):
            return value
        if isinstance(value.get("text"), str) and value.get("speaker") == self.code:  # one of their turns
            out = {self.text(k): self.value(v, k) for k, v in value.items() if k not in ("text", "words")}
            if value["text"] != GAP[self.lang] or value.get("words"):
                self.turns += 1
            out["text"] = GAP[self.lang]
            if "words" in value:
                out["words"] = []
            self._changed(value)
            return out
        out = {self.text(k): self.speaker_map(v) if k == "speakers" else self.value(v, k) for k, v in value.items()}
        if isinstance(value.get("text"), str) and out.get("text") != value["text"]:
            if "words" in value:  # the recogniser's words hold the name too, and no longer match the text
                out["words"] = []
            self._changed(value)
        return out

    def _changed(self, segment: dict[str, Any]) -> None:
        if isinstance(segment.get("id"), str):
            self.changed_segments.add(segment["id"])


def _redact_plaintext(plaintext: bytes, redactor: _Redactor) -> bytes | None:
    """The plaintext with the person erased, or None when there was nothing to erase (or it is
    binary: audio)."""
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        new_text = redactor.text(text)
        return new_text.encode("utf-8") if new_text != text else None
    new = redactor.value(data)
    return json.dumps(new, ensure_ascii=False, indent=1).encode("utf-8") if new != data else None


@dataclass
class _Tally:
    """What was erased, by kind (see ``KINDS``): numbers only."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self.counts[kind] = self.counts.get(kind, 0) + n

    def ordered(self) -> dict[str, int]:
        return {kind: self.counts[kind] for kind in KINDS if self.counts.get(kind)}


def _file_kind(relative: str) -> str | None:
    """The kind a session file is counted as when it is deleted or rewritten."""
    top = relative.split("/", 1)[0]
    return {REVISIONS_DIR: "transcript-revisions", TRANSCRIPTIONS_DIR: "machine-transcriptions",
            INTERVIEW_FILE: "interview-notes"}.get(top)


def _count_files(project: Project, session: Session, name: str) -> int:
    path = project.session_path(session, name)
    return sum(1 for p in path.rglob("*.age")) if path.is_dir() else int(path.is_file())


def _remove(project: Project, session: Session, name: str, kind: str, tally: _Tally) -> None:
    count = _count_files(project, session, name)
    if project.remove_path(project.session_path(session, name)):
        tally.add(kind, max(count, 1))


def _erase_own_session(project: Project, session: Session, tally: _Tally) -> None:
    audio = project.session_path(session, AUDIO_DIR)
    if audio.is_dir():
        for take in sorted(p.name for p in audio.iterdir() if p.is_dir() and TAKE_ID.match(p.name)):
            remove_take_files(project, session, take)
            tally.add("audio")
    for name, kind in ((TRANSCRIPT_FILE, "transcript"), (REVISIONS_DIR, "transcript-revisions"),
                       (TRANSCRIPTIONS_DIR, "machine-transcriptions"), (INTERVIEW_FILE, "interview-notes")):
        _remove(project, session, name, kind, tally)


def _erase_transcript(project: Project, session: Session, redactor: _Redactor, shared: bool) -> None:
    """The session's transcript without the person, saved as a new revision of it (an editor open
    on the old one cannot save over it unawares).  In a session ``shared`` with them (see
    ``_erase_shared``) it is made from the machine transcriptions if there is none yet, and saved
    even if unchanged: those go next."""
    if not shared and not project.session_path(session, TRANSCRIPT_FILE).is_file():
        return
    try:
        transcript = open_transcript(project, session)
    except NotFound:
        return
    data = transcript.to_dict()  # the display names merged in from the linkage key
    new = redactor.value(data)
    if shared or new != data:
        save_transcript(project, session, Transcript.from_dict(new), base=None)  # under the lock since read


def _erase_shared(project: Project, session: Session, redactor: _Redactor, tally: _Tally) -> None:
    """A session shared with others: their turns become gaps in the transcript, then its revisions
    and machine transcriptions go, since they hold the turns too and carry no reliable speaker
    codes to rewrite them by."""
    _erase_transcript(project, session, redactor, shared=True)
    for name, kind in ((REVISIONS_DIR, "transcript-revisions"), (TRANSCRIPTIONS_DIR, "machine-transcriptions")):
        _remove(project, session, name, kind, tally)


def _session_files(project: Project) -> dict[str, list[str]]:
    """Every vault file of every session (relative to its folder), by session key."""
    sessions = project.root / "sessions"
    files: dict[str, list[str]] = {}
    for path in project.vault_files():
        if path.is_relative_to(sessions):
            key, _, relative = path.relative_to(sessions).as_posix().partition("/")
            files.setdefault(key, []).append(relative)
    return files


def _is_audio_segment(relative: str) -> bool:
    parts = relative.split("/")
    return parts[0] == AUDIO_DIR and SEGMENT_PATTERN.match(parts[-1]) is not None


def _erase_mentions(project: Project, session: Session, files: list[str], pattern: re.Pattern[str] | None,
                    code: str, lang: str, tally: _Tally) -> None:
    """Every other file of the session (revisions, machine transcriptions with their live and
    progress checkpoints, the interview run and its notes, …) rewritten without the person."""
    for relative in files:
        if (relative == TRANSCRIPT_FILE or _is_audio_segment(relative)
                or not project.session_path(session, relative).is_file()):
            continue
        plaintext = project.load_session_file(session, relative)
        redactor = _Redactor(pattern, code, lang)
        new = _redact_plaintext(plaintext, redactor) if plaintext is not None else None
        if new is None:
            continue
        project.save_session_file(session, relative, new)
        tally.add("name-mentions", redactor.mentions)
        kind = _file_kind(relative)
        if kind is not None:
            tally.add(kind)


def _erase_anonymisation(linkage: LinkageKey, participant: Participant, redactor: _Redactor,
                         stale: dict[str, set[str] | None], tally: _Tally) -> None:
    """Their pseudonym-map entities (their code, or an entity named by them) with their forms, every
    form and reviewer's term that names them, decisions on segments that changed or went; the rest
    of the reviewer's work (labels, notes) with mentions replaced."""
    state: dict[str, Any] = linkage.anonymisation
    pmap = state.get("map", {})
    entities = pmap.get("entities", {})
    gone = {eid for eid, e in entities.items()
            if e.get("code") == participant.code or redactor.names(str(e.get("name", "")))}
    for eid in gone:
        entities.pop(eid, None)
    tally.add("pseudonym-map", len(gone))
    if "forms" in pmap:
        pmap["forms"] = {f: eid for f, eid in pmap["forms"].items() if eid not in gone and not redactor.names(f)}
    if "terms" in state:
        terms = [t for t in state["terms"] if not redactor.names(str(t.get("text", "")))]
        tally.add("anonymisation-terms", len(state["terms"]) - len(terms))
        state["terms"] = terms
    decisions = state.get("occurrences", {})
    for session_id, segments in stale.items():
        if session_id not in decisions:
            continue
        if segments is None:
            decisions.pop(session_id)
        else:
            decisions[session_id] = {k: v for k, v in decisions[session_id].items()
                                     if k.split(":", 1)[0] not in segments}
    rest = redactor.value(state)
    state.clear()
    state.update(rest)


def _erase_linkage_speakers(linkage: LinkageKey, redactor: _Redactor) -> None:
    """Speaker display names kept with the names (``speakers`` in the linkage key), where a version
    of interviewkit keeps them there."""
    speakers = getattr(linkage, "speakers", None)
    if isinstance(speakers, dict):
        new = redactor.speaker_map(speakers)
        speakers.clear()
        speakers.update(new)


def _erase_study(study: StudyInfo, redactor: _Redactor, tally: _Tally) -> None:
    """Vocabulary words and placeholder values that name them (the vocabulary goes into every
    transcription's options): removed, not replaced: a marker would be a strange prompt or value."""
    words = [w for w in study.vocabulary if not redactor.names(w)]
    tally.add("vocabulary", len(study.vocabulary) - len(words))
    study.vocabulary[:] = words
    values = {k: v for k, v in study.placeholders.items() if not redactor.names(v)}
    tally.add("placeholders", len(study.placeholders) - len(values))
    study.placeholders.clear()
    study.placeholders.update(values)


def erase_withdrawn(project: Project, participant: Participant) -> dict[str, int]:
    """The eraser: erase everything of ``participant`` described in the module doc; return the
    kinds erased with counts (for the audit entry's ``erased`` and ``counts``)."""
    change = project.current_change
    if change is None:  # called on its own: make it a change of its own
        with project.writing():
            return erase_withdrawn(project, participant)
    lang = language(project)
    pattern = name_forms(project, participant, change.linkage).pattern()
    tally = _Tally()
    stale: dict[str, set[str] | None] = {}
    theirs = {s.key for s in participant_sessions(project, participant)}
    files = _session_files(project)
    for session in project.index.sessions:
        if session.key in theirs and is_own_session(project, session, participant):
            _erase_own_session(project, session, tally)
            stale[session.id] = None
        else:
            redactor = _Redactor(pattern, participant.code, lang)
            if session.key in theirs:
                _erase_shared(project, session, redactor, tally)
            else:
                _erase_transcript(project, session, redactor, shared=False)
            tally.add("transcript-turns", redactor.turns)
            tally.add("speaker-name", redactor.speakers)
            tally.add("name-mentions", redactor.mentions)
            _erase_mentions(project, session, files.get(session.key, []), pattern, participant.code, lang, tally)
            if redactor.changed_segments:
                stale[session.id] = redactor.changed_segments
    redactor = _Redactor(pattern, participant.code, lang)
    _erase_anonymisation(change.linkage, participant, redactor, stale, tally)
    _erase_linkage_speakers(change.linkage, redactor)
    _erase_study(project.index.study, redactor, tally)
    tally.add("speaker-name", redactor.speakers)
    tally.add("name-mentions", redactor.mentions)
    return tally.ordered()


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal done: the participant, what was erased (kinds and counts) and the check that
    decrypted every file afterwards."""

    participant: Participant
    erased: dict[str, int]
    check: NameCheck


def withdraw(project: Project, code: str, date: str | None = None) -> Withdrawal:
    """Withdraw a participant (``consent.withdraw_participant``: the erasers run inside), then prove
    the erasure: decrypt every file and search it for their name (``find_name``)."""
    from interviewkit.consent import get_participant, withdraw_participant

    names = name_forms(project, get_participant(project, code))
    participant = withdraw_participant(project, code, date=date)
    entries, _ = project.audit_entries()
    entry = next((e for e in reversed(entries) if e.action == "participant.withdraw"
                  and e.target == f"participant:{participant.id}"), None)
    counts = entry.details.get("counts", {}) if entry is not None else {}
    return Withdrawal(participant, dict(counts), find_name(project, names))


def register() -> None:
    """Add ``erase_withdrawn`` to ``Project.withdrawal_erasers`` (once)."""
    if erase_withdrawn not in Project.withdrawal_erasers:
        Project.withdrawal_erasers.append(erase_withdrawn)


register()


def erasure_report(project: Project, code: str) -> str:
    """The Markdown report for the participant (see ``interviewkit.archive.report``)."""
    from interviewkit.archive.report import erasure_report as render

    return render(project, code)
