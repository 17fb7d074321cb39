"""Bad input on the command line: one line naming the place, exit 2, no traceback, nothing lost."""

import os
import resource
import shutil
import signal
import subprocess
import sys

import pytest

from interviewkit.project import INDEX_FILE
from tests.conftest import assert_user_error, run_cli


def test_wrong_passphrase(project_dir, cli_env):
    env = cli_env | {"INTERVIEWKIT_PASSPHRASE": "wrong one"}
    assert_user_error(run_cli(["session", "list", str(project_dir)], env, check=False),
                      "keys/identity.age", "wrong passphrase", "INTERVIEWKIT_PASSPHRASE")


def test_no_passphrase_without_terminal(project_dir, cli_env):
    env = {k: v for k, v in cli_env.items() if k != "INTERVIEWKIT_PASSPHRASE"}
    assert_user_error(run_cli(["session", "list", str(project_dir)], env, check=False),
                      str(project_dir), "--identity")


def test_missing_identity_file(project_dir, cli_env, tmp_path):
    assert_user_error(run_cli(["session", "list", str(project_dir), "--identity", str(tmp_path / "k.txt")],
                              cli_env, check=False), "k.txt", "not found")


def test_bad_identity_file_names_the_line(project_dir, cli_env, tmp_path):
    key = tmp_path / "k.txt"
    key.write_text("# comment\nAGE-SECRET-KEY-1NOTAKEY\n")
    assert_user_error(run_cli(["session", "list", str(project_dir), "-i", str(key)], cli_env, check=False),
                      "k.txt:2", "AGE-SECRET-KEY-1")


def test_not_a_project(tmp_path, cli_env):
    assert_user_error(run_cli(["participant", "list", str(tmp_path)], cli_env, check=False),
                      str(tmp_path), "not an interviewkit project", "interviewkit init")


def test_truncated_index(project_dir, cli_env):
    index = project_dir / INDEX_FILE
    good = index.read_bytes()
    index.write_bytes(good[: len(good) // 2])
    assert_user_error(run_cli(["session", "list", str(project_dir)], cli_env, check=False),
                      str(index), "truncated", "backup")
    assert index.read_bytes() == good[: len(good) // 2]  # reading never "repairs" by overwriting


def test_locked_project(project_dir, cli_env):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom interviewkit.vault.lock import ProjectLock\n"
        f"l = ProjectLock({str(project_dir)!r}); l.acquire(); print('locked', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert_user_error(run_cli(["session", "add", str(project_dir), "S01"], cli_env, check=False),
                          str(project_dir), "being written by", f"pid {holder.pid}", "wait")
    finally:
        holder.kill()
        holder.wait()
    run_cli(["session", "add", str(project_dir), "S01"], cli_env)


@pytest.mark.parametrize("args, fragment", [
    (["init", "{tmp}/new", "--title", "x", "--end-date", "31.12.2027"], "--end-date"),
    (["init", "{tmp}/new", "--title", " "], "--title"),
    (["participant", "add", "{project}", "--code", "D1", "--name", "x", "--consent", "vidoe"], "--consent"),
    (["keys", "add-recipient", "{project}", "age1notakey"], "AGE_PUBLIC_KEY"),
    (["participant", "withdraw", "{project}", "D9"], "no participant with code 'D9'"),
    (["session", "add", "{project}", "S 1"], "session id"),
])
def test_invalid_values(project_dir, cli_env, tmp_path, args, fragment):
    args = [a.format(tmp=tmp_path, project=project_dir) for a in args]
    assert_user_error(run_cli(args, cli_env, check=False), fragment)
    assert not (tmp_path / "new").exists()


def test_short_passphrase_refused(tmp_path, cli_env):
    assert_user_error(run_cli(["init", str(tmp_path / "p"), "--title", "x"], cli_env | {"INTERVIEWKIT_PASSPHRASE": "short"},
                              check=False), "shorter than 8")
    assert not (tmp_path / "p").exists()


def test_unknown_command_is_one_line(cli_env):
    result = run_cli(["sesion"], cli_env, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--help" in result.stderr.splitlines()[-1]


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_write_beyond_file_size_limit_keeps_last_good_state(project_dir, cli_env):
    """The kernel refuses the write (EFBIG), as a full disk would: nothing is lost."""
    run_cli(["session", "add", str(project_dir), "S01"], cli_env)
    before = {p.name: p.read_bytes() for p in project_dir.iterdir() if p.is_file()}
    result = run_cli(["participant", "add", str(project_dir), "--code", "D1", "--name", "Kari " * 400,
                      "--consent", "all"], cli_env, check=False, preexec_fn=_limit_file_size(1500))
    assert_user_error(result, "disk full", "last saved state is intact")
    after = {p.name: p.read_bytes() for p in project_dir.iterdir() if p.is_file()}
    assert after == before
    assert "S01" in run_cli(["session", "list", str(project_dir)], cli_env).stdout


def test_full_tmpfs_keeps_last_good_state(project_dir, cli_env, tiny_disk):
    project = tiny_disk / "project"
    shutil.copytree(project_dir, project)
    run_cli(["session", "add", str(project), "S01"], cli_env)
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    before = (project / INDEX_FILE).read_bytes()
    result = run_cli(["participant", "add", str(project), "--code", "D1", "--name", "Kari", "--consent", "all"],
                     cli_env, check=False)
    assert_user_error(result, "disk full")
    assert (project / INDEX_FILE).read_bytes() == before
    assert not [p for p in project.rglob(".tmp-*")]
    filler.unlink()
    run_cli(["participant", "add", str(project), "--code", "D1", "--name", "Kari", "--consent", "all"], cli_env)
    assert "D1" in run_cli(["participant", "list", str(project)], cli_env).stdout
