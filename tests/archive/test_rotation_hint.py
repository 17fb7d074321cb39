"""A rotation of the project key cut short: starting another one says which command finishes it,
and that command, run as the hint quotes it, does (the hint once named a Python function)."""

from __future__ import annotations

import re

import pytest

from interviewkit.archive import rekey
from interviewkit.archive.rekey import rotate_project_key
from interviewkit.project import Credentials, Project
from tests.archive.conftest import Archive
from tests.conftest import assert_user_error, run_cli

NEW = "a-brand-new-passphrase"


def test_the_hint_of_a_rotation_cut_short_is_the_command_that_finishes_it(
        archive: Archive, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, key = archive.project_path("alpha"), archive.keys / "alpha.txt"

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as kill -9 right after the rotation was begun

    monkeypatch.setattr(rekey, "_complete", crash)
    with pytest.raises(KeyboardInterrupt):
        rotate_project_key(archive.open("alpha"), NEW)
    monkeypatch.undo()
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"} | {"INTERVIEWKIT_NEW_PASSPHRASE": NEW}
    again = run_cli(["archive", "rotate-key", str(root), "--identity", str(key)], env, check=False)
    assert_user_error(again, str(root), "cut short", "interviewkit archive resume-rotation PROJECT",
                      "INTERVIEWKIT_NEW_PASSPHRASE")
    assert "resume_rotation" not in again.stderr
    quoted = re.search(r"'interviewkit ([^']+)'", again.stderr)
    assert quoted is not None
    command = [str(root) if word == "PROJECT" else word for word in quoted.group(1).split()]
    finished = run_cli([*command, "--identity", str(key)], env)
    assert "Rotation finished" in finished.stdout
    assert Project.open(root, Credentials(passphrase=NEW)).index.rotation is None
