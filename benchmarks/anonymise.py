#!/usr/bin/env python3
"""Identifier detection: quality on the labelled evaluation set, and speed of find_identifiers.

    .venv/bin/python benchmarks/anonymise.py [--sizes 1000 10000 100000] [--repeat 3] [--no-report]

First the evaluation report (tests/anonymise/data/evaluation, scored by
interviewkit.anonymise.evaluation: recall per type, ordinary-word survival, misses and false
positives).  Then find_identifiers is timed on texts of 1 000, 10 000 and 100 000 words built by
repeating the bokmål evaluation passages (markup removed; language "no", the passages' project
vocabulary).  The import of the pipeline and the first call (which loads word lists) are timed
on their own, in this process before anything else touches the pipeline; then each size is run
--repeat times and the best time counts.  Printed: seconds, words/s, and time(100k)/time(10k),
which is ~10 when the pipeline is linear in the text's length.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from interviewkit.anonymise.evaluation import Passage, load_passages, pipeline_finder, score, summary

WORD = re.compile(r"\w+")


def build_text(passages: list[Passage], words: int) -> str:
    """``words`` words of running text: the passages repeated, cut after the last word."""
    parts: list[str] = []
    count = 0
    while count < words:
        for passage in passages:
            parts.append(passage.text)
            count += passage.words
            if count >= words:
                break
    text = "\n\n".join(parts)
    last = None
    for index, match in enumerate(WORD.finditer(text), 1):
        if index == words:
            last = match
            break
    return text[:last.end()] + "." if last else text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], help="text sizes in words")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts (default 3)")
    parser.add_argument("--no-report", action="store_true", help="skip the evaluation report")
    args = parser.parse_args()

    passages = load_passages()
    bokmal = [p for p in passages if p.language == "no"]
    vocabulary = list(dict.fromkeys(pair for p in bokmal for pair in p.vocabulary))
    texts = {n: build_text(bokmal, n) for n in args.sizes}

    # Cold start first, before the scorer warms the pipeline up.
    started = time.perf_counter()
    from interviewkit.anonymise.pipeline import find_identifiers
    imported = time.perf_counter() - started
    smallest = min(args.sizes)
    started = time.perf_counter()
    find_identifiers(texts[smallest], language="no", vocabulary=vocabulary)
    first = time.perf_counter() - started

    if not args.no_report:
        print("The evaluation set:")
        print(summary(passages))
        print()
        print(score(passages, pipeline_finder()).report())
        print()

    print(f"find_identifiers speed (bokmål passages repeated, language 'no', {len(vocabulary)} vocabulary terms):")
    print(f"  import of interviewkit.anonymise.pipeline: {imported:.3f} s")
    print(f"  first call on {smallest:,} words (loads word lists): {first:.3f} s")
    best: dict[int, float] = {}
    for n in args.sizes:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            hits = find_identifiers(texts[n], language="no", vocabulary=vocabulary)
            times.append(time.perf_counter() - started)
        best[n] = min(times)
        print(f"  {n:>9,} words: best of {args.repeat} {best[n]:8.3f} s = {n / best[n]:>12,.0f} words/s"
              f"  ({len(hits):,} hits)")
    if 10000 in best and 100000 in best:
        ratio = best[100000] / best[10000]
        verdict = "linear" if ratio <= 13 else "SUPERLINEAR"
        print(f"  time(100k) / time(10k) = {ratio:.1f} (linear: ~10) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
