"""Guide files written as attacks: each is refused quickly, with little memory and as one line.

A billion laughs (aliases that repeat one another), ``base: /dev/zero``, a pipe as base, a file
over 5 MB, a list nested 100 000 deep, a ``base:`` circle.  Each attack runs in a child
process with at most 1 GB of address space and a timeout, so that a regression fails the
test (MemoryError, timeout) instead of eating the machine's memory or hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from interviewkit.guides import bounds, check_guide, guides_folder, load_guide, shipped_guides
from interviewkit.guides.bounds import MAX_ALIASES, MAX_BASE_DEPTH, MAX_GUIDE_BYTES, MAX_NESTING, MAX_NODES, megabytes
from interviewkit.guides.problems import GuideRefused
from interviewkit.tui.errors import render_error

from .attacks import ATTACKS, base_dev_zero, billion_laughs, deep_list, fifo, long_base_chain

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX attacks: FIFOs, /dev/zero, RLIMIT_AS")

MEMORY_LIMIT = 1024 ** 3  # the child's address space: a bomb that gets through dies of MemoryError
REPO = Path(__file__).resolve().parents[2]

# check_guide(path) in a child process: what it raised, the seconds it took and its peak memory.
CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from interviewkit.guides import check_guide
    from interviewkit.guides.problems import GuideError
    start = time.perf_counter()
    try:
        check_guide(Path(sys.argv[1]))
        result = {{"raised": None}}
    except GuideError as error:
        result = {{"raised": type(error).__name__, "code": error.code, "line": error.line(),
                   "exit": error.exit_code, "problems": len(error.problems)}}
    except BaseException as error:
        result = {{"raised": type(error).__name__}}
    result["seconds"] = time.perf_counter() - start
    # VmHWM: this process's own peak (ru_maxrss would carry a big parent's over the fork)
    status = Path("/proc/self/status").read_text()
    result["peak_kb"] = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
    print(json.dumps(result))
""").format(limit=MEMORY_LIMIT)


def limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def load_in_child(path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                            timeout=60, cwd=REPO, stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and result.stdout, result.stderr[-2000:]
    return json.loads(result.stdout)


def guide_check(*args: str) -> subprocess.CompletedProcess[str]:
    """`interviewkit guide …` as a user runs it, within the same memory limit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWKIT_")} | {"CI": "true"}
    return subprocess.run([sys.executable, "-m", "interviewkit", "guide", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, stdin=subprocess.DEVNULL, timeout=60, preexec_fn=limit_memory)


NAMES = [attack.__name__ for attack in ATTACKS]


def expected_start(attack: Callable[[Path], Path], folder: Path, path: Path) -> str:
    place = ATTACKS[attack][1]
    return f"{folder / place if place else path}: {ATTACKS[attack][2]}"


def test_the_billion_laughs_is_the_254_kb_kind(tmp_path):
    assert 250_000 < billion_laughs(tmp_path).stat().st_size < 260_000


@pytest.mark.parametrize("attack", ATTACKS, ids=NAMES)
def test_the_loader_refuses_the_attack_fast_and_small(attack, tmp_path):
    path = attack(tmp_path)
    result = load_in_child(path)
    assert result["raised"] == "GuideRefused", result
    assert result["code"] == ATTACKS[attack][0] and result["exit"] == 2 and result["problems"] == 1
    assert result["line"].startswith(expected_start(attack, tmp_path, path)), result["line"]
    assert " — " in result["line"] and "\n" not in result["line"]  # what is wrong — what to do
    assert result["seconds"] < 20, result  # a guard against expanding it, not a speed claim (2 cores under load)
    assert result["peak_kb"] < 300 * 1024, result  # the whole child, Python included


@pytest.mark.parametrize("attack", ATTACKS, ids=NAMES)
def test_guide_check_refuses_the_attack_in_one_line_exit_2(attack, tmp_path):
    path = attack(tmp_path)
    start = time.perf_counter()
    result = guide_check("check", str(path))
    assert time.perf_counter() - start < 30
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr[-3000:]
    assert result.stderr.startswith(f"interviewkit: {expected_start(attack, tmp_path, path)}"), result.stderr


@pytest.mark.parametrize("attack", [billion_laughs, base_dev_zero, deep_list], ids=lambda a: a.__name__)
def test_guide_show_refuses_the_attack_in_one_line_exit_2(attack, tmp_path):
    result = guide_check("show", str(attack(tmp_path)))
    assert "Traceback" not in result.stderr and result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"interviewkit: {tmp_path}"), result.stderr


def test_the_same_attack_among_good_guides_stops_only_itself(tmp_path):
    good = str(shipped_guides()[0])
    result = guide_check("check", str(base_dev_zero(tmp_path)), good)
    assert result.returncode == 2 and f"{good}: ok" in result.stdout and result.stderr.count("\n") == 1


# -- the bounds themselves


def test_a_fifo_is_refused_without_opening_it(tmp_path, monkeypatch):
    path = fifo(tmp_path)
    monkeypatch.setattr(bounds.os, "open", lambda *args: pytest.fail("opened the FIFO"))
    with pytest.raises(GuideRefused, match=r"a pipe"):
        bounds.read_guide_file(path)


def test_a_file_larger_than_its_size_says_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """A file that grows while it is read, or a special file that claims to be small (as files in
    /proc do), is read up to the limit and one byte, then refused."""
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"#" * (MAX_GUIDE_BYTES + 4096))
    real_stat, real_fstat, real_read = os.stat, os.fstat, os.read
    size = path.stat().st_size

    def claims_to_be_small(result: os.stat_result) -> os.stat_result:
        if result.st_size != size:  # not this file: the truth
            return result
        fields = list(result)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    read = []

    def counted_read(descriptor: int, count: int) -> bytes:
        chunk = real_read(descriptor, count)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(bounds.os, "stat", lambda *args, **kwargs: claims_to_be_small(real_stat(*args, **kwargs)))
    monkeypatch.setattr(bounds.os, "fstat", lambda *args: claims_to_be_small(real_fstat(*args)))
    monkeypatch.setattr(bounds.os, "read", counted_read)
    with pytest.raises(GuideRefused) as caught:
        bounds.read_guide_file(path)
    monkeypatch.undo()
    assert caught.value.code == "guide.too_large"
    assert sum(read) == MAX_GUIDE_BYTES + 1


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as file:
        file.truncate(MAX_GUIDE_BYTES + 1)  # sparse: takes no room on the disk
    monkeypatch.setattr(bounds.os, "open", lambda *args: pytest.fail("opened a file over the limit"))
    with pytest.raises(GuideRefused, match="larger than 5 MB"):
        load_guide(path)


def test_a_guide_at_the_limit_is_read(tmp_path):
    head = "title: T\nsections: [{title: X, questions: [Q]}]\n# "
    path = tmp_path / "full.yaml"
    path.write_text(head + "x" * (MAX_GUIDE_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == MAX_GUIDE_BYTES
    assert check_guide(path) == []


def test_a_guide_within_the_bounds_loads(tmp_path):
    """Nesting to the limit, aliases to the limit, a base chain to the limit: all still load."""
    def questions_nested(levels: int) -> Path:  # in the root, sections and a section: the questions list …
        nested = "[" * levels + "Q" + "]" * levels
        path = tmp_path / "nested.yaml"
        path.write_text(f"title: T\nsections: [{{title: X, questions: {nested}}}]\n")
        return path

    problems = check_guide(questions_nested(MAX_NESTING - 3))  # Q in the deepest list allowed
    assert problems and all("must be" in p.message for p in problems)  # a list as a question: a problem
    with pytest.raises(GuideRefused, match="nested more than"):
        check_guide(questions_nested(MAX_NESTING - 2))
    path = tmp_path / "aliases.yaml"
    aliases = ", ".join(["*q"] * (MAX_ALIASES - 1))
    path.write_text(f"title: T\nsections: [{{title: X, questions: [&q {{text: Q, probes: &p [Mer?]}}, "
                    f"{{text: R, probes: *p}}, {aliases}]}}]\n")
    assert len(load_guide(path).questions()) == MAX_ALIASES + 1
    with pytest.raises(GuideRefused, match="aliases"):
        path.write_text(path.read_text().replace("*p}", "*p}, *q"))
        check_guide(path)
    chain = long_base_chain(tmp_path)
    (tmp_path / "g1.yaml").write_text("title: G1\nsections: [{title: X, questions: [Q]}]\n")  # one guide fewer
    assert load_guide(chain).info.title == f"G{MAX_BASE_DEPTH}"


def test_the_format_description_names_the_bounds():
    text = " ".join((guides_folder() / "README.md").read_text(encoding="utf-8").split())
    for words in (megabytes(MAX_GUIDE_BYTES), f"{MAX_NESTING} levels", f"{MAX_NODES:,} values".replace(",", " "),
                  f"{MAX_ALIASES} aliases", f"up to {MAX_BASE_DEPTH} guides in one chain"):
        assert words in text, words


def test_the_shipped_guides_are_far_within_the_bounds():
    for path in shipped_guides():
        assert path.stat().st_size < MAX_GUIDE_BYTES // 50
        assert check_guide(path) == [], path


# -- the TUI's words for it


@pytest.mark.parametrize("lang, words", [("en", "the base guide '/dev/zero' is not an ordinary file"),
                                         ("nb", "grunnguiden «/dev/zero» er ikke en vanlig fil")])
def test_the_refusal_in_the_interface_language(tmp_path, lang, words):
    path = base_dev_zero(tmp_path)
    with pytest.raises(GuideRefused) as caught:
        load_guide(path)
    assert render_error(caught.value, lang).startswith(f"{path}:2:7: {words}")


def test_every_refusal_has_a_text_in_both_languages(tmp_path):
    from interviewkit.i18n import CATALOGS

    for attack, (code, _, _) in ATTACKS.items():
        assert f"error.{code}" in CATALOGS["en"] and f"error.{code}" in CATALOGS["nb"], code
