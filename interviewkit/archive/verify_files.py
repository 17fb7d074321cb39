"""The file side of ``interviewkit.archive.verify``: walking a project's folder, reading its take
indexes for what each audio segment must hold, and checking one encrypted file.

``check`` runs in worker processes, so it takes and returns plain data (a ``Job``; pairs of
problem and hint).  Findings are ``(path, problem, hint)``, one line each.

A file that does not decrypt is told apart by what age reports: a damaged payload ("decryption
error") or header ("Header MAC is invalid", a malformed stanza) is *damage* (the problem starts
with ``DAMAGED``: restore it from a backup); "no matching keys" with a well-formed header is a
file encrypted to other keys: not yet re-encrypted while a change of recipients is pending, or
written to another set of recipients (its header names more or fewer than the project does), or
else, with as many recipients as the project names, most likely a damaged recipient stanza.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyrage import x25519

from interviewkit.audio.store import SEGMENT_PATTERN, TAKE_ID, AudioTake, segment_name
from interviewkit.errors import IdentityError, InterviewkitError, StorageError, VaultCorrupt
from interviewkit.linkage import LinkageKey
from interviewkit.project import IDENTITY_FILE, MARKER, ProjectIndex
from interviewkit.transcribe.result import Transcription
from interviewkit.transcribe.store import CHECKPOINT_FORMAT
from interviewkit.transcript.model import Transcript
from interviewkit.vault.atomic import TEMP_PREFIX
from interviewkit.vault.cipher import AGE_MAGIC, decrypt_file_to, read_encrypted
from interviewkit.vault.header import Malformed, parse_header, read_header_bytes
from interviewkit.vault.keys import SigningKey
from interviewkit.vault.lock import LOCK_NAME

Finding = tuple[Path, str, str]
# Structured files up to this size are kept in memory to be parsed; larger ones are only decrypted.
PARSE_LIMIT = 64 * 1024 * 1024
PROGRESS_STEP = 4 * 1024 * 1024
IDENTITY_PARTS = {tuple(IDENTITY_FILE.split("/")), tuple(f"{IDENTITY_FILE}.new".split("/"))}
DEFAULT_HINT = "restore it from a backup"
DAMAGED = "damaged: "  # how every problem that is damage to a file begins
IDENTITY_HINT = "restore keys/identity.age from a backup (without it the project opens only with a recipient's key)"
UNLISTED_HINT = "if it came from another take, move it out; otherwise restore the take's index.age from a backup"
HINTS = {
    "segment": "restore it from a backup; until then the take plays and transcribes only up to this segment",
    "take-index": "restore the take's index.age from a backup; without it the take cannot be played",
    "transcript": "restore it from a backup, or go back to an earlier revision in the editor",
    "transcription": "transcribe the take again, or restore the file from a backup",
    "checkpoint": "delete it and transcribe the take again",
    "index": "restore index.age from a backup (the project cannot be opened without it)",
    "linkage": "restore linkage.age from a backup (names and the pseudonym map are in it)",
    "audit": "restore audit.age from a backup, then run 'interviewkit archive verify' again",
    "signing": "restore keys/signing.age from a backup (new audit entries cannot be signed without it)",
}


@dataclass(frozen=True)
class Job:
    """One ``*.age`` file to decrypt; ``sha256``/``length`` are what an audio segment must hold."""

    path: str
    kind: str
    size: int
    keyring: int  # which of the run's keyrings opens it (one per project)
    sha256: str | None = None
    length: int | None = None
    recipients: int | None = None  # how many X25519 recipients the project's index says it has (None: unknown)
    changing: bool = False         # a change of recipients (or a key rotation) is pending in the project


@dataclass(frozen=True)
class Recipients:
    """What the project's index says about recipients, for the jobs of one project."""

    data: int              # keys every data file is encrypted to
    linkage: int           # keys the linkage key is encrypted to
    changing: bool         # a change of recipients or a rotation is pending: files may differ

    def count(self, kind: str) -> int:
        return self.linkage if kind == "linkage" else self.data


@dataclass
class Expectations:
    segments: dict[str, tuple[str | None, int]] = field(default_factory=dict)  # path → (sha256, bytes)
    problems: list[Finding] = field(default_factory=list)


