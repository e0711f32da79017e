"""Signature throughput: provenance's batched MinHash against datasketch and rensa, in one run.

Every contender turns the same 600-word news articles into 128-permutation MinHash
signatures of content-word bigrams (the article as one unit, no sentence split), on 1
and on 2 worker processes. The peers get the
bigrams the usual way (Python tokeniser, one string per shingle); provenance tokenises
and hashes whole batches in NumPy. Articles are BBC news text cut to 600 words.

    python benchmarks/signatures.py --data ../shared/data --out benchmarks/signatures.md
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

import xxhash
from bench_report import publish
from datasketch import MinHash

from provenance.signatures import signatures
from provenance.text import content_words

NUM_PERM = 128
WORDS = 600


def articles(data: Path, count: int) -> list[str]:
    with gzip.open(data / "bbc-news-2225" / "bbc_news_2225.csv.gz", "rt", encoding="utf-8") as stream:
        text = " ".join(row["text"] for row in csv.DictReader(io.StringIO(stream.read())))
    words = text.split()
    return [" ".join(words[(i * WORDS) % (len(words) - WORDS):][:WORDS]) for i in range(count)]


def bigrams(article: str) -> list[str]:
    toks = content_words(article)
    return [f"{x} {y}" for x, y in zip(toks, toks[1:])]


def datasketch_update_loop(batch: list[str]) -> int:
    for article in batch:
        minhash = MinHash(num_perm=NUM_PERM)
        for shingle in bigrams(article):
            minhash.update(shingle.encode())
    return len(batch)


def datasketch_update_batch_xxhash(batch: list[str]) -> int:
    for article in batch:
        minhash = MinHash(num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest)
        minhash.update_batch([s.encode() for s in bigrams(article)])
    return len(batch)


def rensa_rminhash(batch: list[str]) -> int:
    import rensa

    for article in batch:
        minhash = rensa.RMinHash(num_perm=NUM_PERM, seed=1)
        minhash.update(bigrams(article))
        minhash.digest()
    return len(batch)


def provenance_batched(batch: list[str]) -> int:
    for start in range(0, len(batch), 256):
        part = batch[start:start + 256]
        signatures([[article] for article in part], 2, NUM_PERM)
    return len(batch)


CONTENDERS: dict[str, Callable[[list[str]], int]] = {
    "datasketch MinHash.update per shingle (SHA-1)": datasketch_update_loop,
    "datasketch MinHash.update_batch + xxhash": datasketch_update_batch_xxhash,
    "rensa RMinHash": rensa_rminhash,
    "provenance signatures (batched NumPy)": provenance_batched,
}


def rate(task: Callable[[list[str]], int], docs: list[str], jobs: int) -> float:
    parts = [docs[i:i + 1000] for i in range(0, len(docs), 1000)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = sum(pool.map(task, parts))
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    docs = articles(args.data, args.documents)
    rows = []
    for name, task in CONTENDERS.items():
        n = args.documents if "update per shingle" not in name else args.documents // 4
        rows.append((name, rate(task, docs[:n], 1), rate(task, docs[:n], 2)))
    ours = rows[-1][2]
    lines = [f"# Signature throughput ({WORDS}-word articles, {NUM_PERM} permutations, word-bigram shingles)", "",
             f"`python benchmarks/signatures.py --documents {args.documents}`; articles per second, "
             "text to signature, process pool.", "",
             "| contender | 1 process | 2 processes | provenance ÷ this (2 processes) |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {one:,.0f} | {two:,.0f} | {ours / two:.2f}× |" for name, one, two in rows]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
