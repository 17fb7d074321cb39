"""Key management across an archive: rotate a project's key, add or remove a recipient in every
project, and a steward's recovery key for a lost passphrase.

Rotating the project key (specified in docs/vault-format.md, "Rotating the project key"), all
under the project lock:

1. *Begin.*  A new X25519 identity is wrapped with the new passphrase and written atomically to
   ``keys/identity.age.new`` (not ``*.age``: it is no vault file).  Then one index change records
   ``rotation`` = ``old_recipient``, ``new_recipient``, ``started``, ``identity_sha256`` (of that
   file) and adds the new key to the extra data and linkage recipients, so that every file anyone
   writes from now on (index, audit log included) is readable by the old key *and* the new one.
   Audit entry ``keys.rotate-begin``.
2. *Re-encrypt.*  Every vault file except ``index.age``, ``audit.age`` and ``keys/signing.age`` is
   re-encrypted, one by one and atomically, to the new key plus the extra recipients (the old key
   dropped).  Each file is then old (old key + extras), new (new key + extras), or, if written by
   someone else meanwhile, both; never half.
3. *Swap.*  ``keys/identity.age.new`` (checked against ``identity_sha256``) is renamed over
   ``keys/identity.age``.  Before it the old passphrase opens the project, after it the new one.
4. *Finish.*  One index change: ``project_recipient`` = the new key, the new and old keys out of
   the extra lists, ``rotation`` and ``rewrap_pending`` cleared; ``keys/signing.age``, the audit
   log (entry ``keys.rotate`` with the old and new keys) and the index are written to the new set.

``resume_rotation`` completes a rotation cut short at any point: it redoes step 2 for every file
(files written by others in between carry the old key again), then steps 3 and 4.  Its keys must
read old and new files alike: the old key plus the new passphrase, or a recipient of scope
``all`` (a steward or recovery key) alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519

from interviewkit.archive.discovery import open_archive
from interviewkit.errors import IdentityError, InterviewkitError, InvalidInput, VaultCorrupt
from interviewkit.project import AUDIT_FILE, IDENTITY_FILE, INDEX_FILE, LINKAGE_FILE, SIGNING_FILE, Credentials, Project
from interviewkit.recipients import SCOPES, add_recipient, remove_recipient, resume_rewrap
from interviewkit.vault import atomic
from interviewkit.vault.keys import parse_recipient, unwrap_identity, wrap_identity

NEW_IDENTITY_FILE = "keys/identity.age.new"
RECOVERY_ACTION = "keys.set-recovery"
Progress = Callable[[int, int], None]
ArchiveProgress = Callable[[Path, int, int], None]


@dataclass
class RotationResult:
    old_recipient: str
    new_recipient: str
    files: int              # files re-encrypted to the new key (index, audit log, signing key aside)
    resumed: bool = False   # finished by resume_rotation


@dataclass
class ProjectOutcome:
    """One project's line in an archive-wide change of recipients."""

    path: Path
    status: str             # "done", "already" (nothing to do), "unreadable" (skipped), "failed"
    files: int = 0
    problem: str = ""

    def line(self) -> str:
        if self.status == "done":
            return f"{self.path}: done ({self.files} files re-encrypted)"
        if self.status == "already":
            return f"{self.path}: nothing to do"
        problem = " ".join(self.problem.split())  # one line, whatever the error text holds
        return f"{self.path}: {'skipped' if self.status == 'unreadable' else 'failed'}: {problem}"


# -- rotating the project key ----------------------------------------------------------------


