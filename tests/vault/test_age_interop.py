"""The stock `age` tool and interviewkit read each other's files (X25519 keys; the
passphrase mode of `age` wants a TTY, so the project's identity is used through a key file)."""

import shutil
import subprocess

import pytest
from pyrage import x25519

from interviewkit.vault.cipher import read_encrypted, write_encrypted
from interviewkit.vault.keys import parse_identity_file

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="needs the age tool (apt-get install age)")


@pytest.fixture
def keypair(tmp_path):
    key_file = tmp_path / "key.txt"
    subprocess.run(["age-keygen", "-o", str(key_file)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(key_file)], check=True, capture_output=True, text=True).stdout
    return key_file, public.strip()


def test_interviewkit_writes_age_reads(tmp_path, keypair):
    key_file, public = keypair
    payload = "Intervju med D3: «Jeg syns det gikk bra» – ærlig talt.\n".encode() * 5000
    path = tmp_path / "t.age"
    write_encrypted(path, payload, [x25519.Recipient.from_str(public)])
    out = subprocess.run(["age", "-d", "-i", str(key_file), str(path)], capture_output=True, check=True).stdout
    assert out == payload


def test_age_writes_interviewkit_reads(tmp_path, keypair):
    key_file, public = keypair
    payload = bytes(range(256)) * 4000
    plain = tmp_path / "plain.bin"
    plain.write_bytes(payload)
    subprocess.run(["age", "-r", public, "-o", str(tmp_path / "x.age"), str(plain)], check=True)
    assert read_encrypted(tmp_path / "x.age", parse_identity_file(key_file)) == payload


def test_project_identity_works_in_age(project, tmp_path):
    """A steward who has the project's identity (unwrapped with the passphrase) can use age directly."""
    key_file = tmp_path / "project.key"
    key_file.write_text(f"{project.keyring.project_identity}\n")
    out = subprocess.run(["age", "-d", "-i", str(key_file), str(project.root / "index.age")],
                         capture_output=True, check=True).stdout
    assert b"Template study" in out
    audit = subprocess.run(["age", "-d", "-i", str(key_file), str(project.root / "audit.age")],
                           capture_output=True, check=True).stdout
    assert b'"action":"project.init"' in audit
