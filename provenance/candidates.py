"""Candidate pairs by containment LSH (datasketch's LSH Ensemble), then checked exactly and capped per document: never all pairs.

A short article that copies part of a long one has a small Jaccard but a large
containment, so the query is "which documents contain most of my shingles". The
ensemble's size partitions are independent: each is built and queried as one engine
task, and pairs travel as NumPy arrays of document numbers.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSHEnsemble

Entry = tuple[int, LeanMinHash, int]  # (document number, signature, shingle count)


@dataclass(frozen=True)
class Ensemble:
    """What every partition task shares: the documents, and the containment threshold and signature width."""

    entries: Sequence[Entry]
    threshold: float
    num_perm: int


def entries(minhashes: Sequence[LeanMinHash], sets: Sequence[np.ndarray]) -> list[Entry]:
    """What the ensemble indexes: documents with at least one shingle."""
    return [(i, m, s.size) for i, (m, s) in enumerate(zip(minhashes, sets)) if s.size]


def partitions(entries: Sequence[Entry], num_part: int = 16) -> list[tuple[int, int]]:
    """LSH Ensemble's size partitions (lowest, highest shingle count), as its `index` makes them."""
    if len(entries) < 2:
        return []
    sizes, counts = np.array(sorted(Counter(e[2] for e in entries).most_common())).T
    num_part = min(num_part, len(entries))
    if num_part < 2:
        return [(int(sizes[0]), int(sizes[-1]))]
    if num_part >= len(sizes):
        return [(int(size), int(size)) for size in sizes]
    lower, upper = _best_partitions(sizes, counts, num_part)
    return [(int(sizes[lo]), int(sizes[hi])) for lo, hi in zip(lower, upper)]


def _best_partitions(sizes: np.ndarray, counts: np.ndarray, num_part: int) -> tuple[list[int], list[int]]:
    """datasketch's `optimal_partitions` (the same dynamic programme, its back-tracking step as it
    is), in array operations: its double loop over the distinct sizes took 3 s a window.

    false[l, u]: the expected false positives of one partition of sizes l..u (indices), where every
    set counts as the largest: sum of (s_u - s_k) / s_u * c_k, from exact integer prefix sums.
    """
    n = len(sizes)
    count_sum = np.concatenate([[0], np.cumsum(counts)])
    weight_sum = np.concatenate([[0], np.cumsum(sizes * counts)])
    l, u = np.arange(n)[:, None], np.arange(n)[None, :]
    false = np.where(l <= u, ((sizes[u] * (count_sum[u + 1] - count_sum[l]) - (weight_sum[u + 1] - weight_sum[l]))
                              / sizes[u]), np.inf)
    # after[u1, u]: false positives of the partition u1+1..u; row n-1 is never a valid split
    after = np.vstack([false[1:], np.full((1, n), np.inf)])
    cost = [np.zeros(n), false[0]]  # cost[p][u]: the best p partitions of sizes 0..u (0 where u < p - 1)
    for p in range(2, num_part):
        splits = np.where(np.arange(n)[:, None] >= p - 2, cost[p - 1][:, None] + after, np.inf)
        cost.append(np.where(np.arange(n) >= p - 1, splits.min(axis=0), 0.0))

    def split(p: int, u: int, lowest: int) -> int:
        """The split u1 >= lowest minimising cost[p][u1] + false positives of u1+1..u (the first of equals)."""
        return lowest + int(np.argmin(cost[p][lowest:u] + after[lowest:u, u]))

    bounds = [split(num_part - 1, n - 1, num_part - 2)]
    for p in range(num_part - 1, 1, -1):  # as datasketch back-tracks: with the cost of p partitions, from p - 2
        bounds.insert(0, split(p, bounds[0], p - 2))
    return [0] + [b + 1 for b in bounds], bounds + [n - 1]


@lru_cache(maxsize=4)
def _empty(threshold: float, num_perm: int) -> MinHashLSHEnsemble:
    """An empty one-partition ensemble to copy: making one works out its LSH parameters by numerical
    integration, which takes longer than filling most partitions."""
    return MinHashLSHEnsemble(threshold=threshold, num_perm=num_perm, num_part=1)


