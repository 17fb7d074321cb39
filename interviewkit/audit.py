"""The audit log: who did what to which id, never the content.

Each entry is one JSON line carrying the SHA-256 of the entry before it (a hash
chain) and an Ed25519 signature over its own body.  The whole log is one age file,
replaced atomically on every append; the project index keeps the head (last sequence
number and hash) so that a log cut short is caught too.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature

from interviewkit.vault.keys import SigningKey, load_public_key

GENESIS = "0" * 64


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def current_actor() -> str:
    return os.environ.get("INTERVIEWKIT_USER") or getpass.getuser()


@dataclass
class AuditEntry:
    seq: int
    time: str
    actor: str
    action: str
    target: str
    details: dict[str, Any] = field(default_factory=dict)
    prev: str = GENESIS
    sig: str = ""

    def body(self) -> bytes:
        data = asdict(self)
        data.pop("sig")
        return canonical(data)

    def line(self) -> bytes:
        return canonical(asdict(self))

    def digest(self) -> str:
        return hashlib.sha256(self.line()).hexdigest()


@dataclass
class AuditHead:
    seq: int = 0
    hash: str = GENESIS


@dataclass
class AuditProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_log(plaintext: bytes) -> tuple[list[AuditEntry], list[AuditProblem]]:
    entries: list[AuditEntry] = []
    problems: list[AuditProblem] = []
    for number, raw in enumerate(plaintext.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entries.append(AuditEntry(**json.loads(raw)))
        except (ValueError, TypeError) as exc:
            problems.append(AuditProblem(number, f"not a valid entry ({exc})"))
    return entries, problems


def render_log(entries: list[AuditEntry]) -> bytes:
    return b"".join(entry.line() + b"\n" for entry in entries)


def new_entry(previous: AuditEntry | None, action: str, target: str, details: dict[str, Any],
              key: SigningKey, actor: str | None = None) -> AuditEntry:
    entry = AuditEntry(
        seq=previous.seq + 1 if previous else 1,
        time=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        actor=actor or current_actor(),
        action=action,
        target=target,
        details=details,
        prev=previous.digest() if previous else GENESIS,
    )
    entry.sig = key.sign(entry.body())
    return entry


def verify_entries(entries: list[AuditEntry], public_key_text: str, head: AuditHead | None,
                   exact: bool = False, crash_head: AuditHead | None = None) -> list[AuditProblem]:
    """Check order, chain, signatures and the recorded head; return every problem found.

    With ``exact`` (the head comes from the signed manifest) the log must end at ``head`` — or at
    ``crash_head``, the head before a write that was cut short between its manifest and its log;
    without it (a project of format 1) a log ahead of ``head`` passes."""
    problems: list[AuditProblem] = []
    try:
        public_key = load_public_key(public_key_text)
    except ValueError:
        return [AuditProblem(0, "the project's audit public key is unreadable")]
    previous: AuditEntry | None = None
    for number, entry in enumerate(entries, start=1):
        expected_seq = previous.seq + 1 if previous else 1
        if entry.seq != expected_seq:
            problems.append(AuditProblem(number, f"entry {entry.seq} where {expected_seq} was expected "
                                                 "(an entry was removed or the order changed)"))
        expected_prev = previous.digest() if previous else GENESIS
        if entry.prev != expected_prev:
            problems.append(AuditProblem(number, f"entry {entry.seq} does not follow the entry before it "
                                                 "(broken hash chain)"))
        try:
            public_key.verify(_b64(entry.sig), entry.body())
        except (InvalidSignature, ValueError):
            problems.append(AuditProblem(number, f"entry {entry.seq} has a bad signature (it was edited)"))
        previous = entry
    if head is not None:
        last_seq = previous.seq if previous else 0
        last_hash = previous.digest() if previous else GENESIS
        if crash_head is not None and (last_seq, last_hash) == (crash_head.seq, crash_head.hash):
            return problems
        if exact and last_seq > head.seq:
            problems.append(AuditProblem(len(entries), f"the log goes on to entry {last_seq} but the project's signed "
                                                       f"manifest records {head.seq} (entries were added outside "
                                                       "interviewkit)"))
        elif last_seq < head.seq:
            problems.append(AuditProblem(len(entries), f"the log ends at entry {last_seq} but the project "
                                                       f"recorded {head.seq} (entries were cut off)"))
        elif last_seq == head.seq and last_hash != head.hash:
            problems.append(AuditProblem(len(entries), "the last entry differs from the one the project recorded"))
    return problems


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
