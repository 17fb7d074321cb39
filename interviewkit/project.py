"""A project (one study) on disk: open, unlock, read, and change it safely.

Layout and formats are specified in docs/vault-format.md.  Every change goes through
``Project.writing()``: it takes the project lock, reloads the index, lets the caller
change it, then writes linkage key, audit log and index, each atomically.
"""

from __future__ import annotations

import contextlib
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
from interviewkit.vault.cipher import read_encrypted, write_encrypted
from interviewkit.vault.keys import Keyring, SigningKey, parse_identity_file, unwrap_identity, wrap_identity
from interviewkit.vault.lock import ProjectLock
from interviewkit.vault.unwrap import unwrap_identity_in_child

MARKER = "interviewkit-project.json"
IDENTITY_FILE = "keys/identity.age"
SIGNING_FILE = "keys/signing.age"
INDEX_FILE = "index.age"
LINKAGE_FILE = "linkage.age"
AUDIT_FILE = "audit.age"
FORMAT_VERSION = 1


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
        root.mkdir(parents=True, exist_ok=True)
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
            "version": FORMAT_VERSION,
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
WithdrawalEraser = Callable[["Project", Participant], list[str]]

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

    def __init__(self, root: Path, marker: ProjectMarker, keyring: Keyring, index: ProjectIndex) -> None:
        self.root = root
        self.marker = marker
        self.keyring = keyring
        self.index = index
        self.lock = ProjectLock(root)
        self._signing_key: SigningKey | None = None
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
        project = cls(root, marker, Keyring(identities=[identity], project_identity=identity), index)
        project._signing_key = signing_key
        with project.lock:
            with atomic.atomic_writer(root / IDENTITY_FILE) as out:
                out.write(wrap_identity(identity, passphrase))
            write_encrypted(root / SIGNING_FILE, signing_key.to_bytes(), project.data_recipients())
            write_encrypted(root / LINKAGE_FILE, LinkageKey().to_bytes(), project.linkage_recipients())
            write_encrypted(root / AUDIT_FILE, b"", project.data_recipients())
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
                identity = unwrap_identity_in_child(identity_path, credentials.passphrase)
            else:
                identity = unwrap_identity(identity_path.read_bytes(), credentials.passphrase, identity_path)
            keyring.identities.append(identity)
            keyring.project_identity = identity
        if not keyring.identities:
            raise IdentityError(root, "no passphrase or identity given",
                                "set INTERVIEWKIT_PASSPHRASE, pass --identity FILE, or run in a terminal to be asked",
                                code="project.no_credentials")
        index_path = root / INDEX_FILE
        try:
            raw = read_encrypted(index_path, keyring.identities)
        except IdentityError:
            raise IdentityError(index_path, "this key is not a recipient of the project",
                                "unlock with the project passphrase or a key that was added with 'keys add-recipient'",
                                code="project.not_a_recipient") from None
        return cls(root, marker, keyring, ProjectIndex.from_bytes(raw, index_path))

    # -- keys -------------------------------------------------------------------------

    def data_recipients(self) -> list[x25519.Recipient]:
        keys = [self.index.project_recipient, *self.index.data_recipients]
        return [x25519.Recipient.from_str(k) for k in dict.fromkeys(keys)]

    def linkage_recipients(self) -> list[x25519.Recipient]:
        keys = [self.index.project_recipient, *self.index.linkage_recipients]
        return [x25519.Recipient.from_str(k) for k in dict.fromkeys(keys)]

    def recipients_for(self, path: Path) -> list[x25519.Recipient]:
        return self.linkage_recipients() if path.name == LINKAGE_FILE else self.data_recipients()

    def signing_key(self) -> SigningKey:
        if self._signing_key is None:
            path = self.root / SIGNING_FILE
            self._signing_key = SigningKey.from_bytes(read_encrypted(path, self.keyring.identities), path)
        return self._signing_key

    def vault_files(self) -> list[Path]:
        """Every file encrypted to the project's recipients (the passphrase-wrapped identity excepted)."""
        identity = self.root / IDENTITY_FILE
        return sorted(p for p in self.root.rglob("*.age")
                      if p != identity and not p.name.startswith(atomic.TEMP_PREFIX)
                      and not any(part.startswith(atomic.DELETED_PREFIX) for part in p.relative_to(self.root).parts))

    # -- reading ----------------------------------------------------------------------

    def read(self, relative: str) -> bytes:
        return read_encrypted(self.root / relative, self.keyring.identities)

    def linkage(self) -> LinkageKey:
        path = self.root / LINKAGE_FILE
        try:
            return LinkageKey.from_bytes(read_encrypted(path, self.keyring.identities))
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
        entries, problems = self.audit_entries()
        return entries, problems + verify_entries(entries, self.marker.audit_public_key, self.index.audit_head)

    def read_index(self) -> ProjectIndex:
        """The index as it is on disk now (another process may have changed it), leaving ``index`` be."""
        path = self.root / INDEX_FILE
        return ProjectIndex.from_bytes(read_encrypted(path, self.keyring.identities), path)

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
                atomic.remove_stale_temps(self.root)
                self.reload()
            change = Change(self)
            outer, self.current_change = self.current_change, change
            try:
                yield change
            except BaseException:
                if (self.root / INDEX_FILE).exists():
                    self.reload()
                raise
            finally:
                self.current_change = outer
            change.commit()

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
            write_encrypted(self.session_path(session, name), plaintext, self.data_recipients())

    def load_session_file(self, session: Session, name: str) -> bytes | None:
        path = self.session_path(session, name)
        if not path.exists():
            return None
        return read_encrypted(path, self.keyring.identities)

    def write_file(self, relative: str, plaintext: bytes) -> None:
        """Encrypt and write one project file atomically (call inside ``writing()``)."""
        path = self.root / relative
        write_encrypted(path, plaintext, self.recipients_for(path))


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

    def log(self, action: str, target: str, **details: Any) -> None:
        self.pending.append((action, target, details))

    def commit(self) -> None:
        project = self.project
        if self._linkage is not None:
            project.write_file(LINKAGE_FILE, self._linkage.to_bytes())
        if self.pending:
            path = project.root / AUDIT_FILE
            entries, _ = parse_log(read_encrypted(path, project.keyring.identities))
            previous = entries[-1] if entries else None
            key = project.signing_key()
            for action, target, details in self.pending:
                previous = new_entry(previous, action, target, details, key)
                entries.append(previous)
            project.write_file(AUDIT_FILE, render_log(entries))
            project.index.audit_head = AuditHead(seq=previous.seq, hash=previous.digest())
        project.write_file(INDEX_FILE, project.index.to_bytes())
