"""Sentence alignment of a candidate pair: which sentences of A were taken from B.

Verbatim sentences are matched first in any order (a cut-and-reordered copy is
still a copy); the rest are aligned monotonically by dynamic programming, because
a rewrite keeps its source's order while an independent report of the same event
does not. Passages shorter than `min_passage_tokens` are dropped: a shared name or a stock phrase is not reuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .signatures import content_words
from .text import words
from .types import Match, MatchKind, Passage

STEM = 6


@dataclass(frozen=True)
class SentenceProfile:
    """What alignment compares: stemmed content words and word trigrams."""

    stems: frozenset[str]
    trigrams: frozenset[tuple[str, ...]]
    tokens: int


def profile(sentence: str) -> SentenceProfile:
    toks = words(sentence)
    return SentenceProfile(
        stems=frozenset(w[:STEM] for w in content_words(sentence)),
        trigrams=frozenset(zip(toks, toks[1:], toks[2:])),
        tokens=len(toks),
    )


def _dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _containment(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a) if a else 0.0


def similarity_matrices(a: Sequence[SentenceProfile], b: Sequence[SentenceProfile]) -> tuple[np.ndarray, np.ndarray]:
    """(lexical Dice over stems, verbatim containment of A's trigrams in B's)."""
    lexical = np.zeros((len(a), len(b)))
    verbatim = np.zeros((len(a), len(b)))
    for i, pa in enumerate(a):
        for j, pb in enumerate(b):
            if pa.stems & pb.stems:
                lexical[i, j] = _dice(pa.stems, pb.stems)
                verbatim[i, j] = _containment(pa.trigrams, pb.trigrams)
    return lexical, verbatim


def align_pair(
    a: Sequence[SentenceProfile],
    b: Sequence[SentenceProfile],
    verbatim_threshold: float,
    rewrite_threshold: float,
    min_passage_tokens: int,
) -> tuple[list[Match], list[Passage]]:
    lexical, verbatim = similarity_matrices(a, b)
    matches: dict[int, Match] = {}
    used_b: set[int] = set()
    order = np.argsort(-verbatim, axis=None, kind="stable")
    for flat in order:
        i, j = divmod(int(flat), len(b))
        if verbatim[i, j] < verbatim_threshold:
            break
        if i not in matches and j not in used_b:
            matches[i] = Match(i, j, float(verbatim[i, j]), MatchKind.VERBATIM)
            used_b.add(j)
    free_a = [i for i in range(len(a)) if i not in matches]
    free_b = [j for j in range(len(b)) if j not in used_b]
    for i, j in _monotone(lexical[np.ix_(free_a, free_b)], rewrite_threshold):
        ai, bj = free_a[i], free_b[j]
        matches[ai] = Match(ai, bj, float(lexical[ai, bj]), MatchKind.REWRITTEN)
    ordered = [matches[i] for i in sorted(matches)]
    passages = merge_passages(ordered)
    keep = [p for p in passages if sum(x.tokens for x in a[p.a_start:p.a_end]) >= min_passage_tokens]
    kept_rows = {i for p in keep for i in range(p.a_start, p.a_end)}
    return [m for m in ordered if m.a in kept_rows], keep


def _monotone(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Order-preserving one-to-one matching maximising the summed margin above threshold."""
    n, m = scores.shape
    if n == 0 or m == 0:
        return []
    gain = np.where(scores >= threshold, scores - threshold + 1e-6, -np.inf)
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        row_gain = gain[i - 1]
        for j in range(1, m + 1):
            best[i, j] = max(best[i - 1, j], best[i, j - 1], best[i - 1, j - 1] + row_gain[j - 1])
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def merge_passages(matches: Sequence[Match], gap: int = 1) -> list[Passage]:
    """Runs of matches that advance together on both sides (gaps of `gap` allowed)."""
    passages: list[Passage] = []
    for match in matches:
        if passages:
            last = passages[-1]
            if 0 <= match.a - last.a_end <= gap and 0 <= match.b - last.b_end <= gap:
                kind = last.kind if last.kind is match.kind else MatchKind.REWRITTEN
                passages[-1] = Passage(last.a_start, match.a + 1, last.b_start, match.b + 1, kind)
                continue
        passages.append(Passage(match.a, match.a + 1, match.b, match.b + 1, match.kind))
    return passages
