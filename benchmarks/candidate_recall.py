"""Candidate recall against exact containment: is every pair at `candidate_containment` found, and is every
document aligned with a partner as good as its best?

Truth: every pair of documents whose shingle containment (shared / smaller set) reaches the threshold,
counted exactly over the whole corpus by the sparse product (tests/test_candidates.py checks it against
set intersections). Paths measured:
- one batch: that product (candidates.overlapping), as `score` runs a window: exact by construction, timed;
- window by window and `score --index`: the first window's documents in an index (as the earlier windows'
  store keeps them), the second window's pairs with them found by `archive_sources`: exactly, since they are
  within `exact_horizon`; and by LSH alone, as documents past the horizon are.
Candidates are not all aligned: a story reprinted by m sites makes m² pairs. What `pairs_to_align` keeps (each
document's `candidates_per_document` closest or likeliest sources, after an index's `index_candidates` a
document) is measured by the documents it serves: those aligned with a partner holding 90 % of what their
closest partner holds, among the partners a stream lets them see (in the same window or an earlier one).

`python benchmarks/candidate_recall.py --corpus build/corpus-10k --out benchmarks/candidate_recall.md`
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_report import publish

from provenance import Settings, load_model, read
from provenance.archive import Fingerprints, archive_sources
from provenance.candidates import Incidence, Shingles, overlapping, unique_pairs
from provenance.cleaning import clean_batch
from provenance.engine import LocalEngine
from provenance.index import BUCKET, Bands, Entry
from provenance.index.sqlite_store import SqliteIndex
from provenance.pipeline import pairs_to_align
from provenance.signatures import stacked
from provenance.types import Cleaned, Document

Pair = tuple[int, int]


def exact(sets: list[np.ndarray], threshold: float) -> set[Pair]:
    shared = Incidence.of(Shingles.of(sets), np.arange(len(sets)), threshold)
    blocks = [overlapping(np.arange(s, min(s + 500, len(sets))), shared)[0][0] for s in range(0, len(sets), 500)]
    return set(map(tuple, unique_pairs(blocks).tolist()))


def aligned(documents: list[Cleaned], number: dict[str, int], settings: Settings, engine: LocalEngine,
            links: dict[str, list[str]] | None = None) -> set[Pair]:
    """The pairs `score` aligns among `documents` (corpus numbers), those `links` drew from an index settled."""
    drawn = frozenset(i for ids in (links or {}).values() for i in ids)
    pairs = pairs_to_align(documents, frozenset(), settings, engine, drawn, links)
    found = np.array([number[c.document.id] for c in documents])[pairs] if len(pairs) else np.zeros((0, 2), int)
    return set(map(tuple, np.sort(found, axis=1).tolist()))


def served(shares: dict[Pair, float], chosen: set[Pair], window: int) -> tuple[int, int]:
    """(documents served, documents with a partner): served when an aligned partner holds 90 % of what the
    closest partner it can see holds (in its window or an earlier one): a reprint has many equally good
    sources, so any that holds about as much will do."""
    best: dict[int, float] = {}
    got: dict[int, float] = {}
    for (x, y), share in shares.items():
        for document, partner in ((x, y), (y, x)):
            if partner // window <= document // window:
                best[document] = max(best.get(document, 0.0), share)
                if (x, y) in chosen:
                    got[document] = max(got.get(document, 0.0), share)
    return sum(got.get(d, 0.0) >= 0.9 * share for d, share in best.items()), len(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/corpus-10k"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/candidate_recall.md"))
    args = parser.parse_args()
    settings = Settings()
    engine = LocalEngine(2)
    documents = [d for d in read([args.corpus / "documents.jsonl"]) if isinstance(d, Document)]
    cleaned = clean_batch(documents, load_model(), settings, engine)
    fingerprints = Fingerprints(settings)
    signatures, sets = fingerprints(cleaned, engine)
    truth = exact(sets, settings.candidate_containment)
    began = time.perf_counter()
    batch = exact(sets, settings.candidate_containment)  # the stage itself, timed
    seconds = time.perf_counter() - began
    shares = {(x, y): np.intersect1d(sets[x], sets[y]).size / max(min(sets[x].size, sets[y].size), 1)
              for x, y in truth}
    half = settings.window_documents
    across = {(x, y) for x, y in truth if x < half <= y}
    number = {c.document.id: n for n, c in enumerate(cleaned)}
    lines = ["# Candidate recall against exact containment", "",
             f"Command: `python benchmarks/candidate_recall.py --corpus {args.corpus}`", "",
             f"{len(cleaned):,} documents, {len(truth):,} pairs at containment ≥ {settings.candidate_containment} "
             f"({len(across):,} of them between the first {half:,} documents and the rest).", "",
             "## Candidates", "",
             "| path | pairs found of those | recall |", "|---|---|---|",
             f"| one batch (exact product, {seconds:.1f} s) | {len(batch & truth):,} of {len(truth):,} "
             f"| {len(batch & truth) / max(len(truth), 1):.4f} |"]
    whole = aligned(cleaned, number, settings, engine)
    first = aligned(cleaned[:half], number, settings, engine)
    kept = [("one batch", whole, len(cleaned))]
    with tempfile.TemporaryDirectory() as tmp:
        index = SqliteIndex(Path(tmp) / "index.sqlite", Bands.for_settings(settings), create=True, durable=False)
        index.add(Entry(Document(c.document.id, c.document.location), m, s)
                  for c, m, s in zip(cleaned[:half], *fingerprints(cleaned[:half])))
        paths = {"window by window / `--index`": settings,
                 "LSH alone (`exact_horizon = 0`: documents past the horizon)":
                     settings.with_overrides(exact_horizon=0)}
        for path, chosen in paths.items():
            for cap in (0, settings.index_candidates):
                capped = chosen.with_overrides(index_candidates=cap)
                began = time.perf_counter()
                found = archive_sources(index, cleaned[half:], capped, fingerprints, engine)
                seconds = time.perf_counter() - began
                pairs = {(number[i], number[doc]) for doc, ids in found.items() for i in ids}
                if cap == 0:
                    lines.append(f"| {path} ({seconds:.1f} s) | {len(pairs & across):,} of {len(across):,} "
                                 f"| {len(pairs & across) / max(len(across), 1):.4f} |")
                    if chosen.exact_horizon == 0:
                        missed = sorted(across - pairs)
                    continue
                drawn = sorted({number[i] for ids in found.values() for i in ids})
                second = aligned(cleaned[half:] + [cleaned[n] for n in drawn], number, settings, engine, found)
                kept.append((f"{path}: two windows", first | second, half))
        bands = index.bands
        values = stacked([signatures[i] for pair in missed for i in pair], settings.num_perm).reshape(
            len(missed), 2, -1)[:, :, :bands.b * bands.r].reshape(len(missed), 2, bands.b, bands.r)
        banded = (values[:, 0] == values[:, 1]).all(axis=2).any(axis=1)
        index.close()
    lines += ["", f"An index's (or the earlier windows') last {settings.exact_horizon:,} documents are compared "
              f"exactly (`exact_horizon`), so at {half:,} stored the look-up is exact. Of the {len(missed):,} "
              f"pairs LSH alone misses, {1 - banded.mean():.0%} share no LSH band ({bands.b} bands of {bands.r}); "
              f"the others share one but their signatures' estimated Jaccard and containment are under "
              f"`index_threshold` ({settings.index_threshold}) and `candidate_verify` ({settings.candidate_verify}), "
              f"or they are past a bucket's first {BUCKET} documents.", "",
              "## What is aligned", "",
              f"At the defaults: `candidates_per_document` = {settings.candidates_per_document}, "
              f"`index_candidates` = {settings.index_candidates}.", "",
              "| path | pairs aligned of those | documents served |", "|---|---|---|"]
    for path, chosen, window in kept:
        hit, total = served(shares, chosen, window)
        lines.append(f"| {path} | {len(chosen & truth):,} of {len(truth):,} ({len(chosen & truth) / len(truth):.2f}) "
                     f"| {hit:,} of {total:,} ({hit / max(total, 1):.4f}) |")
    publish(lines, args.out)


if __name__ == "__main__":
    main()
