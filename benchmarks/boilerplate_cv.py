"""The boilerplate model held out site by site on every labelled page, against the peers on the same pages.

    python benchmarks/boilerplate_cv.py --data ../shared/data --out benchmarks/boilerplate_cv.md

The model card's split (fold 0 of five by a hash of the site) holds out 437 pages with full-text truth, 21 of
them scrapinghub-aeb's news articles: too few to tell a change worth less than about 0.002 from a refit, or to
see how news pages fare. Here each fold is held out in turn from a model fitted on the other four, as
`make model` fits, so every page is scored once by a model that never saw its site. Peers do not train: they
run on the same pages (benchmarks/extraction.py). Scores: word-level P/R/F1 per page, averaged.
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extraction import eval_pages, measure

from provenance.boilerplate import BoilerplateModel
from provenance.labelling import DATASETS
from provenance.training import EVAL_SHARE, evaluate, featurise, fit, fold, load_pages
from provenance.trees import Trees

PEERS = ("trafilatura", "readability-lxml")
FOLDS = round(1 / EVAL_SHARE)
ALL = "all pages"


def held_out(data: Path) -> dict[str, dict[str, float]]:
    """Per dataset and over all pages: pages, and each mode's mean P/R/F1 over the five held-out folds."""
    items = featurise(load_pages(data, DATASETS))
    pooled: dict[str, dict[str, float]] = {}
    for k in range(FOLDS):
        classifiers = fit([i for i in items if fold(i.page.site) != k])
        model = BoilerplateModel({mode: Trees.from_classifier(c) for mode, c in classifiers.items()}, {})
        for dataset, scores in evaluate(model, [i for i in items if fold(i.page.site) == k]).items():
            for group in (dataset, ALL):
                into = pooled.setdefault(group, dict.fromkeys(scores, 0.0))
                for key, value in scores.items():
                    into[key] += value * (1 if key == "pages" else scores["pages"])
    return {d: {k: v if k == "pages" else v / s["pages"] for k, v in s.items()} for d, s in pooled.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/boilerplate_cv.md"))
    args = parser.parse_args()
    ours = held_out(args.data)
    pages = eval_pages(args.data, held_out_only=False)
    with ProcessPoolExecutor(max_workers=len(PEERS)) as pool:
        peers = list(pool.map(measure, [(name, pages) for name in PEERS]))
    lines = ["# Boilerplate model, five-fold by site, against peers", "",
             f"Command: `python benchmarks/boilerplate_cv.py --data {args.data}`", "",
             "Mean F1 (precision / recall) per page; HTML, then the page as text lines.", "",
             "| dataset | pages | provenance HTML | " + " | ".join(f"{p} HTML" for p in PEERS) + " | provenance text | "
             + " | ".join(f"{p} text" for p in PEERS) + " |", "|---" * (3 + 2 * len(PEERS) + 1) + "|"]
    for dataset in [*sorted(set(ours) - {ALL}), ALL]:
        scores = ours[dataset]
        cells = [dataset, str(int(scores["pages"]))]
        for mode in ("html", "text"):
            p, r, f = (scores[f"{mode}_{name}"] for name in ("precision", "recall", "f1"))
            cells.append(f"{f:.4f} ({p:.3f} / {r:.3f})")
            for peer in peers:
                rows = [x[mode] for x in peer["rows"] if dataset in (x["dataset"], ALL)]
                p, r, f = (statistics.mean(col) for col in zip(*rows))
                cells.append(f"{f:.3f} ({p:.3f} / {r:.3f})")
        lines.append("| " + " | ".join(cells) + " |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
