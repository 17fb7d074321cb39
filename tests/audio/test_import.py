"""Import of audio and video files: every format decoded exactly as ffmpeg does, bad files with
clear messages, nothing partial left behind, and no plaintext (headers, samples) on disk."""

from __future__ import annotations

import errno
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from interviewkit.audio import importer, store
from interviewkit.audio.consent_gate import ConsentMissing
from interviewkit.audio.errors import AudioUnavailable, ImportCancelled, MediaError
from interviewkit.audio.reader import read_audio
from interviewkit.consent import add_participant, withdraw_participant
from interviewkit.errors import DiskFull, InvalidInput
from interviewkit.sessions import add_session
from interviewkit.vault.atomic import storage_error
from interviewkit.vault.cipher import read_encrypted
from tests.audio.media import MEDIA_HEADERS, espeak, ffmpeg, looped_tone
from tests.audio.fast_project import project, project_key  # noqa: F401
from tests.conftest import assert_user_error, run_cli, scan_for

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")

NAME = "Kari-Nordmann"  # a person's name in the file names: must never reach the project
COLOR = ["-f", "lavfi", "-i", "color=c=black:s=64x64:r=10"]
FORMATS = {  # name: (file name, ffmpeg arguments after the inputs)
    "wav": ("wav", None),
    "mp3": ("mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
    "m4a": ("m4a", ["-c:a", "aac", "-b:a", "96k"]),
    "aac": ("aac", ["-c:a", "aac", "-b:a", "96k"]),
    "flac": ("flac", ["-c:a", "flac"]),
    "ogg": ("ogg", ["-c:a", "libvorbis"]),
    "mp4": ("mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"]),
    "mkv": ("mkv", ["-c:v", "mpeg4", "-c:a", "libvorbis"]),
    "webm": ("webm", ["-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus"]),
}
VIDEO = {"mp4", "mkv", "webm"}


