"""`interviewkit archive apply --due` with a steward key of scope data: the preview says who can
destroy the linkage key, and nothing is deleted (the audio stays byte-identical)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from interviewkit import recipients
from tests.archive.conftest import archive, archive_template  # noqa: F401 (fixtures)
from tests.conftest import run_cli

TODAY = "2026-11-22"


def fingerprint(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".interviewkit.lock"}


def test_a_data_steward_is_refused_before_anything_is_deleted(archive, cli_env, tmp_path) -> None:  # noqa: F811
    cli_env.pop("INTERVIEWKIT_PASSPHRASE")
    key = tmp_path / "data-steward.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    recipients.add_recipient(archive.open("alpha"), made.stderr.split("Public key:")[1].strip(), scope="data")
    alpha = archive.project_path("alpha")
    before = fingerprint(alpha)
    assert any("/audio/" in path for path in before)

    due = run_cli(["archive", "due", str(archive.root), "--today", TODAY, "--identity", str(key)], cli_env).stdout
    assert "0 participants" not in due and "not counted" in due
    assert "cannot be carried out: alpha: delete audio: this key may read the project but not change it" in due

    applied = run_cli(["archive", "apply", str(archive.root), "--due", "--yes", "--unreviewed-ok", "--today", TODAY,
                       "--identity", str(key)], cli_env, check=False)
    assert applied.returncode == 1 and "Traceback" not in applied.stderr
    out = applied.stdout
    refusal = next(line for line in out.splitlines() if line.startswith("alpha: cannot be carried out: "))
    assert "this key may read the project but not change it" in refusal  # a key of scope data signs nothing
    assert "header" not in out and "damaged" not in out
    assert "Nothing can be carried out with this key: nothing was deleted." in out
    assert "done" not in out
    assert fingerprint(alpha) == before  # audio byte-identical, the audit log untouched