def classify(parts: tuple[str, ...]) -> str:
    """The kind of a vault file from its place in the project (docs/vault-format.md)."""
    top = {("index.age",): "index", ("linkage.age",): "linkage", ("audit.age",): "audit",
           ("keys", "signing.age"): "signing"}
    if parts in top:
        return top[parts]
    if len(parts) < 3 or parts[0] != "sessions":
        return "data"
    rest, name = parts[2:], parts[-1]
    if rest == ("transcript.age",) or (len(rest) == 2 and rest[0] == "transcript-revisions"):
        return "transcript"
    if len(rest) == 2 and rest[0] == "transcription":
        return "checkpoint" if name.endswith(".progress.age") else "transcription"
    if len(rest) == 3 and rest[0] == "audio":
        return "take-index" if name == "index.age" else "segment" if SEGMENT_PATTERN.match(name) else "data"
    return "json" if rest == ("interview.age",) else "data"


def _identity_header_ok(path: Path) -> bool:
    try:
        with open(path, "rb") as source:
            head = source.read(512)
    except OSError:
        return False
    return head.startswith(AGE_MAGIC) and b"\n-> scrypt " in b"\n" + head[len(AGE_MAGIC):]


def walk(root: Path, keyring: int, segments: dict[str, tuple[str | None, int]], jobs: list[Job],
         recipients: Recipients | None = None) -> list[Finding]:
    """Add a job per vault file to ``jobs``; return what must not be in the folder at all.
    ``recipients`` (from the project's index, when it opened) lets ``check`` tell a file encrypted
    to other keys from a damaged one."""
    found: list[Finding] = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        for name in [d for d in dirs if d.startswith(".deleted-")]:
            dirs.remove(name)
            found.append((here / name, "left over from an interrupted deletion",
                          "delete the folder (it holds ciphertext only)"))
        dirs.sort()
        for name in sorted(names):
            path = here / name
            parts = path.relative_to(root).parts
            if parts in ((MARKER,), (LOCK_NAME,)):
                continue
            if parts in IDENTITY_PARTS:  # passphrase-wrapped (the new one only during a key rotation)
                if not _identity_header_ok(path):
                    found.append((path, "not a passphrase-encrypted age file", IDENTITY_HINT))
            elif name.startswith(TEMP_PREFIX):
                found.append((path, "a temp file left by an interrupted write",
                              "delete it when no one is writing to the project (it holds ciphertext only)"))
            elif not name.endswith(".age"):
                found.append((path, "an unencrypted file in the project (only the marker and the lock may be)",
                              "move it out of the project; if it holds study data, delete it securely"))
            else:
                sha, length = segments.get(str(path), (None, None))
                kind = classify(parts)
                jobs.append(Job(str(path), kind, path.stat().st_size, keyring, sha, length,
                                recipients.count(kind) if recipients else None,
                                recipients.changing if recipients else False))
    return found


def take_expectations(root: Path, identities: list[x25519.Identity], checksums: bool) -> Expectations:
    """Read every take index: what each segment must hold, and segments missing or unlisted."""
    out = Expectations()
    for take_dir in sorted(root.glob("sessions/*/audio/*")):
        if not take_dir.is_dir() or not TAKE_ID.match(take_dir.name):
            continue
        index = take_dir / "index.age"
        if not index.is_file():
            out.problems.append((take_dir, "a take folder without its index.age", HINTS["take-index"]))
            continue
        try:
            take = AudioTake.from_bytes(read_encrypted(index, identities), index)
        except InterviewkitError:
            continue  # the decrypt step reports the index itself
        listed = {info.seq for info in take.segments}
        for info in take.segments:
            path = take_dir / segment_name(info.seq)
            if not path.is_file():
                out.problems.append((path, "missing: the take's index lists this segment", HINTS["segment"]))
            out.segments[str(path)] = (info.sha256 if checksums else None, info.frames * take.frame_bytes)
        on_disk = sorted(int(m.group(1)) for p in take_dir.iterdir() if (m := SEGMENT_PATTERN.match(p.name)))
        last = max(listed, default=0)
        for seq in on_disk:
            if seq in listed:
                continue
            if not take.complete and seq == last + 1:  # written just before a crash: recovered on open
                last = seq
                continue
            out.problems.append((take_dir / segment_name(seq), "a segment the take's index does not list",
                                 UNLISTED_HINT))
    return out


class _Sink:
    """Receives plaintext: counts it, hashes it if asked, keeps it only for files to be parsed."""

    def __init__(self, add: Callable[[int], None], keep: bool, digest: bool) -> None:
        self.add = add
        self.size = 0
        self.reported = 0
        self.kept: bytearray | None = bytearray() if keep else None
        self.hash = hashlib.sha256() if digest else None

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.kept is not None:
            self.kept += data
        if self.hash is not None:
            self.hash.update(data)
        if self.size - self.reported >= PROGRESS_STEP:
            self.add(self.size - self.reported)
            self.reported = self.size
        return len(data)

    def flush(self) -> None:
        pass

    def close(self, file_size: int) -> None:
        """Report the rest of the file's (ciphertext) bytes, so that the total comes out exact."""
        self.add(max(0, file_size - self.reported))


