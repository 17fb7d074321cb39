"""Opening a project whose files are damaged, with a wrong passphrase or with a foreign key: the CLI
says which of these it is (one line, exit 2) and the error carries the matching code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyrage import x25519

from interviewkit.errors import InterviewkitError
from interviewkit.project import INDEX_FILE, Credentials, Project
from tests.conftest import PASSPHRASE, assert_user_error, run_cli

IDENTITY = "keys/identity.age"


def _substitute_mac(path: Path) -> None:
    """Another base64 character in the header MAC: the header parses, the MAC fails."""
    data = bytearray(path.read_bytes())
    at = data.index(b"\n--- ") + 6
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-7])


def _extra_share_argument(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"-> X25519 ", b"-> X25519 extra ", 1))


CASES: dict[str, tuple[str, Callable[[Path], None] | None, set[str], tuple[str, ...], tuple[str, ...]]] = {
    # case: (file damaged, damage, codes, the line says, the line never says)
    "damaged identity header": (IDENTITY, _substitute_mac, {"vault.damaged_header"},
                                (IDENTITY, "header is damaged", "restore keys/identity.age from a backup"),
                                ("passphrase", "not a recipient")),
    "truncated identity payload": (IDENTITY, _truncate, {"vault.damaged"},
                                   (IDENTITY, "truncated", "restore keys/identity.age from a backup"),
                                   ("passphrase", "not a recipient")),
    "wrong passphrase": (IDENTITY, None, {"vault.wrong_passphrase"},
                         (IDENTITY, "wrong passphrase", "INTERVIEWKIT_PASSPHRASE"), ("damaged", "backup")),
    "foreign key": (INDEX_FILE, None, {"project.not_a_recipient"},
                    (INDEX_FILE, "not a recipient", "keys add-recipient"), ("damaged", "backup")),
    # The signed manifest checks index.age before it is decrypted: either check may speak first, and
    # both send the user to the backup, never to another key.
    "damaged index header": (INDEX_FILE, _extra_share_argument, {"vault.damaged_header", "vault.file_changed"},
                             (INDEX_FILE, "restore", "from a backup"), ("not a recipient", "passphrase")),
}


def _credentials(case: str, tmp_path: Path) -> tuple[Credentials, dict[str, str | None], list[str]]:
    """In-process credentials, environment changes (None: unset) and CLI arguments for a case."""
    if case == "wrong passphrase":
        return Credentials(passphrase="not it"), {"INTERVIEWKIT_PASSPHRASE": "not it"}, []
    if case == "foreign key":
        key = tmp_path / "foreign.key"
        key.write_text(f"{x25519.Identity.generate()}\n")
        return Credentials(identity_files=[key]), {"INTERVIEWKIT_PASSPHRASE": None}, ["--identity", str(key)]
    return Credentials(passphrase=PASSPHRASE), {}, []


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_names_what_is_wrong(case: str, project_dir: Path, cli_env: dict[str, str], tmp_path: Path) -> None:
    relative, damage, codes, says, never = CASES[case]
    if damage is not None:
        damage(project_dir / relative)
    credentials, env, args = _credentials(case, tmp_path)
    with pytest.raises(InterviewkitError) as caught:
        Project.open(project_dir, credentials)
    assert caught.value.code in codes, (case, caught.value.code, str(caught.value))
    env = {name: value for name, value in (cli_env | env).items() if value is not None}
    result = run_cli(["session", "list", str(project_dir), *args], env, check=False)
    assert_user_error(result, str(project_dir / relative), *says)
    for wrong in never:
        assert wrong not in result.stderr, (case, result.stderr)
