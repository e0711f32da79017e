"""Candidate pairs by containment LSH (datasketch's LSH Ensemble): never all pairs.

A short article that copies part of a long one has a small Jaccard but a large
containment, so the query is "which documents contain most of my shingles".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import LeanMinHash, MinHashLSHEnsemble


def candidate_pairs(
    keys: Sequence[str], minhashes: Sequence[LeanMinHash], sizes: Sequence[int], threshold: float, num_perm: int = 128
) -> set[tuple[str, str]]:
    """Unordered pairs (sorted tuples) where one side's shingles are likely contained in the other's."""
    entries = [(k, m, s) for k, m, s in zip(keys, minhashes, sizes) if s > 0]
    if len(entries) < 2:
        return set()
    ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=num_perm, num_part=min(16, len(entries)))
    ensemble.index(entries)
    pairs = set()
    for key, minhash, size in entries:
        for other in ensemble.query(minhash, size):
            if other != key:
                pairs.add((min(key, other), max(key, other)))
    return pairs


def verified(pairs: set[tuple[str, str]], shingles: dict[str, np.ndarray], threshold: float) -> set[tuple[str, str]]:
    """The pairs whose smaller shingle set really shares `threshold` of itself with the other.

    LSH Ensemble is loose at low thresholds: on news about the same events most of its
    pairs share only names and stock phrases. An exact intersection of the sorted shingle
    hashes is far cheaper than aligning such a pair.
    """
    kept = set()
    for x, y in pairs:
        a, b = shingles[x], shingles[y]
        shared = np.intersect1d(a, b, assume_unique=True).size
        if shared >= threshold * min(a.size, b.size):
            kept.add((x, y))
    return kept
