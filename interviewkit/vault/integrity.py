"""Checked reads and signed writes of a project's vault files (the manifest's keeper).

Every read of a vault file goes through ``IntegrityKeeper.ciphertext``: the bytes on disk must be
the ones the signed manifest names for that path.  Every write goes through ``commit``: the new
files are staged (written and flushed beside their targets), the manifest naming them is signed
and written, and only then are they renamed into place.  A full disk stops a change while staging,
before anything is replaced; a crash after the manifest leaves the staged files on disk, named in
the manifest, and the next writer renames them into place (rolls the change forward).  See docs/vault-format.md, "Integrity".
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519

from interviewkit.errors import IdentityError, StorageError, VaultCorrupt
from interviewkit.vault import atomic
from interviewkit.vault.cipher import decrypt_bytes, encrypt_bytes, read_ciphertext
from interviewkit.vault.header import header_damage
from interviewkit.vault.keys import SigningKey
from interviewkit.vault.manifest import Manifest, Pending, file_digest

MANIFEST_FILE = "manifest.age"


@dataclass
class StagedFile:
    temp: Path
    target: Path
    digest: str


@dataclass
class FileProblem:
    """One vault file that the manifest does not vouch for (``archive verify`` lists them)."""

    path: str
    kind: str  # "changed", "missing", "unlisted"


class IntegrityKeeper:
    """Holds the project's current signed manifest and checks and writes files against it."""

    def __init__(self, root: Path, project_id: str, trusted_key: str, identities: Sequence[x25519.Identity],
                 signing_key: Callable[[], SigningKey], manifest_recipients: Callable[[], list[x25519.Recipient]],
                 required: bool) -> None:
        self.root = root
        self.project_id = project_id
        self.trusted_key = trusted_key  # the signing key this opener trusts (docs: "Who vouches for the key")
        self.identities = identities
        self.signing_key = signing_key
        self.manifest_recipients = manifest_recipients
        self.required = required  # format 2 on: a missing manifest is an error, not an older project
        self.manifest: Manifest | None = None
        self._stamp: tuple[int, ...] | None = None
        self._settled_seq = -1  # a manifest whose pending files this process has put in place itself

    @property
    def path(self) -> Path:
        return self.root / MANIFEST_FILE

    def relative(self, path: Path) -> str:
        return Path(path).relative_to(self.root).as_posix()

    # -- the manifest ------------------------------------------------------------------

    def current(self) -> Manifest | None:
        """The manifest on disk, its signature checked (re-read only when the file changed)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if self.required:
                raise VaultCorrupt(self.path, "the project's signed manifest is missing",
                                   "restore manifest.age from a backup", code="vault.manifest_missing") from None
            return None
        except OSError as exc:
            raise StorageError(self.path, f"cannot read ({exc.strerror})", "check the file's permissions",
                               code="storage.cannot_read", params={"detail": exc.strerror}) from None
        try:
            info = os.fstat(fd)
            stamp = (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            if self.manifest is not None and stamp == self._stamp:
                return self.manifest
            with os.fdopen(os.dup(fd), "rb") as handle:
                ciphertext = handle.read()
        finally:
            os.close(fd)
        manifest = self._parse(decrypt_bytes(ciphertext, self.identities, self.path))
        if self.manifest is not None and manifest.seq < self.manifest.seq:
            raise VaultCorrupt(self.path, f"the manifest went back from write {self.manifest.seq} to {manifest.seq}: "
                                          "an older copy was put in place",
                               "restore the project's latest backup; run 'interviewkit archive verify PROJECT'",
                               code="vault.manifest_rolled_back",
                               params={"seen": self.manifest.seq, "found": manifest.seq})
        self.manifest, self._stamp = manifest, stamp
        return manifest

    def _parse(self, plaintext: bytes) -> Manifest:
        try:
            manifest = Manifest.from_bytes(plaintext)
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupt(self.path, f"the manifest is unreadable ({exc})", "restore manifest.age from a backup",
                               code="vault.manifest_unreadable", params={"detail": exc}) from None
        if manifest.project_id != self.project_id:
            raise VaultCorrupt(self.path, "the manifest belongs to another project",
                               "restore manifest.age of this project from a backup", code="vault.manifest_foreign")
        if not manifest.signed_by(self.trusted_key):
            raise VaultCorrupt(self.path, "the manifest is not signed by this project's key: it was forged or damaged",
                               "restore manifest.age from a backup; run 'interviewkit archive verify PROJECT'",
                               code="vault.manifest_forged")
        return manifest

    # -- reading -----------------------------------------------------------------------

    def ciphertext(self, path: Path) -> bytes:
        """The bytes of a vault file, checked against the manifest."""
        path = Path(path)
        try:
            data = read_ciphertext(path)
        except VaultCorrupt as error:
            if error.code == "vault.file_missing":
                self.check_absent(path)  # deleted behind the project's back: say so
            raise
        try:
            self.check(path, file_digest(data))
        except VaultCorrupt:
            damaged = header_damage(path, data)  # say what is seen: a damaged header, not a forgery
            if damaged is not None:
                raise damaged from None
            raise
        return data

    def in_flight(self, manifest: Manifest, relative: str) -> bool:
        """The write that made ``manifest`` has not yet renamed its file for ``relative`` into place."""
        pending = manifest.pending.get(relative)
        if pending is None or manifest.seq == self._settled_seq:
            return False
        if pending.temp is None:
            return False  # a deletion: the file must be gone (the next writer deletes what is left)
        return (self.root / relative).parent.joinpath(pending.temp).is_file()

    def check(self, path: Path, digest: str) -> None:
        manifest = self.current()
        if manifest is None:
            return
        relative = self.relative(path)
        if manifest.accepts(relative, digest, self.in_flight(manifest, relative)):
            return
        if relative in manifest.files or relative in manifest.pending:
            raise VaultCorrupt(path, "does not match the project's signed manifest: it was changed, swapped or "
                                     "rolled back outside interviewkit",
                               "restore this file from a backup; 'interviewkit archive verify PROJECT' lists every "
                               "such file", code="vault.file_changed")
        raise VaultCorrupt(path, "was not written by this project (its signed manifest does not list it)",
                           "delete the file, or restore the project from a backup",
                           code="vault.file_unlisted")

    def check_absent(self, path: Path) -> None:
        """A vault file is not there: fine unless the manifest says the project wrote it."""
        manifest = self.current()
        relative = self.relative(path)
        if manifest is not None and not manifest.accepts_absence(relative, self.in_flight(manifest, relative)):
            raise VaultCorrupt(path, "is missing, but the project wrote it (its signed manifest lists it): "
                                     "it was deleted outside interviewkit",
                               "restore this file from a backup", code="vault.file_deleted")

    def decrypt(self, path: Path) -> bytes:
        return decrypt_bytes(self.ciphertext(path), self.identities, path)

    # -- writing -----------------------------------------------------------------------

    def stage(self, path: Path, plaintext: bytes, recipients: Sequence[x25519.Recipient]) -> StagedFile:
        ciphertext = encrypt_bytes(plaintext, recipients)
        with atomic.staged_writer(path) as staged:
            staged.handle.write(ciphertext)
        return StagedFile(staged.temp, Path(path), file_digest(ciphertext))

    def commit(self, staged: Sequence[StagedFile], removed: Sequence[Path] = (),
               audit_head: dict[str, object] | None = None) -> None:
        """Sign and write the manifest naming ``staged`` and without ``removed``, then put the staged
        files in place and delete the removed ones.  The caller holds the project lock."""
        try:
            base = self.for_write()
            if base is None:  # a project of format 1: written as before until its owner upgrades it
                manifest = None
            else:
                manifest = base.next()
                for item in staged:
                    relative = self.relative(item.target)
                    manifest.pending[relative] = Pending(base.files.get(relative), item.temp.name)
                    manifest.files[relative] = item.digest
                for path in removed:
                    relative = self.relative(path)
                    for name in [relative] if relative in base.files else base.under(relative):
                        manifest.pending[name] = Pending(base.files[name], None)
                        del manifest.files[name]
                if audit_head is not None:
                    manifest.previous_audit_head = dict(base.audit_head)
                    manifest.audit_head = dict(audit_head)
                manifest_temp = self._stage_manifest(manifest)
        except BaseException:
            for item in staged:
                atomic.discard(item.temp)
            raise
        # The manifest is renamed first (a kill -9 from here on is rolled forward by the next
        # writer), then the files; one fsync per folder makes all of it durable.
        pairs = [(item.temp, item.target) for item in staged]
        atomic.install_all(([(manifest_temp, self.path)] if manifest is not None else []) + pairs)
        if manifest is not None:
            self._remember(manifest)
        for path in removed:
            remove(path)
        if manifest is not None:
            self._settled_seq = manifest.seq

    def _stage_manifest(self, manifest: Manifest) -> Path:
        manifest.sign(self.signing_key())
        with atomic.staged_writer(self.path) as staged:
            staged.handle.write(encrypt_bytes(manifest.to_bytes(), self.manifest_recipients()))
        return staged.temp

    def write(self, manifest: Manifest) -> None:
        atomic.install(self._stage_manifest(manifest), self.path)
        self._remember(manifest)

    def _remember(self, manifest: Manifest) -> None:
        info = self.path.stat()
        self.manifest = manifest
        self._stamp = (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def for_write(self) -> Manifest | None:
        """The manifest a write builds on, checked, with what a writer that died left half done
        rolled forward (``settle``)."""
        manifest = self.current()
        if manifest is not None:
            self.settle(manifest)
        return manifest

    def settle(self, manifest: Manifest | None = None) -> None:
        """Finish the last write if its writer died between its manifest and its renames: rename the
        staged files it left into place, delete what it deleted.  A pending file that is neither
        new nor staged was changed by someone else: refused.  The caller holds the project lock."""
        manifest = manifest or self.current()
        if manifest is None or not manifest.pending or self._settled_seq == manifest.seq:
            return
        for relative, pending in manifest.pending.items():
            path = self.root / relative
            wanted = manifest.files.get(relative)
            current = file_digest(path.read_bytes()) if path.is_file() else None
            if current == wanted:
                continue
            temp = path.parent / pending.temp if pending.temp else None
            if wanted is None and pending.temp is None:
                remove(path)
            elif temp is not None and temp.is_file() and file_digest(temp.read_bytes()) == wanted:
                atomic.install(temp, path)
            else:
                raise VaultCorrupt(path, "does not match the project's signed manifest: it was changed, swapped or "
                                         "rolled back outside interviewkit", "restore this file from a backup; "
                                   "'interviewkit archive verify PROJECT' lists every such file",
                                   code="vault.file_changed")
        self._settled_seq = manifest.seq

    def create(self, files: Sequence[Path], audit_head: dict[str, object]) -> Manifest:
        """The first manifest (a new project, or one of format 1 being upgraded): what is on disk now."""
        manifest = Manifest(self.project_id, seq=1, audit_head=dict(audit_head))
        for path in files:
            manifest.files[self.relative(path)] = file_digest(Path(path).read_bytes())
        self.write(manifest)
        self.required = True
        return manifest

    # -- checking everything -----------------------------------------------------------

    def problems(self, files: Sequence[Path]) -> list[FileProblem]:
        """Every vault file on disk that the manifest does not vouch for, and every listed one missing."""
        manifest = self.current()
        if manifest is None:
            return []
        found: list[FileProblem] = []
        seen = set()
        for path in files:
            relative = self.relative(path)
            seen.add(relative)
            try:
                digest = file_digest(Path(path).read_bytes())
            except OSError:
                continue
            if not manifest.accepts(relative, digest, self.in_flight(manifest, relative)):
                kind = "changed" if relative in manifest.files or relative in manifest.pending else "unlisted"
                found.append(FileProblem(relative, kind))
        for relative in sorted(set(manifest.files) - seen):
            if not manifest.accepts_absence(relative, self.in_flight(manifest, relative)):
                found.append(FileProblem(relative, "missing"))
        return found


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        atomic.remove_tree(path)
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise atomic.storage_error(path, exc) from None


def read_only_error(root: Path) -> IdentityError:
    return IdentityError(root, "this key may read the project but not change it (a recipient of scope data cannot "
                               "sign changes)", "make changes with the project passphrase or a key of scope all",
                         code="project.read_only_key")


@contextlib.contextmanager
def staging(staged: list[StagedFile]) -> Iterator[list[StagedFile]]:
    """Discard what was staged if building the rest of a change fails."""
    try:
        yield staged
    except BaseException:
        for item in staged:
            atomic.discard(item.temp)
        raise
