"""A project (one study) on disk: open, unlock, read, and change it safely.

Layout and formats are specified in docs/vault-format.md.  Every change goes through
``Project.writing()``: it takes the project lock, reloads the index, lets the caller
change it, then writes linkage key, audit log and index, each atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pyrage import x25519

from interviewkit.audit import AuditEntry, AuditHead, AuditProblem, new_entry, parse_log, render_log, verify_entries
from interviewkit.consent import Participant
from interviewkit.errors import IdentityError, InvalidInput, NotAProject, ProjectExists, StorageError, VaultCorrupt
from interviewkit.linkage import LinkageKey
from interviewkit.sessions import Session
from interviewkit.study import StudyInfo
from interviewkit.vault import atomic
from interviewkit.vault.cipher import (
    STREAM_THRESHOLD,
    DigestWriter,
    Reader,
    decrypt_bytes,
    encrypt_stream,
    read_ciphertext,
    reencrypt_stream,
    write_encrypted,
)
from interviewkit.vault.integrity import MANIFEST_FILE, IntegrityKeeper, StagedFile, read_only_error, staging
from interviewkit.vault.manifest import file_digest
from interviewkit.vault.keys import Keyring, SigningKey, parse_identity_file, unwrap_project_identity, wrap_identity
from interviewkit.vault.lock import ProjectLock
from interviewkit.vault.unwrap import unwrap_identity_in_child

MARKER = "interviewkit-project.json"
IDENTITY_FILE = "keys/identity.age"
SIGNING_FILE = "keys/signing.age"
INDEX_FILE = "index.age"
LINKAGE_FILE = "linkage.age"
AUDIT_FILE = "audit.age"
# The project format (the marker's version): 2 added the signed manifest (docs/vault-format.md).
FORMAT_VERSION = 2
INDEX_VERSION = 1
# Files re-encrypted per manifest write when the recipients change: at most this many, and about
# this many bytes (their new copies need that much room on the disk until the batch lands).
REWRAP_BATCH = 64
REWRAP_BATCH_BYTES = 4 * 1024 * 1024


@contextlib.contextmanager
def new_project_folder(root: Path) -> Iterator[Path]:
    """The folder of a project being made (absolute): new or empty, created here; if the block
    fails (a bad value, a full disk, Ctrl+C), everything made in it goes again, so that a failed
    ``init`` or ``demo`` leaves nothing behind.  Nested uses are allowed (the outer one cleans up)."""
    root = Path(root).absolute()
    if (root / MARKER).exists():
        raise ProjectExists(root, "already holds an interviewkit project", "open it, or choose another folder",
                            code="project.exists")
    try:
        existed = root.exists()
        if existed and (not root.is_dir() or any(root.iterdir())):
            raise ProjectExists(root, "the folder is not empty" if root.is_dir() else "is a file, not a folder",
                                "give a new or empty folder for the project", code="project.folder_not_empty")
        made = next((folder for folder in [*reversed(root.parents), root] if not folder.exists()), None)
        atomic.make_private_dir(root)
    except OSError as exc:
        raise StorageError(root, f"cannot create the folder ({exc.strerror})", "check the path and permissions",
                           code="project.cannot_create_folder", params={"detail": exc.strerror}) from None
    try:
        yield root
    except BaseException:
        _remove_unfinished(root, made)
        raise


def _remove_unfinished(root: Path, made: Path | None) -> None:
    """Undo a failed creation: the folders made for it, or (an empty folder given) what is in it."""
    with contextlib.suppress(OSError):
        if made is not None:
            shutil.rmtree(made)
        elif root.is_dir():
            for item in root.iterdir():
                shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()


MIN_PASSPHRASE = 8


def check_new_passphrase(passphrase: str, where: str = "passphrase") -> None:
    """A new project's passphrase must be long enough (the CLI and the TUI ask the same)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(where, f"the passphrase is shorter than {MIN_PASSPHRASE} characters",
                           "choose a longer one (a few words is best)", code="project.short_passphrase",
                           params={"min": MIN_PASSPHRASE}, field="passphrase")


