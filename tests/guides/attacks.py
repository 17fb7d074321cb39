"""Guide files written as attacks, for the tests of the bounds guides are read within
(``interviewkit.guides.bounds``): each function writes its files into a folder and returns the
guide to load; ``ATTACKS`` says how each must be refused."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from interviewkit.guides.bounds import MAX_BASE_DEPTH, MAX_GUIDE_BYTES, MAX_NESTING, MAX_NODES

PROBE = "Kan du fortelle litt mer om det, og hva som skjedde etterpå i den situasjonen? Og så?"
CHILD_OF = "title: Child\nbase: {base}\nsections: [{{title: X, questions: [Q]}}]\n"


def billion_laughs(folder: Path) -> Path:
    """The 254 KB kind: one question with 2,200 probes, repeated by alias 2,000 times in a section
    that is repeated 2,000 times: 8.8 billion probes for a walk over the tree (before the bounds:
    a MemoryError at a 1 GB limit after 10 s; unlimited, many GB)."""
    lines = ["title: Latter", "sections:", "  - &s", "    title: S", "    questions:", "      - &q",
             "        text: Q", "        probes:"]
    lines += [f"          - {PROBE}"] * 2200 + ["      - *q"] * 2000 + ["  - *s"] * 2000
    path = folder / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def laughs_under_the_alias_limit(folder: Path) -> Path:
    """Nine levels of nine aliases each (81 aliases, within the limit): 9^9 probes when walked."""
    lines = ["title: Latter", "l0: &l0 [" + ", ".join([f'"{PROBE}"'] * 9) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 9)]
    lines += ["sections:", "  - title: S", "    questions:", "      - text: Q", "        probes: *l8"]
    path = folder / "laughs9.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def too_many_values(folder: Path) -> Path:
    """No alias at all: a flow list of more values than any guide holds (well under 5 MB)."""
    path = folder / "values.yaml"
    path.write_text("title: T\nsections: [" + ",".join(["a"] * (MAX_NODES + 10)) + "]\n", encoding="utf-8")
    return path


def deep_list(folder: Path) -> Path:
    path = folder / "deep.yaml"
    path.write_text("title: T\nsections: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


def over_5_mb(folder: Path) -> Path:
    path = folder / "big.yaml"
    path.write_text("title: T\nsections: [{title: X, questions: [Q]}]\n# " + "x" * MAX_GUIDE_BYTES + "\n")
    return path


def base_over_5_mb(folder: Path) -> Path:
    over_5_mb(folder)
    path = folder / "child.yaml"
    path.write_text(CHILD_OF.format(base="big.yaml"))
    return path


def base_dev_zero(folder: Path) -> Path:
    path = folder / "child.yaml"
    path.write_text(CHILD_OF.format(base="/dev/zero"))
    return path


def dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


def fifo(folder: Path) -> Path:
    path = folder / "pipe.yaml"
    os.mkfifo(path)  # nobody ever writes to it: opening it for reading blocks, reading never ends
    return path


def base_fifo(folder: Path) -> Path:
    fifo(folder)
    path = folder / "child.yaml"
    path.write_text(CHILD_OF.format(base="pipe.yaml"))
    return path


def folder_as_guide(folder: Path) -> Path:
    (folder / "guide.yaml").mkdir()
    return folder / "guide.yaml"


def base_cycle(folder: Path) -> Path:
    (folder / "a.yaml").write_text("title: A\nbase: b.yaml\nsections: [{title: X, questions: [Q]}]\n")
    path = folder / "b.yaml"
    path.write_text("title: B\nbase: a.yaml\n")
    return path


def long_base_chain(folder: Path) -> Path:
    (folder / "g0.yaml").write_text("title: G0\nsections: [{title: X, questions: [Q]}]\n")
    for n in range(1, MAX_BASE_DEPTH + 1):
        (folder / f"g{n}.yaml").write_text(f"title: G{n}\nbase: g{n - 1}.yaml\n")
    return folder / f"g{MAX_BASE_DEPTH}.yaml"


TOO_MANY = f"the guide holds more than {MAX_NODES:,} values (an alias counts as all it repeats)"

# attack → (the code, the file:line:col the one line starts with (relative to the folder; None:
# the guide's own path), what the line says)
ATTACKS: dict[Callable[[Path], Path], tuple[str, str | None, str]] = {
    billion_laughs: ("guide.too_many_values", "laughs.yaml:2298:9", TOO_MANY),  # at the 90th *q
    laughs_under_the_alias_limit: ("guide.too_many_values", "laughs9.yaml:7:15", TOO_MANY),  # the second *l4
    too_many_values: ("guide.too_many_values", f"values.yaml:2:{12 + 2 * (MAX_NODES - 5)}", TOO_MANY),
    deep_list: ("guide.too_deep", f"deep.yaml:2:{10 + MAX_NESTING}",
                f"lists and keys are nested more than {MAX_NESTING} levels deep"),
    over_5_mb: ("guide.too_large", "big.yaml", "the file is larger than 5 MB"),
    base_over_5_mb: ("guide.base_too_large", "child.yaml:2:7", "base guide 'big.yaml': the file is larger than 5 MB"),
    base_dev_zero: ("guide.base_not_a_file", "child.yaml:2:7",
                    "base guide '/dev/zero': is not a regular file (a device)"),
    dev_zero: ("guide.not_a_file", None, "is not a regular file (a device)"),
    fifo: ("guide.not_a_file", "pipe.yaml", "is not a regular file (a pipe)"),
    base_fifo: ("guide.base_not_a_file", "child.yaml:2:7", "base guide 'pipe.yaml': is not a regular file (a pipe)"),
    folder_as_guide: ("guide.is_folder", "guide.yaml", "is a folder, not a guide file"),
    base_cycle: ("guide.base_cycle", "a.yaml:2:7", "base 'b.yaml' leads back to itself (b.yaml → a.yaml → b.yaml)"),
    long_base_chain: ("guide.base_too_deep", "g1.yaml:2:7", f"more than {MAX_BASE_DEPTH} guides extend one another"),
}
