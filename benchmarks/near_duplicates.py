"""Near-duplicate detection on a generated corpus: provenance against text-dedup's MinHash, in one run.

    python benchmarks/near_duplicates.py --corpus build/corpus-10k --text-dedup .venv-dedup/bin/python \
        --out benchmarks/near_duplicates.md

Truth: a document is a near-duplicate when another document of the corpus is the same story
nearly word for word: the wire story and its verbatim, reordered and retitled reprints (junk
around them differs). Cuts, merges and rewrites are derived but not reprints; the table splits
each detector's false positives and misses by variant, because the generator's rewriter makes two
rewrites of one story alike enough that calling them near-duplicates of each other is defensible.
Predicted:
- text-dedup (`python -m text_dedup.minhash`, its default 5-grams, 250 permutations,
  Jaccard 0.7, both cores): the document is in a cluster of two or more;
- provenance (`provenance score -f jsonl`, both cores): the document is classed wire copy with
  a source in the corpus, or is such a document's source.
text-dedup lives in its own virtualenv (it pulls in pyspark, datasets and unisim), named by
`--text-dedup`; `make bench-dedup` builds it. Both commands are timed wall-clock, corpus read included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_report import publish

NEAR_COPIES = {"wire", "verbatim", "reordered", "retitled"}
READ_CLUSTERS = """
import json, pickle, sys
uf = pickle.load(open(sys.argv[1], "rb"))  # written by text-dedup in this run, never a user's file
print(json.dumps({str(k): str(uf.find(k)) for k in list(uf.parent)}))
"""


def truth_duplicates(corpus: Path) -> tuple[set[str], dict[str, str]]:
    """(ids with a near copy in the corpus, each document's variant)."""
    stories: dict[str, list[str]] = {}
    variants = {}
    with (corpus / "truth.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            variants[row["id"]] = row["variant"]
            if row["variant"] in NEAR_COPIES:
                stories.setdefault(row["id"] if row["variant"] == "wire" else row["source"], []).append(row["id"])
    return {doc for members in stories.values() if len(members) > 1 for doc in members}, variants


def run_provenance(corpus: Path, work: Path) -> tuple[set[str], float]:
    out = work / "scores.jsonl"
    seconds = _timed([sys.executable, "-m", "provenance", "score", str(corpus / "documents.jsonl"), "-f", "jsonl",
                      "-o", str(out)])
    found: set[str] = set()
    with out.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            sources = [s["id"] for s in row.get("sources", []) if not s["id"].startswith("wire:")]
            if row.get("class") == "wire-copy" and sources:
                found.add(row["id"])
                found.update(sources[:1])
    return found, seconds


def run_text_dedup(corpus: Path, python: str, work: Path) -> tuple[set[str], float]:
    output = work / "text-dedup"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    seconds = _timed([python, "-m", "text_dedup.minhash", "--path", "json", "--data_files",
                      str(corpus / "documents.jsonl"), "--split", "train", "--cache_dir", str(work / "cache"),
                      "--output", str(output), "--column", "text", "--idx_column", "id", "--num_proc", "2",
                      "--debug"], env)
    clusters = json.loads(subprocess.run([python, "-c", READ_CLUSTERS, str(output / "uf.pkl")], check=True,
                                         capture_output=True, text=True).stdout)
    sizes: dict[str, int] = {}
    for root in clusters.values():
        sizes[root] = sizes.get(root, 0) + 1
    return {doc for doc, root in clusters.items() if sizes[root] > 1}, seconds


def _by_variant(ids: set[str], variants: dict[str, str]) -> str:
    counts = Counter(variants[i] for i in ids)
    return ", ".join(f"{v} {n}" for v, n in counts.most_common()) or "none"


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("build/corpus-10k"))
    parser.add_argument("--text-dedup", required=True, help="python of a virtualenv with text-dedup installed")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    truth, variants = truth_duplicates(args.corpus)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("provenance", lambda: run_provenance(args.corpus, Path(tmp))),
                          ("text-dedup 0.4.0 MinHash", lambda: run_text_dedup(args.corpus, args.text_dedup, Path(tmp)))):
            found, seconds = run()
            hits = len(found & truth)
            rows.append((name, hits / max(len(found), 1), hits / max(len(truth), 1), seconds,
                         _by_variant(found - truth, variants), _by_variant(truth - found, variants)))
            print(rows[-1], file=sys.stderr, flush=True)
    lines = ["# Near-duplicate detection", "",
             f"`python benchmarks/near_duplicates.py --corpus {args.corpus} --text-dedup {args.text_dedup}`: "
             f"{len(variants):,} documents, {len(truth):,} with a near copy in the corpus; 2 cores.", "",
             "| detector | precision | recall | seconds | time vs provenance | false positives by variant | missed by variant |",
             "|---|---:|---:|---:|---:|---|---|"]
    lines += [f"| {name} | {p:.3f} | {r:.3f} | {s:.0f} | {s / rows[0][3]:.2f}× | {wrong} | {missed} |"
              for name, p, r, s, wrong, missed in rows]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
