"""The encrypted store: age v1 files, written atomically, one writer at a time.

See docs/vault-format.md for the layout on disk.
"""

from interviewkit.vault.atomic import atomic_writer, fsync_dir
from interviewkit.vault.cipher import (
    decrypt_bytes,
    decrypt_file_to,
    encrypt_bytes,
    read_encrypted,
    reencrypt_file,
    write_encrypted,
    write_encrypted_stream,
)
from interviewkit.vault.keys import Keyring, parse_identity_file, parse_recipient
from interviewkit.vault.lock import ProjectLock

__all__ = [
    "Keyring",
    "ProjectLock",
    "atomic_writer",
    "decrypt_bytes",
    "decrypt_file_to",
    "encrypt_bytes",
    "fsync_dir",
    "parse_identity_file",
    "parse_recipient",
    "read_encrypted",
    "reencrypt_file",
    "write_encrypted",
    "write_encrypted_stream",
]
