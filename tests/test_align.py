from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import combinations
from unittest.mock import patch

import numpy as np
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import kernels
from provenance.align import (
    Comparison,
    DocumentProfile,
    Vocabulary,
    _profiled,
    _Rows,
    _similarities,
    align,
    align_pair,
)
from provenance.reuse import load_reuse_model
from provenance.settings import Settings
from provenance.text import content_words, words
from provenance.types import MatchKind

STEMMER = snowballstemmer.stemmer("english")

SOURCE = [
    "The United States and China opened talks on curbing the flow of fentanyl on Tuesday in Beijing.",
    "The meeting was the first formal session of the counternarcotics working group set up in November.",
    "Fentanyl is the leading cause of death for Americans between the ages of 18 and 49, officials said.",
    "Critics in Congress say Beijing has not done enough and want more indictments and sanctions.",
]
REWRITE = [
    "Washington and Beijing began negotiations on Tuesday aimed at reducing the flow of fentanyl.",
    "The session was the initial official gathering of the counternarcotics working group created in November.",
    "Fentanyl is the top cause of death among Americans aged 18 to 49, according to officials.",
    "Members of Congress argue Beijing has not done enough and want further indictments and sanctions.",
]
OTHER = [
    "A local bakery won a national prize for its sourdough bread this week.",
    "The council approved money for road repairs after a long debate on Monday night.",
]


def _align(a, b, min_tokens=10, anchor=Settings().anchor_probability):
    return align_pair(a, b, Settings(min_passage_tokens=min_tokens, anchor_probability=anchor))


def _probability(a, b):
    return _similarities(Comparison.of(*_profiled(a, b)), load_reuse_model())[0]


def test_verbatim_copy_is_verbatim_even_when_reordered():
    matches, _ = _align(SOURCE[::-1], SOURCE)
    assert [(m.a, m.b, m.kind) for m in matches] == [(i, 3 - i, MatchKind.VERBATIM) for i in range(4)]


def test_rewrite_is_aligned_in_order_as_rewritten():
    matches, passages = _align(REWRITE, SOURCE)
    assert [(m.a, m.b) for m in matches] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert {m.kind for m in matches} == {MatchKind.REWRITTEN}
    assert len(passages) == 1


def test_unrelated_text_aligns_to_nothing():
    assert _align(OTHER, SOURCE) == ([], [])


def test_a_sentence_split_in_two_is_taken_whole():
    head, _, tail = SOURCE[3].partition(" and ")
    split = [*SOURCE[:3], head + ".", "They " + tail]
    matches, _ = _align(split, SOURCE)
    assert [(m.a, m.b) for m in matches] == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3)]


LOOSE = [  # each shares names and words with one source sentence, and says something else
    "Officials in Beijing said on Tuesday that talks with the United States on farm trade and tariffs went well.",
    "Officials said a working group on farm trade would hold a formal session in March.",
]


def test_loosely_similar_sentences_are_not_reuse_alone_or_in_a_run():
    assert _probability(LOOSE, SOURCE[:2]).max() < Settings().anchor_probability
    assert _align([OTHER[0], LOOSE[0], OTHER[1]], SOURCE, min_tokens=1)[0] == []
    assert _align(LOOSE, SOURCE, min_tokens=1)[0] == []


def _any_reuse(probabilities) -> float:
    """The chance that at least one of independent matches is reuse."""
    return 1.0 - float(np.prod(1.0 - np.asarray(probabilities)))


def test_a_run_of_rewrites_is_kept_when_together_they_are_likely_reuse():
    probability = _probability(REWRITE, SOURCE)
    assert probability.max() < _any_reuse(np.diag(probability))  # the run is surer than its surest sentence
    together = _any_reuse(np.diag(probability))
    assert len(_align(REWRITE, SOURCE, anchor=together - 1e-9)[0]) == 4
    assert _align(REWRITE, SOURCE, anchor=together + 1e-9)[0] == []
    one = REWRITE[2:3]  # alone, a rewrite must be sure enough by itself
    assert _align(one, SOURCE, anchor=float(probability[2, 2]) + 1e-9)[0] == []


