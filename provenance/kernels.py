"""Loops that NumPy can only write as many small array calls, compiled by numba.

Aligning a pair joins the two documents' sorted features twice (stems, trigrams). As NumPy
calls (two searchsorted, a repeat, a bincount) a join of a few hundred entries was mostly call
overhead; compiled, it is one merge. Its order-preserving matching is a dynamic programme, a loop
over cells. Checking a candidate pair's containment marks one set and counts the other's marks,
without gathering every partner's shingles into one array first. `cache=True` keeps the
machine code beside this module, so a process compiles once per installation, not once per run;
this module is imported only by the stages that compare documents (numba takes 0.4 s to import).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def shared_counts(a_ids: np.ndarray, a_rows: np.ndarray, a_n: int, b_ids: np.ndarray, b_rows: np.ndarray,
                  b_n: int) -> np.ndarray:
    """|A's row i ∩ B's row j| for every (i, j), from each side's distinct (id, row) entries sorted by id."""
    out = np.zeros((a_n, b_n), np.int64)
    i = j = 0
    while i < a_ids.size and j < b_ids.size:
        if a_ids[i] < b_ids[j]:
            i += 1
        elif a_ids[i] > b_ids[j]:
            j += 1
        else:
            key, i_end, j_end = a_ids[i], i, j
            while i_end < a_ids.size and a_ids[i_end] == key:
                i_end += 1
            while j_end < b_ids.size and b_ids[j_end] == key:
                j_end += 1
            for p in range(i, i_end):
                for q in range(j, j_end):
                    out[a_rows[p], b_rows[q]] += 1
            i, j = i_end, j_end
    return out


@numba.njit(cache=True, nogil=True)
def shared_shares(pairs: np.ndarray, ranks: np.ndarray, starts: np.ndarray, count: int) -> np.ndarray:
    """For each pair (x, y): |X ∩ Y| / min(|X|, |Y|), where set k is `ranks[starts[k]:starts[k + 1]]` (distinct
    values below `count`). X stays marked while consecutive pairs share it."""
    out = np.zeros(len(pairs), np.float32)
    marked = np.zeros(count, np.bool_)
    current = -1
    for k in range(len(pairs)):
        x, y = pairs[k, 0], pairs[k, 1]
        if x != current:
            if current >= 0:
                marked[ranks[starts[current]:starts[current + 1]]] = False
            marked[ranks[starts[x]:starts[x + 1]]] = True
            current = x
        shared = 0
        for p in range(starts[y], starts[y + 1]):
            shared += marked[ranks[p]]
        out[k] = shared / max(min(starts[x + 1] - starts[x], starts[y + 1] - starts[y]), 1)
    return out


@numba.njit(cache=True, nogil=True)
def monotone_pairs(gain: np.ndarray) -> np.ndarray:
    """(row, column) cells, in order, of the order-preserving one-to-one matching with the most summed
    gain (a cell of gain -inf is never chosen)."""
    n, m = gain.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best[i, j] = max(best[i - 1, j], best[i - 1, j - 1] + gain[i - 1, j - 1], best[i, j - 1])
    pairs = np.zeros((min(n, m), 2), np.int64)
    k, i, j = 0, n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs[k, 0], pairs[k, 1] = i - 1, j - 1
            k, i, j = k + 1, i - 1, j - 1
    return pairs[:k][::-1]


def load() -> None:
    """Every kernel compiled or read from the cache, before worker processes fork: they then share it,
    where a worker importing numba for itself took 0.7 s and about 100 MB of its own."""
    empty = np.zeros(0, np.int64)
    shared_counts(empty, empty, 0, empty, empty, 0)
    shared_shares(np.zeros((0, 2), np.int64), empty, np.zeros(1, np.int64), 0)
    monotone_pairs(np.zeros((0, 0)))
