"""Loops that NumPy can only write as many small array calls, compiled by numba.

Aligning a pair joins the two documents' sorted features once per kind (SHARED). As NumPy
calls (two searchsorted, a repeat, a bincount) a join of a few hundred entries was mostly call
overhead; compiled, it is one merge. Alignment itself (align.py's steps: copies, the
order-preserving matching, a dynamic programme, then growing, merging and keeping passages) is one
compiled call a pair: as NumPy calls and Python loops over a few dozen sentences it cost 0.2 ms a
pair, mostly overhead. Checking a candidate pair's containment marks one set and counts the other's
marks, without gathering every partner's shingles into one array first. An index's query counts
each member of a signature's buckets once, where sorting them all cost more as the buckets filled.
`cache=True` keeps the machine code beside this module, so a process compiles once per installation,
not once per run; this module is imported only by the stages that compare documents (numba takes
0.4 s to import).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def shared_counts(a_ids: np.ndarray, a_rows: np.ndarray, b_ids: np.ndarray, b_rows: np.ndarray,
                  out: np.ndarray) -> None:
    """Adds |A's row i ∩ B's row j| to `out[i, j]` for every (i, j), from each side's distinct (id, row) entries
    sorted by id."""
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
def most_shared(members: np.ndarray, starts: np.ndarray, excluded: np.ndarray,
                limit: int) -> tuple[np.ndarray, np.ndarray]:
    """For each question q, whose LSH buckets hold `members[starts[q]:starts[q + 1]]` (band by band): its
    distinct members not `excluded`, those in the most of its buckets first, ties in the order first
    found, at most `limit` (all when negative), as (question, member) rows. One count a member, where
    sorting every (question, member) pair cost more as an index's buckets filled."""
    counts = np.zeros(excluded.size, np.int64)
    questions, kept = np.empty(members.size, np.int64), np.empty(members.size, np.int64)
    k = 0
    for q in range(starts.size - 1):
        found = members[starts[q]:starts[q + 1]]
        distinct = np.empty(found.size, np.int64)
        d = 0
        for n in found:
            if counts[n] == 0 and not excluded[n]:
                distinct[d] = n
                d += 1
            counts[n] += 1
        distinct = distinct[:d]
        order = np.argsort(-counts[distinct], kind="mergesort")  # stable: ties stay in the order found
        for o in order[:d if limit < 0 else min(d, limit)]:
            questions[k], kept[k] = q, distinct[o]
            k += 1
        counts[found] = 0
    return questions[:k], kept[:k]


# What two sentences share, kind by kind (align.DocumentProfile.kinds): content stems, word trigrams, numbers, and
# the stems of all words.
SHARED = ("stems", "trigrams", "numbers", "words")
# What the reuse model (reuse.py) reads of a sentence pair, in this order.
FEATURES = ("stem_dice", "stems_a_in_b", "stems_b_in_a", "trigrams_a_in_b", "trigrams_b_in_a", "length_ratio",
            "log_shared_stems", "log_unshared_stems", "log_shared_trigrams", "log_shared_numbers",
            "log_unshared_numbers", "word_dice")


@numba.njit(cache=True, nogil=True)
def _pair_features(out: np.ndarray, shared: np.ndarray, a_counts: np.ndarray, b_counts: np.ndarray, i: int, j: int,
                   na: int, nb: int) -> None:
    """FEATURES of the pair (i, j): `shared` and the sides' `*_counts` as Comparison and DocumentProfile.counts
    hold them (kinds in SHARED's order), `na` and `nb` the sentences' tokens."""
    s, t, d, w = shared[0, i, j], shared[1, i, j], shared[2, i, j], shared[3, i, j]
    sa, ta, da, wa = a_counts[0, i], a_counts[1, i], a_counts[2, i], a_counts[3, i]
    sb, tb, db, wb = b_counts[0, j], b_counts[1, j], b_counts[2, j], b_counts[3, j]
    out[0] = 2 * s / max(sa + sb, 1)
    out[1] = s / max(sa, 1)
    out[2] = s / max(sb, 1)
    out[3] = t / max(ta, 1)
    out[4] = t / max(tb, 1)
    out[5] = min(na, nb) / max(na, nb, 1)
    out[6] = np.log1p(s)
    out[7] = np.log1p(sa + sb - 2 * s)
    out[8] = np.log1p(t)  # a long run of shared words is a copy however long the sentences around it
    out[9] = np.log1p(d)
    out[10] = np.log1p(da + db - 2 * d)  # other figures: the same event, other facts (MSRP's hard negatives)
    out[11] = 2 * w / max(wa + wb, 1)


