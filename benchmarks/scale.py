"""End-to-end `provenance score` on generated corpora of growing size: documents per second and peak memory.

    python benchmarks/scale.py --data ../shared/data --sizes 2000 5000 10000 --out benchmarks/scale.md

Each size is a fresh corpus from derivation_corpus.py (seed 0), scored by the CLI as a
user would run it (`-f jsonl -o FILE`, all cores). Peak memory is the largest sum of the
proportional set sizes (PSS: pages a forked worker shares with its parent count once) of the
command and all its worker processes, sampled every 0.2 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bench_report import publish

ROOT = Path(__file__).resolve().parent.parent


def tree_pss(pid: int) -> int:
    """Bytes of memory `pid` and all its descendants use, shared pages split between them (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(command: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss(process.pid))
        time.sleep(0.2)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10000])
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        corpus = args.work / f"corpus-{size}"
        if not (corpus / "documents.jsonl").is_file():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "derivation_corpus.py"), "--data", str(args.data),
                            "--documents", str(size), "--seed", "0", "--out", str(corpus)], check=True)
        seconds, peak = measure([sys.executable, "-m", "provenance", "score", str(corpus / "documents.jsonl"),
                                 "-f", "jsonl", "-o", str(corpus / "scores.jsonl")])
        rows.append((size, seconds, peak))
        print(f"{size:>9,} documents  {seconds:8.1f} s  {size / seconds:7.1f} docs/s  peak {peak / 2**30:.2f} GiB",
              flush=True)
    lines = ["# End-to-end `provenance score` on generated corpora", "",
             f"`python benchmarks/scale.py --sizes {' '.join(map(str, args.sizes))}` (2 cores, all used; "
             "corpus generation not timed).", "",
             "| documents | seconds | documents/s | peak memory (GiB PSS, all processes) | time × vs previous |",
             "|---:|---:|---:|---:|---:|"]
    for i, (size, seconds, peak) in enumerate(rows):
        growth = f"{seconds / rows[i - 1][1]:.1f}× for {size / rows[i - 1][0]:.1f}× documents" if i else ""
        lines.append(f"| {size:,} | {seconds:.0f} | {size / seconds:.1f} | {peak / 2**30:.2f} | {growth} |")
    publish(lines, args.out)


if __name__ == "__main__":
    main()
