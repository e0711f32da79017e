"""Calibrate and check alignment and classes on documents whose derived sentences people rewrote.

The project's generated corpus rewrites by its own rules; this one does not. Documents are built
from the shared human-labelled sentence pairs (provenance.reuse_training reads them):
- a source: the first sentences of ten pairs people judged reuse (MSRP equivalent, PAN-PC-10 rewrites),
  and two more of its own;
- near copy: a source's first ten sentences but one (verbatim reuse);
- wholly derived: the second sentences of another source's ten, in order, plus one sentence of its own;
- partially derived: four of a third source's, in order, among six sentences of its own;
- same event: the second sentences of ten MSRP pairs people judged *not* equivalent (same event,
  other content: often two rewrites of one wire story, so harder than independent reporting), in
  another order, against a document of their first sentences;
- same topic: a BBC article against the article of its category that shares the most content-word
  pairs with it (real, independently written; near-duplicates dropped as derivation_corpus does).
Sentences of its own come from other pairs, never from the document's source. The sources and the
same-event counterparts are given as references (`--reference`), as an editor checking stories against
the wire would. Calibration reads documents built from the training splits; the check, documents built
from the test splits.

`python benchmarks/human_rewrites.py --data ../shared/data --out benchmarks/human_rewrites.md`
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from bench_report import publish
from derivation_corpus import load_bbc
from sklearn.metrics import roc_auc_score

from provenance import Settings, load_model
from provenance.candidates import Incidence, Shingles, overlapping
from provenance.evaluation import Truth, corpus_metrics
from provenance.pipeline import score_corpus
from provenance.reuse_training import Pairs, read_sets
from provenance.scoring import classify
from provenance.signatures import shingle_hashes
from provenance.text import sentence_spans, word_grams
from provenance.types import DerivationClass, Document, Score

SENTENCES = 10
VARIANTS = ("near copy", "human rewrite", "partial rewrite", "same event", "same topic")
GRID = {"rewrite_probability": (0.2, 0.3, 0.4), "anchor_probability": (0.9, 0.95, 0.98, 0.99)}
SHARES = {"wholly_derived_share": (0.6, 0.7, 0.8), "partially_derived_share": (0.2, 0.3)}


def same_topic(data: Path) -> list[tuple[str, str]]:
    """BBC article pairs of one category, each article in one pair, the most similar first (exact containment
    of content-word pairs, as candidates.py finds it)."""
    rows = load_bbc(data)
    texts = [row["text"] for row in rows]
    sets = shingle_hashes([[t[s:e] for s, e in sentence_spans(t)] for t in texts])
    shingles = Shingles.of(sets)
    [(pairs, shared)] = overlapping(np.arange(len(rows)), Incidence.of(shingles, np.arange(len(rows)), 0.0))
    same = np.array([rows[x]["category"] == rows[y]["category"] for x, y in pairs], dtype=bool)
    pairs, shared = pairs[same], shared[same]
    used: set[int] = set()
    out = []
    for x, y in pairs[np.argsort(-shared, kind="stable")].tolist():
        if x not in used and y not in used:
            used |= {x, y}
            out.append((texts[x], texts[y]))
    return out


def build(sets: list[Pairs], topics: list[tuple[str, str]], documents: int,
          seed: int) -> tuple[list[Document], list[Document], dict[str, Truth]]:
    """`documents` groups, each of a near copy, a wholly and a partially derived document with a source of
    its own, and two independent ones with their same-event and same-topic counterparts; then the references."""
    rng = np.random.default_rng(seed)
    reuse = [(a, b) for p in sets[:2] for a, b, label in zip(p.first, p.second, p.labels) if label == 1]
    other = [(a, b) for a, b, label in zip(sets[0].first, sets[0].second, sets[0].labels) if label == 0]
    reuse = [reuse[i] for i in rng.permutation(len(reuse))]
    other = [other[i] for i in rng.permutation(len(other))]
    docs: list[Document] = []
    references: list[Document] = []
    truth: dict[str, Truth] = {}

    def document(name: str, sentences: list[str]) -> Document:
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]  # news-like paragraphs
        return Document(name, name, text="\n\n".join(paragraphs))

    def add(name: str, sentences: list[str], klass: str, source: str | None, share: float, variant: str) -> None:
        docs.append(document(name, sentences))
        truth[name] = Truth(name, klass, source, share, variant)

    def source(name: str) -> list[tuple[str, str]]:
        """A source of SENTENCES pairs' first sentences and two more of its own (rewrites condense)."""
        pairs = [next(take) for _ in range(SENTENCES)]
        references.append(document(name, [a for a, _ in pairs] + [next(take)[0] for _ in range(2)]))
        return pairs

    take = iter(reuse)
    for k in range(documents):
        copied = source(f"{k}-a")
        # a verbatim reprint of a reference is wire copy: references are sources by definition
        add(f"{k}-copy", [a for a, _ in copied[1:]], "wire-copy", f"{k}-a", 1.0, "near copy")
        rewritten = source(f"{k}-b")
        add(f"{k}-rewrite", [b for _, b in rewritten] + [next(take)[1]], "wholly-derived", f"{k}-b", 0.9,
            "human rewrite")
        partly = source(f"{k}-c")
        start = int(rng.integers(0, SENTENCES - 4))
        own = [next(take)[1] for _ in range(6)]
        add(f"{k}-partial", own[:3] + [b for _, b in partly[start:start + 4]] + own[3:], "partially-derived",
            f"{k}-c", 0.4, "partial rewrite")
        negatives = other[k * SENTENCES:(k + 1) * SENTENCES]
        references.append(document(f"{k}-event", [a for a, _ in negatives]))
        # an independent report of the same event tells it in its own order
        add(f"{k}-same-event", [negatives[i][1] for i in rng.permutation(len(negatives))], "original", None, 0.0,
            "same event")
        article, counterpart = topics[k]
        references.append(Document(f"{k}-topic", f"{k}-topic", text=counterpart))
        docs.append(Document(f"{k}-same-topic", f"{k}-same-topic", text=article))
        truth[f"{k}-same-topic"] = Truth(f"{k}-same-topic", "original", None, 0.0, "same topic")
    return docs, references, truth


