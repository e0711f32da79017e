"""The trained boilerplate classifier: load it safely, label blocks content or junk.

The model is two gradient-boosted tree ensembles of one configuration (text lines, HTML blocks),
trained by scikit-learn and shipped as arrays of numbers in JSON (trees.py): loading parses numbers,
so a model file from a stranger cannot run code, and it costs milliseconds, not scikit-learn's import.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .features import HTML_FEATURES, LINE_FEATURES, TEXT_FEATURES, block_features
from .trees import Trees
from .types import Block, LabelledBlock

MODEL_NAME = "boilerplate"
FEATURES = {"text": list(TEXT_FEATURES + LINE_FEATURES), "html": list(TEXT_FEATURES + HTML_FEATURES)}  # each classifier's columns
Page = tuple[Sequence[Block], bool, "Counter[str] | None", int]  # blocks, is HTML, its site's line counts, the site's size


def default_model_dir() -> Path:
    """`models/` inside an installed wheel, or at the top of a checkout."""
    packaged = Path(str(resources.files("provenance"))) / "models"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "models"


class BoilerplateModel:
    """The trained block classifier (one for HTML blocks, one for text lines) and what it was trained on;
    `load_model()` gives the one shipped in models/."""

    def __init__(self, classifiers: dict[str, Trees], meta: dict[str, Any]) -> None:
        self.classifiers = classifiers
        self.meta = meta

    @classmethod
    def load(cls, directory: Path | None = None) -> BoilerplateModel:
        directory = directory or default_model_dir()
        meta_path, trees_path = directory / f"{MODEL_NAME}.json", directory / f"{MODEL_NAME}.trees.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            stored = json.loads(trees_path.read_text(encoding="utf-8"))
            classifiers = {mode: Trees.from_json(stored[mode]) for mode in ("text", "html")}
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"cannot load the boilerplate model from {directory}: {exc!r} (run `make model`)") from exc
        if meta.get("features") != FEATURES or any(classifiers[m].features != len(f) for m, f in FEATURES.items()):
            raise ModelError(f"{meta_path} was trained on other features; retrain with `make model`")
        return cls(classifiers, meta)

    def save(self, directory: Path) -> None:
        """The trees and the metadata, as `load` reads them (the same bytes for the same model)."""
        directory.mkdir(parents=True, exist_ok=True)
        trees = {mode: classifier.to_json() for mode, classifier in self.classifiers.items()}
        (directory / f"{MODEL_NAME}.trees.json").write_text(json.dumps(trees, sort_keys=True, separators=(",", ":")),
                                                             encoding="utf-8")
        (directory / f"{MODEL_NAME}.json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n",
                                                      encoding="utf-8")

    def classify_pages(self, pages: Sequence[Page], threshold: float = 0.5) -> list[list[LabelledBlock]]:
        """Each page's blocks labelled, with one classifier call per kind (text, HTML) for all the pages:
        a call is a compiled walk down 300 trees for every row, cheap to start whatever the rows."""
        probabilities = [np.zeros(0)] * len(pages)
        for is_html in (False, True):
            chosen = [i for i, (blocks, html, _, _) in enumerate(pages) if html is is_html and blocks]
            if not chosen:
                continue
            matrices = [block_features(pages[i][0], pages[i][2], pages[i][3], with_html=is_html) for i in chosen]
            stacked = self.classifiers["html" if is_html else "text"].probability(np.vstack(matrices))
            for i, part in zip(chosen, np.split(stacked, np.cumsum([len(m) for m in matrices])[:-1])):
                probabilities[i] = part
        return [[LabelledBlock(b, float(p), bool(p >= threshold)) for b, p in zip(page[0], found)]
                for page, found in zip(pages, probabilities)]

    def classify(
        self,
        blocks: Sequence[Block],
        is_html: bool,
        threshold: float = 0.5,
        corpus_counts: Counter[str] | None = None,
        corpus_size: int = 0,
    ) -> list[LabelledBlock]:
        return self.classify_pages([(blocks, is_html, corpus_counts, corpus_size)], threshold)[0]


@lru_cache(maxsize=4)
def load_model(directory: Path | None = None) -> BoilerplateModel:
    """One loaded model per directory and process; the model is read-only once loaded."""
    return BoilerplateModel.load(directory)
