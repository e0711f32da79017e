"""Array helpers the stages share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def expand_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + count - 1 of every (start, count), concatenated:
    how a sorted-key join lists each key's matches without a Python loop."""
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())


def split_groups(items: Sequence[T], groups: np.ndarray, count: int) -> list[list[T]]:
    """`items` as one list per group 0 … count - 1, given each item's group in ascending order (a batch's
    answers computed as one array, handed back per question)."""
    ends = np.searchsorted(groups, np.arange(count), side="right").tolist()
    return [list(items[start:end]) for start, end in zip([0, *ends], ends)]


def leading(groups: np.ndarray, count: int) -> np.ndarray:
    """For items sorted by group (best first within each), whether each is among its group's first `count`."""
    return np.arange(len(groups)) - np.searchsorted(groups, groups) < count
