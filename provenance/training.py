"""Fit and evaluate the boilerplate model from the labelled pages (`make model`).

The split is by site, so no site is both trained and evaluated on; everything is
seeded, so the same data gives the same model and the same model-card numbers.
"""

from __future__ import annotations

import math
import os
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from .blocks import text_blocks
from .boilerplate import FEATURES, BoilerplateModel
from .cleaning import copies
from .features import block_features
from .labelling import CONTENT_SHARE, DATASETS, JUNK_SHARE, Page, read_pages
from .text import words
from .trees import Trees
from .types import BlockKind

EVAL_SHARE = 0.2


@dataclass
class Featurised:
    page: Page
    html: np.ndarray
    text: np.ndarray


def fold(site: str) -> int:
    """A stable hash of the site puts it in one of five folds: reproducible, grouped by site."""
    return int(zlib.crc32(site.encode()) % 1000 // (EVAL_SHARE * 1000))


def is_eval_site(site: str) -> bool:
    """Fold 0 is the model card's evaluation split (benchmarks/boilerplate_cv.py holds out each fold in turn)."""
    return fold(site) == 0


def site_counts(pages: Sequence[Page]) -> dict[tuple[str, str], Counter[str]]:
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for page in pages:
        counts[page.dataset, page.site].update({b.text for b in page.blocks})
    return counts


def featurise(pages: Sequence[Page]) -> list[Featurised]:
    counts = site_counts(pages)
    sizes = Counter((p.dataset, p.site) for p in pages)
    out = []
    for page in pages:
        key = (page.dataset, page.site)
        lines = text_blocks(rendered(page))
        out.append(Featurised(
            page,
            block_features(page.blocks, counts[key], sizes[key], with_html=True),
            block_features(lines, counts[key], sizes[key], with_html=False),
        ))
    return out


def rendered(page: Page) -> str:
    """The page as a scraper saves it as text: a block a line and, on half the pages (by a stable hash), list
    items marked "- " as scrapers that write Markdown mark them; text dumps come both ways."""
    marked = zlib.crc32(page.page_id.encode()) % 2 == 0
    return "\n".join(f"- {b.text}" if marked and b.kind is BlockKind.LIST_ITEM else b.text for b in page.blocks)


def load_pages(data_dir: Path, datasets: Iterable[str] = DATASETS) -> list[Page]:
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        chunks = pool.map(_read_dataset, [(data_dir, name) for name in datasets])
        return [page for chunk in chunks for page in chunk]


def _read_dataset(args: tuple[Path, str]) -> list[Page]:
    data_dir, name = args
    return list(read_pages(data_dir, (name,)))


def fit(train: Sequence[Featurised]) -> dict[str, HistGradientBoostingClassifier]:
    models = {}
    for mode in ("html", "text"):
        X, y, w = [], [], []
        for item in train:
            labels = np.array(item.page.labels)
            keep = labels >= 0
            if not keep.any():
                continue
            n_words = np.array([len(words(b.text)) for b in item.page.blocks])[keep]
            weight = np.sqrt(n_words + 1.0)
            X.append(getattr(item, mode)[keep])
            y.append(labels[keep])
            w.append(weight / weight.sum())
        model = HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.08, max_leaf_nodes=31, l2_regularization=1.0, random_state=0
        )
        models[mode] = model.fit(np.vstack(X), np.concatenate(y), sample_weight=np.concatenate(w))
    return models


