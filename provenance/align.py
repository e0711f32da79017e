"""Sentence alignment of a candidate pair: which sentences of A were taken from B.

Verbatim sentences are matched first in any order (a cut-and-reordered copy is
still a copy). The rest are matched by how likely each sentence pair is reuse, a model
learned from people's judgements (reuse.py): in order by dynamic programming, because a
rewrite mostly keeps its source's order while an independent report of the same event
does not; out of order, or two sentences from one, only when the model is sure. Matches then
spread to neighbours that sentence boundaries hide: half of a split source sentence, or a
sentence copied only in part at a passage's edge. Passages shorter than `min_passage_tokens`,
or whose matches are together not likely enough to hold reuse, are dropped.

This module makes what the steps compare (profiles, then what two documents' sentences share);
the steps themselves run compiled, in kernels.align_sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import snowballstemmer

from .reuse import ReuseModel, load_reuse_model
from .settings import Settings
from .text import WORD, is_content_word, words
from .types import Match, MatchKind, Passage

_STEMMER = snowballstemmer.stemmer("english")


class Vocabulary:
    """Integer ids of the words one process has seen, and for each word whether it is a content word
    and the id of its Snowball stem ("stopping" and "stop" share one): worked out once per word, not once per
    occurrence. Ids are comparable only within one vocabulary, which is why each worker profiles the documents
    it aligns. Stems have ids of their own: Snowball is not idempotent ("considerations" → "consider" →
    "consid"), so a stem that is also a word must not take that word's stem, or which of two words a worker
    met first would decide whether they match."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.stem_ids: dict[str, int] = {}
        self.stems = np.zeros(1024, dtype=np.int64)
        self.content = np.zeros(1024, dtype=bool)
        self.numeric = np.zeros(1024, dtype=bool)

    def encode(self, tokens: Sequence[str]) -> np.ndarray:
        """New words are added first, in sorted order (ids must not depend on set order), so that the
        look-up of every token is one C-level pass: a loop over the tokens cost more than the rest."""
        for word in sorted(set(tokens).difference(self.ids)):
            self._add(word)
        return np.fromiter(map(self.ids.__getitem__, tokens), dtype=np.int64, count=len(tokens))

    def _add(self, word: str) -> None:
        new = self.ids[word] = len(self.ids)
        if self.stems.size <= new:
            size = 2 * self.stems.size
            self.stems, self.content = np.resize(self.stems, size), np.resize(self.content, size)
            self.numeric = np.resize(self.numeric, size)
        self.stems[new] = self.stem_ids.setdefault(_STEMMER.stemWord(word), len(self.stem_ids))
        self.content[new] = is_content_word(word)
        self.numeric[new] = any(c.isdigit() for c in word)


