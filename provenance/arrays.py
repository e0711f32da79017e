"""Array helpers the stages share."""

from __future__ import annotations

import numpy as np


def expand_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + count - 1 of every (start, count), concatenated:
    how a sorted-key join lists each key's matches without a Python loop."""
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