def decode(path: Path) -> bytes:
    """What the importer should store: ffmpeg's own decode to 16 kHz mono s16le."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-vn", "-map", "0:a:0", "-ac", "1",
                           "-ar", "16000", "-f", "s16le", "-"], check=True, capture_output=True, timeout=120).stdout


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Test inputs, made once: speech and a tone (44.1 kHz stereo), encoded in every format."""
    root = tmp_path_factory.mktemp("media")
    speech = espeak(root / "speech.wav", "Dette er et intervju. This is a test of the audio import.")
    source = root / f"{NAME}-wav.wav"
    ffmpeg("-i", str(speech), "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=44100",
           "-filter_complex", "[0:a]aresample=44100[s];[s][1:a]concat=n=2:v=0:a=1,pan=stereo|c0=c0|c1=0.5*c0[out]",
           "-map", "[out]", "-c:a", "pcm_s16le", str(source))
    for name, (ext, codec) in FORMATS.items():
        if codec is None:
            continue
        target = root / f"{NAME}-{name}.{ext}"
        inputs = [*COLOR, "-i", str(source), "-map", "0:v", "-map", "1:a", "-shortest"] if name in VIDEO \
            else ["-i", str(source)]
        ffmpeg(*inputs, *codec, str(target))
    ffmpeg(*COLOR, "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(root / "no-audio.mp4"))
    (root / "empty.mp3").write_bytes(b"")
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", str(root / "header-only.wav"))
    (root / "notes.wav").write_text("This is a text file, not a recording.\n" * 50)
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=300:duration=40", "-c:a", "libmp3lame", "-b:a", "64k",
           str(root / "long.mp3"))
    whole = (root / "long.mp3").read_bytes()
    (root / "truncated.mp3").write_bytes(whole[:len(whole) // 3])
    return root


def media_file(media: Path, name: str) -> Path:
    ext = FORMATS[name][0]
    return media / f"{NAME}-{name}.{ext}"


def consented_session(project, session_id: str = "S01"):
    """A session whose participant has consented to audio recording (import is refused otherwise)."""
    add_session(project, session_id)
    add_participant(project, "D1", "Test Deltaker", consent_items=["participation", "audio"], sessions=[session_id])
    return project.index.find_session(session_id)


@pytest.fixture
def session(project):
    return consented_session(project)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR for this test (and the ffmpeg it starts), to be scanned afterwards."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp





def assert_no_plaintext(roots: list[Path], source: Path | None = None, pcm: bytes = b"") -> None:
    """No media header, no piece of the source file, no 4096-byte run of its samples in any file."""
    needles = []
    if source is not None:
        raw = source.read_bytes()
        needles.append(raw[:32])
        needles += [raw[i:i + 4096] for i in range(1024, max(1025, len(raw) - 4096), max(1, len(raw) // 8))]
    for i in range(0, max(0, len(pcm) - 4096), max(4096, len(pcm) // 16)):
        window = pcm[i:i + 4096]
        if np.abs(np.frombuffer(window, "<i2").astype(np.int32)).max() > 100:  # not silence
            needles.append(window)
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            for header in MEDIA_HEADERS:
                assert not header.search(data), f"{path}: media header {header.pattern!r}"
            for needle in needles:
                assert needle not in data, f"{path}: holds plaintext of the source"


def assert_no_name(project, root: Path) -> None:
    assert scan_for(root, NAME) == []
    for path in project.vault_files():
        assert NAME.encode() not in read_encrypted(path, project.keyring.identities), path


def child_processes() -> list[int]:
    me = str(os.getpid())
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            try:  # multiprocessing's own helpers (another test's process pool) are not the importer's
                command = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" in command or b"forkserver" in command:
                continue
            children.append(int(stat.parent.name))
    return children


@pytest.mark.parametrize("name", list(FORMATS))
def test_import_each_format(project, project_dir, session, media, private_tmp, name):
    path = media_file(media, name)
    calls: list[tuple[float, float | None]] = []
    result = importer.import_file(project, session, path, progress=lambda d, t: calls.append((d, t)))
    take = result.take
    assert take.complete and take.source == "import" and take.rate == 16000 and take.channels == 1
    assert result.original_on_disk and path.exists() and result.warnings == []
    expected = decode(path)
    stored = store.read_pcm(project, session, take)
    assert abs(len(stored) - len(expected)) <= 2
    a = np.frombuffer(stored, "<i2").astype(np.float64)
    b = np.frombuffer(expected, "<i2").astype(np.float64)[:len(a)]
    assert stored == expected or np.corrcoef(a[:len(b)], b)[0, 1] > 0.99
    assert take.duration_seconds == pytest.approx(len(expected) / 32000, abs=0.01)
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and calls[-1] == (take.duration_seconds, take.duration_seconds)
    assert read_audio(project, session, take.id).shape == (take.frames,)
    assert_no_plaintext([project_dir, private_tmp], path, expected)
    assert_no_name(project, project_dir)
    [entry] = [e for e in project.audit_entries()[0] if e.action == "audio.import"]
    assert entry.target == f"take:{take.id}" and entry.details["seconds"] == round(take.duration_seconds, 1)


@pytest.mark.parametrize("name, fragment", [
    ("no-audio.mp4", "the video has no audio track"),
    ("empty.mp3", "the file is empty (0 bytes)"),
    ("header-only.wav", "zero length"),
    ("notes.wav", "not a media file, or damaged"),
])
def test_unusable_files_are_refused_and_leave_nothing(project, session, media, name, fragment):
    with pytest.raises(MediaError, match=re.escape(fragment)) as caught:
        importer.import_file(project, session, media / name)
    assert str(media / name) in str(caught.value)
    assert store.list_takes(project, session) == []
    assert not store.audio_dir(project, session).exists() or not any(store.audio_dir(project, session).iterdir())


def test_missing_file_and_folder(project, session, tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        importer.import_file(project, session, tmp_path / "nothing.mp3")
    with pytest.raises(InvalidInput, match="is a folder"):
        importer.import_file(project, session, tmp_path)


def test_import_needs_audio_consent_like_recording(project, media):
    """The consent gate of recording: nobody in the session, someone without audio consent, or
    someone withdrawn: refused, nothing stored, the file untouched."""
    path = media_file(media, "mp3")
    empty = add_session(project, "S02")
    with pytest.raises(ConsentMissing, match="no participants"):
        importer.import_file(project, empty, path)
    session = add_session(project, "S03")
    add_participant(project, "D2", "Uten Lyd", consent_items=["participation"], sessions=["S03"])
    with pytest.raises(ConsentMissing, match="D2 has not consented to audio recording"):
        importer.import_file(project, session, path)
    session = consented_session(project, "S04")
    add_participant(project, "D3", "Trakk Seg", consent_items=["all"], sessions=["S04"])
    withdraw_participant(project, "D3")
    with pytest.raises(ConsentMissing, match="D3 has withdrawn"):
        importer.import_file(project, session, path)
    for session_id in ("S02", "S03", "S04"):
        assert store.list_takes(project, session_id) == []
    assert path.exists() and not any(project.root.rglob("seg-*.age"))
    assert not [e for e in project.audit_entries()[0] if e.action == "audio.import"]


def test_cli_import_without_consent_is_one_line(project, project_dir, media, key_env):
    add_session(project, "S01")
    add_participant(project, "D2", "Uten Lyd", consent_items=["participation"], sessions=["S01"])
    result = cli(["import", str(project_dir), "S01", str(media_file(media, "mp3"))], key_env, check=False)
    assert_user_error(result, "session S01", "D2 has not consented to audio recording")
    assert store.list_takes(project, "S01") == []


def test_truncated_file_imports_what_is_there_with_a_warning(project, session, media):
    result = importer.import_file(project, session, media / "truncated.mp3")
    assert 5 < result.take.duration_seconds < 30
    [warning] = result.warnings
    assert "truncated" in warning and "of 00:40" in warning
    assert store.read_pcm(project, session, result.take) == decode(media / "truncated.mp3")


def test_cancel_removes_the_partial_take(project, session, media):
    cancel = threading.Event()

    def progress(done: float, total: float | None) -> None:
        if done > 0:
            cancel.set()

    with pytest.raises(ImportCancelled):
        importer.import_file(project, session, media / "long.mp3", progress=progress, cancel=cancel)
    assert store.list_takes(project, session) == []
    assert child_processes() == []  # the decoder was stopped


def test_disk_full_removes_the_partial_take(project, session, media, monkeypatch):
    real = project.integrity.stage
    segments = {"n": 0}

    def stage(path, plaintext, recipients):
        if path.name.startswith("seg-"):
            segments["n"] += 1
            if segments["n"] == 2:
                raise storage_error(path, OSError(errno.ENOSPC, "No space left on device"))
        return real(path, plaintext, recipients)

    monkeypatch.setattr(project.integrity, "stage", stage)
    with pytest.raises(DiskFull, match="disk full"):
        importer.import_file(project, session, media / "long.mp3")
    assert store.list_takes(project, session) == []
    assert not any(p.name.startswith("seg-") for p in project.root.rglob("*"))
    assert child_processes() == []
    assert (media / "long.mp3").exists()


def test_missing_ffmpeg_is_one_line_naming_the_package(project, session, media, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(AudioUnavailable, match="apt-get install ffmpeg"):
        importer.import_file(project, session, media_file(media, "mp3"))


def test_delete_original_only_after_the_take_is_read_back(project, session, media, tmp_path):
    copy = tmp_path / "copy.mp3"
    shutil.copy(media_file(media, "mp3"), copy)
    result = importer.import_file(project, session, copy, delete_original=True)
    assert not result.original_on_disk and not copy.exists()
    assert store.read_pcm(project, session, result.take) == decode(media_file(media, "mp3"))


def test_delete_original_refused_when_the_take_does_not_read_back(project, session, media, tmp_path, monkeypatch):
    copy = tmp_path / "copy.mp3"
    shutil.copy(media_file(media, "mp3"), copy)
    real = store.iter_segments

    def damaged(*args, **kwargs):
        for data in real(*args, **kwargs):
            yield data[:-2]

    monkeypatch.setattr(store, "iter_segments", damaged)
    with pytest.raises(Exception, match="incomplete"):
        importer.import_file(project, session, copy, delete_original=True)
    assert copy.exists()


# -- the command line ------------------------------------------------------------------


@pytest.fixture
def cli_session(project):
    consented_session(project)
    return project


@pytest.fixture
def key_env(cli_env, project_key):
    """The CLI unlocks with the project's key file (no scrypt per call)."""
    del cli_env["INTERVIEWKIT_PASSPHRASE"]
    cli_env["AUDIO_TEST_KEY"] = str(project_key)
    return cli_env


def cli(args: list[str], env: dict[str, str], **kwargs):
    return run_cli([*args, "--identity", env["AUDIO_TEST_KEY"]], env, **kwargs)


def test_cli_import_says_the_original_is_still_there(cli_session, project_dir, media, key_env, tmp_path):
    path = media_file(media, "m4a")
    result = cli(["import", str(project_dir), "S01", str(path)], key_env)
    [take] = store.list_takes(cli_session, "S01")
    assert f"Imported take {take.id} into session S01" in result.stdout
    assert f"The original {path} is still on disk unencrypted; delete it with --delete-original" in result.stdout
    listing = cli(["audio", "list", str(project_dir), "S01"], key_env).stdout.splitlines()
    assert listing[0].split()[:4] == ["TAKE", "SOURCE", "DURATION", "COMPLETE"]
    assert listing[1].split()[:4] == [take.id, "import", "00:06", "yes"]
    assert_no_plaintext([project_dir, Path(key_env["TMPDIR"])], path, decode(path))

    copy = tmp_path / "copy.flac"
    shutil.copy(media_file(media, "flac"), copy)
    result = cli(["import", str(project_dir), "S01", str(copy), "--delete-original"], key_env)
    assert "Deleted the original" in result.stdout and not copy.exists()


@pytest.mark.parametrize("name, fragment", [("notes.wav", "not a media file"), ("no-audio.mp4", "no audio track"),
                                            ("empty.mp3", "empty")])
def test_cli_import_bad_file_is_one_line(cli_session, project_dir, media, key_env, name, fragment):
    assert_user_error(cli(["import", str(project_dir), "S01", str(media / name)], key_env, check=False),
                      str(media / name), fragment)


def test_cli_import_without_ffmpeg(cli_session, project_dir, media, key_env):
    key_env["PATH"] = "/nonexistent"
    result = cli(["import", str(project_dir), "S01", str(media_file(media, "mp3"))], key_env, check=False)
    assert_user_error(result, "ffprobe", "apt-get install ffmpeg")


def test_cli_import_disk_full_keeps_nothing(cli_session, project_dir, media, key_env):
    def small_files() -> None:  # a write past 600 kB fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, 600_000))

    result = cli(["import", str(project_dir), "S01", str(media / "long.mp3")], key_env, check=False,
                     preexec_fn=small_files)
    assert_user_error(result, "disk full")
    assert store.list_takes(cli_session, "S01") == []


@pytest.fixture(scope="module")
def three_hours(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-hour mp3 (a minute of tone, repeated without re-encoding: made in about a second)."""
    return looped_tone(tmp_path_factory.mktemp("long-media") / "three-hours.mp3", 180)


def test_cli_import_ctrl_c_keeps_nothing(cli_session, project_dir, key_env, three_hours):
    command = [sys.executable, "-m", "interviewkit", "import", str(project_dir), "S01", str(three_hours),
               "--identity", key_env["AUDIO_TEST_KEY"]]
    # Ctrl+C as a terminal delivers it: SIGINT at its default in the child.  A test run started in the
    # background of a non-interactive shell (`… &`) ignores SIGINT, the child inherits that, and Python
    # then rightly installs no KeyboardInterrupt handler: the import would run to the end.
    process = subprocess.Popen(command, env=key_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    audio = store.audio_dir(cli_session, cli_session.index.find_session("S01"))
    deadline = time.monotonic() + 60
    while not any(audio.glob("*/seg-*.age")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert err.strip() == f"interviewkit: import cancelled; nothing was kept and {three_hours} is unchanged"
    assert store.list_takes(cli_session, "S01") == []
    assert not any(audio.iterdir())


@pytest.mark.slow
def test_three_hour_import_keeps_memory_flat(project, project_key, session, three_hours):
    script = ("import sys\n"
              "from pathlib import Path\n"
              "from interviewkit.project import Credentials, Project\n"
              "from interviewkit.audio.importer import import_file\n"
              "project = Project.open(Path(sys.argv[1]), Credentials(identity_files=[Path(sys.argv[2])]))\n"
              "take = import_file(project, 'S01', sys.argv[3]).take\n"
              "peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]\n"
              "print(take.duration_seconds, len(take.segments), peak)\n")
    result = subprocess.run([sys.executable, "-c", script, str(project.root), str(project_key), str(three_hours)],
                            capture_output=True, text=True, timeout=300, check=True)
    # VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts at its parent's size (pytest's, after scrypt).
    seconds, segments, max_rss_kb = result.stdout.split()
    assert float(seconds) == pytest.approx(3 * 3600, abs=15)
    assert int(segments) == 361
    assert int(max_rss_kb) < 300 * 1024, f"peak memory {int(max_rss_kb) // 1024} MB"
