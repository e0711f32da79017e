from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provenance.scoring import classify, match_weight
from provenance.settings import Settings
from provenance.types import DerivationClass, Match, MatchKind

S = Settings()


def test_classes_follow_the_thresholds():
    assert classify(1.0, 1.0, S) is DerivationClass.WIRE_COPY
    assert classify(S.wholly_derived_share, 0.0, S) is DerivationClass.WHOLLY_DERIVED
    assert classify(S.partially_derived_share, 0.0, S) is DerivationClass.PARTIALLY_DERIVED
    assert classify(S.partially_derived_share - 0.01, 0.0, S) is DerivationClass.ORIGINAL


def test_a_rewrite_weighs_its_reuse_probability_and_a_copy_fully():
    assert [match_weight(Match(0, 0, p, MatchKind.REWRITTEN)) for p in (0.2, 0.5, 0.9)] == [0.2, 0.5, 0.9]
    assert match_weight(Match(0, 0, 0.5, MatchKind.VERBATIM)) == 1.0


@given(st.floats(0, 1), st.floats(0, 1))
def test_every_share_gets_exactly_one_class(derived, wire):
    assert classify(derived, wire, S) in set(DerivationClass)
