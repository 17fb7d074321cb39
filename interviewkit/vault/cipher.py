"""age v1 encryption of files and streams, through pyrage (bindings to rage).

Everything the project writes passes through here.  Plaintext exists only in memory
or in a kernel pipe between two threads; never in a file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

import pyrage
from pyrage import x25519

from interviewkit.errors import IdentityError, StorageError, VaultCorrupt
from interviewkit.vault import header as age_header
from interviewkit.vault.atomic import atomic_writer, storage_error

AGE_MAGIC = b"age-encryption.org/v1\n"
# Files larger than this are re-encrypted through a pipe instead of in memory.
STREAM_THRESHOLD = 8 * 1024 * 1024


class Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


Recipients = Sequence[x25519.Recipient]
Identities = Sequence[x25519.Identity]


def encrypt_bytes(plaintext: bytes, recipients: Recipients) -> bytes:
    return pyrage.encrypt(plaintext, list(recipients))


def _decrypt_error(path: Path | str, exc: Exception) -> Exception:
    """What a failed decryption of ``path`` means, judged by its header (``vault.header``): a damaged
    header or payload (restore it), or well-formed stanzas none of the keys opens (another key)."""
    finding = age_header.diagnose(age_header.read_header_bytes(path), str(exc), passphrase=False)
    if finding.diagnosis in (age_header.Diagnosis.FOREIGN_KEY, age_header.Diagnosis.WRONG_PASSPHRASE):
        return IdentityError(path, "none of the unlocked keys opens this file",
                             "unlock with a recipient's key (interviewkit keys list PROJECT); if the key is right, "
                             "the file's header is damaged: restore it from a backup", code="vault.no_matching_key")
    return age_header.damaged_error(path, finding)


def decrypt_bytes(ciphertext: bytes, identities: Identities, path: Path | str = "") -> bytes:
    if not ciphertext.startswith(AGE_MAGIC):
        raise VaultCorrupt(path, "not an age-encrypted file (wrong or missing header)",
                           "restore this file from a backup", code="vault.not_age")
    try:
        return pyrage.decrypt(ciphertext, list(identities))
    except pyrage.DecryptError as exc:
        raise _decrypt_error(path, exc) from None


def read_ciphertext(path: Path) -> bytes:
    """The bytes of an encrypted file; a missing or unreadable one is a one-line error."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise VaultCorrupt(path, "file is missing", "restore it from a backup", code="vault.file_missing") from None
    except OSError as exc:
        raise StorageError(path, f"cannot read ({exc.strerror})", "check the file's permissions",
                           code="storage.cannot_read", params={"detail": exc.strerror}) from None


def read_encrypted(path: Path, identities: Identities) -> bytes:
    return decrypt_bytes(read_ciphertext(path), identities, path)


def write_encrypted(path: Path, plaintext: bytes, recipients: Recipients) -> None:
    """Encrypt ``plaintext`` in memory and replace ``path`` atomically."""
    ciphertext = encrypt_bytes(plaintext, recipients)
    with atomic_writer(path) as out:
        out.write(ciphertext)


def write_encrypted_stream(path: Path, source: Reader, recipients: Recipients) -> None:
    """Encrypt a stream chunk by chunk (64 KiB age chunks, flat memory) into ``path``."""
    with atomic_writer(path) as out:
        encrypt_stream(source, out, recipients, path)


def encrypt_stream(source: Reader, out: Writer, recipients: Recipients, path: Path | str = "") -> None:
    """Encrypt a stream into a writer, 64 KiB age chunk by chunk (flat memory)."""
    try:
        pyrage.encrypt_io(source, out, list(recipients))
    except pyrage.EncryptError as exc:
        raise StorageError(path, f"encryption failed ({exc})", "try again",
                           code="vault.encrypt_failed", params={"detail": exc}) from None


def decrypt_file_to(path: Path, sink: Writer, identities: Identities) -> None:
    """Decrypt ``path`` chunk by chunk into a writer (a memory buffer, a pipe, a player)."""
    try:
        with open(path, "rb") as source:
            magic = source.read(len(AGE_MAGIC))
            if magic != AGE_MAGIC:
                raise VaultCorrupt(path, "not an age-encrypted file (wrong or missing header)",
                                   "restore this file from a backup", code="vault.not_age")
            source.seek(0)
            pyrage.decrypt_io(source, sink, list(identities))
    except FileNotFoundError:
        raise VaultCorrupt(path, "file is missing", "restore it from a backup", code="vault.file_missing") from None
    except pyrage.DecryptError as exc:
        raise _decrypt_error(path, exc) from None
    except OSError as exc:
        if exc.errno is None:  # rage reports a failed chunk as an I/O error without errno
            raise _decrypt_error(path, exc) from None
        raise StorageError(path, f"cannot read ({exc.strerror})", "check the file's permissions",
                           code="storage.cannot_read", params={"detail": exc.strerror}) from None


class _PipeWriter:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        return len(data)

    def flush(self) -> None:
        pass


def reencrypt_file(path: Path, identities: Identities, recipients: Recipients) -> None:
    """Give ``path`` a new set of recipients, atomically, without plaintext on disk.

    Small files go through memory; large ones through an anonymous pipe between a
    decrypting thread and the encrypting one, so memory stays flat.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise storage_error(path, exc) from None
    if size <= STREAM_THRESHOLD:
        write_encrypted(path, read_encrypted(path, identities), recipients)
        return
    with atomic_writer(path) as out:
        reencrypt_stream(path, out, identities, recipients)


def reencrypt_stream(path: Path, out: Writer, identities: Identities, recipients: Recipients) -> None:
    """Decrypt ``path`` and encrypt it again to ``recipients`` into ``out``, through an anonymous pipe
    between a decrypting thread and this one: memory stays flat, no plaintext touches a file."""
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def pump() -> None:
        try:
            decrypt_file_to(path, _PipeWriter(write_fd), identities)
        except BaseException as exc:  # reported to the encrypting side below
            failure.append(exc)
        finally:
            os.close(write_fd)

    worker = threading.Thread(target=pump, name="reencrypt", daemon=True)
    worker.start()
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as plain:
            try:
                pyrage.encrypt_io(plain, out, list(recipients))
            except pyrage.EncryptError as exc:
                raise StorageError(path, f"encryption failed ({exc})", "try again",
                                   code="vault.encrypt_failed", params={"detail": exc}) from None
            worker.join()
            if failure:
                raise failure[0]
    finally:
        worker.join()


class DigestWriter:
    """A writer that passes bytes on and keeps their SHA-256 (of a ciphertext being written)."""

    def __init__(self, sink: BinaryIO) -> None:
        self.sink = sink
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.sink.write(data)

    def flush(self) -> None:
        self.sink.flush()
