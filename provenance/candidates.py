"""Candidate pairs within a batch: every pair at a shingle containment, found exactly, then capped per document.

A short article that copies part of a long one has a small Jaccard but a large
containment, so the question is "which documents contain much of my shingles". Within a
batch (a window of a few thousand documents) that is answered exactly, by a sparse
document × shingle matrix product: an LSH Ensemble at containment 0.15 looks at 25 of 128
MinHash positions and missed a one-in-three copy on five documents. LSH is left to what
cannot be multiplied: the persistent index and earlier windows (index/).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .arrays import leading

ROWS_PER_TASK = 500  # documents whose partners one task finds: a block of at most 500 × batch shared counts


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

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.starts)


@dataclass(frozen=True)
class Incidence:
    """What every task of `overlapping` shares: which documents take part, the containment each needs
    (`floors`: a pair needs the lower of its two), and their shingles as a sparse matrix (a row a
    document) and its transpose."""

    members: np.ndarray
    sizes: np.ndarray
    floors: np.ndarray
    rows: sparse.csr_matrix
    columns: sparse.csr_matrix

    @classmethod
    def of(cls, shingles: Shingles, members: np.ndarray, floors: float | np.ndarray) -> Incidence:
        """`floors`: one containment for all documents, or one for each document of `shingles`."""
        matrix = sparse.csr_matrix((np.ones(shingles.ranks.size, np.int32), shingles.ranks, shingles.starts),
                                   shape=(len(shingles.starts) - 1, shingles.count))[members]
        floors = np.broadcast_to(np.asarray(floors, np.float64), shingles.sizes.shape)[members]
        return cls(members, shingles.sizes[members], floors, matrix, matrix.T.tocsr())


def overlapping(positions: np.ndarray, shared: Incidence) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (smaller, larger) document-number pairs, the first at one of `positions` (among the members), whose
    shared shingles reach their floor as a share of the smaller set, and that share (as `contained` gives it):
    exact, one sparse product for the block."""
    counts = (shared.rows[positions] @ shared.columns).tocoo()
    first, second = positions[counts.row], counts.col
    smaller = np.maximum(np.minimum(shared.sizes[first], shared.sizes[second]), 1)
    floor = np.minimum(shared.floors[first], shared.floors[second])
    keep = (first < second) & (counts.data >= floor * smaller)
    pairs = np.stack([shared.members[first[keep]], shared.members[second[keep]]], axis=1).astype(np.int64)
    return [(pairs, (counts.data[keep] / smaller[keep]).astype(np.float32))]


def unique_pairs(parts: Sequence[np.ndarray]) -> np.ndarray:
    """All pairs found as one sorted array of distinct pairs.

    Each pair is packed into one int64 (document numbers are below 2**31), sorted and kept
    when it differs from its neighbour: on 8M pairs this takes 0.6 s where `np.unique(axis=0)`
    took 10 s (NumPy 2.4, measured)."""
    if not parts:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts).astype(np.int64)
    keys = np.sort((pairs[:, 0] << 32) | pairs[:, 1])
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys
    return np.stack([keys >> 32, keys & 0xFFFFFFFF], axis=1)


def contained(pairs: np.ndarray, shingles: Shingles) -> list[np.ndarray]:
    """For pairs sorted by their first document: the share of the smaller shingle set found in the other.

    Pairs found in an index share an LSH band, not necessarily text: on news of the same events
    many share only names and stock phrases, and this exact count is far cheaper than aligning
    such a pair. A first document's set is marked once for all its pairs (see kernels.py).
    """
    # numba only for the commands that compare documents (see kernels.py)
    from .kernels import shared_shares

    return [shared_shares(np.asarray(pairs, np.int64).reshape(-1, 2), shingles.ranks, shingles.starts, shingles.count)]


def strongest(pairs: np.ndarray, containment: np.ndarray, threshold: float | np.ndarray, origin: np.ndarray,
              per_document: int) -> np.ndarray:
    """The pairs worth aligning: containment at least `threshold` (one, or one a pair), and, for one of their two
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
        chosen[ranked[leading(document[ranked], per_document)]] = True
    return pairs[chosen[: len(pairs)] | chosen[len(pairs):]]
