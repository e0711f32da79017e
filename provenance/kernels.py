"""Loops that NumPy can only write as many small array calls, compiled by numba.

Aligning a pair joins the two documents' sorted features twice (stems, trigrams). As NumPy
calls (two searchsorted, a repeat, a bincount) a join of a few hundred entries was mostly call
overhead; compiled, it is one merge. `cache=True` keeps the machine code beside this module,
so a process compiles once per installation, not once per run; this module is imported only
by the stages that align, since numba takes about 0.4 s to import.
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


def load() -> None:
    """Every kernel compiled or read from the cache, before worker processes fork: they then share it,
    where a worker importing numba for itself took 0.7 s and about 100 MB of its own."""
    empty = np.zeros(0, np.int64)
    shared_counts(empty, empty, 0, empty, empty, 0)
