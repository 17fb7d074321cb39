"""Writing an export's files: atomically, and age-encrypted when a recipient is given.

One file goes to the path the user named; several (one per session) go into the folder the user
named, as ``<session>.<ext>``.  With ``encrypt_to`` each file is an age file (``.age`` added) that
only those recipients can read; otherwise the user asked for plaintext and gets it.
"""

from __future__ import annotations

from pathlib import Path

from interviewkit.errors import InvalidInput
from interviewkit.vault.atomic import atomic_writer
from interviewkit.vault.cipher import encrypt_bytes
from interviewkit.vault.keys import parse_recipient


def save_files(files: dict[str, bytes], output: Path, encrypt_to: list[str] | None = None) -> list[Path]:
    """Write ``files`` (name → content); returns the paths written."""
    recipients = [parse_recipient(r, "--encrypt-to") for r in encrypt_to or []]
    if len(files) == 1 and not output.is_dir():
        targets = {output: next(iter(files.values()))}
    else:
        if output.exists() and not output.is_dir():
            raise InvalidInput(output, f"this export has {len(files)} files (one per session): give a folder",
                               "e.g. -o export/ (it is created if missing)")
        output.mkdir(parents=True, exist_ok=True)
        targets = {output / name: data for name, data in files.items()}
    written = []
    for path, data in targets.items():
        if recipients:
            path = path.with_name(path.name + ".age")
            data = encrypt_bytes(data, recipients)
        with atomic_writer(path) as handle:
            handle.write(data)
        written.append(path)
    return written
