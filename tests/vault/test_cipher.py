import io
import os

import pytest
from pyrage import x25519

from interviewkit.errors import IdentityError, VaultCorrupt
from interviewkit.vault import cipher
from interviewkit.vault.cipher import (
    decrypt_file_to,
    read_encrypted,
    reencrypt_file,
    write_encrypted,
    write_encrypted_stream,
)


@pytest.fixture
def keys():
    return x25519.Identity.generate(), x25519.Identity.generate()


def test_round_trip_bytes(tmp_path, keys):
    alice, _ = keys
    path = tmp_path / "f.age"
    write_encrypted(path, "Blåbærsyltetøy".encode(), [alice.to_public()])
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert "Blåbær".encode() not in path.read_bytes()
    assert read_encrypted(path, [alice]).decode() == "Blåbærsyltetøy"


def test_stream_round_trip_is_chunked(tmp_path, keys):
    alice, _ = keys
    payload = os.urandom(3 * 1024 * 1024 + 17)
    path = tmp_path / "big.age"
    write_encrypted_stream(path, io.BytesIO(payload), [alice.to_public()])
    out = io.BytesIO()
    decrypt_file_to(path, out, [alice])
    assert out.getvalue() == payload


def test_wrong_key_is_identity_error(tmp_path, keys):
    alice, bob = keys
    path = tmp_path / "f.age"
    write_encrypted(path, b"secret", [alice.to_public()])
    with pytest.raises(IdentityError):
        read_encrypted(path, [bob])


@pytest.mark.parametrize("damage", ["truncate", "flip-payload", "flip-header", "garbage", "empty"])
def test_damaged_file_is_vault_corrupt(tmp_path, keys, damage):
    alice, _ = keys
    path = tmp_path / "f.age"
    write_encrypted(path, os.urandom(100_000), [alice.to_public()])
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 1000]
    elif damage == "flip-payload":
        data[-500] ^= 1
    elif damage == "flip-header":
        data[data.index(b"\n--- ") + 8] ^= 1  # the header MAC
    elif damage == "garbage":
        data = bytearray(b"this is not an age file")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt) as error:
        read_encrypted(path, [alice])
    assert str(path) in str(error.value)


def test_damaged_stanza_says_key_or_damage(tmp_path, keys):
    alice, _ = keys
    path = tmp_path / "f.age"
    write_encrypted(path, b"secret", [alice.to_public()])
    data = bytearray(path.read_bytes())
    where = data.index(b"-> X25519 ") + 12  # inside the ephemeral share: keep it valid base64
    data[where] = ord("A") if data[where] != ord("A") else ord("B")
    path.write_bytes(bytes(data))
    with pytest.raises(IdentityError, match="damaged"):
        read_encrypted(path, [alice])


@pytest.mark.parametrize("size", [1000, cipher.STREAM_THRESHOLD + 123_457])
def test_reencrypt_changes_recipients(tmp_path, keys, size):
    alice, bob = keys
    payload = os.urandom(size)
    path = tmp_path / "f.age"
    write_encrypted_stream(path, io.BytesIO(payload), [alice.to_public()])
    reencrypt_file(path, [alice], [bob.to_public()])
    with pytest.raises(IdentityError):
        read_encrypted(path, [alice])
    assert read_encrypted(path, [bob]) == payload
    assert [p.name for p in tmp_path.iterdir()] == ["f.age"]  # no temp files left


def test_reencrypt_of_corrupt_large_file_keeps_original(tmp_path, keys):
    alice, bob = keys
    path = tmp_path / "f.age"
    write_encrypted_stream(path, io.BytesIO(os.urandom(cipher.STREAM_THRESHOLD + 70_000)), [alice.to_public()])
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt):
        reencrypt_file(path, [alice], [bob.to_public()])
    assert path.read_bytes() == bytes(data)
    assert [p.name for p in tmp_path.iterdir()] == ["f.age"]
