"""Calibrate derivation thresholds on labelled data, never on the seeds nor on the evaluation corpus.

1. PAN text-alignment sample: passage precision / recall / PlagDet per minimum passage length.
   Then the same per number of content words a rewritten passage must share with its source.
2. A generated derivation corpus (derivation_corpus.py) with its own seed (1; the evaluation
   corpus uses seed 0): the four-class macro F1, source attribution, share error and how often an
   independent article is called derived, per shared-word minimum, per rewrite threshold and
   lone-rewrite threshold, per exact shingle containment an LSH candidate pair must reach, and
   per cap on the partners aligned per document.
Writes a Markdown table; the chosen values are Settings' defaults.

    python benchmarks/calibrate.py --data ../shared/data --out benchmarks/calibration.md
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import publish  # noqa: E402
from derivation_corpus import write  # noqa: E402

from provenance import Settings, load_model, read  # noqa: E402
from provenance.evaluation import corpus_metrics, pan_metrics, read_pan, read_truth  # noqa: E402
from provenance.pipeline import score_corpus  # noqa: E402

GRIDS = {  # each varies the named settings around the defaults
    ("min_passage_tokens",): [(10,), (15,), (25,)],
    ("rewrite_probability", "anchor_probability"): list(itertools.product((0.2, 0.3), (0.9, 0.95, 0.98))),
    ("candidate_verify",): [(0.0,), (0.03,), (0.05,), (0.08,), (0.1,), (0.12,), (0.15,)],
    ("candidates_per_document",): [(0,), (5,), (10,), (20,)],
}
PAN_GRIDS = (("min_passage_tokens",), ("rewrite_probability", "anchor_probability"))
CORPUS_GRIDS = (("rewrite_probability", "anchor_probability"), ("candidate_verify",),
                ("candidates_per_document",))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/calibration.md"))
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    start = time.time()
    base, model = Settings(), load_model()
    pairs, dropped = read_pan(args.data / "pan-text-alignment-sample")
    lines = ["# Derivation calibration", "", f"Command: `python benchmarks/calibrate.py --data {args.data}`", "",
             f"## PAN text-alignment sample ({len(pairs)} pairs, {sum(len(p.cases) for p in pairs)} cases; "
             f"{dropped} cases dropped whose text is not in the suspicious document)"]
    for names in PAN_GRIDS:
        lines += _table(names, ("precision", "recall", "granularity", "PlagDet"))
        for values in GRIDS[names]:
            m = pan_metrics(pairs, base.with_overrides(**dict(zip(names, values))))
            lines.append(_row(values, (m["precision"], m["recall"], m["granularity"], m["plagdet"])))
    with tempfile.TemporaryDirectory() as tmp:
        write(args.data, Path(tmp), args.documents, seed=1)
        documents = list(read([Path(tmp) / "documents.jsonl"]))
        truth = read_truth(Path(tmp) / "truth.jsonl")
        lines += ["", f"## Generated corpus, seed 1 ({len(documents)} documents)"]
        for names in CORPUS_GRIDS:
            lines += _table(names, ("macro F1", "attribution", "share MAE", "independent classed derived", "seconds"))
            for values in GRIDS[names]:
                began = time.time()
                results = score_corpus(documents, base.with_overrides(**dict(zip(names, values))), model=model)
                m = corpus_metrics((r.score for r in results), truth)
                lines.append(_row(values, (m["macro_f1"], m["attribution"], m["share_mae"], m["independent_as_derived"],
                                           round(time.time() - began))))
                print(lines[-1], file=sys.stderr)
    lines += ["", f"Took {time.time() - start:.0f} s."]
    publish(lines, args.out)


def _table(names: tuple[str, ...], metrics: tuple[str, ...]) -> list[str]:
    columns = (*names, *metrics)
    return ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _row(values: tuple, metrics: tuple[float, ...]) -> str:
    return "| " + " | ".join([*map(str, values), *(f"{m:.3f}" if isinstance(m, float) else str(m) for m in metrics)]) + " |"


if __name__ == "__main__":
    main()