def measure(scores: list[Score], truth: dict[str, Truth]) -> dict[str, float]:
    """Corpus metrics, the AUC of originality between derived and independent documents, and each variant's
    mean originality."""
    m = corpus_metrics(scores, truth)
    by = {s.id: s for s in scores}
    originality = {i: 1.0 if s.originality is None else s.originality for i, s in by.items()}  # nothing kept: own
    return {**m, **ranking(originality, truth)}


def ranking(originality: dict[str, float], truth: dict[str, Truth]) -> dict[str, float]:
    """The AUC of originality between derived documents and each kind of independent one, and each variant's
    mean originality."""
    derived = [originality[i] for i, t in truth.items() if t.source]
    m = {}
    for variant in ("same event", "same topic"):
        independent = [originality[i] for i, t in truth.items() if t.variant == variant]
        m[f"auc {variant}"] = roc_auc_score([1] * len(independent) + [0] * len(derived), independent + derived)
    for variant in VARIANTS:
        m[variant] = float(np.mean([originality[i] for i, t in truth.items() if t.variant == variant]))
    return m


def trigram_baseline(docs: list[Document], references: list[Document]) -> dict[str, float]:
    """The yardstick issue #29 measured against: as originality, 1 - the share of a document's word trigrams
    found in the reference that holds most of them."""
    held = [word_grams(r.text or "", 3) for r in references]
    originality = {}
    for doc in docs:
        own = word_grams(doc.text or "", 3)
        originality[doc.id] = 1 - max(len(own & r) / max(len(own), 1) for r in held)
    return originality


def reclassed(scores: list[Score], settings: Settings) -> list[Score]:
    """The scores as `settings`' class thresholds would class them (wire copy stays wire copy)."""
    return [s if s.klass is DerivationClass.WIRE_COPY else
            Score(**{**vars(s), "klass": classify(s.derived_share, 0.0, settings)}) for s in scores]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/human_rewrites.md"))
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args()
    train, test = read_sets(args.data)
    topics = same_topic(args.data)
    model = load_model()
    calibration, calibration_references, calibration_truth = build(train, topics, args.documents, seed=1)
    lines = ["# Human rewrites: calibration and check", "",
             f"Command: `python benchmarks/human_rewrites.py --data {args.data} --documents {args.documents}`", "",
             f"## Calibration: documents built from the training splits ({len(calibration)} documents, "
             f"{len(calibration_references)} references)", "",
             "| rewrite_probability | anchor_probability | wholly_derived_share | partially_derived_share | macro F1 "
             "| attribution | AUC vs same topic | AUC vs same event | independent classed derived |",
             "|---|---|---|---|---|---|---|---|---|"]
    for values in itertools.product(*GRID.values()):
        settings = Settings().with_overrides(**dict(zip(GRID, values)))
        scores = [r.score for r in score_corpus(calibration, settings, calibration_references, model)]
        for shares in itertools.product(*SHARES.values()):
            classed = settings.with_overrides(**dict(zip(SHARES, shares)))
            m = measure(reclassed(scores, classed), calibration_truth)
            lines.append(f"| {' | '.join(map(str, (*values, *shares)))} | {_metrics(m)} |")
        print(lines[-1], file=sys.stderr)
    defaults = Settings()
    check, check_references, check_truth = build(test, topics[args.documents:], args.documents, seed=2)
    m = measure([r.score for r in score_corpus(check, defaults, check_references, model)], check_truth)
    yardstick = ranking(trigram_baseline(check, check_references), check_truth)
    lines += ["", "Defaults: " + ", ".join(f"{n} = {getattr(defaults, n)}" for n in [*GRID, *SHARES]) + ".", "",
              f"## Check: documents built from the test splits ({len(check)} documents, {len(check_references)} "
              "references), the defaults", "",
              "| macro F1 | attribution | AUC vs same topic | AUC vs same event | independent classed derived |",
              "|---|---|---|---|---|", f"| {_metrics(m)} |", "",
              "Per class F1: " + ", ".join(f"{k} {v:.3f}" for k, v in m["f1"].items()) + ".", "",
              "Mean originality: " + ", ".join(f"{v} {m[v]:.3f}" for v in VARIANTS) + ".", "",
              "Yardstick, word-trigram containment in the reference that holds most (1 - it as originality): "
              f"AUC vs same topic {yardstick['auc same topic']:.3f}, vs same event {yardstick['auc same event']:.3f}; "
              "mean: " + ", ".join(f"{v} {yardstick[v]:.3f}" for v in VARIANTS) + "."]
    publish(lines, args.out)


def _metrics(m: dict) -> str:
    return " | ".join(f"{m[k]:.3f}" for k in ("macro_f1", "attribution", "auc same topic", "auc same event",
                                               "independent_as_derived"))


if __name__ == "__main__":
    main()
