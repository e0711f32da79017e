"""Two versions of the code timed on one late window at the same time, one core each, then with the cores swapped.

    python benchmarks/paired_window.py --old /tmp/old-checkout --store build/corpus-210000/earlier-40

This machine's speed moves by up to half within minutes, so runs one after the other compare only
roughly (history.md). Run side by side, each pinned to a core of its own, the two versions meet the
same machine, and swapping the cores cancels a core slower than the other. Each scores window
`--window` of the corpus in one process against a copy of the store of the windows before it (which
late_windows.py builds), and reports its CPU seconds and a hash of its scores, which must agree.
`--old` is another checkout of this repository (`git worktree add /tmp/old-checkout COMMIT`); the
new version is this one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench_report import publish

ROOT = Path(__file__).resolve().parent.parent


def score_window(corpus: Path, store: Path, window: int) -> dict[str, object]:
    """This process's CPU seconds for one window, and its scores' hash (what the child prints)."""
    from provenance import Settings, load_model, read
    from provenance.archive import Fingerprints
    from provenance.engine import LocalEngine
    from provenance.kernels import load
    from provenance.pipeline import analyse
    from provenance.windows import EarlierWindows

    settings, model = Settings(), load_model()
    load()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(store, Path(tmp) / "earlier")
        earlier = EarlierWindows(Path(tmp) / "earlier", settings)
        size = settings.window_documents
        documents = list(islice(read([corpus]), (window - 1) * size, window * size))
        began = time.process_time()
        analysis = analyse(documents, settings, (), model, LocalEngine(1), None, earlier, Fingerprints(settings))
        seconds = time.process_time() - began
        earlier.close()
    scores = repr([(r.score.id, r.score.originality, r.score.klass, r.score.sources) for r in analysis.results])
    return {"cpu": round(seconds, 1), "scores": hashlib.md5(scores.encode()).hexdigest()[:8]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", type=Path, help="a checkout of the version to compare with")
    parser.add_argument("--corpus", type=Path, default=ROOT / "build/corpus-210000/documents.jsonl")
    parser.add_argument("--store", type=Path, default=ROOT / "build/corpus-210000/earlier-40")
    parser.add_argument("--window", type=int, default=41)
    parser.add_argument("--rounds", type=int, default=2, help="rounds, the cores swapped each time")
    parser.add_argument("--core", type=int, default=None, help=argparse.SUPPRESS)  # a child's own run
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.core is not None:
        os.sched_setaffinity(0, {args.core})
        print(json.dumps(score_window(args.corpus, args.store, args.window)))
        return
    if args.old is None:
        parser.error("--old CHECKOUT is required")
    versions = {"old": args.old.resolve(), "new": ROOT}
    lines = ["# Paired window", "", f"Command: `python benchmarks/paired_window.py --old {args.old} --corpus "
             f"{args.corpus} --store {args.store} --window {args.window}`; CPU seconds of window {args.window} in "
             "one process.", "",
             "| round | old (core) | new (core) | scores (old, new) |", "|---:|---:|---:|---|"]
    for number in range(1, args.rounds + 1):
        cores = {"old": number % 2, "new": (number + 1) % 2}
        children = {name: subprocess.Popen(
            [sys.executable, __file__, "--corpus", str(args.corpus), "--store", str(args.store), "--window",
             str(args.window), "--core", str(cores[name])],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(path)})
            for name, path in versions.items()}
        found = {name: json.loads(child.communicate()[0].splitlines()[-1]) for name, child in children.items()}
        lines.append(f"| {number} | {found['old']['cpu']} ({cores['old']}) | {found['new']['cpu']} ({cores['new']}) "
                     f"| {found['old']['scores']}, {found['new']['scores']} |")
        print(lines[-1], flush=True)
    publish(lines, args.out)


if __name__ == "__main__":
    main()
