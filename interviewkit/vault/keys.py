"""Keys: the project's X25519 identity (passphrase-wrapped with age's scrypt
recipient), extra recipients, identity files, and the Ed25519 audit signing key."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from interviewkit.errors import IdentityError, InvalidInput, VaultCorrupt, WrongPassphrase
from interviewkit.vault import header
from interviewkit.vault.cipher import AGE_MAGIC, decrypt_bytes


def parse_recipient(text: str, where: str = "recipient") -> x25519.Recipient:
    text = text.strip()
    try:
        return x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        raise InvalidInput(where, f"'{text[:24]}' is not an age X25519 public key",
                           "give a key that starts with age1 (from 'age-keygen -y KEYFILE')",
                           code="recipients.bad_key", params={"key": text[:24]}) from None


def parse_identity_file(path: Path) -> list[x25519.Identity]:
    """Read an age identity file (AGE-SECRET-KEY-1… lines, # comments allowed)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IdentityError(path, "identity file not found", "check the path given to --identity",
                            code="identity.not_found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityError(path, f"cannot read identity file ({exc})", "give an age identity file made by age-keygen",
                            code="identity.unreadable", params={"detail": exc}) from None
    identities = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError):
            raise IdentityError(f"{path}:{number}", "not an age secret key",
                                "each key line must start with AGE-SECRET-KEY-1", code="identity.bad_line") from None
    if not identities:
        raise IdentityError(path, "no keys in the identity file", "give an age identity file made by age-keygen",
                            code="identity.empty")
    return identities


SIGNING_ANCHOR = "# audit signing key: "


def wrap_identity(identity: x25519.Identity, passphrase: str, signing_public: str | None = None) -> bytes:
    """The project identity as an age file encrypted with a passphrase (scrypt).  With
    ``signing_public`` it also names the project's Ed25519 key: only the passphrase can write this
    file, so what it names is the key a passphrase holder trusts (docs/vault-format.md)."""
    text = f"# interviewkit project identity\n# public key: {identity.to_public()}\n"
    if signing_public:
        text += f"{SIGNING_ANCHOR}{signing_public}\n"
    text += f"{identity}\n"
    return age_passphrase.encrypt(text.encode(), passphrase)


@dataclass
class ProjectIdentity:
    """What the passphrase-wrapped identity file holds: the X25519 key and, in projects of format 2
    on, the public half of the signing key it vouches for."""

    identity: x25519.Identity
    signing_public: str | None = None


def unwrap_identity(ciphertext: bytes, passphrase: str, path: Path) -> x25519.Identity:
    return unwrap_project_identity(ciphertext, passphrase, path).identity


def unwrap_project_identity(ciphertext: bytes, passphrase: str, path: Path) -> ProjectIdentity:
    if not ciphertext.startswith(AGE_MAGIC):
        raise VaultCorrupt(path, "not an age-encrypted file", "restore keys/identity.age from a backup",
                           code="vault.not_age")
    try:
        text = age_passphrase.decrypt(ciphertext, passphrase).decode()
    except pyrage.DecryptError as exc:
        finding = header.diagnose(ciphertext, str(exc), passphrase=True)
        if finding.diagnosis is header.Diagnosis.WRONG_PASSPHRASE:
            raise WrongPassphrase(path, "wrong passphrase",
                                  "type it again, or set INTERVIEWKIT_PASSPHRASE to the project's passphrase", field="passphrase") from None
        raise header.damaged_error(path, finding, "keys/identity.age") from None
    anchor = next((line.removeprefix(SIGNING_ANCHOR).strip() for line in text.splitlines()
                   if line.startswith(SIGNING_ANCHOR)), None)
    for line in text.splitlines():
        if line.startswith("AGE-SECRET-KEY-1"):
            return ProjectIdentity(x25519.Identity.from_str(line.strip()), anchor)
    raise VaultCorrupt(path, "holds no age secret key", "restore keys/identity.age from a backup",
                       code="vault.no_secret_key")


@dataclass
class SigningKey:
    """Ed25519 key that signs audit-log entries."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, raw: bytes, path: Path | str) -> SigningKey:
        try:
            seed = base64.b64decode(raw.strip(), validate=True)
            return cls(Ed25519PrivateKey.from_private_bytes(seed))
        except ValueError:
            raise VaultCorrupt(path, "does not hold an Ed25519 key", "restore keys/signing.age from a backup",
                               code="vault.no_signing_key") from None

    def to_bytes(self) -> bytes:
        raw = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        return base64.b64encode(raw) + b"\n"

    def public_text(self) -> str:
        return public_key_text(self.private.public_key())

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    if not text.startswith("ed25519:"):
        raise ValueError("not an ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.removeprefix("ed25519:")))


@dataclass
class Keyring:
    """The keys one unlocked session holds in memory."""

    identities: list[x25519.Identity] = field(default_factory=list)
    project_identity: x25519.Identity | None = None
    # The signing key the passphrase-wrapped identity vouches for (None: opened with key files only).
    signing_anchor: str | None = None

    def decrypt(self, ciphertext: bytes, path: Path | str) -> bytes:
        return decrypt_bytes(ciphertext, self.identities, path)