@numba.njit(cache=True, nogil=True)
def reuse_probabilities(shared: np.ndarray, a_counts: np.ndarray, b_counts: np.ndarray, a_tokens: np.ndarray,
                        b_tokens: np.ndarray, weights: np.ndarray, intercept: float) -> np.ndarray:
    """Every sentence pair's probability of reuse by the logistic model `weights` over FEATURES (zero where no
    stem is shared: such a pair is not looked at)."""
    n, m = shared.shape[1], shared.shape[2]
    out = np.zeros((n, m))
    features = np.empty(weights.size)
    for i in range(n):
        for j in range(m):
            if shared[0, i, j]:
                _pair_features(features, shared, a_counts, b_counts, i, j, a_tokens[i], b_tokens[j])
                out[i, j] = 1.0 / (1.0 + np.exp(-(intercept + np.dot(weights, features))))
    return out


@numba.njit(cache=True, nogil=True)
def diagonal_features(shared: np.ndarray, a_counts: np.ndarray, b_counts: np.ndarray, a_tokens: np.ndarray,
                      b_tokens: np.ndarray) -> np.ndarray:
    """FEATURES of the pairs (i, i): what the reuse model is trained on, labelled pairs given as two
    documents whose i-th sentences make pair i."""
    out = np.zeros((shared.shape[1], len(FEATURES)))
    for i in range(shared.shape[1]):
        _pair_features(out[i], shared, a_counts, b_counts, i, i, a_tokens[i], b_tokens[i])
    return out


VERBATIM, REWRITTEN = 1, 0  # a match's kind in the arrays `align_sentences` returns


@numba.njit(cache=True, nogil=True)
def verbatim_containment(trigrams: np.ndarray, a_trigrams: np.ndarray) -> np.ndarray:
    """Every pair's share of A's sentence's word trigrams found in B's sentence."""
    n, m = trigrams.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = trigrams[i, j] / max(a_trigrams[i], 1)
    return out


