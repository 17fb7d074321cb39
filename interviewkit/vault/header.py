"""The age v1 header, read without any key: is it well-formed, and so why did a decryption fail?

rage (through pyrage) reports a failed decryption with a terse message that mixes up causes a
user must tell apart: a damaged file (restore it from a backup), a wrong passphrase (type it
again), a key that is not a recipient (unlock with another key).  The header is text
(https://age-encryption.org/v1)::

    age-encryption.org/v1
    -> X25519 <32-byte share, base64>
    <32-byte wrapped file key, base64, lines of 64 columns>
    -> scrypt <16-byte salt> <work factor>
    <32-byte wrapped file key>
    --- <32-byte header MAC>
    <payload: 16-byte nonce, then chunks of 64 KiB + 16-byte tag>

so whether it is well-formed can be checked before or after rage failed.  What cannot be told
apart by anyone without the key: a flipped bit inside a stanza's wrapped key looks exactly like a
foreign key (X25519) or a wrong passphrase (scrypt); the messages for those two say so.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from dataclasses import dataclass
from pathlib import Path

from interviewkit.errors import VaultCorrupt

MAGIC = b"age-encryption.org/v1\n"
STANZA_PREFIX = b"-> "
MAC_PREFIX = b"--- "
BODY_COLUMNS = 64
NONCE_BYTES = 16
TAG_BYTES = 16
# Enough for a header with thousands of recipients; a header is a few hundred bytes a recipient.
HEADER_READ_LIMIT = 1024 * 1024

_ARGUMENT = re.compile(rb"[\x21-\x7e]+")
_WORK_FACTOR = re.compile(r"[1-9][0-9]?")

# rage's messages (pyrage.DecryptError), as seen in pyrage 1.x.
NO_MATCHING_KEYS = "No matching keys found"
STANZA_NOT_OPENED = "Decryption failed"  # a passphrase stanza's file key did not unwrap
HEADER_MAC_INVALID = "Header MAC is invalid"
EXCESSIVE_WORK = "Excessive work parameter"
HEADER_UNREADABLE = ("Unknown age format", "Header is invalid", "Incomplete header")


class Malformed(ValueError):
    """The bytes are not a well-formed age v1 header; ``str()`` says where, in words."""


@dataclass(frozen=True)
class Stanza:
    tag: str
    args: tuple[str, ...]
    body: bytes


@dataclass(frozen=True)
class AgeHeader:
    stanzas: tuple[Stanza, ...]
    mac: bytes
    payload_offset: int  # where the payload (nonce, then chunks) begins

    def tags(self) -> set[str]:
        return {stanza.tag for stanza in self.stanzas}


class Diagnosis(enum.Enum):
    DAMAGED_HEADER = "damaged_header"    # not age, header cut off or malformed, or its MAC fails
    DAMAGED_PAYLOAD = "damaged_payload"  # header fine; the encrypted contents are cut off or altered
    WRONG_PASSPHRASE = "wrong_passphrase"  # a well-formed scrypt stanza the passphrase does not open
    FOREIGN_KEY = "foreign_key"          # well-formed X25519 stanzas, none for the keys held


@dataclass(frozen=True)
class Finding:
    diagnosis: Diagnosis
    reason: str  # what is wrong, in words, for the error's ``problem`` (damaged cases)


def _b64(text: bytes, size: int | None, what: str) -> bytes:
    """Canonical unpadded base64 (as age writes it), of ``size`` bytes when given."""
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise Malformed(f"{what} is not base64") from None
    if base64.b64encode(raw).rstrip(b"=") != text:
        raise Malformed(f"{what} is not canonical base64")
    if size is not None and len(raw) != size:
        raise Malformed(f"{what} holds {len(raw)} bytes, not {size}")
    return raw


def _check_stanza(stanza: Stanza, number: int) -> None:
    where = f"recipient stanza {number} ({stanza.tag})"
    if stanza.tag == "X25519":
        if len(stanza.args) != 1:
            raise Malformed(f"{where} has {len(stanza.args)} arguments, not 1")
        _b64(stanza.args[0].encode(), 32, f"the share of {where}")
        if len(stanza.body) != 32:
            raise Malformed(f"the wrapped key of {where} holds {len(stanza.body)} bytes, not 32")
    elif stanza.tag == "scrypt":
        if len(stanza.args) != 2:
            raise Malformed(f"{where} has {len(stanza.args)} arguments, not 2")
        _b64(stanza.args[0].encode(), 16, f"the salt of {where}")
        if not _WORK_FACTOR.fullmatch(stanza.args[1]):
            raise Malformed(f"the work factor of {where} is '{stanza.args[1][:8]}', not a number from 1 to 99")
        if len(stanza.body) != 32:
            raise Malformed(f"the wrapped key of {where} holds {len(stanza.body)} bytes, not 32")


def parse_header(data: bytes) -> AgeHeader:
    """The header at the start of ``data`` (the whole file, or at least its header); raises
    ``Malformed`` naming the first thing that is wrong."""
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise Malformed("the file is truncated inside its age header")
        raise Malformed("it does not start with the age header (age-encryption.org/v1)")
    position = len(MAGIC)
    stanzas: list[Stanza] = []

    def next_line() -> bytes:
        nonlocal position
        end = data.find(b"\n", position)
        if end < 0:
            raise Malformed("the file is truncated inside its age header")
        line = data[position:end]
        position = end + 1
        return line

    line = next_line()
    while line.startswith(STANZA_PREFIX):
        number = len(stanzas) + 1
        words = line[len(STANZA_PREFIX):].split(b" ")
        if not all(_ARGUMENT.fullmatch(word) for word in words):
            raise Malformed(f"recipient stanza {number} has an empty or non-printable argument")
        body_lines = []
        while True:
            body_line = next_line()
            if len(body_line) > BODY_COLUMNS:
                raise Malformed(f"a line of recipient stanza {number} is longer than {BODY_COLUMNS} columns")
            body_lines.append(body_line)
            if len(body_line) < BODY_COLUMNS:
                break
        body = _b64(b"".join(body_lines), None, f"the body of recipient stanza {number}")
        stanza = Stanza(words[0].decode("ascii"), tuple(w.decode("ascii") for w in words[1:]), body)
        _check_stanza(stanza, number)
        stanzas.append(stanza)
        line = next_line()
    if not line.startswith(MAC_PREFIX):
        if line.startswith(b"---"):
            raise Malformed("the header's MAC line is malformed")
        number = data[:position].count(b"\n")
        raise Malformed(f"line {number} of the header is neither a recipient stanza nor the MAC line")
    if not stanzas:
        raise Malformed("the header names no recipient")
    tags = [stanza.tag for stanza in stanzas]
    if "scrypt" in tags and len(tags) > 1:
        raise Malformed("a passphrase (scrypt) stanza is not the header's only recipient")
    mac = _b64(line[len(MAC_PREFIX):], 32, "the header's MAC")
    return AgeHeader(tuple(stanzas), mac, position)


def check_payload(data: bytes, header: AgeHeader) -> str | None:
    """What is wrong with the payload's length, seen without a key (None: nothing seen)."""
    size = len(data) - header.payload_offset
    if size < NONCE_BYTES + TAG_BYTES:
        return f"the file is truncated ({max(size, 0)} bytes of encrypted contents after the header)"
    return None


