"""Sentence alignment of a candidate pair: which sentences of A were taken from B.

Verbatim sentences are matched first in any order (a cut-and-reordered copy is
still a copy); the rest are aligned monotonically by dynamic programming, because
a rewrite keeps its source's order while an independent report of the same event
does not. Matches then spread to neighbours that sentence boundaries hide: half of
a split source sentence, or a sentence copied only in part at a passage's edge.
Passages shorter than `min_passage_tokens`, and passages of rewritten sentences none
of which is close or that share few content words with their source, are dropped:
shared names or a stock phrase are not reuse.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

from .features import is_content_word
from .settings import Settings
from .text import WORD, words
from .types import Match, MatchKind, Passage

STEM = 6


class Vocabulary:
    """Integer ids of the words one process has seen, and for each word whether it is a content word
    and the id of its stem: worked out once per word, not once per occurrence. Ids are comparable
    only within one vocabulary, which is why each worker profiles the documents it aligns."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.stems = np.zeros(1024, dtype=np.int64)
        self.content = np.zeros(1024, dtype=bool)

    def encode(self, tokens: Sequence[str]) -> np.ndarray:
        ids = list(map(self.ids.get, tokens))  # one C-level pass; most words are known
        if None in ids:
            ids = [self._id(w) if i is None else i for w, i in zip(tokens, ids)]
        return np.array(ids, dtype=np.int64)

    def _id(self, word: str) -> int:
        found = self.ids.get(word)
        return self._add(word) if found is None else found

    def _add(self, word: str) -> int:
        new = self.ids[word] = len(self.ids)
        stem = new if len(word) <= STEM else self._id(word[:STEM])  # a stem is a word of its own here
        if self.stems.size <= max(new, stem):
            size = 2 * self.stems.size
            self.stems, self.content = np.resize(self.stems, size), np.resize(self.content, size)
        self.stems[new] = stem
        self.content[new] = is_content_word(word)
        return new


class DocumentProfile:
    """What alignment compares, for each sentence of a document: its stemmed content words and its
    word trigrams, as integer ids beside their sentence numbers.

    Two documents are compared by one join of their sorted ids instead of a Python loop over every
    sentence pair, and a document is tokenised once, its features found by array operations.
    """

    def __init__(self, sentences: Sequence[str], vocabulary: Vocabulary | None = None) -> None:
        vocabulary = vocabulary or Vocabulary()
        tokens = [words(s) for s in sentences]
        self.tokens = np.array([len(t) for t in tokens], dtype=np.int64)
        ids = vocabulary.encode([w for t in tokens for w in t])
        row = np.repeat(np.arange(len(tokens)), self.tokens)
        content = vocabulary.content[ids]
        self.stems = _Rows(vocabulary.stems[ids][content], row[content], len(tokens))
        inside = row[2:] == row[:-2]  # the trigram's first and last word are in one sentence
        self.trigrams = _Rows(_trigram_keys(ids)[inside], row[2:][inside], len(tokens))

    def __len__(self) -> int:
        return len(self.tokens)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: the keys of trigrams that differ in one word always differ


def _trigram_keys(ids: np.ndarray) -> np.ndarray:
    """One 64-bit key per word trigram: equal trigrams have equal keys, and two different ones share
    a key with a chance of about 2**-64."""
    words = ids.astype(np.uint64)
    return ((words[:-2] * _MIX + words[1:-1]) * _MIX + words[2:]).view(np.int64)


class _Rows:
    """Sets of features (one set per row) as distinct (id, row) entries, sorted by id, then row."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, n: int) -> None:
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order]
        first = np.ones(keys.size, dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
        self.ids, self.rows = keys[first], rows[first]
        self.counts = np.bincount(self.rows, minlength=n)

    def shared(self, other: _Rows) -> np.ndarray:
        """|row_i ∩ other_j| for every pair, by one merge of the two documents' (feature, row) entries
        on the feature: most candidate pairs share few features, so the join is short."""
        # numba only for what aligns (see kernels.py)
        from .kernels import shared_counts

        return shared_counts(self.ids, self.rows, len(self.counts), other.ids, other.rows, len(other.counts))


Profiles = Sequence[str] | DocumentProfile


def _profiled(a: Profiles, b: Profiles) -> tuple[DocumentProfile, DocumentProfile]:
    """Profiles of two documents given as sentence texts, in one vocabulary."""
    if isinstance(a, DocumentProfile) and isinstance(b, DocumentProfile):
        return a, b
    vocabulary = Vocabulary()
    return DocumentProfile(list(a), vocabulary), DocumentProfile(list(b), vocabulary)


class Comparison:
    """Two profiles and, for every sentence pair, the stems and trigrams they share: counted once, for
    sentence matching and for the neighbour and passage checks after it."""

    def __init__(self, a: DocumentProfile, b: DocumentProfile, stems: np.ndarray, trigrams: np.ndarray) -> None:
        self.a, self.b, self.stems, self.trigrams = a, b, stems, trigrams

    @classmethod
    def of(cls, a: DocumentProfile, b: DocumentProfile) -> Comparison:
        return cls(a, b, a.stems.shared(b.stems), a.trigrams.shared(b.trigrams))

    def mirrored(self) -> Comparison:
        """B against A without joining again: what two sentences share is the same either way round."""
        return Comparison(self.b, self.a, self.stems.T, self.trigrams.T)

    def stems_contained(self, i: int, j: int) -> float:
        """The share of A's sentence i's stems found in B's sentence j."""
        count = self.a.stems.counts[i]
        return int(self.stems[i, j]) / count if count else 0.0

    def trigrams_contained(self, i: int, j: int) -> float:
        count = self.a.trigrams.counts[i]
        return int(self.trigrams[i, j]) / count if count else 0.0