@numba.njit(cache=True, nogil=True)
def align_sentences(probability: np.ndarray, verbatim: np.ndarray, stems: np.ndarray, trigrams: np.ndarray,
                    a_stems: np.ndarray, a_trigrams: np.ndarray, a_tokens: np.ndarray, verbatim_similarity: float,
                    verbatim_run: int, rewrite_probability: float, anchor_probability: float,
                    fragment_containment: float, edge_trigrams: int, min_passage_tokens: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """align.align's steps over sentence pairs (see align.py): copies; the order-preserving rewrites;
    rewrites sure enough to stand out of order or to share a source sentence; neighbours grown, passages
    merged and kept. `probability` is each pair's reuse probability, `verbatim` its trigram containment,
    `stems` and `trigrams` what pairs share, `a_*` A's sentences' counts. Returns, for each sentence of A,
    its source sentence (-1: none kept), similarity and kind, and the kept passages as rows
    (a_start, a_end, b_start, b_end, kind)."""
    n, m = probability.shape
    source = np.full(n, -1, np.int64)
    similarity = np.zeros(n)
    kind = np.zeros(n, np.int64)
    if not _could_keep(probability, verbatim, trigrams, verbatim_similarity, verbatim_run, anchor_probability):
        return source, similarity, kind, np.zeros((0, 5), np.int64)
    used = np.zeros(m, np.bool_)
    for i in range(n):
        j = np.argmax(verbatim[i])
        if verbatim[i, j] >= verbatim_similarity:  # many to one: copied twice is copied twice
            source[i], similarity[i], kind[i], used[j] = j, verbatim[i, j], VERBATIM, True
        elif trigrams[i, j] >= verbatim_run:  # surely reused, though not copied whole: no reprint
            source[i], similarity[i], kind[i], used[j] = j, 1.0, REWRITTEN, True
    free_a, free_b = np.flatnonzero(source < 0), np.flatnonzero(~used)
    chosen = monotone(probability[free_a][:, free_b], rewrite_probability)
    for k in range(len(chosen)):
        i, j = free_a[chosen[k, 0]], free_b[chosen[k, 1]]
        source[i], similarity[i], kind[i] = j, probability[i, j], REWRITTEN
    for i in range(n):  # a sentence moved, or one of two written from one source sentence
        j = np.argmax(probability[i])
        if source[i] < 0 and probability[i, j] >= anchor_probability:
            source[i], similarity[i], kind[i] = j, probability[i, j], REWRITTEN
    _grow(source, similarity, kind, stems, trigrams, a_stems, a_trigrams, verbatim_similarity,
          anchor_probability, fragment_containment, edge_trigrams)
    passages = _merged(source, kind)
    kept = np.zeros(len(passages), np.bool_)
    for p in range(len(passages)):
        kept[p] = _is_reuse(passages[p], source, similarity, kind, a_tokens, anchor_probability, min_passage_tokens)
    inside = np.zeros(n, np.bool_)
    for p in np.flatnonzero(kept):
        inside[passages[p, 0]:passages[p, 1]] = True
    source[~inside] = -1
    return source, similarity, kind, passages[np.flatnonzero(kept)]


@numba.njit(cache=True, nogil=True)
def _could_keep(probability: np.ndarray, verbatim: np.ndarray, trigrams: np.ndarray, verbatim_similarity: float,
                verbatim_run: int, anchor_probability: float) -> bool:
    """Whether a passage could be kept: a copied sentence, or sentences whose best matches together could
    reach `anchor_probability` (as `_is_reuse` counts them). Without that, `_grow` adds nothing and
    `_is_reuse` keeps nothing (a sixth of the pairs a late window aligns stop here)."""
    if not probability.size:
        return False
    if verbatim.max() >= verbatim_similarity or trigrams.max() >= verbatim_run:
        return True
    none = 1.0
    for i in range(probability.shape[0]):
        none *= 1.0 - probability[i].max()
    return 1.0 - none >= anchor_probability


@numba.njit(cache=True, nogil=True)
def _is_anchor(similarity: float, kind: int, anchor_probability: float) -> bool:
    """A match sure enough to stand alone and to lend support to its neighbours."""
    return kind == VERBATIM or similarity >= anchor_probability


@numba.njit(cache=True, nogil=True)
def _grow(source: np.ndarray, similarity: np.ndarray, kind: np.ndarray, stems: np.ndarray, trigrams: np.ndarray,
          a_stems: np.ndarray, a_trigrams: np.ndarray, verbatim_similarity: float, anchor_probability: float,
          fragment_containment: float, edge_trigrams: int) -> None:
    """Sure matches spread to unmatched neighbours, for two things sentence matching misses: a source
    sentence split in two (the neighbour is contained in the same source sentence), and a copy that
    starts or ends mid-sentence (the neighbours on both sides share a run of words)."""
    n, m = stems.shape
    grown = True
    while grown:
        grown = False
        for i in range(n):
            if source[i] >= 0:
                continue
            for step in (-1, 1):
                k = i + step
                if k < 0 or k >= n or source[k] < 0 or not _is_anchor(similarity[k], kind[k], anchor_probability):
                    continue
                j = source[k]
                contained = _contained(stems[i, j], a_stems[i])
                if contained >= fragment_containment:
                    copied = _contained(trigrams[i, j], a_trigrams[i]) >= verbatim_similarity
                    source[i], similarity[i], kind[i] = j, contained, VERBATIM if copied else REWRITTEN
                elif 0 <= j - step < m and trigrams[i, j - step] >= edge_trigrams:
                    edge = j - step
                    source[i], similarity[i], kind[i] = edge, _contained(trigrams[i, edge], a_trigrams[i]), VERBATIM
                else:
                    continue
                grown = True
                break


@numba.njit(cache=True, nogil=True)
def _contained(shared: int, count: int) -> float:
    """The share of a sentence's `count` stems (or trigrams) that another sentence holds too."""
    return shared / count if count else 0.0


@numba.njit(cache=True, nogil=True)
def _merged(source: np.ndarray, kind: np.ndarray, a_gap: int = 2, b_gap: int = 4) -> np.ndarray:
    """Runs of matches that advance together on both sides (a split sentence stays on its source sentence),
    as rows (a_start, a_end, b_start, b_end, kind). A run may skip `a_gap` sentences of its own and `b_gap` of
    its source: a rewrite condenses, leaving out more of the source than it adds."""
    runs = np.zeros((len(source), 5), np.int64)
    count = 0
    for a in range(len(source)):
        b = source[a]
        if b < 0:
            continue
        if count and a - runs[count - 1, 1] <= a_gap and -1 <= b - runs[count - 1, 3] <= b_gap:
            run = runs[count - 1]
            run[1], run[3] = a + 1, max(run[3], b + 1)
            run[4] = run[4] if run[4] == kind[a] else REWRITTEN
        else:
            runs[count, 0], runs[count, 1], runs[count, 2], runs[count, 3], runs[count, 4] = a, a + 1, b, b + 1, kind[a]
            count += 1
    return runs[:count]


@numba.njit(cache=True, nogil=True)
def _is_reuse(passage: np.ndarray, source: np.ndarray, similarity: np.ndarray, kind: np.ndarray, a_tokens: np.ndarray,
              anchor_probability: float, min_passage_tokens: int) -> bool:
    """Long enough, and likely enough to hold reuse: the chance that at least one of its matches is reuse
    (a copy surely, a rewrite by its probability, as if independent) reaches `anchor_probability`. One sure
    rewrite suffices, and so does a run of likely ones in their source's order; sentences on the same
    subject share names and a clause or two, which the reuse model, learned from people's judgements,
    rates low."""
    start, end = passage[0], passage[1]
    if a_tokens[start:end].sum() < min_passage_tokens:
        return False
    none = 1.0
    for i in range(start, end):
        if source[i] >= 0:
            none *= 0.0 if kind[i] == VERBATIM else 1.0 - similarity[i]
    return 1.0 - none >= anchor_probability


@numba.njit(cache=True, nogil=True)
def monotone(scores: np.ndarray, threshold: float) -> np.ndarray:
    """(row, column) cells, in order, of the order-preserving one-to-one matching maximising the summed
    margin above `threshold`. Rows and columns with no score above it cannot take part, so the dynamic
    programme runs on the rest only."""
    live = scores >= threshold
    live_rows, live_cols = np.zeros(live.shape[0], np.bool_), np.zeros(live.shape[1], np.bool_)
    for r, c in zip(*np.nonzero(live)):
        live_rows[r], live_cols[c] = True, True
    rows, cols = np.flatnonzero(live_rows), np.flatnonzero(live_cols)
    gain = np.full((len(rows), len(cols)), -np.inf)
    for r in range(len(rows)):
        for c in range(len(cols)):
            if live[rows[r], cols[c]]:
                gain[r, c] = scores[rows[r], cols[c]] - threshold + 1e-6
    chosen = monotone_pairs(gain)
    out = np.empty_like(chosen)
    for k in range(len(chosen)):
        out[k, 0], out[k, 1] = rows[chosen[k, 0]], cols[chosen[k, 1]]
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


@numba.njit(cache=True, nogil=True)
def tree_ensemble(rows: np.ndarray, feature: np.ndarray, threshold: np.ndarray, missing_left: np.ndarray,
                  left: np.ndarray, right: np.ndarray, leaf: np.ndarray, value: np.ndarray, roots: np.ndarray,
                  baseline: float) -> np.ndarray:
    """trees.Trees' raw scores for many rows: the baseline plus each tree's leaf value, tree by tree."""
    out = np.full(rows.shape[0], baseline)
    for root in roots:
        for i in range(rows.shape[0]):
            node = root
            while not leaf[node]:
                x = rows[i, feature[node]]
                if np.isnan(x):
                    node = left[node] if missing_left[node] else right[node]
                elif x <= threshold[node]:
                    node = left[node]
                else:
                    node = right[node]
            out[i] += value[node]
    return out


def load() -> None:
    """Every kernel compiled or read from the cache, before worker processes fork: they then share it,
    where a worker importing numba for itself took 0.7 s and about 100 MB of its own."""
    empty = np.zeros(0, np.int64)
    shared_counts(empty, empty, empty, empty, np.zeros((0, 0), np.int64))
    shared_shares(np.zeros((0, 2), np.int64), empty, np.zeros(1, np.int64), 0)
    most_shared(empty, np.zeros(1, np.int64), np.zeros(0, np.bool_), 0)
    empty_matrix, empty_counts = np.zeros((0, 0)), np.zeros((0, 0), np.int64)
    no_shared, no_counts = np.zeros((len(SHARED), 0, 0), np.int64), np.zeros((len(SHARED), 0), np.int64)
    reuse_probabilities(no_shared, no_counts, no_counts, empty, empty, np.zeros(len(FEATURES)), 0.0)
    verbatim_containment(empty_counts, empty)
    align_sentences(empty_matrix, empty_matrix, empty_counts, empty_counts, empty, empty, empty, 0.0, 0, 0.0, 0.0, 0.0,
                    0, 0)  # the settings' types only: with no sentences it stops at once
    tree_ensemble(np.zeros((0, 1)), empty, np.zeros(0), np.zeros(0, np.bool_), empty, empty, np.zeros(0, np.bool_),
                  np.zeros(0), empty, 0.0)
