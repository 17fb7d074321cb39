"""The signed manifest: which vault files the project wrote, bound to the SHA-256 of their ciphertext.

age authenticates nobody: whoever knows a recipient's public key can write a file that decrypts.
The manifest closes that gap.  It names every vault file (its path relative to the project) with
the SHA-256 of the bytes on disk, and the audit log's head, and it is signed with the project's
Ed25519 key, which only the owner scope can read (docs/vault-format.md, "Integrity").  A file that
is not in it, differs from it, or is missing although it is listed was not written by the project
as it stands: forged, swapped, rolled back or deleted.

A write names its intent first: the manifest is written with the new hashes and, under
``pending``, what each file held before (``None``: absent) and the temp file that holds the new
one.  Only then are the temp files renamed into place.  While a pending file's temp file is still
there (a writer at work, or one that died), the old content is accepted too; the next writer rolls
the change forward by renaming what is left.  Once the temp file is gone only the new content is
accepted, so putting an older copy back is caught even for the last file written.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature

from interviewkit.vault.keys import SigningKey, load_public_key

FORMAT = "interviewkit-manifest"
VERSION = 1
SIGNATURE_CONTEXT = b"interviewkit-manifest-v1\n"


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Pending:
    """A file of the last write: its digest before (None: absent) and its staged temp file's name
    (None: the write deletes it)."""

    before: str | None
    temp: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"before": self.before, "temp": self.temp}


@dataclass
class Manifest:
    project_id: str
    seq: int = 0
    files: dict[str, str] = field(default_factory=dict)  # relative path -> SHA-256 (hex) of the ciphertext
    pending: dict[str, Pending] = field(default_factory=dict)  # relative path -> the write in progress
    audit_head: dict[str, Any] = field(default_factory=lambda: {"seq": 0, "hash": "0" * 64})
    previous_audit_head: dict[str, Any] | None = None  # the head before the write in progress, while pending
    signature: str = ""

    def _data(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "project_id": self.project_id, "seq": self.seq,
                "files": self.files, "pending": {k: v.to_dict() for k, v in self.pending.items()},
                "audit_head": self.audit_head, "previous_audit_head": self.previous_audit_head}

    def body(self) -> bytes:
        """What the signature covers: everything but the signature, in canonical JSON."""
        return _canonical(self._data())

    def to_bytes(self) -> bytes:
        return _canonical({**self._data(), "signature": self.signature})

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        """Parse; raises ValueError when it is not a manifest."""
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an interviewkit manifest")
        if data.get("version", 0) > VERSION:
            raise ValueError(f"manifest format {data.get('version')} is newer than this interviewkit")
        files, pending = data.get("files"), data.get("pending", {})
        if not isinstance(files, dict) or not isinstance(pending, dict):
            raise ValueError("files and pending must be objects")
        return cls(project_id=str(data["project_id"]), seq=int(data["seq"]),
                   files={str(k): str(v) for k, v in files.items()},
                   pending={str(k): Pending(v.get("before"), v.get("temp")) for k, v in pending.items()},
                   audit_head=dict(data["audit_head"]),
                   previous_audit_head=data.get("previous_audit_head"),
                   signature=str(data.get("signature", "")))

    def sign(self, key: SigningKey) -> None:
        self.signature = key.sign(SIGNATURE_CONTEXT + self.body())

    def signed_by(self, public_key_text: str) -> bool:
        try:
            key = load_public_key(public_key_text)
            key.verify(base64.b64decode(self.signature, validate=True), SIGNATURE_CONTEXT + self.body())
        except (InvalidSignature, ValueError):
            return False
        return True

    def accepts(self, relative: str, digest: str, in_flight: bool = False) -> bool:
        """``digest`` is what the project wrote at ``relative`` — or, while the last write is still
        ``in_flight`` (its temp file there), what was there before it."""
        if self.files.get(relative) == digest:
            return True
        pending = self.pending.get(relative)
        return in_flight and pending is not None and pending.before == digest

    def accepts_absence(self, relative: str, in_flight: bool = False) -> bool:
        if relative not in self.files:
            return True
        pending = self.pending.get(relative)
        return in_flight and pending is not None and pending.before is None

    def under(self, relative_folder: str) -> list[str]:
        prefix = relative_folder.rstrip("/") + "/"
        return [name for name in self.files if name.startswith(prefix)]

    def next(self) -> Manifest:
        """A copy for the next write: pending settled, sequence one up."""
        return Manifest(self.project_id, self.seq + 1, dict(self.files), {}, dict(self.audit_head), None)