def _similarities(pair: Comparison) -> tuple[np.ndarray, np.ndarray]:
    """(lexical Dice over stems, verbatim containment of A's trigrams in B's), zero where no stem is shared."""
    a, b = pair.a, pair.b
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b))), np.zeros((len(a), len(b)))
    sizes = a.stems.counts[:, None] + b.stems.counts[None, :]
    trigrams = np.maximum(a.trigrams.counts, 1)[:, None]
    lexical = 2 * pair.stems / np.maximum(sizes, 1)
    return lexical, np.where(pair.stems > 0, pair.trigrams / trigrams, 0.0)


def align_pair(
    a: Profiles, b: Profiles, settings: Settings, semantic: np.ndarray | None = None
) -> tuple[list[Match], list[Passage]]:
    """`semantic`, when given, is the sentences' embedding cosine (the semantic extra)."""
    return align(Comparison.of(*_profiled(a, b)), settings, semantic)


def align(
    pair: Comparison, settings: Settings, semantic: np.ndarray | None = None
) -> tuple[list[Match], list[Passage]]:
    """Which sentences of `pair.a` were taken from `pair.b` (see the module docstring), and the passages they make."""
    a, b = pair.a, pair.b
    lexical, verbatim = _similarities(pair)
    if semantic is not None:
        lexical = np.maximum(lexical, semantic - settings.semantic_similarity + settings.rewrite_similarity)
    if not _has_anchor(lexical, verbatim, settings):
        return [], []
    best_b = verbatim.argmax(axis=1)
    best = verbatim[np.arange(len(a)), best_b]
    copied = np.flatnonzero(best >= settings.verbatim_similarity)  # many to one: copied twice is copied twice
    matches = {i: Match(i, j, similarity, MatchKind.VERBATIM)
               for i, j, similarity in zip(copied.tolist(), best_b[copied].tolist(), best[copied].tolist())}
    used_b = np.zeros(len(b), dtype=bool)
    used_b[best_b[copied]] = True
    free_a, free_b = np.flatnonzero(best < settings.verbatim_similarity), np.flatnonzero(~used_b)
    for i, j in _monotone(lexical[free_a[:, None], free_b], settings.rewrite_similarity):
        ai, bj = int(free_a[i]), int(free_b[j])
        matches[ai] = Match(ai, bj, float(lexical[ai, bj]), MatchKind.REWRITTEN)
    _grow(pair, matches, settings)
    rows = sorted(matches)
    ordered = [matches[i] for i in rows]
    keep = [p for p in merge_passages(ordered)
            if _is_reuse(p, pair, ordered[bisect_left(rows, p.a_start):bisect_left(rows, p.a_end)], settings)]
    kept_rows = {i for p in keep for i in range(p.a_start, p.a_end)}
    return [m for m in ordered if m.a in kept_rows], keep


def _has_anchor(lexical: np.ndarray, verbatim: np.ndarray, settings: Settings) -> bool:
    """Whether any sentence pair is close enough to anchor a passage: without one, `_grow` adds
    nothing and `_is_reuse` keeps nothing (a third of the pairs a late window aligns stop here)."""
    if not lexical.size:
        return False
    close = min(settings.lone_rewrite_similarity, settings.verbatim_similarity)
    return bool(verbatim.max() >= settings.verbatim_similarity or lexical.max() >= close)


def _grow(pair: Comparison, matches: dict[int, Match], settings: Settings) -> None:
    """Sure matches spread to unmatched neighbours, for two things sentence matching misses:
    a source sentence split in two (the neighbour is contained in the same source sentence), and
    a copy that starts or ends mid-sentence (the neighbours on both sides share a run of words)."""
    grown = True
    while grown:
        grown = False
        for i in range(len(pair.a)):
            if i in matches:
                continue
            for step in (-1, 1):
                k = i + step
                found = (k in matches and _is_anchor(matches[k], settings)
                         and _neighbour(pair, i, matches[k].b, -step, settings))
                if found:
                    matches[i] = Match(i, *found)
                    grown = True
                    break


