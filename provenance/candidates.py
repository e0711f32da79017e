"""Candidate pairs by containment LSH (datasketch's LSH Ensemble), then checked exactly and capped per document: never all pairs.

A short article that copies part of a long one has a small Jaccard but a large
containment, so the query is "which documents contain most of my shingles". The
ensemble's size partitions are independent: each is queried as one engine task, and
pairs travel as NumPy arrays of document numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSHEnsemble

from .arrays import expand_ranges
from .signatures import stacked

Entry = tuple[int, LeanMinHash, int]  # (document number, signature, shingle count)
PAIRS_PER_CHUNK = 4_000_000  # bucket pairs made at once before duplicates are dropped: bounds a big cluster's memory


@dataclass(frozen=True)
class Ensemble:
    """What every partition task shares: the documents' numbers and shingle counts, each document's
    bucket in every LSH band the ensemble may query (by band width r), and datasketch's choice of
    (bands, r) by the ratio of a partition's largest set to the query's size."""

    numbers: np.ndarray
    sizes: np.ndarray
    buckets: Mapping[int, np.ndarray]  # r -> (bands, documents): equal numbers, equal band values
    ratios: np.ndarray
    params: np.ndarray

    @classmethod
    def of(cls, entries: Sequence[Entry], threshold: float, num_perm: int) -> Ensemble:
        ratios, params = _parameters(threshold, num_perm)
        bands: dict[int, int] = {}
        for b, r in params.tolist():
            bands[r] = max(bands.get(r, 0), b)
        matrix = stacked([m for _, m, _ in entries], num_perm)
        buckets = {r: np.stack([_bucket(matrix[:, i * r:(i + 1) * r]) for i in range(b)]) for r, b in bands.items()}
        return cls(np.array([e[0] for e in entries], dtype=np.int64), np.array([e[2] for e in entries], dtype=np.int64),
                   buckets, ratios, params)


def _bucket(band: np.ndarray) -> np.ndarray:
    """For each row, a number shared exactly by the rows of equal values (datasketch's bucket key)."""
    rows = np.ascontiguousarray(band)
    return np.unique(rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel(),
                     return_inverse=True)[1].astype(np.int64)


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
def _parameters(threshold: float, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (bands, r) for each ratio of set size to query size: an ensemble works them out by
    numerical integration when it is made."""
    empty = MinHashLSHEnsemble(threshold=threshold, num_perm=num_perm, num_part=1)
    return empty.xqs, empty.params


def query(bounds: Sequence[tuple[int, int]], shared: Ensemble) -> list[np.ndarray]:
    """The (smaller, larger) document-number pairs where one side's shingles are likely in the other's,
    the other being in one of these size partitions.

    This is datasketch's `MinHashLSHEnsemble.query` for every document at once, in array operations
    (its Python loops took 18 s a window): a document of size q is found by the partition of largest
    size u when the two share a bucket in one of the first b bands of width r, (b, r) chosen by u / q
    as datasketch chooses them. A test checks the pairs against datasketch's own ensemble.
    """
    found = [np.zeros((0, 2), dtype=np.int64)]
    for lo, hi in bounds:
        members = np.flatnonzero((shared.sizes >= lo) & (shared.sizes <= hi))
        choice = np.minimum(np.searchsorted(shared.ratios, hi / shared.sizes, side="left"), len(shared.params) - 1)
        for c in np.unique(choice):
            b, r = shared.params[c]
            found.append(_same_bucket(shared.buckets[r][:b], np.flatnonzero(choice == c), members))
    pairs = shared.numbers[unique_pairs(found)]
    return [np.sort(pairs, axis=1)]


def _same_bucket(buckets: np.ndarray, queries: np.ndarray, members: np.ndarray) -> np.ndarray:
    """The distinct pairs (smaller position first) of a query and a member that share a bucket in at
    least one band (rows of `buckets`), by sorted bucket keys. The pairs are made PAIRS_PER_CHUNK at a
    time and merged, so a cluster of many near-copies, which shares a bucket in every band, does not
    hold one pair per band in memory."""
    bands, n = buckets.shape
    keys = buckets + (np.arange(bands, dtype=np.int64) * n)[:, None]  # a bucket of one band only
    member_keys = keys[:, members].ravel()
    order = np.argsort(member_keys, kind="stable")
    member_keys, owners = member_keys[order], np.tile(members, bands)[order]
    query_keys, askers = keys[:, queries].ravel(), np.tile(queries, bands)
    first = np.searchsorted(member_keys, query_keys, side="left")
    counts = np.searchsorted(member_keys, query_keys, side="right") - first
    ends = np.cumsum(counts)
    cuts = list(np.searchsorted(ends, np.arange(PAIRS_PER_CHUNK, ends[-1], PAIRS_PER_CHUNK))) if ends.size else []
    merged = np.zeros((0, 2), dtype=np.int64)
    for lo, hi in zip([0, *cuts], [*cuts, counts.size]):
        found = counts[lo:hi]
        asked = np.repeat(askers[lo:hi], found)
        owner = owners[expand_ranges(first[lo:hi], found)]
        other = asked != owner
        merged = unique_pairs([merged, np.sort(np.stack([asked[other], owner[other]], axis=1), axis=1)])
    return merged


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
    set is marked in an array of `count` flags and looked up by index rather than by binary search.
    Set k is `ranks[starts[k]:starts[k + 1]]`: one array, not one per document, for the tasks to share."""

    ranks: np.ndarray
    starts: np.ndarray
    count: int

    @classmethod
    def of(cls, sets: Sequence[np.ndarray]) -> Shingles:
        # 32-bit, as signatures makes them: widened to 64 bits, the sort took 1.4–1.6× as long
        values, ranks = np.unique(np.concatenate([np.zeros(0, np.uint32), *sets]), return_inverse=True)
        starts = np.concatenate([[0], np.cumsum([s.size for s in sets], dtype=np.int64)])
        return cls(ranks.astype(np.int64, copy=False), starts, values.size)  # already int64 here: no copy


def contained(pairs: np.ndarray, shingles: Shingles) -> list[np.ndarray]:
    """For pairs sorted by their first document: the share of the smaller shingle set found in the other.

    LSH Ensemble is loose at low thresholds: on news of the same events most of its pairs
    share only names and stock phrases, and this exact count is far cheaper than aligning
    such a pair. A first document's set is marked once for all its pairs (see kernels.py).
    """
    # numba only for the commands that compare documents (see kernels.py)
    from .kernels import shared_shares

    return [shared_shares(np.asarray(pairs, np.int64).reshape(-1, 2), shingles.ranks, shingles.starts, shingles.count)]


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