def _linkage(raw: bytes, path: Path) -> Any:
    if json.loads(raw).get("format") != "interviewkit-linkage":
        raise ValueError("not a linkage key")
    return LinkageKey.from_bytes(raw)


def _checkpoint(raw: bytes, path: Path) -> Any:
    if json.loads(raw).get("format") != CHECKPOINT_FORMAT:
        raise ValueError("not a transcription checkpoint")


PARSERS: dict[str, tuple[str, Callable[[bytes, Path], Any]]] = {
    "index": ("project index", ProjectIndex.from_bytes),
    "linkage": ("linkage key", _linkage),
    "signing": ("signing key", SigningKey.from_bytes),
    "transcript": ("transcript", lambda raw, path: Transcript.from_bytes(raw)),
    "transcription": ("transcription", lambda raw, path: Transcription.from_bytes(raw)),
    "checkpoint": ("transcription checkpoint", _checkpoint),
    "take-index": ("take index", AudioTake.from_bytes),
    "json": ("JSON file", lambda raw, path: json.loads(raw)),
}


def header_recipients(path: Path) -> int | None:
    """How many X25519 recipients the age header of ``path`` names; None if the header is malformed
    (damaged; ``vault.header``).  Only the header's form is checked: what it encrypts cannot be
    checked without the key."""
    head = read_header_bytes(path)
    if head is None:
        return None
    try:
        header = parse_header(head)
    except Malformed:
        return None
    return sum(stanza.tag == "X25519" for stanza in header.stanzas)


def _not_opened(job: Job, hint: str) -> tuple[str, str]:
    """A file none of the keys opens: damage, or encrypted to other keys (see the module's notes)."""
    found = header_recipients(Path(job.path))
    if found is None:
        return DAMAGED + "its header is damaged (it is not a well-formed age header)", hint
    if job.changing:
        return ("not encrypted to your key yet: a change of recipients was cut short before it reached this file",
                "finish the change of recipients (see the project's index.age line); if that stops here, "
                "restore this file from a backup")
    if found == 0:  # every file interviewkit writes has X25519 recipients
        return DAMAGED + "its header names no recipient key (a damaged header)", hint
    if job.recipients is not None and found != job.recipients:
        return (f"encrypted to other keys ({found} recipients, where the project names {job.recipients}): "
                "an older copy, or written with another set of recipients", "restore the current version from a "
                "backup, or have a key that opens it re-encrypt the project's files")
    if job.recipients is not None:
        return DAMAGED + "none of your keys opens it, though it names as many recipients as the project: " \
            "a recipient entry in its header is damaged", hint
    return "none of your keys opens this file: its header is damaged, or it was encrypted to other keys", hint


def check(job: Job, identities: list[x25519.Identity], add: Callable[[int], None]) -> list[tuple[str, str]]:
    """Decrypt one file completely, streamed; return its problems as (problem, hint) pairs."""
    path, hint = Path(job.path), HINTS.get(job.kind, DEFAULT_HINT)
    sink = _Sink(add, keep=job.kind in PARSERS and job.size <= PARSE_LIMIT, digest=job.sha256 is not None)
    try:
        decrypt_file_to(path, sink, identities)
    except IdentityError:
        return [_not_opened(job, hint)]
    except VaultCorrupt as error:  # a damaged payload or header, a truncated file, a missing one
        return [(DAMAGED + " ".join(error.problem.split()), hint)]  # one line (age's messages may have two)
    except StorageError as error:
        return [(" ".join(error.problem.split()), hint)]
    finally:
        sink.close(job.size)
    if job.length is not None and sink.size != job.length:
        return [(f"holds {sink.size} bytes of audio where its take's index says {job.length}", hint)]
    if sink.hash is not None and sink.hash.hexdigest() != job.sha256:
        return [("does not match the checksum in its take's index (another segment put in its place?)", hint)]
    if sink.kept is not None:
        label, parse = PARSERS[job.kind]
        try:
            parse(bytes(sink.kept), path)
        except InterviewkitError as error:
            return [(f"decrypts, but is not a valid {label} ({error.problem})", hint)]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return [(" ".join(f"decrypts, but is not a valid {label} ({error})".split()), hint)]
    return []


__all__ = ["DAMAGED", "Expectations", "Finding", "Job", "Recipients", "check", "classify", "header_recipients",
           "take_expectations", "walk"]