def _neighbour(pair: Comparison, i: int, j: int, step: int, settings: Settings) -> tuple[int, float, MatchKind] | None:
    """(source sentence, similarity, kind) for sentence `i`, `step` after a match on source sentence `j`."""
    contained = pair.stems_contained(i, j)
    if contained >= settings.fragment_containment:
        verbatim = pair.trigrams_contained(i, j) >= settings.verbatim_similarity
        return j, contained, MatchKind.VERBATIM if verbatim else MatchKind.REWRITTEN
    edge = j + step
    if 0 <= edge < len(pair.b) and pair.trigrams[i, edge] >= settings.edge_trigrams:
        return edge, pair.trigrams_contained(i, edge), MatchKind.VERBATIM
    return None


def _is_reuse(passage: Passage, pair: Comparison, inside: Sequence[Match], settings: Settings) -> bool:
    """Long enough; and, for a passage of rewritten sentences only (`inside`: its matches), one of them
    close and enough content words shared: one sentence on the same subject shares a few names and a
    clause or two."""
    if pair.a.tokens[passage.a_start:passage.a_end].sum() < settings.min_passage_tokens:
        return False
    if any(m.kind is MatchKind.VERBATIM or m.similarity >= settings.verbatim_similarity for m in inside):
        return True  # a copied sentence, or a rewrite that kept nearly every word, stands on its own
    shared = sum(int(pair.stems[m.a, m.b]) for m in inside)
    return shared >= settings.rewrite_shared_words and any(_is_anchor(m, settings) for m in inside)


def _is_anchor(match: Match, settings: Settings) -> bool:
    """A match sure enough to stand alone and to lend support to its neighbours."""
    return match.kind is MatchKind.VERBATIM or match.similarity >= settings.lone_rewrite_similarity


Span = tuple[int, int]
TRIM_GRAM = 5


def trimmed_span(a_text: str, a_span: Span, b_text: str, b_span: Span) -> tuple[Span, Span]:
    """Both sides of a passage narrowed to their first and last shared word 5-gram.

    Passages are whole sentences, but copying often starts and ends mid-sentence. A shared
    trigram is too often a stock phrase ("one of the") far from where the copy starts.
    """
    a_tokens, b_tokens = _tokens(a_text, a_span), _tokens(b_text, b_span)
    shared = set(_grams(a_tokens)) & set(_grams(b_tokens))
    if not shared:
        return a_span, b_span
    return _narrowed(a_tokens, shared), _narrowed(b_tokens, shared)


def _tokens(text: str, span: Span) -> list[tuple[int, int, str]]:
    return [(span[0] + m.start(), span[0] + m.end(), m.group().casefold()) for m in WORD.finditer(text[span[0]:span[1]])]


def _grams(tokens: list[tuple[int, int, str]]) -> list[tuple[str, ...]]:
    return [tuple(t[2] for t in tokens[i:i + TRIM_GRAM]) for i in range(len(tokens) - TRIM_GRAM + 1)]


def _narrowed(tokens: list[tuple[int, int, str]], shared: set[tuple[str, ...]]) -> Span:
    hits = [i for i, gram in enumerate(_grams(tokens)) if gram in shared]
    return tokens[hits[0]][0], tokens[hits[-1] + TRIM_GRAM - 1][1]


def _monotone(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Order-preserving one-to-one matching maximising the summed margin above threshold.

    Rows and columns with no score above threshold cannot take part, so the dynamic
    programme runs on the rest only.
    """
    live = scores >= threshold
    rows, cols = np.flatnonzero(live.any(axis=1)), np.flatnonzero(live.any(axis=0))
    if len(rows) == 0:
        return []
    cells = rows[:, None], cols  # the live rows' and columns' cells
    gain = np.where(live[cells], scores[cells] - threshold + 1e-6, -np.inf)
    # numba only for what aligns (see kernels.py)
    from .kernels import monotone_pairs

    chosen = monotone_pairs(gain)
    return list(zip(rows[chosen[:, 0]].tolist(), cols[chosen[:, 1]].tolist()))


def merge_passages(matches: Sequence[Match], gap: int = 1) -> list[Passage]:
    """Runs of matches that advance together on both sides (gaps of `gap` allowed; a split
    sentence stays on its source sentence)."""
    runs: list[list] = []  # [a_start, a_end, b_start, b_end, kind], grown in place
    for match in matches:
        if runs and 0 <= match.a - runs[-1][1] <= gap and -1 <= match.b - runs[-1][3] <= gap:
            run = runs[-1]
            run[1], run[3] = match.a + 1, max(run[3], match.b + 1)
            run[4] = run[4] if run[4] is match.kind else MatchKind.REWRITTEN
        else:
            runs.append([match.a, match.a + 1, match.b, match.b + 1, match.kind])
    return [Passage(*run) for run in runs]
