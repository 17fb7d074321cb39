"""Writing an export's files: atomically, age-encrypted when a recipient is given, never over an
existing file unless the user said so.

Where the files go (``plan_output``): the output is a folder when its name ends in ``/``, when it
is an existing folder, or when the export has several files (one per session); the files then
go into it as ``<session>.<ext>`` (or the format's one file name).  Otherwise the one file goes
to the path the user named.  With ``encrypt_to`` each file is an age file (``.age`` added) that
only those recipients can read; otherwise the user asked for plaintext and gets it.

A file that is already there is replaced only with ``overwrite`` (the CLI's ``--force``; the TUI
asks first, from ``OutputPlan.existing``); nothing is written while one is in the way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519

from interviewkit.errors import InvalidInput
from interviewkit.vault.atomic import atomic_writer, storage_error
from interviewkit.vault.cipher import encrypt_bytes
from interviewkit.vault.keys import parse_recipient

FOLDER_ENDINGS = tuple(dict.fromkeys(("/", os.sep)))


class OutputExists(InvalidInput):
    """The export would replace files that are already there."""

    code = "export.output_exists"


@dataclass(frozen=True)
class OutputPlan:
    """Where each file of an export goes, and how."""

    targets: dict[Path, bytes]   # path written → plaintext (encrypted when written, if recipients)
    folder: Path | None          # the folder the files go into (made if missing); None: one file
    recipients: tuple[x25519.Recipient, ...] = ()

    @property
    def existing(self) -> list[Path]:
        """The targets that are already there (replaced only when the user agrees)."""
        return [path for path in self.targets if path.exists() or path.is_symlink()]


def means_folder(output: str | Path) -> bool:
    """True when the user typed a folder: the name ends in ``/`` (or the system's separator)."""
    return isinstance(output, str) and output.strip().endswith(FOLDER_ENDINGS)


def plan_output(files: dict[str, bytes], output: str | Path, encrypt_to: list[str] | tuple[str, ...] | None = None,
                ) -> OutputPlan:
    """Decide where ``files`` (name → content) go for the output the user gave (as typed)."""
    recipients = tuple(parse_recipient(r, "--encrypt-to") for r in encrypt_to or [])
    path = Path(os.path.expanduser(str(output).strip()))
    suffix = ".age" if recipients else ""
    if len(files) == 1 and not means_folder(output) and not path.is_dir():
        return OutputPlan({path.with_name(path.name + suffix): next(iter(files.values()))}, None, recipients)
    if path.exists() and not path.is_dir():
        raise InvalidInput(path, f"this export has {len(files)} files (one per session): give a folder",
                           "e.g. -o export/ (it is created if missing)", field="output",
                           code="export.needs_folder", params={"count": len(files)})
    return OutputPlan({path / (name + suffix): data for name, data in files.items()}, path, recipients)


def write_output(plan: OutputPlan, overwrite: bool = False) -> list[Path]:
    """Write the planned files (each atomically); returns the paths written.

    Raises ``OutputExists`` (and writes nothing) when a file is already there and not ``overwrite``.
    """
    existing = plan.existing
    if existing and not overwrite:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise OutputExists(existing[0], f"already exists{more}",
                           "choose another output, or replace it with --force",
                           params={"path": str(existing[0]), "count": len(existing)}, field="output")
    if plan.folder is not None:
        try:
            plan.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(plan.folder, exc) from None
    written = []
    for path, data in plan.targets.items():
        if plan.recipients:
            data = encrypt_bytes(data, plan.recipients)
        with atomic_writer(path) as handle:
            handle.write(data)
        written.append(path)
    return written


def save_files(files: dict[str, bytes], output: str | Path, encrypt_to: list[str] | None = None,
               overwrite: bool = False) -> list[Path]:
    """``plan_output`` then ``write_output``: the export's files where the user asked for them."""
    return write_output(plan_output(files, output, encrypt_to), overwrite)
