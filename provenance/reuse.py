"""How likely a sentence pair is reuse: a logistic model over what the two sentences share.

Learned from people's judgements, not from the project's own generator (reuse_training.py):
MSRP's news sentence pairs (equivalent or only on the same event: the hard negatives),
PAN-PC-10's hand-written rewrites and STS news pairs. It reads FEATURES (kernels.py: stems, trigrams
and numbers shared each way, length ratio, all words' overlap) and is stored as plain
weights in models/reuse.json, so loading it runs no code and a reader sees what decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .boilerplate import default_model_dir
from .errors import ModelError

MODEL_FILE = "reuse.json"


@dataclass(frozen=True)
class ReuseModel:
    """P(reuse) = 1 / (1 + exp(-(intercept + weights · features)))."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float

    @classmethod
    def load(cls, path: Path) -> ReuseModel:
        from .kernels import FEATURES

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = cls(tuple(data["features"]), np.array(data["weights"], dtype=np.float64), float(data["intercept"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read the reuse model {path}: {exc}") from exc
        if model.features != FEATURES or model.weights.shape != (len(FEATURES),):
            raise ModelError(f"{path} reads features {list(model.features)}, not {list(FEATURES)}")
        return model

    def as_dict(self) -> dict[str, object]:
        return {"features": list(self.features), "weights": self.weights.tolist(), "intercept": self.intercept}


@lru_cache(maxsize=1)
def load_reuse_model() -> ReuseModel:
    """The packaged model, read once per process."""
    return ReuseModel.load(default_model_dir() / MODEL_FILE)