def word_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of one page, as the Zyte benchmark counts them."""
    got, want = Counter(words(predicted)), Counter(words(truth))
    common = sum((got & want).values())
    if not got and not want:
        return 1.0, 1.0, 1.0
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(model: BoilerplateModel, items: Sequence[Featurised], threshold: float = 0.5) -> dict[str, dict[str, float]]:
    """Mean per-page word P/R/F1 for each dataset with full-text truth, in both modes."""
    scores: dict[str, dict[str, list[tuple[float, float, float]]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        if item.page.truth is None or not item.page.blocks:
            continue
        for mode in ("html", "text"):
            probabilities = model.classifiers[mode].probability(getattr(item, mode))
            # a line of text shows nothing hidden
            kept = [b if mode == "html" else replace(b, hidden=False) for b, p in zip(item.page.blocks, probabilities)
                    if p >= threshold]
            once = " ".join(b.text for b, twice in zip(kept, copies(kept)) if not twice)  # as cleaning does
            scores[item.page.dataset][mode].append(word_prf(once, item.page.truth))
    report: dict[str, dict[str, float]] = {}
    for dataset, modes in sorted(scores.items()):
        report[dataset] = {"pages": len(modes["html"])}
        for mode, rows in modes.items():
            p, r, f = (float(np.mean(col)) for col in zip(*rows))
            report[dataset].update({f"{mode}_precision": p, f"{mode}_recall": r, f"{mode}_f1": f})
    return report


def train(data_dir: Path, out_dir: Path, datasets: Sequence[str] = DATASETS) -> dict:
    """Read, split by site, fit both modes, evaluate on held-out sites, write model + metadata."""
    items = featurise(load_pages(data_dir, datasets))
    train_items = [i for i in items if not is_eval_site(i.page.site)]
    eval_items = [i for i in items if is_eval_site(i.page.site)]
    classifiers = fit(train_items)
    meta = {
        "features": FEATURES,
        "split": {"rule": f"crc32(site) % 1000 < {int(EVAL_SHARE * 1000)} is evaluation",
                  "train_pages": len(train_items), "eval_pages": len(eval_items),
                  "train_sites": len({i.page.site for i in train_items}),
                  "eval_sites": len({i.page.site for i in eval_items})},
        "datasets": list(datasets),
        "versions": library_versions(),
    }
    model = BoilerplateModel({mode: Trees.from_classifier(c) for mode, c in classifiers.items()}, meta)
    meta["metrics"] = evaluate(model, eval_items)
    model.save(out_dir)
    (out_dir / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
    return meta


def library_versions() -> dict[str, str]:
    """What a model was fitted with: `make model` gives the same model again only with the same versions (a new
    NumPy moved the last bits of some thresholds)."""
    import sklearn

    return {"scikit-learn": sklearn.__version__, "numpy": np.__version__}


def fitted_with(versions: dict[str, str]) -> str:
    """`library_versions` as a model card says them."""
    return ", ".join(f"{name} {version}" for name, version in versions.items())


PEERS_START, PEERS_END = "<!-- peers: benchmarks/extraction.py -->", "<!-- /peers -->"


def model_card(meta: dict) -> str:
    """The card is generated from the same metrics `provenance model eval` prints, so they cannot drift."""
    rows = "\n".join(
        f"| {name} | {m['pages']} | {m['html_precision']:.3f} | {m['html_recall']:.3f} | {m['html_f1']:.3f} "
        f"| {m['text_precision']:.3f} | {m['text_recall']:.3f} | {m['text_f1']:.3f} |"
        for name, m in sorted(meta["metrics"].items())
    )
    split = meta["split"]
    return f"""# Boilerplate model card

Two scikit-learn `HistGradientBoostingClassifier`s of one configuration, one for HTML blocks and one for
lines of plain text that lost their markup. Their trees are saved as arrays of numbers in JSON
(`boilerplate.trees.json`: nothing to unpickle, nothing to run) beside `boilerplate.json` (features, split,
metrics), and provenance predicts with them itself (a test holds it equal to scikit-learn). Made by `make model`.

## Data
{", ".join(meta["datasets"])} from `../shared/data` (see each README there; none of it ships here).
Labels come from in-order token alignment of the ground truth to the page's blocks (≥ {CONTENT_SHARE:.0%} of a
block aligned: content; ≤ {JUNK_SHARE:.0%}: boilerplate; between: left out); trafilatura-eval's snippets label only
the blocks that hold them. Blocks are weighted by √words and each page sums to one.

## Features
Both models: {", ".join(f for f in meta["features"]["text"] if f in meta["features"]["html"])}.
Text lines only: {", ".join(f for f in meta["features"]["text"] if f not in meta["features"]["html"])}.
HTML only: {", ".join(f for f in meta["features"]["html"] if f not in meta["features"]["text"])}.

## Split
By site, {split["rule"]}: {split["train_pages"]} training pages from {split["train_sites"]} sites,
{split["eval_pages"]} evaluation pages from {split["eval_sites"]} sites; no site is in both.
Fitted with {fitted_with(meta["versions"])}: `make model` gives these
trees again with the same versions (others may move a threshold's last bits, or more).

## Metrics (evaluation sites only; word-level bag-of-words P/R/F1 per page, averaged)
Text mode renders each page's blocks one a line (list items marked "- " on half the pages, as Markdown-writing
scrapers save them) and classifies the lines with the text model.

| dataset | pages | HTML P | HTML R | HTML F1 | text P | text R | text F1 |
|---|---|---|---|---|---|---|---|
{rows}

Reproduce: `provenance model eval DATASET` prints these numbers for one dataset.

## Against other extractors
{PEERS_START}
Filled in by `benchmarks/extraction.py --card models/MODEL_CARD.md` (`make model` runs it after training).
{PEERS_END}
"""


def evaluate_dataset(model: BoilerplateModel, data_dir: Path, dataset: str, held_out_only: bool = True) -> dict:
    items = featurise(list(read_pages(data_dir, (dataset,))))
    if held_out_only:
        items = [i for i in items if is_eval_site(i.page.site)]
    return evaluate(model, items)


def mean_f1(metrics: dict[str, dict[str, float]], mode: str) -> float:
    """Page-weighted mean F1 over datasets."""
    pages = sum(m["pages"] for m in metrics.values())
    return sum(m[f"{mode}_f1"] * m["pages"] for m in metrics.values()) / pages if pages else math.nan