def diagnose(data: bytes | None, failure: str, *, passphrase: bool) -> Finding:
    """Why rage failed to decrypt ``data`` (the file, or at least its first bytes) with the
    message ``failure``; ``passphrase``: it was tried with a passphrase, not X25519 keys.
    ``data`` None (the bytes could not be read again): judged on the message alone."""
    if data is not None:
        try:
            header = parse_header(data)
        except Malformed as exc:
            return Finding(Diagnosis.DAMAGED_HEADER, str(exc))
    else:
        header = None
    if EXCESSIVE_WORK in failure:
        return Finding(Diagnosis.DAMAGED_HEADER, "the passphrase stanza asks for an excessive work factor")
    if HEADER_MAC_INVALID in failure:  # a stanza opened with the key given, so the key is right
        return Finding(Diagnosis.DAMAGED_HEADER, "the header's MAC does not match its contents")
    if NO_MATCHING_KEYS in failure or STANZA_NOT_OPENED in failure:
        if passphrase:
            if header is not None and "scrypt" not in header.tags():
                return Finding(Diagnosis.DAMAGED_HEADER, "the header holds no passphrase (scrypt) stanza")
            return Finding(Diagnosis.WRONG_PASSPHRASE, "the passphrase does not open the scrypt stanza")
        return Finding(Diagnosis.FOREIGN_KEY, "none of the keys opens a recipient stanza")
    if any(message in failure for message in HEADER_UNREADABLE):
        return Finding(Diagnosis.DAMAGED_HEADER, "rage cannot read the header")
    if header is not None and data is not None:
        cut = check_payload(data, header)
        if cut:
            return Finding(Diagnosis.DAMAGED_PAYLOAD, cut)
    return Finding(Diagnosis.DAMAGED_PAYLOAD, "the file is truncated or its encrypted contents have been altered")


def read_header_bytes(path: Path | str) -> bytes | None:
    """The first bytes of ``path`` (its header and a little more); None if it cannot be read."""
    if not str(path):
        return None
    try:
        with open(path, "rb") as source:
            return source.read(HEADER_READ_LIMIT)
    except OSError:
        return None


def damaged_error(path: Path | str, finding: Finding, name: str = "") -> VaultCorrupt:
    """The error for a damaged file (``finding`` DAMAGED_HEADER or DAMAGED_PAYLOAD); ``name``: how
    the hint calls the file (default: its file name, e.g. ``index.age``)."""
    name = name or Path(path).name or "the file"
    if finding.diagnosis is Diagnosis.DAMAGED_HEADER:
        return VaultCorrupt(path, f"the file's age header is damaged ({finding.reason})",
                            f"restore {name} from a backup", code="vault.damaged_header",
                            params={"detail": finding.reason, "file": name})
    return VaultCorrupt(path, f"cannot decrypt: {finding.reason}",
                        f"restore {name} from a backup; 'interviewkit archive verify PROJECT' checks the other files",
                        code="vault.damaged", params={"detail": finding.reason})


def header_damage(path: Path | str, data: bytes) -> VaultCorrupt | None:
    """The damaged-header error for ``data`` if its age header is malformed, else None: for a
    check that fails before any decryption (a digest that does not match) to say what it sees."""
    try:
        parse_header(data)
    except Malformed as exc:
        return damaged_error(path, Finding(Diagnosis.DAMAGED_HEADER, str(exc)))
    return None