@dataclass
class Credentials:
    """How to unlock: the project passphrase, or age identity files (a steward's key)."""

    passphrase: str | None = None
    identity_files: list[Path] = field(default_factory=list)
    # Run scrypt in a child process so that an interactive caller's threads keep running.
    unwrap_in_child: bool = False

    @classmethod
    def from_env(cls, identity_files: list[Path] | None = None) -> Credentials:
        return cls(passphrase=os.environ.get("INTERVIEWKIT_PASSPHRASE"), identity_files=list(identity_files or []))

    @property
    def empty(self) -> bool:
        return self.passphrase is None and not self.identity_files


@dataclass
class ProjectIndex:
    """The encrypted project index: everything but names, contacts and content."""

    study: StudyInfo
    project_recipient: str
    data_recipients: list[str] = field(default_factory=list)  # extra recipients of every data file
    linkage_recipients: list[str] = field(default_factory=list)  # extra recipients of the linkage key
    sessions: list[Session] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    audit_head: AuditHead = field(default_factory=AuditHead)
    rewrap_pending: bool = False
    rotation: dict[str, str] | None = None  # set while the project key is being rotated (archive/rekey.py)

    def find_session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def find_participant(self, code: str) -> Participant | None:
        return next((p for p in self.participants if p.code == code), None)

    def to_bytes(self) -> bytes:
        data = {
            "format": "interviewkit-index",
            "version": INDEX_VERSION,
            "study": self.study.to_dict(),
            "project_recipient": self.project_recipient,
            "data_recipients": self.data_recipients,
            "linkage_recipients": self.linkage_recipients,
            "sessions": [s.to_dict() for s in self.sessions],
            "participants": [p.to_dict() for p in self.participants],
            "audit_head": {"seq": self.audit_head.seq, "hash": self.audit_head.hash},
            "rewrap_pending": self.rewrap_pending,
            "rotation": self.rotation,
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_bytes(cls, raw: bytes, path: Path) -> ProjectIndex:
        try:
            data = json.loads(raw)
            if data.get("format") != "interviewkit-index":
                raise ValueError("not an index")
            return cls(
                study=StudyInfo.from_dict(data["study"]),
                project_recipient=data["project_recipient"],
                data_recipients=list(data.get("data_recipients", [])),
                linkage_recipients=list(data.get("linkage_recipients", [])),
                sessions=[Session.from_dict(s) for s in data.get("sessions", [])],
                participants=[Participant.from_dict(p) for p in data.get("participants", [])],
                audit_head=AuditHead(**data.get("audit_head", {})),
                rewrap_pending=bool(data.get("rewrap_pending", False)),
                rotation=data.get("rotation"),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupt(path, f"the project index is unreadable ({exc})", "restore index.age from a backup",
                               code="project.index_unreadable", params={"detail": exc}) from None


@dataclass(frozen=True)
class SignedHead:
    """The project's signed state: the manifest's write number and the audit log's last entry."""

    write: int
    entry: int
    entry_hash: str


@dataclass
class ProjectMarker:
    """The one plaintext file: says 'this is a project', holds no study data."""

    project_id: str
    audit_public_key: str
    version: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        return json.dumps({"format": "interviewkit-project", "version": self.version,
                           "project_id": self.project_id, "audit_public_key": self.audit_public_key},
                          indent=1).encode() + b"\n"

    @classmethod
    def read(cls, root: Path) -> ProjectMarker:
        path = root / MARKER
        if not root.is_dir():
            raise NotAProject(root, "no such project folder", "check the path, or create one with 'interviewkit init DIR --title …'",
                              code="project.no_folder")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotAProject(root, f"not an interviewkit project (no {MARKER})",
                              "check the path, or create one with 'interviewkit init DIR --title …'",
                              code="project.not_a_project", params={"marker": MARKER}) from None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise VaultCorrupt(path, f"unreadable project marker ({exc})", "restore it from a backup",
                               code="project.marker_unreadable", params={"detail": exc}) from None
        if data.get("format") != "interviewkit-project":
            raise NotAProject(root, f"{MARKER} is not an interviewkit project marker", "check the path",
                              code="project.bad_marker", params={"marker": MARKER})
        if data.get("version", 0) > FORMAT_VERSION:
            raise VaultCorrupt(path, f"made by a newer interviewkit (format {data.get('version')})", "upgrade interviewkit",
                               code="vault.newer_format")
        try:
            return cls(project_id=data["project_id"], audit_public_key=data["audit_public_key"], version=data["version"])
        except KeyError as exc:
            raise VaultCorrupt(path, f"project marker lacks {exc}", "restore it from a backup",
                               code="project.marker_incomplete", params={"detail": exc}) from None


# A function that erases a withdrawn participant's data of one kind and names what it erased.
# (Kinds of data erased, as a list, or with a count for each kind.)
WithdrawalEraser = Callable[["Project", Participant], "list[str] | dict[str, int]"]

# Modules whose import adds their erasers to ``Project.withdrawal_erasers``.  Imported whenever a
# project is opened, so a withdrawal erases everything wherever it is started (CLI, TUI, a script).
ERASER_MODULES: tuple[str, ...] = ("interviewkit.archive.erasure",)


def load_eraser_modules() -> None:
    """Import every module of ``ERASER_MODULES`` (a no-op once imported)."""
    for name in ERASER_MODULES:
        importlib.import_module(name)


class Project:
    """An unlocked project.  Construct with ``Project.open`` or ``Project.init``."""

    # Capabilities that store per-person data add their erasers here.
    withdrawal_erasers: ClassVar[list[WithdrawalEraser]] = []

    def __init__(self, root: Path, marker: ProjectMarker, keyring: Keyring, index: ProjectIndex | None = None) -> None:
        self.root = root
        self.marker = marker
        self.keyring = keyring
        self.lock = ProjectLock(root)
        self._signing_key: SigningKey | None = None
        if keyring.signing_anchor is not None and keyring.signing_anchor != marker.audit_public_key:
            raise VaultCorrupt(root / MARKER, "names another signing key than the project identity vouches for: "
                                              "the marker was replaced", f"restore {MARKER} from a backup",
                               code="vault.marker_key_replaced", params={"marker": MARKER})
        self.integrity = IntegrityKeeper(root, marker.project_id, keyring.signing_anchor or marker.audit_public_key,
                                         keyring.identities, self.signing_key, self.data_recipients,
                                         required=marker.version >= 2)
        self.index: ProjectIndex = index if index is not None else self.read_index()
        # The change of the ``writing()`` block in progress (erasers edit the linkage key through it).
        self.current_change: Change | None = None
        load_eraser_modules()

    # -- creating and opening ---------------------------------------------------------

    @classmethod
    def init(cls, root: Path, study: StudyInfo, passphrase: str) -> Project:
        with new_project_folder(root) as root:
            return cls._create(root, study, passphrase)

    @classmethod
    def _create(cls, root: Path, study: StudyInfo, passphrase: str) -> Project:
        identity = x25519.Identity.generate()
        signing_key = SigningKey.generate()
        marker = ProjectMarker(project_id=os.urandom(8).hex(), audit_public_key=signing_key.public_text())
        index = ProjectIndex(study=study, project_recipient=str(identity.to_public()))
        keyring = Keyring(identities=[identity], project_identity=identity, signing_anchor=marker.audit_public_key)
        project = cls(root, marker, keyring, index)
        project._signing_key = signing_key
        with project.lock:
            with atomic.atomic_writer(root / IDENTITY_FILE) as out:
                out.write(wrap_identity(identity, passphrase, marker.audit_public_key))
            write_encrypted(root / SIGNING_FILE, signing_key.to_bytes(), project.owner_recipients())
            write_encrypted(root / LINKAGE_FILE, LinkageKey().to_bytes(), project.linkage_recipients())
            write_encrypted(root / AUDIT_FILE, b"", project.data_recipients())
            write_encrypted(root / INDEX_FILE, index.to_bytes(), project.data_recipients())
            project.integrity.create(project.vault_files(), {"seq": 0, "hash": index.audit_head.hash})
            with project.writing() as change:
                change.log("project.init", f"project:{marker.project_id}")
            with atomic.atomic_writer(root / MARKER) as out:  # last: its presence means "complete"
                out.write(marker.to_bytes())
        return project

    @classmethod
    def open(cls, root: Path, credentials: Credentials) -> Project:
        root = Path(root).absolute()
        marker = ProjectMarker.read(root)
        keyring = Keyring()
        for identity_file in credentials.identity_files:
            keyring.identities.extend(parse_identity_file(identity_file))
        if credentials.passphrase is not None:
            identity_path = root / IDENTITY_FILE
            if not identity_path.is_file():
                raise IdentityError(identity_path, "the project identity is missing",
                                    "restore it from a backup, or unlock with --identity FILE",
                                    code="project.identity_missing")
            if credentials.unwrap_in_child:
                unwrapped = unwrap_identity_in_child(identity_path, credentials.passphrase)
            else:
                unwrapped = unwrap_project_identity(identity_path.read_bytes(), credentials.passphrase, identity_path)
            keyring.identities.append(unwrapped.identity)
            keyring.project_identity = unwrapped.identity
            keyring.signing_anchor = unwrapped.signing_public
        if not keyring.identities:
            raise IdentityError(root, "no passphrase or identity given",
                                "set INTERVIEWKIT_PASSPHRASE, pass --identity FILE, or run in a terminal to be asked",
                                code="project.no_credentials")
        index_path = root / INDEX_FILE
        try:
            return cls(root, marker, keyring)
        except IdentityError as error:
            if error.code == "project.read_only_key":
                raise
            raise IdentityError(index_path, "this key is not a recipient of the project",
                                "unlock with the project passphrase or a key that was added with 'keys add-recipient'",
                                code="project.not_a_recipient") from None

    # -- keys -------------------------------------------------------------------------

    def data_recipients(self) -> list[x25519.Recipient]:
        keys = [self.index.project_recipient, *self.index.data_recipients]
        return [x25519.Recipient.from_str(k) for k in dict.fromkeys(keys)]

    def linkage_recipients(self) -> list[x25519.Recipient]:
        keys = [self.index.project_recipient, *self.index.linkage_recipients]
        return [x25519.Recipient.from_str(k) for k in dict.fromkeys(keys)]

    def owner_recipients(self) -> list[x25519.Recipient]:
        """Who may sign changes: the project key and the recipients of scope ``all`` (data and linkage)."""
        keys = [self.index.project_recipient,
                *(k for k in self.index.data_recipients if k in self.index.linkage_recipients)]
        return [x25519.Recipient.from_str(k) for k in dict.fromkeys(keys)]

    def recipients_for(self, path: Path) -> list[x25519.Recipient]:
        if path == self.root / SIGNING_FILE:
            return self.owner_recipients()
        return self.linkage_recipients() if path.name == LINKAGE_FILE else self.data_recipients()

    def signing_key(self) -> SigningKey:
        """The Ed25519 key that signs the audit log and the manifest; only the owner scope reads it."""
        if self._signing_key is None:
            path = self.root / SIGNING_FILE
            try:
                key = SigningKey.from_bytes(self.integrity.decrypt(path), path)
            except IdentityError:
                raise read_only_error(self.root) from None
            if key.public_text() != self.integrity.trusted_key:
                raise VaultCorrupt(path, "holds another signing key than the project's: it was replaced",
                                   "restore keys/signing.age from a backup", code="vault.signing_key_replaced")
            self._signing_key = key
        return self._signing_key

    def vault_files(self) -> list[Path]:
        """Every file encrypted to the project's recipients (the passphrase-wrapped identity and the
        manifest, which vouches for the others, excepted)."""
        skip = {self.root / IDENTITY_FILE, self.root / MANIFEST_FILE}
        return sorted(p for p in self.root.rglob("*.age")
                      if p not in skip and not p.name.startswith(atomic.TEMP_PREFIX)
                      and not any(part.startswith(atomic.DELETED_PREFIX) for part in p.relative_to(self.root).parts))

    # -- reading ----------------------------------------------------------------------

    def read(self, relative: str) -> bytes:
        """Decrypt one vault file, checked against the signed manifest."""
        return self.integrity.decrypt(self.root / relative)

    def linkage(self) -> LinkageKey:
        path = self.root / LINKAGE_FILE
        try:
            return LinkageKey.from_bytes(self.integrity.decrypt(path))
        except ValueError as exc:
            raise VaultCorrupt(path, f"the linkage key is unreadable ({exc})", "restore linkage.age from a backup",
                               code="project.linkage_unreadable", params={"detail": exc}) from None

    def can_read_linkage(self) -> bool:
        try:
            self.linkage()
        except IdentityError:
            return False
        return True

    def audit_entries(self) -> tuple[list[AuditEntry], list[AuditProblem]]:
        return parse_log(self.read(AUDIT_FILE))

    def verify_audit(self) -> tuple[list[AuditEntry], list[AuditProblem]]:
        """Check the log's chain and signatures, and that it is the log the signed manifest names
        (its head included: only a write cut short between its manifest and its log may leave the
        log one change behind).  A replaced log is read anyway, to say what is wrong with it."""
        path = self.root / AUDIT_FILE
        ciphertext = read_ciphertext(path)
        entries, problems = parse_log(decrypt_bytes(ciphertext, self.keyring.identities, path))
        manifest = self.integrity.current()
        if manifest is None:
            return entries, problems + verify_entries(entries, self.integrity.trusted_key, self.index.audit_head)
        replaced = not manifest.accepts(AUDIT_FILE, file_digest(ciphertext),
                                        self.integrity.in_flight(manifest, AUDIT_FILE))
        head = AuditHead(**manifest.audit_head)
        crash = AuditHead(**manifest.previous_audit_head) \
            if self.integrity.in_flight(manifest, AUDIT_FILE) and manifest.previous_audit_head else None
        index_crash = manifest.previous_audit_head if self.integrity.in_flight(manifest, INDEX_FILE) else None
        index_heads = [(head.seq, head.hash)] + ([(index_crash["seq"], index_crash["hash"])] if index_crash else [])
        if (self.index.audit_head.seq, self.index.audit_head.hash) not in index_heads:
            problems.append(AuditProblem(0, f"the index records entry {self.index.audit_head.seq} but the signed "
                                            f"manifest records {head.seq} (the index was replaced)"))
        problems += verify_entries(entries, self.integrity.trusted_key, head, exact=True, crash_head=crash)
        if replaced and not problems:  # an older or other log that is whole in itself
            problems.append(AuditProblem(0, "audit.age is not the log the project's signed manifest names "
                                            "(it was replaced or rolled back)"))
        return entries, problems

    def signed_head(self) -> SignedHead | None:
        """What a steward notes to detect a rollback of the whole project later (None: format 1)."""
        manifest = self.integrity.current()
        if manifest is None:
            return None
        return SignedHead(manifest.seq, int(manifest.audit_head["seq"]), str(manifest.audit_head["hash"]))

    def read_index(self) -> ProjectIndex:
        """The index as it is on disk now (another process may have changed it), leaving ``index`` be."""
        path = self.root / INDEX_FILE
        return ProjectIndex.from_bytes(self.integrity.decrypt(path), path)

    def reload(self) -> None:
        self.index = self.read_index()

    # -- changing ---------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[Change]:
        """Lock, reload, let the caller change the index, then save atomically.

        If the body raises, nothing is written and the in-memory index is reloaded.
        """
        with self.lock:
            if self.lock.outermost and (self.root / INDEX_FILE).exists():
                self.integrity.settle()  # first: it renames what a writer that died left staged
                atomic.remove_stale_temps(self.root)
                self.reload()
                if self.integrity.current() is None:
                    self._upgrade_format()
            change = Change(self)
            outer, self.current_change = self.current_change, change
            try:
                yield change
                change.commit()
            except BaseException:
                if (self.root / INDEX_FILE).exists():
                    self.reload()
                raise
            finally:
                self.current_change = outer

    def _upgrade_format(self) -> None:
        """A project of format 1 gets its signed manifest (of the files as they are: trust on upgrade)
        and its signing key readable by the owner scope only; then its marker says format 2."""
        self.signing_key()  # a key that cannot sign cannot upgrade (nor write)
        write_encrypted(self.root / SIGNING_FILE, self.signing_key().to_bytes(), self.owner_recipients())
        self.integrity.create(self.vault_files(), {"seq": self.index.audit_head.seq, "hash": self.index.audit_head.hash})
        self.marker.version = FORMAT_VERSION
        with atomic.atomic_writer(self.root / MARKER) as out:
            out.write(self.marker.to_bytes())

    # -- per-session files ------------------------------------------------------------

    def session_path(self, session: Session, name: str) -> Path:
        """Where a session's file lives: ``sessions/<random key>/<name>`` (never its label)."""
        return self.root / "sessions" / session.key / name

    def save_session_file(self, session: Session, name: str, plaintext: bytes) -> None:
        """Encrypt and replace one session file atomically, under the project lock.

        For state saved continuously (the interview screen): no index rewrite, no audit entry.
        """
        with self.lock:
            if self.lock.outermost:
                self.reload()  # recipients may have changed in another process
            self.write_files([(self.session_path(session, name), plaintext)])

    def load_session_file(self, session: Session, name: str) -> bytes | None:
        """A session file's plaintext; None if the project never wrote it (one it wrote that is
        gone is an error: deleted outside interviewkit)."""
        path = self.session_path(session, name)
        if not path.exists():
            self.integrity.check_absent(path)
            return None
        return self.integrity.decrypt(path)

    def remove_path(self, path: Path) -> bool:
        """Delete a vault file or a folder of them (under the lock), so that the project's record of
        its files forgets them too; False when there was nothing to delete."""
        path = Path(path)
        with self.lock:
            manifest = self.integrity.current()
            relative = self.integrity.relative(path)
            listed = manifest is not None and (relative in manifest.files or bool(manifest.under(relative)))
            if not path.exists() and not listed:
                return False
            self.integrity.commit([], [path])
            return True

    def write_file(self, relative: str, plaintext: bytes) -> None:
        """Encrypt and write one project file atomically (call inside ``writing()``)."""
        self.write_files([(self.root / relative, plaintext)])

    def write_files(self, files: list[tuple[Path, bytes]], audit_head: AuditHead | None = None) -> None:
        """Encrypt files to their recipients and put them in place together, under the signed
        manifest: staged first (a full disk stops here, nothing replaced), then the manifest, then
        the renames."""
        with self.lock:
            staged: list[StagedFile] = []
            with staging(staged):
                for path, plaintext in files:
                    staged.append(self.integrity.stage(path, plaintext, self.recipients_for(path)))
            head = None if audit_head is None else {"seq": audit_head.seq, "hash": audit_head.hash}
            self.integrity.commit(staged, audit_head=head)

    def write_stream(self, path: Path, source: Reader) -> None:
        """Encrypt a stream into one vault file chunk by chunk (flat memory), under the manifest."""
        with self.lock:
            with atomic.staged_writer(path) as staged:
                writer = DigestWriter(staged.handle)
                encrypt_stream(source, writer, self.recipients_for(path), path)
            self.integrity.commit([StagedFile(staged.temp, path, writer.hash.hexdigest())])

    def reencrypt_files(self, paths: list[Path], recipients: Callable[[Path], list[x25519.Recipient]],
                        progress: Callable[[int, int], None] | None = None) -> int:
        """Give vault files new recipients, each checked against the manifest first, in batches that
        each land with one manifest write; no plaintext touches a file."""
        with self.lock:
            done = 0
            for batch in _batches(paths):
                staged: list[StagedFile] = []
                with staging(staged):
                    for path in batch:
                        staged.append(self._stage_reencrypted(path, recipients(path)))
                self.integrity.commit(staged)
                done += len(batch)
                if progress:
                    progress(done, len(paths))
        return len(paths)

    def _stage_reencrypted(self, path: Path, recipients: list[x25519.Recipient]) -> StagedFile:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            self.integrity.check_absent(path)
            raise VaultCorrupt(path, "file is missing", "restore it from a backup", code="vault.file_missing") from None
        if size <= STREAM_THRESHOLD:
            return self.integrity.stage(path, self.integrity.decrypt(path), recipients)
        self.integrity.check(path, _file_digest(path))
        with atomic.staged_writer(path) as staged:
            writer = DigestWriter(staged.handle)
            reencrypt_stream(path, writer, self.keyring.identities, recipients)
        return StagedFile(staged.temp, path, writer.hash.hexdigest())


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    """Files in batches of at most REWRAP_BATCH files and about REWRAP_BATCH_BYTES (a batch's
    copies sit beside the files until it lands, so this is the room a change of recipients needs)."""
    batch: list[Path] = []
    size = 0
    for path in paths:
        try:
            length = path.stat().st_size
        except OSError:
            length = 0
        if batch and (len(batch) >= REWRAP_BATCH or size + length > REWRAP_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(path)
        size += length
    if batch:
        yield batch


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Change:
    """What one ``Project.writing()`` block changes: index edits, linkage edits, audit entries."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.pending: list[tuple[str, str, dict[str, Any]]] = []
        self._linkage: LinkageKey | None = None

    @property
    def linkage(self) -> LinkageKey:
        if self._linkage is None:
            self._linkage = self.project.linkage()
        return self._linkage

    @property
    def loaded_linkage(self) -> LinkageKey | None:
        """The linkage key this change has read (and will write), or None: looking does not load it."""
        return self._linkage

    def log(self, action: str, target: str, **details: Any) -> None:
        self.pending.append((action, target, details))

    def commit(self) -> None:
        """Write the audit log, the index and the linkage key together (one manifest write): the
        audit entries and the index first, so that a crash between the renames never leaves names
        in the linkage key that the index does not account for."""
        project = self.project
        root = project.root
        files: list[tuple[Path, bytes]] = []
        head = None
        if self.pending:
            path = root / AUDIT_FILE
            log = project.integrity.decrypt(path)
            entries, _ = parse_log(log)
            _refuse_rolled_back_log(path, entries, project.index.audit_head)
            previous = entries[-1] if entries else None
            key = project.signing_key()
            added = []
            for action, target, details in self.pending:
                previous = new_entry(previous, action, target, details, key)
                added.append(previous)
            if log and not log.endswith(b"\n"):
                log += b"\n"
            files.append((path, log + render_log(added)))  # the lines as they were, the new ones after
            head = project.index.audit_head = AuditHead(seq=previous.seq, hash=previous.digest())
        files.append((root / INDEX_FILE, project.index.to_bytes()))
        if self._linkage is not None:
            files.append((root / LINKAGE_FILE, self._linkage.to_bytes()))
        project.write_files(files, audit_head=head)


def _refuse_rolled_back_log(path: Path, entries: list[AuditEntry], recorded: AuditHead) -> None:
    """Never build on a log that is behind what the index recorded (an older copy put in place)."""
    last = entries[-1] if entries else None
    seq, digest = (last.seq, last.digest()) if last else (0, AuditHead().hash)
    if seq < recorded.seq or (seq == recorded.seq and digest != recorded.hash):
        raise VaultCorrupt(path, f"the audit log ends at entry {seq} but the project recorded entry {recorded.seq}: "
                                 "it was rolled back or cut short; nothing was written",
                           "restore audit.age from a backup; run 'interviewkit audit verify PROJECT'",
                           code="audit.rolled_back", params={"seq": seq, "recorded": recorded.seq})