class DocumentProfile:
    """What alignment compares, for each sentence of a document: its stemmed content words, its word
    trigrams, its numbers and the stems of all its words (function words too: a rewrite keeps more of its
    source's grammar than another report of the same event does), as integer ids beside their sentence numbers.

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
        numeric = vocabulary.numeric[ids]
        self.numbers = _Rows(ids[numeric], row[numeric], len(tokens))
        self.words = _Rows(vocabulary.stems[ids], row, len(tokens))
        self.kinds = (self.stems, self.trigrams, self.numbers, self.words)  # in the order of kernels.SHARED
        self.counts = np.stack([kind.counts for kind in self.kinds])  # distinct features: kinds × sentences

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

    def add_shared(self, other: _Rows, out: np.ndarray) -> None:
        """Adds |row_i ∩ other_j| to out[i, j] for every pair, by one merge of the two documents' (feature, row)
        entries on the feature: most candidate pairs share few features, so the join is short."""
        # numba only for what aligns (see kernels.py)
        from .kernels import shared_counts

        shared_counts(self.ids, self.rows, other.ids, other.rows, out)


Profiles = Sequence[str] | DocumentProfile


def _profiled(a: Profiles, b: Profiles) -> tuple[DocumentProfile, DocumentProfile]:
    """Profiles of two documents given as sentence texts, in one vocabulary."""
    if isinstance(a, DocumentProfile) and isinstance(b, DocumentProfile):
        return a, b
    vocabulary = Vocabulary()
    return DocumentProfile(list(a), vocabulary), DocumentProfile(list(b), vocabulary)


class Comparison:
    """Two profiles and, for every sentence pair, how many features of each kind they share (kinds ×
    A's sentences × B's, in the order of kernels.SHARED): counted once, for sentence matching and for the
    neighbour and passage checks after it."""

    def __init__(self, a: DocumentProfile, b: DocumentProfile, shared: np.ndarray) -> None:
        self.a, self.b, self.shared = a, b, shared
        self.stems, self.trigrams = shared[0], shared[1]

    @classmethod
    def of(cls, a: DocumentProfile, b: DocumentProfile) -> Comparison:
        shared = np.zeros((len(a.kinds), len(a), len(b)), np.int64)
        for x, y, out in zip(a.kinds, b.kinds, shared):
            x.add_shared(y, out)
        return cls(a, b, shared)

    def mirrored(self) -> Comparison:
        """B against A without joining again: what two sentences share is the same either way round.
        Copied in row order, so that the kernels are compiled for one memory layout, not two."""
        return Comparison(self.b, self.a, np.ascontiguousarray(self.shared.transpose(0, 2, 1)))


def _similarities(pair: Comparison, model: ReuseModel) -> tuple[np.ndarray, np.ndarray]:
    """(reuse probability, verbatim containment of A's trigrams in B's); the probability is zero where no stem
    is shared."""
    # numba only for what aligns (see kernels.py)
    from .kernels import reuse_probabilities, verbatim_containment

    a, b = pair.a, pair.b
    probability = reuse_probabilities(pair.shared, a.counts, b.counts, a.tokens, b.tokens, model.weights,
                                      model.intercept)
    return probability, verbatim_containment(pair.trigrams, a.trigrams.counts)


def align_pair(
    a: Profiles, b: Profiles, settings: Settings, semantic: np.ndarray | None = None
) -> tuple[list[Match], list[Passage]]:
    """`semantic`, when given, is the sentences' embedding cosine (the semantic extra)."""
    return align(Comparison.of(*_profiled(a, b)), settings, semantic)


def align(
    pair: Comparison, settings: Settings, semantic: np.ndarray | None = None
) -> tuple[list[Match], list[Passage]]:
    """Which sentences of `pair.a` were taken from `pair.b` (see the module docstring), and the passages they
    make. The steps run compiled (kernels.align_sentences): a late window aligns 30,000 pairs, and as
    NumPy calls and Python loops each pair cost about 0.2 ms, mostly call overhead."""
    probability, verbatim = _similarities(pair, load_reuse_model())
    if semantic is not None:  # a cosine of `semantic_similarity` counts as `rewrite_probability`, one of 1 as sure
        rewrite, cosine = settings.rewrite_probability, settings.semantic_similarity
        scaled = rewrite + (semantic - cosine) * (1 - rewrite) / (1 - cosine)
        probability = np.maximum(probability, np.clip(scaled, 0.0, 1.0))
    # numba only for what aligns (see kernels.py)
    from .kernels import REWRITTEN, VERBATIM, align_sentences

    source, similarity, kind, passages = align_sentences(
        probability, verbatim, pair.stems, pair.trigrams, pair.a.stems.counts, pair.a.trigrams.counts, pair.a.tokens,
        settings.verbatim_similarity, settings.verbatim_run, settings.rewrite_probability, settings.anchor_probability,
        settings.fragment_containment, settings.edge_trigrams, settings.min_passage_tokens)
    kinds = {VERBATIM: MatchKind.VERBATIM, REWRITTEN: MatchKind.REWRITTEN}
    rows = np.flatnonzero(source >= 0)
    matches = [Match(i, j, s, kinds[k]) for i, j, s, k in zip(rows.tolist(), source[rows].tolist(),
                                                               similarity[rows].tolist(), kind[rows].tolist())]
    return matches, [Passage(*p[:4], kinds[p[4]]) for p in passages.tolist()]


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
