from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import Settings, read
from provenance.archive import Fingerprints
from provenance.candidates import Incidence, Shingles, contained, overlapping, strongest, unique_pairs
from provenance.cleaning import clean_batch

from .seed_truth import PARTIAL, REWRITE, WIRE


def test_containment_is_the_share_of_the_smaller_set_found_in_the_other():
    wire, copy = np.arange(100, dtype=np.uint32), np.arange(80, 130, dtype=np.uint32)
    names = np.concatenate([np.arange(2), np.arange(1000, 1098)]).astype(np.uint32)
    empty = np.zeros(0, dtype=np.uint32)
    (shares,) = contained(np.array([[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]]), Shingles.of([wire, copy, names, empty]))
    np.testing.assert_allclose(shares, [0.4, 0.02, 0.0, 0.0, 0.0])  # 20 of the smaller 50; 2 of 100; none; none
    assert contained(np.zeros((0, 2), dtype=np.int64), Shingles.of([wire]))[0].size == 0


def test_a_reprint_cluster_keeps_its_source_and_grows_linearly():
    """Document 0 is the wire story, 1..m its reprints: every pair contains the other fully."""
    m, per_document = 60, 5
    pairs = np.array([(x, y) for x in range(m + 1) for y in range(x + 1, m + 1)])
    origin = np.ones(m + 1, dtype=np.int64)
    origin[0] = 0  # the wire story looks like an original
    kept = strongest(pairs, np.ones(len(pairs), np.float32), 0.05, origin, per_document)
    assert {(0, y) for y in range(1, m + 1)} <= set(map(tuple, kept))
    assert len(kept) <= (m + 1) * per_document
    assert len(strongest(pairs, np.ones(len(pairs), np.float32), 0.05, origin, 0)) == len(pairs)


def test_each_document_keeps_its_closest_partner_and_its_likeliest_source():
    """Document 0 copies most of 1 and 2, and a little of the wire story 3; 4 shares names with 0 only."""
    pairs = np.array([[0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [2, 3]])
    shares = np.array([0.9, 0.8, 0.3, 0.04, 0.9, 0.3, 0.3], np.float32)
    origin = np.array([1, 1, 1, 0, 1])
    kept = strongest(pairs, shares, 0.05, origin, 1).tolist()
    assert [0, 1] in kept and [0, 3] in kept and [0, 4] not in kept
    assert [0, 2] not in kept or [1, 2] in kept  # 2 keeps one closest partner of its own
    assert strongest(pairs, shares, 0.5, origin, 1).tolist() == [[0, 1], [1, 2]]  # 0 and 1 both prefer each other


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 12), st.integers(0, 4), st.data())
def test_every_document_keeps_its_best_partners(n, per_document, data):
    pairs = np.array([(x, y) for x in range(n) for y in range(x + 1, n)])
    shares = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 1.0]), min_size=len(pairs), max_size=len(pairs))), np.float32)
    origin = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    kept = set(map(tuple, strongest(pairs, shares, 0.05, origin, per_document)))
    passing = {tuple(p) for p, s in zip(pairs, shares) if s >= 0.05}
    assert kept <= passing
    for doc in range(n):
        mine = [p for p in passing if doc in p]
        if per_document == 0:
            assert set(mine) <= kept
        elif mine:  # its closest partner and its likeliest source are always kept
            def share(p):
                return shares[np.flatnonzero((pairs == p).all(1))[0]]

            def other(p):
                return sum(p) - doc

            assert min(mine, key=lambda p: (-share(p), origin[other(p)], other(p))) in kept
            assert min(mine, key=lambda p: (origin[other(p)], -share(p), other(p))) in kept


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1)), max_size=20), max_size=4))
def test_unique_pairs_equals_numpy_row_unique(parts):
    arrays = [np.array(p, dtype=np.int64).reshape(-1, 2) for p in parts]
    expected = np.unique(np.concatenate(arrays), axis=0) if arrays else np.zeros((0, 2), dtype=np.int64)
    assert unique_pairs(arrays).tolist() == expected.tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 60), max_size=30), min_size=2, max_size=6))
def test_containment_counts_the_exact_intersection(sets):
    pairs = np.array([(x, y) for x in range(len(sets)) for y in range(x + 1, len(sets))])
    (shares,) = contained(pairs, Shingles.of([np.array(sorted(s), dtype=np.uint64) for s in sets]))
    expected = [len(sets[x] & sets[y]) / max(min(len(sets[x]), len(sets[y])), 1) for x, y in pairs]
    np.testing.assert_allclose(shares, expected, rtol=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 60), max_size=30), min_size=0, max_size=12), st.sampled_from([0.15, 0.5]),
       st.integers(1, 5), st.data())
def test_overlapping_finds_exactly_the_pairs_at_the_threshold(sets, threshold, rows, data):
    """Among any members, in blocks of any size: every pair at `threshold` containment, and no other."""
    shingles = Shingles.of([np.array(sorted(s), dtype=np.uint32) for s in sets])
    members = np.array(sorted(data.draw(st.sets(st.sampled_from(range(len(sets))))) if sets else []), dtype=np.int64)
    shared = Incidence.of(shingles, members, threshold)
    blocks = [part for start in range(0, len(members), rows)
              for part in overlapping(np.arange(start, min(start + rows, len(members))), shared)]
    found = unique_pairs([p for p, _ in blocks])
    for p, shares in blocks:  # the share each pair was found with is the one `contained` counts
        np.testing.assert_allclose(shares, contained(p, shingles)[0] if len(p) else [], rtol=1e-6)
    expected = {(x, y) for x in members for y in members if x < y
                and len(sets[x] & sets[y]) >= threshold * max(min(len(sets[x]), len(sets[y])), 1)}
    assert set(map(tuple, found.tolist())) == expected


def test_the_seed_reprint_and_its_one_in_three_copy_are_a_candidate_pair(seeds, model):
    """002 took a third of its text from 001's AP story: an LSH Ensemble at 0.15 never paired them."""
    cleaned = clean_batch(list(read([seeds])), model, Settings())
    sets = Fingerprints(Settings())(cleaned)[1]
    numbers = {c.document.id: n for n, c in enumerate(cleaned)}
    shared = Incidence.of(Shingles.of(sets), np.arange(len(sets)), Settings().candidate_containment)
    pairs = set(map(tuple, overlapping(np.arange(len(sets)), shared)[0][0].tolist()))
    assert tuple(sorted((numbers[WIRE], numbers[PARTIAL]))) in pairs
    assert tuple(sorted((numbers[WIRE], numbers[REWRITE]))) in pairs
