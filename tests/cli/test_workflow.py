"""A whole CLI workflow with a marker in every field, then a byte scan for the marker."""

import subprocess

from pyrage import x25519

from tests.conftest import PASSPHRASE, run_cli, scan_for

MARKER = "Zyxmarkør"


def test_marker_never_reaches_the_disk_in_plaintext(tmp_path, cli_env):
    project = tmp_path / "study"
    steward = x25519.Identity.generate()
    key_file = tmp_path / "keys" / "steward.key"
    key_file.parent.mkdir()
    key_file.write_text(f"{steward}\n")
    m = MARKER
    run_cli(["init", str(project), "--title", f"{m} title", "--institution", f"{m} inst", "--responsible", f"{m} resp",
             "--sikt", f"{m}1", "--amendment", f"{m}2", "--rek", f"{m}3", "--end-date", "2027-06-30",
             "--access", f"{m} access"], cli_env)
    run_cli(["session", "add", str(project), f"{m}S1", "--kind", "group", "--date", "2026-11-02"], cli_env)
    run_cli(["participant", "add", str(project), "--code", f"{m}D1", "--name", f"{m} Navn", "--contact",
             f"{m}@example.org", "--role", "participant", "--consent", "participation", "audio", "--session",
             f"{m}S1", "--form-version", f"{m}v", "--mode", "oral", "--obtained-by", f"{m} obtainer"], cli_env)
    run_cli(["participant", "add", str(project), "--code", f"{m}D2", "--name", f"{m} Second", "--consent", "all"],
            cli_env)
    run_cli(["keys", "add-recipient", str(project), str(steward.to_public()), "--scope", "all"], cli_env)
    run_cli(["participant", "withdraw", str(project), f"{m}D2"], cli_env)
    listed = run_cli(["participant", "list", str(project), "--names"], cli_env).stdout
    assert f"{m} Navn" in listed and f"{m}D2" in listed and f"{m} Second" not in listed
    sessions_out = run_cli(["session", "list", str(project)], cli_env).stdout
    assert sessions_out.splitlines()[1].split()[0] == f"{m}S1"
    assert "Audit log OK" in run_cli(["audit", "verify", str(project)], cli_env).stdout
    as_steward = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}
    assert f"{m}D1" in run_cli(["participant", "list", str(project), "-i", str(key_file)], as_steward).stdout

    assert scan_for(project, MARKER) == []
    assert scan_for(tmp_path / "tmp", MARKER) == []
    # The scanner itself works: the steward can decrypt a file with the age tool and find the marker.
    plain = subprocess.run(["age", "-d", "-i", str(key_file), str(project / "index.age")],
                           capture_output=True, check=True).stdout
    assert MARKER.encode() in plain
    assert PASSPHRASE.encode() not in b"".join(p.read_bytes() for p in project.rglob("*") if p.is_file())
