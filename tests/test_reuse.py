from __future__ import annotations

import json

import numpy as np
import pytest

from provenance import ModelError
from provenance.kernels import FEATURES
from provenance.reuse import ReuseModel, load_reuse_model
from provenance.reuse_training import evaluate, read_sets

from .test_align import REWRITE, SOURCE, _probability


def test_the_packaged_model_reads_the_features_alignment_computes():
    model = load_reuse_model()
    assert model.features == FEATURES and np.isfinite(model.weights).all()


def test_a_model_of_other_features_or_a_broken_file_is_refused(tmp_path):
    path = tmp_path / "reuse.json"
    path.write_text(json.dumps({"features": ["stem_dice"], "weights": [1.0], "intercept": 0.0}))
    with pytest.raises(ModelError, match="reads features"):
        ReuseModel.load(path)
    path.write_text("{not json")
    with pytest.raises(ModelError, match="cannot read"):
        ReuseModel.load(path)


def test_a_rewrite_is_likelier_reuse_than_sentences_on_other_things():
    probability = _probability(REWRITE, SOURCE)
    assert (np.diag(probability) > 0.5).sum() >= 3
    assert probability[~np.eye(4, dtype=bool)].max() < 0.5


@pytest.mark.data
def test_held_out_human_pairs_stay_above_floors(data_dir):
    """MSRP test and PAN-PC-10 test, never trained on: the card's numbers, with a little room."""
    _, test = read_sets(data_dir)
    msrp, pan = (evaluate(load_reuse_model(), pairs) for pairs in test[:2])
    assert msrp["accuracy"] >= 0.70 and msrp["f1"] >= 0.79
    assert pan["accuracy"] >= 0.85 and pan["auc"] >= 0.93
