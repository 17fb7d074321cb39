"""The age header read without a key: a damaged file, a wrong passphrase and a foreign key are told
apart (files made by pyrage and by the stock `age` tool, damaged on purpose)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyrage
import pytest
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from interviewkit.errors import IdentityError, VaultCorrupt, WrongPassphrase
from interviewkit.vault.cipher import decrypt_file_to, read_encrypted
from interviewkit.vault.header import Diagnosis, Malformed, diagnose, header_damage, parse_header
from interviewkit.vault.keys import unwrap_identity, wrap_identity

KEY = x25519.Identity.generate()
OTHER = x25519.Identity.generate()
PASSPHRASE = "correct horse"


@pytest.fixture(scope="module")
def x25519_file() -> bytes:
    return pyrage.encrypt(b"interview text " * 1000, [KEY.to_public(), OTHER.to_public()])


@pytest.fixture(scope="module")
def scrypt_file() -> bytes:
    return wrap_identity(KEY, PASSPHRASE)


def substitute(data: bytes, at: int) -> bytes:
    """Another base64 character at ``at``: still well-formed, different bytes."""
    changed = bytearray(data)
    changed[at] = ord("A") if changed[at] != ord("A") else ord("B")
    return bytes(changed)


def mac_at(data: bytes) -> int:
    return data.index(b"\n--- ") + 6


def body_at(data: bytes, tag: bytes) -> int:
    return data.index(b"\n", data.index(b"-> " + tag)) + 3


def failure(data: bytes, identities: list[x25519.Identity] | None = None, passphrase: str | None = None) -> str:
    try:
        if passphrase is not None:
            age_passphrase.decrypt(data, passphrase)
        else:
            pyrage.decrypt(data, identities or [KEY])
    except pyrage.DecryptError as exc:
        return str(exc)
    raise AssertionError("it decrypted")


def test_well_formed_headers_parse(x25519_file: bytes, scrypt_file: bytes) -> None:
    header = parse_header(x25519_file)
    assert [s.tag for s in header.stanzas if s.tag == "X25519"] == ["X25519", "X25519"]
    assert len(header.mac) == 32 and x25519_file[header.payload_offset - 1:header.payload_offset] == b"\n"
    assert parse_header(scrypt_file).tags() == {"scrypt"}


@pytest.mark.skipif(shutil.which("age") is None, reason="needs the age tool (apt-get install age)")
def test_the_stock_age_tools_headers_parse(tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout.strip()
    made = subprocess.run(["age", "-r", public, "-r", str(KEY.to_public())], input=b"x" * 100_000,
                          check=True, capture_output=True).stdout
    assert parse_header(made).tags() >= {"X25519"}
    assert diagnose(made, failure(made, [OTHER]), passphrase=False).diagnosis is Diagnosis.FOREIGN_KEY


@pytest.mark.parametrize("damage, reason", [
    (lambda d: d[:30], "truncated inside its age header"),
    (lambda d: b"not age at all", "does not start with the age header"),
    (lambda d: d.replace(b"-> X25519 ", b"-> X25519 extra ", 1), "2 arguments, not 1"),
    (lambda d: d.replace(b"\n--- ", b"\n---", 1), "MAC line is malformed"),
    (lambda d: d[:mac_at(d)] + d[mac_at(d) + 1:], "the header's MAC"),
    (lambda d: d[:body_at(d, b"X25519")] + b"!" + d[body_at(d, b"X25519") + 1:], "not base64"),
    (lambda d: d.replace(b"\n--- ", b"\nnonsense\n--- ", 1), "neither a recipient stanza nor the MAC line"),
])
def test_a_malformed_header_is_named(x25519_file: bytes, damage: Callable[[bytes], bytes], reason: str) -> None:
    damaged = damage(x25519_file)
    with pytest.raises(Malformed, match=reason):
        parse_header(damaged)
    finding = diagnose(damaged, failure(damaged), passphrase=False)
    assert finding.diagnosis is Diagnosis.DAMAGED_HEADER and reason in finding.reason


@pytest.mark.parametrize("case, diagnosis", [
    ("foreign key", Diagnosis.FOREIGN_KEY),
    ("header MAC altered", Diagnosis.DAMAGED_HEADER),
    ("payload altered", Diagnosis.DAMAGED_PAYLOAD),
    ("payload truncated", Diagnosis.DAMAGED_PAYLOAD),
    ("nonce truncated", Diagnosis.DAMAGED_PAYLOAD),
])
def test_x25519_failures(x25519_file: bytes, case: str, diagnosis: Diagnosis) -> None:
    data, keys = x25519_file, [KEY]
    if case == "foreign key":
        keys = [x25519.Identity.generate()]
    elif case == "header MAC altered":
        data = substitute(data, mac_at(data))
    elif case == "payload altered":
        data = substitute(data, len(data) - 100)
    elif case == "payload truncated":
        data = data[:-100]
    else:
        data = data[:parse_header(data).payload_offset + 5]
    finding = diagnose(data, failure(data, keys), passphrase=False)
    assert finding.diagnosis is diagnosis, finding
    if case == "nonce truncated":
        assert "truncated (5 bytes" in finding.reason


@pytest.mark.parametrize("case, diagnosis", [
    ("wrong passphrase", Diagnosis.WRONG_PASSPHRASE),
    ("header MAC altered", Diagnosis.DAMAGED_HEADER),
    ("no scrypt stanza", Diagnosis.DAMAGED_HEADER),
    ("excessive work factor", Diagnosis.DAMAGED_HEADER),
    ("payload truncated", Diagnosis.DAMAGED_PAYLOAD),
])
def test_passphrase_failures(scrypt_file: bytes, x25519_file: bytes, case: str, diagnosis: Diagnosis) -> None:
    data, passphrase = scrypt_file, PASSPHRASE
    if case == "wrong passphrase":
        passphrase = "not it"
    elif case == "header MAC altered":
        data = substitute(data, mac_at(data))
    elif case == "no scrypt stanza":
        data = x25519_file
    elif case == "excessive work factor":
        start = data.index(b"-> scrypt ")
        end = data.index(b"\n", start)
        salt = data[start:end].split(b" ")[2]
        data = data[:start] + b"-> scrypt " + salt + b" 60" + data[end:]
    else:
        data = data[:-7]
    assert diagnose(data, failure(data, passphrase=passphrase), passphrase=True).diagnosis is diagnosis


def test_unwrap_identity_tells_the_cases_apart(tmp_path: Path, scrypt_file: bytes) -> None:
    path = tmp_path / "identity.age"
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        unwrap_identity(scrypt_file, "not it", path)
    with pytest.raises(VaultCorrupt) as damaged:
        unwrap_identity(substitute(scrypt_file, mac_at(scrypt_file)), PASSPHRASE, path)
    assert damaged.value.code == "vault.damaged_header"
    assert "restore keys/identity.age from a backup" in str(damaged.value)
    assert "passphrase" not in str(damaged.value)
    with pytest.raises(VaultCorrupt) as truncated:
        unwrap_identity(scrypt_file[:-7], PASSPHRASE, path)
    assert truncated.value.code == "vault.damaged" and "truncated" in str(truncated.value)
    assert str(unwrap_identity(scrypt_file, PASSPHRASE, path).to_public()) == str(KEY.to_public())


def test_reading_a_vault_file_tells_the_cases_apart(tmp_path: Path, x25519_file: bytes) -> None:
    path = tmp_path / "index.age"
    cases = {"foreign": (x25519_file, IdentityError, "vault.no_matching_key"),
             "mac": (substitute(x25519_file, mac_at(x25519_file)), VaultCorrupt, "vault.damaged_header"),
             "args": (x25519_file.replace(b"-> X25519 ", b"-> X25519 extra ", 1), VaultCorrupt, "vault.damaged_header"),
             "payload": (x25519_file[:-9], VaultCorrupt, "vault.damaged")}
    for name, (data, error_class, code) in cases.items():
        path.write_bytes(data)
        keys = [x25519.Identity.generate()] if name == "foreign" else [KEY]
        for read in (lambda: read_encrypted(path, keys), lambda: decrypt_file_to(path, _Sink(), keys)):
            with pytest.raises(error_class) as caught:
                read()
            assert caught.value.code == code, (name, caught.value)
            assert str(path) in str(caught.value)
            if error_class is VaultCorrupt:
                assert "restore index.age from a backup" in str(caught.value), str(caught.value)


def test_header_damage_for_a_check_before_decryption(x25519_file: bytes) -> None:
    assert header_damage("index.age", x25519_file) is None
    error = header_damage("P/index.age", substitute(x25519_file, 0))
    assert error is not None and error.code == "vault.damaged_header"
    assert str(error).startswith("P/index.age: the file's age header is damaged (it does not start with")


class _Sink:
    def write(self, data: bytes) -> int:
        return len(data)
