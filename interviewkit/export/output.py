"""Writing what the product hands out (exports, summaries, reports, transcriptions): never into a
project folder, never over a file without the user's consent, always atomically.

``check_output`` is the one rule every output passes, before anything is written (and again at
the moment of writing):

* a path inside ANY project folder (a folder holding ``interviewkit-project.json``, the path itself
  or any folder above it) is refused, the project folder itself included; the path is resolved
  first (``..``, symlinks, relative to the working folder), so ``P/../P/x``, ``link-into-P/x``
  and ``./x`` typed inside P all count.  Outputs are plaintext (or ciphertext for someone else):
  in a project they would leave plaintext in the vault, or replace its keys, names or log;
* a file that is already there is replaced only with ``overwrite`` (the CLI's ``--force``; the
  TUI asks first);
* an existing folder is not a file name.

``save_file`` writes one file under that rule (atomically: a failure leaves the old file, or
none, never half of one); ``write_output`` does the same for an export's planned files, all or
none (every file is on disk beside its target before the first is renamed into place).

Where an export's files go (``plan_output``): the output is a folder when its name ends in ``/``,
when it is an existing folder, or when the export has several files (one per session); the files
then go into it as ``<session>.<ext>`` (or the format's one file name).  Otherwise the one file goes
to the path the user named.  With ``encrypt_to`` each file is an age file (``.age`` added) that
only those recipients can read; otherwise the user asked for plaintext and gets it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519

from interviewkit.errors import InvalidInput
from interviewkit.project import MARKER
from interviewkit.vault.atomic import atomic_writer, discard, install, staged_writer, storage_error
from interviewkit.vault.cipher import encrypt_bytes
from interviewkit.vault.keys import parse_recipient

FOLDER_ENDINGS = tuple(dict.fromkeys(("/", os.sep)))


class OutputExists(InvalidInput):
    """The output would replace files that are already there (and the user did not agree)."""

    code = "export.output_exists"


class OutputInsideProject(InvalidInput):
    """The output would land in a project folder (the vault), or be the project folder itself."""

    code = "output.inside_project"


class OutputIsFolder(InvalidInput):
    """The output names an existing folder (or device, pipe) where a file is written."""

    code = "output.is_folder"


def real_path(path: str | Path) -> Path:
    """``path`` as the file system will take it: ``~`` expanded, relative to the working folder,
    ``..`` and every symlink (a dangling one too) followed."""
    return Path(os.path.realpath(os.path.expanduser(os.fspath(path))))


def project_holding(path: str | Path) -> Path | None:
    """The project folder that ``path`` is, or lies in (after ``real_path``); None outside every project."""
    real = real_path(path)
    for folder in (real, *real.parents):
        if os.path.exists(folder / MARKER):
            return folder
    return None


def refuse_inside_project(path: str | Path) -> Path:
    """``real_path(path)``, or ``OutputInsideProject`` when that is a project folder or lies in one."""
    project = project_holding(path)
    if project is not None:
        raise OutputInsideProject(path, f"is inside the project folder {project}; nothing is saved there (it "
                                  "would lie unencrypted among the project's encrypted files, or replace one of them)",
                                  "choose a place outside the project", field="output",
                                  params={"path": str(path), "project": str(project)})
    return real_path(path)


def check_output(paths: list[Path] | tuple[Path, ...], overwrite: bool = False) -> list[Path]:
    """The one rule for every file the product writes out; returns the real paths to write.

    Refuses (raises, writes nothing) when any path is in a project folder (``OutputInsideProject``),
    is an existing folder (``OutputIsFolder``), or is already there without ``overwrite``
    (``OutputExists``, naming the first and counting the rest).
    """
    real = [refuse_inside_project(path) for path in paths]
    for path, resolved in zip(paths, real):
        if resolved.is_dir():
            raise OutputIsFolder(path, "is a folder", "give a file name (e.g. inside that folder)",
                                 field="output", params={"path": str(path)})
        if resolved.exists() and not resolved.is_file():  # a device or a pipe: never replaced by a file
            raise OutputIsFolder(path, "is not a regular file (a device or a pipe)", "give a file name",
                                 field="output", params={"path": str(path)}, code="output.not_a_file")
    existing = [path for path, resolved in zip(paths, real) if os.path.lexists(path) or os.path.lexists(resolved)]
    if existing and not overwrite:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise OutputExists(existing[0], f"already exists{more}",
                           "choose another output, or replace it with --force",
                           params={"path": str(existing[0]), "count": len(existing)}, field="output")
    return real


def save_file(path: str | Path, data: bytes, overwrite: bool = False) -> Path:
    """Write one output file under ``check_output`` (checked again now), atomically; returns its path.

    Shells check early too (``check_output``), so that no work is done for an output that would
    be refused; this check at the moment of writing is the one that counts."""
    [real] = check_output([Path(os.path.expanduser(os.fspath(path)))], overwrite)
    with atomic_writer(real) as handle:
        handle.write(data)
    return Path(path)


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
    refuse_inside_project(path)
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

    Raises (and writes nothing) as ``check_output`` does: a target or the folder in a project
    folder, or a file already there and not ``overwrite`` (``OutputExists``).
    """
    if plan.folder is not None:
        folder = refuse_inside_project(plan.folder)
    targets = list(plan.targets)
    real = check_output(targets, overwrite)
    if plan.folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(plan.folder, exc) from None
    staged: list[Path] = []
    try:  # every file on disk beside its target first: a full disk stops the export before any is replaced
        for path, resolved in zip(targets, real):
            data = plan.targets[path]
            if plan.recipients:
                data = encrypt_bytes(data, plan.recipients)
            with staged_writer(resolved) as file:
                file.handle.write(data)
            staged.append(file.temp)
    except BaseException:
        for temp in staged:
            discard(temp)
        raise
    for temp, resolved in zip(staged, real):
        install(temp, resolved)
    return targets


def save_files(files: dict[str, bytes], output: str | Path, encrypt_to: list[str] | None = None,
               overwrite: bool = False) -> list[Path]:
    """``plan_output`` then ``write_output``: the export's files where the user asked for them."""
    return write_output(plan_output(files, output, encrypt_to), overwrite)
