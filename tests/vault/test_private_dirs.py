"""Every folder the program creates is 0700 and every file 0600, whatever the umask: the project
(``demo --create``, sessions, takes, transcription, revisions), the caches (models, lexicon) and the
settings folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewkit.vault.atomic import atomic_writer, make_private_dir

UMASKS = [0o022, 0o000]


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process's umask after a test that changes it."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(root: Path) -> dict[str, int]:
    """``relative path/`` (folders) or ``relative path`` (files) → permission bits, ``root`` included."""
    found = {"./": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        name = str(path.relative_to(root)) + ("/" if path.is_dir() else "")
        found[name] = stat.S_IMODE(path.lstat().st_mode)
    return found


def not_private(root: Path) -> list[str]:
    return [f"{name} {mode:o}" for name, mode in modes(root).items()
            if mode != (0o700 if name.endswith("/") else 0o600)]


@pytest.mark.parametrize("mask", [*UMASKS, 0o277], ids=lambda mask: f"umask{mask:03o}")
def test_make_private_dir_creates_every_missing_folder_0700(tmp_path: Path, umask: None, mask: int) -> None:
    os.umask(mask)
    make_private_dir(tmp_path / "a" / "b" / "c")
    make_private_dir(tmp_path / "a" / "b" / "c")  # there already: fine
    assert {name: f"{mode:o}" for name, mode in modes(tmp_path / "a").items()} == {
        "./": "700", "b/": "700", "b/c/": "700"}


def test_an_existing_folder_keeps_its_mode_and_a_file_in_the_way_fails(tmp_path: Path) -> None:
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)
    make_private_dir(existing / "new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755
    assert stat.S_IMODE((existing / "new").stat().st_mode) == 0o700
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "file")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "file" / "below")


@pytest.mark.parametrize("mask", UMASKS, ids=lambda mask: f"umask{mask:03o}")
def test_atomic_writer_makes_its_folders_private(tmp_path: Path, umask: None, mask: int) -> None:
    os.umask(mask)
    with atomic_writer(tmp_path / "vault" / "sessions" / "x" / "f.age") as out:
        out.write(b"ciphertext")
    assert not not_private(tmp_path / "vault")


# Run in a child under the umask: a demo project, a transcript saved with a revision, the lexicon
# and a (tiny, stand-in) embedded model in the cache, a setting in the configuration folder.
CHILD = textwrap.dedent("""
    import hashlib, sys
    from pathlib import Path
    from interviewkit.anonymise.lexicon import load_lexicon
    from interviewkit.demo import create_demo
    from interviewkit.errors import NotFound
    from interviewkit.settings import save_setting
    from interviewkit.transcribe import models
    from interviewkit.transcript.store import open_transcript, save_transcript

    project = create_demo(Path(sys.argv[1]), interview=False)
    for session in project.index.sessions:
        try:
            transcript = open_transcript(project, session)
        except NotFound:
            continue
        save_transcript(project, session, transcript, revision=True)
        break
    else:
        raise SystemExit("no transcribed session in the demo")
    assert load_lexicon("no").available
    package = Path(models.__file__).parent.parent
    digest = lambda relative: hashlib.sha256((package / relative).read_bytes()).hexdigest()
    models.EMBEDDED["stand-in"] = models.EmbeddedModel(
        "stand-in", (), (models.PackagedFile("interviewkit", "py.typed"),),
        (models.PackagedFile("interviewkit", "texts/__init__.py"),),
        {"model.bin": digest("py.typed"), "__init__.py": digest("texts/__init__.py")}, "")
    models.embedded_model_dir("stand-in")
    save_setting("lang", "nb")
""")


@pytest.mark.parametrize("mask", UMASKS, ids=lambda mask: f"umask{mask:03o}")
def test_everything_a_project_and_the_caches_create_is_private(tmp_path: Path, mask: int) -> None:
    words = tmp_path / "dict"
    words.mkdir()
    for name in ("bokmaal", "nynorsk", "american-english"):
        (words / name).write_text("hus\nhuset\nLevanger\nKari\n", encoding="latin-1")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVIEWKIT_", "XDG_"))}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "INTERVIEWKIT_DICT_DIR": str(words), "HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "new" / "demo")], env=env,
                            capture_output=True, text=True, umask=mask, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "new" / "demo"
    created = modes(project)
    assert any(name.startswith("sessions/") and name.endswith("/audio/") for name in created)
    assert any(name.endswith("/transcription/") for name in created)
    assert any(name.endswith("/transcript-revisions/") for name in created)
    assert "keys/" in created and "keys/identity.age" in created
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700  # a missing parent, made for it
    cache = tmp_path / "cache"
    assert (cache / "interviewkit" / "models" / "stand-in" / "model.bin").is_file()
    assert any((cache / "interviewkit" / "lexicon").iterdir())
    assert (tmp_path / "config" / "interviewkit").is_dir()
    for root in (tmp_path / "new", cache, tmp_path / "config"):
        assert not not_private(root), (root, not_private(root))
