"""Calibrate derivation thresholds on labelled data, never on the seeds.

1. PAN text-alignment sample (verbatim reuse with character-offset truth): passage
   precision and recall of the alignment for each minimum passage length.
2. The BBC derivation set (derivation_set.py): for each rewrite threshold, the class
   cut-offs that maximise macro F1, the source accuracy and the share error.
Writes a Markdown table; the chosen values are Settings' defaults.

    python benchmarks/calibrate.py --data ../shared/data --out benchmarks/calibration.md
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from derivation_set import build  # noqa: E402

from provenance import Settings, load_model, score_corpus  # noqa: E402
from provenance.align import align_pair, profile  # noqa: E402
from provenance.scoring import classify  # noqa: E402
from provenance.text import sentence_spans  # noqa: E402

CLASSES = ("wholly-derived", "partially-derived", "original")


def pan_pairs(root: Path, limit: int) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(suspicious text, source text, truth character ranges in the suspicious text)."""
    out = []
    for xml in sorted((root / "truth-02-no-obfuscation").glob("*.xml"))[:limit]:
        body = xml.read_text(encoding="utf-8")
        susp = re.search(r'reference="([^"]+)"', body).group(1)
        src = re.search(r'source_reference="([^"]+)"', body).group(1)
        truth = [(int(o), int(o) + int(n)) for n, o in re.findall(r'this_length="(\d+)" this_offset="(\d+)"', body)]
        out.append(((root / "susp" / susp).read_text(encoding="utf-8"), (root / "src" / src).read_text(encoding="utf-8"), truth))
    return out


def pan_scores(pairs, settings: Settings) -> tuple[float, float]:
    """Character-level macro precision and recall of detected passages against the truth."""
    precisions, recalls = [], []
    for susp, src, truth in pairs:
        a_spans = sentence_spans(susp.replace("\n", " "))
        b_spans = sentence_spans(src.replace("\n", " "))
        a = [profile(susp[s:e]) for s, e in a_spans]
        b = [profile(src[s:e]) for s, e in b_spans]
        _, passages = align_pair(a, b, settings.verbatim_similarity, settings.rewrite_similarity, settings.min_passage_tokens)
        found = np.zeros(len(susp), bool)
        for p in passages:
            found[a_spans[p.a_start][0]:a_spans[p.a_end - 1][1]] = True
        want = np.zeros(len(susp), bool)
        for s, e in truth:
            want[s:e] = True
        hit = (found & want).sum()
        recalls.append(hit / want.sum())
        if found.any():
            precisions.append(hit / found.sum())
    return float(np.mean(precisions)), float(np.mean(recalls))


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    f1s = []
    for klass in CLASSES:
        tp = sum(t == p == klass for t, p in zip(truth, predicted))
        fp = sum(p == klass != t for t, p in zip(truth, predicted))
        fn = sum(t == klass != p for t, p in zip(truth, predicted))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def bbc_scores(references, labelled, settings: Settings, model) -> dict[str, float]:
    results = score_corpus([x.document for x in labelled], settings, references, model)
    shares = [r.score.derived_share for r in results]
    truth = [x.klass for x in labelled]
    grid = []
    for wholly, partial in itertools.product(np.arange(0.5, 0.96, 0.05), np.arange(0.05, 0.45, 0.05)):
        s = replace(settings, wholly_derived_share=float(wholly), partially_derived_share=float(partial))
        grid.append((macro_f1(truth, [classify(v, 0.0, s).value for v in shares]), float(wholly), float(partial)))
    top = max(g[0] for g in grid)
    plateau = [g for g in grid if g[0] >= top - 1e-9]
    # The middle of the best plateau, not its edge: a margin on both sides.
    best = (top, float(np.median([g[1] for g in plateau])), float(np.median([g[2] for g in plateau])))
    derived = [(x, r) for x, r in zip(labelled, results) if x.source]
    attribution = np.mean([bool(r.score.sources) and r.score.sources[0].id == x.source for x, r in derived])
    independent = [r for x, r in zip(labelled, results) if not x.source]
    false_derived = np.mean([r.score.derived_share >= best[2] for r in independent])
    mae = np.mean([abs(x.share - v) for x, v in zip(labelled, shares)])
    return {"macro_f1": best[0], "wholly": best[1], "partially": best[2], "attribution": float(attribution),
            "share_mae": float(mae), "independent_as_derived": float(false_derived)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/calibration.md"))
    parser.add_argument("--pan-pairs", type=int, default=200)
    parser.add_argument("--sources", type=int, default=150)
    args = parser.parse_args()
    start = time.time()
    base, model = Settings(), load_model()
    lines = ["# Derivation calibration", "", f"Command: `python benchmarks/calibrate.py --data {args.data}`", "",
             "## PAN text-alignment sample (verbatim cases), passage precision / recall by minimum passage length", "",
             "| min_passage_tokens | precision | recall |", "|---|---|---|"]
    pairs = pan_pairs(args.data / "pan-text-alignment-sample", args.pan_pairs)
    for tokens in (10, 15, 25, 40):
        p, r = pan_scores(pairs, replace(base, min_passage_tokens=tokens))
        lines.append(f"| {tokens} | {p:.3f} | {r:.3f} |")
    references, labelled = build(args.data, args.sources)
    lines += ["", f"## BBC derivation set ({len(labelled)} documents, {len(references)} references)", "",
              "Per rewrite threshold: the best class cut-offs and what they give.", "",
              "| rewrite_similarity | macro F1 | wholly ≥ | partially ≥ | source accuracy | share MAE | independent classed derived |",
              "|---|---|---|---|---|---|---|"]
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        m = bbc_scores(references, labelled, replace(base, rewrite_similarity=threshold), model)
        lines.append(f"| {threshold} | {m['macro_f1']:.3f} | {m['wholly']:.2f} | {m['partially']:.2f} | "
                     f"{m['attribution']:.3f} | {m['share_mae']:.3f} | {m['independent_as_derived']:.3f} |")
    lines += ["", f"Took {time.time() - start:.0f} s.", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
