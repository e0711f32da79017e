"""Gradient-boosted trees as plain arrays: scikit-learn trains them, this module predicts with them.

A scikit-learn classifier saved with skops took 3 s to import and load (skops and scikit-learn),
more than `provenance clean` on one page should cost, and its file was a format only skops reads.
A tree is five arrays (the feature tested, the threshold, where a missing value goes, the two
children) and a value at each leaf; the model file holds each array as the base64 of its little-endian
bytes in JSON, which nothing can run, and which loads in a hundredth of a second (as lists of numbers,
JSON parsing took 0.08 s of a one-page `clean`). Predicting walks each row down each tree: a process's
first few pages every (row, tree) pair at once in NumPy; after that, and for any larger batch, compiled
by numba, whose import and cached machine code cost more than half a second that one `provenance clean
FILE` should not pay, and that a process cleaning page after page pays back within a few pages (the
NumPy walk is 12× slower a row). A test holds both equal to scikit-learn's `predict_proba` on the
classifier they came from, to the last bit.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# (row, tree) pairs a process walks in NumPy in all before it turns to numba: 1,000 rows of 300 trees take
# 0.1 s there, 0.008 s compiled, but numba's import and cached code cost 0.5 s more; a page has a few
# hundred rows, a batch's task thousands
NUMPY_PAIRS = 600_000
_walked = 0  # (row, tree) pairs this process has walked in NumPy
_FIELDS = {"feature": np.int64, "threshold": np.float64, "missing_left": np.bool_, "left": np.int64,
           "right": np.int64, "leaf": np.bool_, "value": np.float64}


def _stored(kind: type) -> np.dtype:
    """An array's type in the model file: little-endian whatever the machine."""
    return np.dtype(kind).newbyteorder("<")


@dataclass(frozen=True)
class Trees:
    """A binary HistGradientBoostingClassifier's trees, node arrays end to end (`roots`: where each begins)."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    baseline: float
    features: int

    @classmethod
    def from_classifier(cls, classifier: Any) -> Trees:
        """From a fitted binary HistGradientBoostingClassifier of numeric features (no categorical splits)."""
        nodes = [predictors[0].nodes for predictors in classifier._predictors]
        if len(classifier.classes_) != 2 or any(n["is_categorical"].any() for n in nodes):
            raise ValueError("only binary classifiers of numeric features are supported")
        offsets = np.cumsum([0] + [len(n) for n in nodes[:-1]])
        every = np.concatenate(nodes)
        shift = np.repeat(offsets, [len(n) for n in nodes])
        return cls(every["feature_idx"].astype(np.int64), every["num_threshold"].astype(np.float64),
                   every["missing_go_to_left"].astype(np.bool_), every["left"].astype(np.int64) + shift,
                   every["right"].astype(np.int64) + shift, every["is_leaf"].astype(np.bool_),
                   every["value"].astype(np.float64), offsets.astype(np.int64),
                   float(np.ravel(classifier._baseline_prediction)[0]), int(classifier.n_features_in_))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Trees:
        """The arrays of `to_json`; a KeyError, TypeError or ValueError (bad base64 included) for anything else."""
        arrays = {name: np.frombuffer(base64.b64decode(data[name], validate=True), dtype=_stored(kind)).astype(kind)
                  for name, kind in _FIELDS.items()}
        trees = cls(**arrays, roots=np.asarray(data["roots"], dtype=np.int64), baseline=float(data["baseline"]),
                    features=int(data["features"]))
        trees.check()
        return trees

    def check(self) -> None:
        """Every child and root a node, every feature a column: a file that walks out of its arrays is refused."""
        n = len(self.leaf)
        if any(len(getattr(self, name)) != n for name in _FIELDS) or not len(self.roots):
            raise ValueError("node arrays of different lengths, or no tree")
        inner = ~self.leaf
        for index in (self.left[inner], self.right[inner], self.roots):
            if index.size and (index.min() < 0 or index.max() >= n):
                raise ValueError("a child or root outside the node arrays")
        if inner.any() and (self.feature[inner].min() < 0 or self.feature[inner].max() >= self.features):
            raise ValueError("a split on a feature the model does not have")
        if (self.left[inner] <= np.flatnonzero(inner)).any() or (self.right[inner] <= np.flatnonzero(inner)).any():
            raise ValueError("a child before its parent (a walk could loop)")

    def to_json(self) -> dict[str, Any]:
        arrays = {name: base64.b64encode(getattr(self, name).astype(_stored(kind)).tobytes()).decode()
                  for name, kind in _FIELDS.items()}
        return {**arrays, "roots": self.roots.tolist(), "baseline": self.baseline, "features": self.features}

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(class 1) for each row, as `predict_proba(rows)[:, 1]`."""
        if rows.ndim != 2 or rows.shape[1] != self.features:
            raise ValueError(f"rows of {self.features} features expected, got shape {rows.shape}")
        global _walked
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        if _walked + rows.shape[0] * len(self.roots) <= NUMPY_PAIRS:
            _walked += rows.shape[0] * len(self.roots)
            leaves = self._leaves(rows)
            raw = np.full(rows.shape[0], self.baseline)
            for tree in range(len(self.roots)):  # tree by tree: scikit-learn's order of summing, to the last bit
                raw += self.value[leaves[:, tree]]
        else:
            from .kernels import tree_ensemble

            raw = tree_ensemble(rows, self.feature, self.threshold, self.missing_left, self.left, self.right,
                                self.leaf, self.value, self.roots, self.baseline)
        return _logistic(raw)

    def _leaves(self, rows: np.ndarray) -> np.ndarray:
        """The leaf each row reaches in each tree, every (row, tree) pair a step at a time."""
        node = np.tile(self.roots, (rows.shape[0], 1))
        walking = np.nonzero(~self.leaf[node])
        while walking[0].size:
            at = node[walking]
            x = rows[walking[0], self.feature[at]]
            left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
            node[walking] = np.where(left, self.left[at], self.right[at])
            still = ~self.leaf[node[walking]]
            walking = (walking[0][still], walking[1][still])
        return node


def _logistic(raw: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-raw)) with the C library's exp, as SciPy's `expit` (scikit-learn's `predict_proba`) takes
    it: NumPy's vectorised exp differs from it by up to two units in the last place. A Python loop at about
    0.2 µs a block, a small part of what featurising a block costs; past -709 exp would overflow, and the
    probability is 0 to within 1e-307 anyway."""
    return np.fromiter((1.0 / (1.0 + math.exp(min(-x, 709.0))) for x in raw.tolist()), np.float64, raw.size)