def rotate_project_key(project: Project, new_passphrase: str, progress: Progress | None = None,
                       *, reason: str = "rotation") -> RotationResult:
    """Give the project a new key wrapped with ``new_passphrase``; the old key is revoked.

    ``project`` must be opened with a key that reads every file (the passphrase, the project key,
    or a recipient of scope ``all``).
    """
    if not new_passphrase:
        raise InvalidInput("passphrase", "the new passphrase is empty", "give a passphrase",
                           code="rekey.empty_passphrase", field="passphrase")
    with project.lock:
        _fresh(project)
        if project.index.rotation is not None:
            raise InvalidInput(project.root, "a rotation of the project key was cut short",
                               "finish it first: 'interviewkit archive resume-rotation PROJECT' (the new passphrase in "
                               "INTERVIEWKIT_NEW_PASSPHRASE, or a steward's key with --identity FILE)",
                               code="rekey.cut_short")
        if not project.can_read_linkage():
            raise IdentityError(project.root, "this key cannot read the linkage key, so it cannot rotate",
                                "open the project with its passphrase or a key of scope all",
                                code="rekey.cannot_rotate")
        if project.index.rewrap_pending:
            resume_rewrap(project)
        identity = x25519.Identity.generate()
        wrapped = wrap_identity(identity, new_passphrase, project.signing_key().public_text())
        with atomic.atomic_writer(project.root / NEW_IDENTITY_FILE) as out:
            out.write(wrapped)
        old, new = project.index.project_recipient, str(identity.to_public())
        with project.writing() as change:
            index = project.index
            index.rotation = {"old_recipient": old, "new_recipient": new,
                              "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "identity_sha256": hashlib.sha256(wrapped).hexdigest()}
            _stage(project, new)
            change.log("keys.rotate-begin", f"recipient:{new}", old=old, new=new, reason=reason)
        project.keyring.identities.append(identity)
        return _complete(project, progress, resumed=False)


def resume_rotation(project: Project, passphrase: str | None = None,
                    progress: Progress | None = None) -> RotationResult | None:
    """Finish a rotation cut short; None if none is pending.

    ``passphrase`` is the *new* passphrase (the one the rotation was started with).  It is needed
    unless ``project`` was opened with a key that reads every file (a recipient of scope ``all``),
    or after the swap (then ``Project.open`` with the new passphrase holds the new key already).
    """
    with project.lock:
        _fresh(project)
        rotation = project.index.rotation
        if rotation is None:
            (project.root / NEW_IDENTITY_FILE).unlink(missing_ok=True)  # a begin killed before its index write
            return None
        if passphrase is not None:
            path = project.root / NEW_IDENTITY_FILE
            path = path if path.exists() else project.root / IDENTITY_FILE
            identity = unwrap_identity(path.read_bytes(), passphrase, path)
            if str(identity.to_public()) != rotation["new_recipient"]:
                raise InvalidInput(path, "this passphrase opens another key than the rotation's new one",
                                   "give the passphrase the rotation was started with", code="rekey.other_passphrase")
            project.keyring.identities.append(identity)
        with project.writing():  # again: someone may have removed the new key meanwhile
            _stage(project, rotation["new_recipient"])
        return _complete(project, progress, resumed=True)


def pending_rotation(project: Project) -> dict[str, str] | None:
    """The index's record of a rotation in progress (``old_recipient``, ``new_recipient``, …)."""
    return project.index.rotation


def _fresh(project: Project) -> None:
    if project.lock.outermost:
        project.integrity.settle()
        atomic.remove_stale_temps(project.root)
        project.reload()


def _stage(project: Project, key: str) -> None:
    """Make the new key an extra recipient (inside ``writing()``): of every file written from now
    on, and of the signing key at once, so that either key can open the project and sign."""
    for keys in (project.index.data_recipients, project.index.linkage_recipients):
        if key not in keys:
            keys.append(key)
    project.write_file(SIGNING_FILE, project.signing_key().to_bytes())


def _complete(project: Project, progress: Progress | None, resumed: bool) -> RotationResult:
    rotation = dict(project.index.rotation or {})
    old, new = rotation["old_recipient"], rotation["new_recipient"]
    files = _reencrypt_all(project, old, new, progress)
    _swap_identity(project, rotation)
    _finish(project, old, new, files)
    for identity in list(project.keyring.identities):
        public = str(identity.to_public())
        if public == old:
            project.keyring.identities.remove(identity)
        elif public == new:
            project.keyring.project_identity = identity
    if project.keyring.project_identity is not None and str(project.keyring.project_identity.to_public()) == old:
        project.keyring.project_identity = None
    return RotationResult(old, new, files, resumed)


def _reencrypt_all(project: Project, old: str, new: str, progress: Progress | None) -> int:
    index = project.index
    data = [x25519.Recipient.from_str(k) for k in dict.fromkeys([new, *index.data_recipients]) if k != old]
    linkage = [x25519.Recipient.from_str(k) for k in dict.fromkeys([new, *index.linkage_recipients]) if k != old]
    control = {project.root / INDEX_FILE, project.root / AUDIT_FILE, project.root / SIGNING_FILE}
    files = [p for p in project.vault_files() if p not in control]
    try:
        project.reencrypt_files(files, lambda path: linkage if path.name == LINKAGE_FILE else data, progress)
    except IdentityError as error:
        raise IdentityError(error.where, "the keys given cannot read this file, so the rotation cannot finish",
                            "resume with the new passphrase as well, or with a key of scope all",
                            code="rekey.cannot_finish") from None
    return len(files)


def _swap_identity(project: Project, rotation: dict[str, str]) -> None:
    staged, current = project.root / NEW_IDENTITY_FILE, project.root / IDENTITY_FILE
    if staged.exists():
        if hashlib.sha256(staged.read_bytes()).hexdigest() != rotation["identity_sha256"]:
            raise VaultCorrupt(staged, "not the identity this rotation made",
                               "restore keys/identity.age.new from a backup; the old passphrase still opens",
                               code="rekey.not_staged_identity")
        os.replace(staged, current)
        atomic.fsync_dir(current.parent)
    elif not current.exists() or hashlib.sha256(current.read_bytes()).hexdigest() != rotation["identity_sha256"]:
        raise IdentityError(staged, "the new project identity is missing",
                            "restore keys/identity.age.new from a backup; the old passphrase still opens",
                            code="rekey.staged_identity_missing")


def _finish(project: Project, old: str, new: str, files: int) -> None:
    with project.writing() as change:
        index = project.index
        index.project_recipient = new
        index.data_recipients = [k for k in index.data_recipients if k not in (old, new)]
        index.linkage_recipients = [k for k in index.linkage_recipients if k not in (old, new)]
        index.rotation = None
        index.rewrap_pending = False  # every file was just written to the recipients the index names
        project.write_file(SIGNING_FILE, project.signing_key().to_bytes())
        change.log("keys.rotate", f"recipient:{new}", old=old, new=new, files=files)


# -- the steward's recovery key ----------------------------------------------------------------


def set_recovery_recipient(project: Project, key: str, progress: Progress | None = None) -> int:
    """Make ``key`` a recipient of scope ``all`` and record it (audit ``keys.set-recovery``) as the
    key that rescues the project when its passphrase is lost.  Returns the files re-encrypted."""
    recipient = str(parse_recipient(key, "AGE_PUBLIC_KEY"))
    project.reload()
    index = project.index
    files = 0
    if recipient not in index.data_recipients or recipient not in index.linkage_recipients:
        files = add_recipient(project, recipient, "all", progress)
    with project.writing() as change:
        change.log(RECOVERY_ACTION, f"recipient:{recipient}")
    return files


def recovery_recipient(project: Project) -> str | None:
    """The recovery key last recorded, if it is still a recipient of scope ``all``."""
    entries, _ = project.audit_entries()
    for entry in reversed(entries):
        if entry.action == RECOVERY_ACTION:
            key = entry.target.removeprefix("recipient:")
            index = project.index
            return key if key in index.data_recipients and key in index.linkage_recipients else None
    return None


def recover_with(project_path: Path, recovery_identity_file: Path, new_passphrase: str,
                 progress: Progress | None = None) -> RotationResult:
    """Open with the recovery key and rotate to a new project key wrapped with ``new_passphrase``.

    A rotation left unfinished (its passphrase perhaps lost too) is completed first, then replaced.
    """
    project = Project.open(Path(project_path), Credentials(identity_files=[Path(recovery_identity_file)]))
    if not project.can_read_linkage():
        raise IdentityError(recovery_identity_file, "this key cannot read the linkage key",
                            "recovery needs a recipient of scope all: 'interviewkit archive set-recovery PROJECT AGE_KEY'",
                            code="rekey.recovery_cannot_read")
    if project.index.rotation is not None:
        resume_rotation(project, None, progress)
    return rotate_project_key(project, new_passphrase, progress, reason="recovery")


# -- recipients across an archive -----------------------------------------------------------


def _bound(progress: ArchiveProgress | None, path: Path) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(path, done, total)


def _has(project: Project, key: str, scope: str) -> bool:
    index = project.index
    if key == index.project_recipient:
        return True
    wanted = {"data": [index.data_recipients], "linkage": [index.linkage_recipients],
              "all": [index.data_recipients, index.linkage_recipients]}[scope]
    return all(key in keys for keys in wanted)


def _rewrap_problem(project: Project, removing: str | None) -> str:
    """Why the keys that opened ``project`` cannot re-encrypt all of it ("" if they can).

    Checked first, because a change of recipients writes the index before the files: keys that
    fail halfway (or lose the index to the change itself) would leave it to someone else.
    """
    if not project.can_read_linkage():
        return f"{project.root}: this key cannot read the linkage key — changing recipients needs a key of scope all"
    index = project.index
    full = {index.project_recipient} | (set(index.data_recipients) & set(index.linkage_recipients))
    kept = {str(identity.to_public()) for identity in project.keyring.identities} - {removing}
    if removing is not None and not kept & full:
        return (f"{project.root}: the key to remove is the one that opened the project — "
                "open it with another key of scope all (or the project's own key)")
    return ""


def _everywhere(root: Path, credentials: Credentials, progress: ArchiveProgress | None,
                nothing_to_do: Callable[[Project], bool], change: Callable[[Project, Progress | None], int],
                removing: str | None = None) -> list[ProjectOutcome]:
    outcomes: list[ProjectOutcome] = []
    for entry in open_archive(Path(root), credentials):
        if entry.project is None:
            outcomes.append(ProjectOutcome(entry.path, "unreadable", problem=entry.problem))
            continue
        project = entry.project
        try:
            if nothing_to_do(project) and not project.index.rewrap_pending:
                outcomes.append(ProjectOutcome(entry.path, "already"))
                continue
            problem = _rewrap_problem(project, removing)
            if problem:
                outcomes.append(ProjectOutcome(entry.path, "failed", problem=problem))
                continue
            if nothing_to_do(project):
                files = resume_rewrap(project, _bound(progress, entry.path))  # a rewrap cut short
            else:
                files = change(project, _bound(progress, entry.path))
        except InterviewkitError as error:
            outcomes.append(ProjectOutcome(entry.path, "failed", problem=error.line()))
            continue
        outcomes.append(ProjectOutcome(entry.path, "done", files))
    return outcomes


def add_recipient_everywhere(root: Path, credentials: Credentials, key: str, scope: str = "data",
                             progress: ArchiveProgress | None = None) -> list[ProjectOutcome]:
    """Add ``key`` (scope ``data``, ``linkage`` or ``all``) to every project ``credentials`` open."""
    if scope not in SCOPES:
        raise InvalidInput("--scope", f"unknown scope '{scope}'", f"use one of {', '.join(SCOPES)}",
                           code="recipients.unknown_scope", params={"value": scope, "choices": ", ".join(SCOPES)})
    recipient = str(parse_recipient(key, "AGE_PUBLIC_KEY"))
    return _everywhere(root, credentials, progress, lambda p: _has(p, recipient, scope),
                       lambda p, pr: add_recipient(p, recipient, scope, pr))


def remove_recipient_everywhere(root: Path, credentials: Credentials, key: str,
                                progress: ArchiveProgress | None = None) -> list[ProjectOutcome]:
    """Remove ``key`` from every project ``credentials`` open (a project's own key is refused)."""
    recipient = str(parse_recipient(key, "AGE_PUBLIC_KEY"))

    def absent(project: Project) -> bool:
        index = project.index
        return recipient not in index.data_recipients and recipient not in index.linkage_recipients \
            and recipient != index.project_recipient

    return _everywhere(root, credentials, progress, absent, lambda p, pr: remove_recipient(p, recipient, pr),
                       removing=recipient)