def query(bounds: Sequence[tuple[int, int]], shared: Ensemble) -> list[np.ndarray]:
    """The (smaller, larger) document-number pairs where one side's shingles are likely in the other's,
    the other being in one of these size partitions.

    Each partition is an LSH Ensemble of one partition over the documents of its sizes; its bounds
    are those of the whole ensemble's partition, so its answers are the whole ensemble's answers from
    that partition, and the partitions are built and queried in parallel, not built in one process.
    """
    found = []
    for lo, hi in bounds:
        index = copy.deepcopy(_empty(shared.threshold, shared.num_perm))
        index.index([e for e in shared.entries if lo <= e[2] <= hi])
        found += [(key, other) for key, minhash, size in shared.entries for other in index.query(minhash, size)
                  if other != key]
    return [np.sort(np.array(found, dtype=np.int64).reshape(-1, 2), axis=1)]


def unique_pairs(parts: Sequence[np.ndarray]) -> np.ndarray:
    """All query results as one sorted array of distinct pairs.

    Each pair is packed into one int64 (document numbers are below 2**31), sorted and kept
    when it differs from its neighbour: on 8M pairs this takes 0.6 s where `np.unique(axis=0)`
    took 10 s (NumPy 2.4, measured)."""
    if not parts:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts).astype(np.int64)
    keys = np.sort((pairs[:, 0] << 32) | pairs[:, 1])
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys
    return np.stack([keys >> 32, keys & 0xFFFFFFFF], axis=1)


@dataclass(frozen=True)
class Shingles:
    """Each document's shingles as small integers (ranks among all the batch's shingles), so that a
    set is marked in an array of `count` flags and looked up by index rather than by binary search."""

    sets: Sequence[np.ndarray]
    count: int

    @classmethod
    def of(cls, sets: Sequence[np.ndarray]) -> Shingles:
        values, ranks = np.unique(np.concatenate([np.zeros(0, np.uint64), *sets]), return_inverse=True)
        return cls(np.split(ranks, np.cumsum([s.size for s in sets])[:-1]), values.size)


def contained(pairs: np.ndarray, shingles: Shingles) -> list[np.ndarray]:
    """For pairs sorted by their first document: the share of the smaller shingle set found in the other.

    LSH Ensemble is loose at low thresholds: on news of the same events most of its pairs
    share only names and stock phrases, and this exact count is far cheaper than aligning
    such a pair. All pairs of one first document are counted in one array operation.
    """
    out = np.zeros(len(pairs), dtype=np.float32)
    if not len(pairs):
        return [out]
    sets, marked = shingles.sets, np.zeros(shingles.count, dtype=bool)
    firsts, starts = np.unique(pairs[:, 0], return_index=True)
    for first, lo, hi in zip(firsts, starts, [*starts[1:], len(pairs)]):
        a = sets[first]
        others = [sets[j] for j in pairs[lo:hi, 1]]
        sizes = np.array([b.size for b in others])
        marked[a] = True
        shared = np.bincount(np.repeat(np.arange(len(others)), sizes), weights=marked[np.concatenate(others)],
                             minlength=len(others))
        marked[a] = False
        out[lo:hi] = shared / np.maximum(np.minimum(a.size, sizes), 1)
    return [out]


def strongest(pairs: np.ndarray, containment: np.ndarray, threshold: float, origin: np.ndarray, per_document: int) -> np.ndarray:
    """The pairs worth aligning: containment at least `threshold`, and, for one of their two
    documents, among its `per_document` closest partners or its `per_document` likeliest sources
    (0: no limit).

    A story reprinted by m sites makes m² pairs that all pass; each reprint needs its sources, not
    every other reprint, so work grows with m. Closest: the higher containment (to one decimal, so
    that near-equal copies tie), then the smaller `origin` (how likely a document is an original:
    reference, agency site, wire dateline, ...). Likeliest sources: the smaller `origin`, then the
    higher containment. Then the lower number.
    """
    keep = containment >= threshold
    pairs, containment = pairs[keep], containment[keep]
    if per_document <= 0 or not len(pairs):
        return pairs
    document = np.concatenate([pairs[:, 0], pairs[:, 1]])
    partner = np.concatenate([pairs[:, 1], pairs[:, 0]])
    closeness = -np.concatenate([containment, containment])
    chosen = np.zeros(len(document), dtype=bool)
    for ranked in (np.lexsort((partner, origin[partner], np.round(closeness, 1), document)),
                   np.lexsort((partner, closeness, origin[partner], document))):
        grouped = document[ranked]
        chosen[ranked[np.arange(len(ranked)) - np.searchsorted(grouped, grouped) < per_document]] = True
    return pairs[chosen[: len(pairs)] | chosen[len(pairs):]]