def test_a_moved_sentence_and_two_from_one_are_matched_when_sure():
    moved = [REWRITE[2], REWRITE[1], REWRITE[3]]  # the second is out of the order the other two keep
    assert sorted((m.a, m.b) for m in _align(moved, SOURCE, anchor=0.5)[0]) == [(0, 2), (1, 1), (2, 3)]
    assert sorted((m.a, m.b) for m in _align(moved, SOURCE, anchor=0.9)[0]) == [(0, 2), (2, 3)]
    twice = [REWRITE[2], SOURCE[2].replace("officials said", "according to officials")]
    assert [m.b for m in _align(twice, SOURCE, anchor=0.5)[0]] == [2, 2]


def test_short_passages_are_dropped():
    matches, _ = _align(SOURCE[:1] + OTHER, SOURCE, min_tokens=40)
    assert matches == []


sentences = st.lists(st.sampled_from(SOURCE + REWRITE + OTHER), min_size=0, max_size=8)


@settings(max_examples=60, deadline=None)
@given(sentences, sentences)
def test_each_sentence_has_one_source_copies_are_found_and_rewrites_are_monotone(a, b):
    matches, passages = _align(a, b)
    assert len({m.a for m in matches}) == len(matches)
    verbatim = {m.a for m in matches if m.kind is MatchKind.VERBATIM}
    assert {i for i, sentence in enumerate(a) if sentence in b} <= verbatim
    sources = Counter(m.b for m in matches)  # a shared source sentence was reached by a split, not by the in-order pass
    rewritten = [m for m in matches if m.kind is MatchKind.REWRITTEN and sources[m.b] == 1]
    assert [m.b for m in rewritten] == sorted(m.b for m in rewritten)
    assert all(0 <= m.similarity <= 1 for m in matches)
    covered = {i for p in passages for i in range(p.a_start, p.a_end)}
    assert {m.a for m in matches} <= covered


@settings(max_examples=80, deadline=None)
@given(sentences, sentences, st.floats(0.2, 0.99), st.floats(0.5, 1.0))
def test_stopping_a_pair_without_an_anchor_never_changes_its_alignment(a, b, anchor, verbatim):
    knobs = Settings(min_passage_tokens=10, anchor_probability=anchor, verbatim_similarity=verbatim)
    # the kernel run as Python, so that its early stop can be turned off for every pair that has sentences
    with (patch("provenance.kernels.align_sentences", kernels.align_sentences.py_func),
          patch("provenance.kernels._could_keep", lambda probability, *_: probability.size > 0)):
        full = align_pair(a, b, knobs)
    assert align_pair(a, b, knobs) == full


@settings(max_examples=60, deadline=None)
@given(sentences, sentences)
def test_a_comparison_mirrored_is_the_comparison_made_the_other_way_round(a, b):
    first, second = _profiled(a, b)
    mirrored, made = Comparison.of(first, second).mirrored(), Comparison.of(second, first)
    assert np.array_equal(mirrored.stems, made.stems) and np.array_equal(mirrored.trigrams, made.trigrams)
    knobs = Settings(min_passage_tokens=10)
    assert align(mirrored, knobs) == align(made, knobs)


def test_a_pair_stops_early_only_when_no_passage_could_be_kept():
    bound = _any_reuse(_probability(REWRITE, SOURCE).max(axis=1))  # each sentence at its best match
    at = Settings(min_passage_tokens=10, anchor_probability=bound - 1e-9, verbatim_similarity=1.0)
    assert align_pair(REWRITE, SOURCE, at)[0]
    assert align_pair(REWRITE, SOURCE, replace(at, anchor_probability=bound + 1e-9)) == ([], [])
    fragment = ["Fentanyl is the leading cause of death for Americans"]  # copied: a small part of its source sentence
    copied = Settings(min_passage_tokens=5, anchor_probability=1.0)
    assert [m.kind for m in align_pair(fragment, SOURCE, copied)[0]] == [MatchKind.VERBATIM]


def test_merging_passages_joins_neighbours_and_splits_jumps():
    source = np.array([0, 1, -1, 9, 10, 10, 4])  # sentence 5 is the second half of sentence 4's source
    kind = np.array([kernels.VERBATIM, kernels.VERBATIM, 0, kernels.REWRITTEN, kernels.VERBATIM, kernels.VERBATIM,
                     kernels.VERBATIM])
    assert kernels._merged(source, kind).tolist() == [[0, 2, 0, 2, kernels.VERBATIM], [3, 6, 9, 11, kernels.REWRITTEN],
                                                      [6, 7, 4, 5, kernels.VERBATIM]]


