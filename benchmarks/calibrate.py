"""Calibrate derivation thresholds on labelled data, never on the seeds nor on the evaluation corpus.

1. PAN text-alignment sample: passage precision / recall / PlagDet per minimum passage length.
2. A generated derivation corpus (derivation_corpus.py) with its own seed (1; the evaluation
   corpus uses seed 0): for each rewrite threshold and lone-rewrite threshold, the four-class
   macro F1, source attribution, share error and how often an independent article is called derived;
   then the same for the exact shingle containment that an LSH candidate pair must reach to be aligned.
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

from derivation_corpus import write  # noqa: E402

from provenance import Settings, load_model, read, score_corpus  # noqa: E402
from provenance.evaluation import corpus_metrics, pan_metrics, read_pan, read_truth  # noqa: E402


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
             f"{dropped} cases dropped whose text is not in the suspicious document)", "",
             "| min_passage_tokens | precision | recall | granularity | PlagDet |", "|---|---|---|---|---|"]
    for tokens in (10, 15, 25):
        m = pan_metrics(pairs, base.with_overrides(min_passage_tokens=tokens))
        lines.append(f"| {tokens} | {m['precision']:.3f} | {m['recall']:.3f} | {m['granularity']:.3f} | {m['plagdet']:.3f} |")
    with tempfile.TemporaryDirectory() as tmp:
        write(args.data, Path(tmp), args.documents, seed=1)
        documents = list(read([Path(tmp) / "documents.jsonl"]))
        truth = read_truth(Path(tmp) / "truth.jsonl")
        lines += ["", f"## Generated corpus, seed 1 ({len(documents)} documents)", "",
                  "| rewrite_similarity | lone_rewrite_similarity | macro F1 | attribution | share MAE | independent classed derived |",
                  "|---|---|---|---|---|---|"]
        for rewrite, lone in itertools.product((0.3, 0.35, 0.4), (0.4, 0.5, 0.6)):
            settings = base.with_overrides(rewrite_similarity=rewrite, lone_rewrite_similarity=lone)
            m = corpus_metrics((r.score for r in score_corpus(documents, settings, model=model)), truth)
            lines.append(f"| {rewrite} | {lone} | {m['macro_f1']:.3f} | {m['attribution']:.3f} | {m['share_mae']:.3f} | "
                         f"{m['independent_as_derived']:.3f} |")
            print(lines[-1], file=sys.stderr)
        lines += ["", "| candidate_verify | macro F1 | attribution | share MAE | independent classed derived | seconds |",
                  "|---|---|---|---|---|---|"]
        for verify in (0.0, 0.03, 0.05, 0.08):
            began = time.time()
            results = score_corpus(documents, base.with_overrides(candidate_verify=verify), model=model)
            m = corpus_metrics((r.score for r in results), truth)
            lines.append(f"| {verify} | {m['macro_f1']:.3f} | {m['attribution']:.3f} | {m['share_mae']:.3f} | "
                         f"{m['independent_as_derived']:.3f} | {time.time() - began:.0f} |")
            print(lines[-1], file=sys.stderr)
    lines += ["", f"Took {time.time() - start:.0f} s.", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