def _rows(sets: list[frozenset[int]]) -> _Rows:
    keys = np.array([x for row in sets for x in row], dtype=np.int64)
    return _Rows(keys, np.repeat(np.arange(len(sets)), [len(row) for row in sets]), len(sets))


@given(st.lists(st.frozensets(st.integers(0, 40), max_size=8), max_size=6),
       st.lists(st.frozensets(st.integers(0, 40), max_size=8), max_size=6))
@settings(max_examples=200, deadline=None)
def test_shared_feature_counts_are_exact_intersections(rows_a, rows_b):
    got = np.zeros((len(rows_a), len(rows_b)), np.int64)
    _rows(rows_a).add_shared(_rows(rows_b), got)
    assert all(got[i, j] == len(x & y) for i, x in enumerate(rows_a) for j, y in enumerate(rows_b))


SENTENCE = st.lists(st.sampled_from(["the", "Reuters", "government", "governor", "said", "it", "of", "42", "plan",
                                     "plans", "é", "Economy", "economic"]), max_size=12).map(" ".join)


@given(st.lists(SENTENCE, max_size=5), st.lists(SENTENCE, max_size=5))
@settings(max_examples=200, deadline=None)
def test_profiles_count_the_stems_trigrams_and_words_two_sentences_share(a, b):
    """Array profiles agree with the sets they stand for: stems of content words, word trigrams, stems of
    all words."""
    def stems(s):
        return {STEMMER.stemWord(w) for w in content_words(s)}

    def all_stems(s):
        return {STEMMER.stemWord(w) for w in words(s)}

    def trigrams(s):
        toks = words(s)
        return set(zip(toks, toks[1:], toks[2:]))

    vocabulary = Vocabulary()
    pa, pb = DocumentProfile(a, vocabulary), DocumentProfile(b, vocabulary)
    assert list(pa.tokens) == [len(words(s)) for s in a]
    assert list(pa.stems.counts) == [len(stems(s)) for s in a]
    assert list(pa.trigrams.counts) == [len(trigrams(s)) for s in a]
    assert list(pa.words.counts) == [len(all_stems(s)) for s in a]
    shared = Comparison.of(pa, pb).shared
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            assert shared[0, i, j] == len(stems(x) & stems(y))
            assert shared[1, i, j] == len(trigrams(x) & trigrams(y))
            assert shared[3, i, j] == len(all_stems(x) & all_stems(y))


@given(st.lists(st.lists(st.floats(0, 1), min_size=4, max_size=4), min_size=0, max_size=4))
@settings(max_examples=200, deadline=None)
def test_monotone_matching_is_the_best_order_preserving_one(rows):
    scores = np.array(rows).reshape(-1, 4)
    threshold = 0.4
    pairs = kernels.monotone(scores, threshold).tolist()

    def gain(chosen):
        return sum(scores[i, j] - threshold for i, j in chosen)

    assert all(scores[i, j] >= threshold for i, j in pairs)
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(pairs, pairs[1:]))
    cells = [(i, j) for i in range(len(scores)) for j in range(4) if scores[i, j] >= threshold]
    best = max((gain(c) for k in range(len(cells) + 1) for c in combinations(cells, k)
                if all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(c, c[1:]))), default=0)
    assert gain(pairs) >= best - 1e-6 * (len(cells) + 1)


def test_stems_shared_do_not_depend_on_which_word_a_vocabulary_met_first():
    """Snowball is not idempotent ("considerations" -> "consider" -> "consid"): a worker that met "consider"
    first once matched other stems than one that met "considerations" first."""
    shared = []
    for first in ("consider", "considerations"):
        vocabulary = Vocabulary()
        DocumentProfile([first], vocabulary)
        a = DocumentProfile(["They weighed the considerations."], vocabulary)
        b = DocumentProfile(["They consider it."], vocabulary)
        shared.append(int(Comparison.of(a, b).stems[0, 0]))
    assert shared == [0, 0]  # "consider" and "consid" are two stems, as Snowball says
