"""Derivation verdicts against truth: a labelled corpus (documents.jsonl + truth.jsonl) and PAN text alignment.

Corpus metrics follow METER's framing plus wire copy: class accuracy and macro F1 over
the four classes, source attribution on derived documents, mean absolute error of the
derived share, and how often an independent article is called derived. PAN metrics are
the text-alignment measures of Potthast et al. (2010): character-level macro precision
and recall over both documents of a pair, granularity, and PlagDet.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from .align import align_pair, trimmed_span
from .settings import Settings
from .text import WORD, sentence_spans
from .types import DerivationClass, Score

CLASSES = tuple(c.value for c in DerivationClass)


@dataclass(frozen=True)
class Truth:
    id: str
    klass: str
    source: str | None
    share: float
    variant: str = ""


def read_truth(path: Path) -> dict[str, Truth]:
    out = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            out[row["id"]] = Truth(row["id"], row["klass"], row.get("source"), float(row["share"]), row.get("variant", ""))
    return out


def corpus_metrics(scores: Iterable[Score], truth: dict[str, Truth]) -> dict:
    """Scores without truth are ignored; a document that failed counts as wrong."""
    rows = [(truth[s.id], s) for s in scores if s.id in truth]
    predicted = [s.klass.value if s.klass else "error" for _, s in rows]
    wanted = [t.klass for t, _ in rows]
    per_class = {k: _f1(wanted, predicted, k) for k in CLASSES}
    derived = [(t, s) for t, s in rows if t.source]
    independent = [s for t, s in rows if t.klass == DerivationClass.ORIGINAL.value]
    variants = sorted({t.variant for t, _ in rows if t.variant})
    return {
        "documents": len(rows),
        "accuracy": float(np.mean([w == p for w, p in zip(wanted, predicted)])) if rows else math.nan,
        "macro_f1": float(np.mean(list(per_class.values()))),
        "f1": per_class,
        "attribution": float(np.mean([bool(s.sources) and s.sources[0].id == t.source for t, s in derived]))
        if derived else math.nan,
        "share_mae": float(np.mean([abs(t.share - (s.derived_share or 0.0)) for t, s in rows])) if rows else math.nan,
        "independent_as_derived": float(np.mean([s.klass not in (None, DerivationClass.ORIGINAL) for s in independent]))
        if independent else math.nan,
        "by_variant": {
            v: float(np.mean([p == t.klass for (t, _), p in zip(rows, predicted) if t.variant == v])) for v in variants
        },
    }


def _f1(wanted: Sequence[str], predicted: Sequence[str], klass: str) -> float:
    tp = sum(w == p == klass for w, p in zip(wanted, predicted))
    fp = sum(p == klass != w for w, p in zip(wanted, predicted))
    fn = sum(w == klass != p for w, p in zip(wanted, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@dataclass(frozen=True)
class PanPair:
    """A suspicious and a source text, and the true reuse cases as (susp range, source range)."""

    susp: str
    src: str
    cases: tuple[tuple[tuple[int, int], tuple[int, int]], ...]


def read_pan(root: Path, limit: int | None = None, min_match: float = 0.8) -> tuple[list[PanPair], int]:
    """The labelled pairs of a PAN text-alignment folder (truth-*/ XML, susp/, src/), and how many cases were dropped.

    Copies of PAN texts in circulation were re-extracted: offsets in the suspicious
    document drift and words differ. A case is re-placed on the span of the suspicious
    document that difflib matches to its source text near the stated offset (or, failing
    that, anywhere), and kept when that match holds at least `min_match` of the source's
    words; otherwise dropped.
    """
    pairs, dropped = [], 0
    for xml in sorted(root.glob("truth-*/*.xml"))[:limit]:
        body = xml.read_text(encoding="utf-8")
        susp = _exact(root / "susp" / re.search(r'reference="([^"]+)"', body).group(1))
        src = _exact(root / "src" / re.search(r'source_reference="([^"]+)"', body).group(1))
        cases = []
        for m in re.finditer(r"<feature[^>]*>", body):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group()))
            if "this_offset" not in attrs:
                continue
            a, b = int(attrs["this_offset"]), int(attrs["source_offset"])
            b_range = (b, b + int(attrs["source_length"]))
            copied = src[b_range[0]:b_range[1]]
            stated = (a, a + int(attrs["this_length"]))
            a_range = _replaced(susp, stated, copied, min_match) or _replaced(susp, (0, len(susp)), copied, min_match, 0)
            if a_range:
                cases.append((a_range, b_range))
            else:
                dropped += 1
        pairs.append(PanPair(susp, src, tuple(cases)))
    return pairs, dropped


def _replaced(susp: str, stated: tuple[int, int], copied: str, min_match: float, near: int = 2) -> tuple[int, int] | None:
    margin = near * (stated[1] - stated[0])
    lo = max(stated[0] - margin, 0)
    window = [(lo + m.start(), lo + m.end(), m.group()) for m in WORD.finditer(susp[lo:stated[1] + margin])]
    wanted = WORD.findall(copied)
    matcher = SequenceMatcher(None, [w for _, _, w in window], wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 3]
    if not blocks or sum(b.size for b in blocks) < min_match * len(wanted):
        return None
    start, end = window[blocks[0].a][0], window[blocks[-1].a + blocks[-1].size - 1][1]
    while end < len(susp) and not susp[end].isspace() and not susp[end].isalnum():  # closing punctuation
        end += 1
    return start, end


def _exact(path: Path) -> str:
    """The text with its own line ends: PAN offsets count a CRLF as two characters."""
    with path.open(encoding="utf-8", newline="") as stream:
        return stream.read()


def detect(pair: PanPair, settings: Settings) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """provenance's passages for one pair, as character ranges trimmed to where the copying starts and ends."""
    a_spans, b_spans = sentence_spans(pair.susp), sentence_spans(pair.src)
    a_texts, b_texts = [pair.susp[s:e] for s, e in a_spans], [pair.src[s:e] for s, e in b_spans]
    semantic = None
    if settings.semantic:
        from .semantic import load_encoder

        encoder = load_encoder()
        semantic = encoder.encode(a_texts) @ encoder.encode(b_texts).T
    _, passages = align_pair(a_texts, b_texts, settings, semantic)
    out = []
    for p in passages:
        a_range = (a_spans[p.a_start][0], a_spans[p.a_end - 1][1])
        b_range = (b_spans[p.b_start][0], b_spans[p.b_end - 1][1])
        out.append(trimmed_span(pair.susp, a_range, pair.src, b_range))
    return out


def pan_metrics(pairs: Sequence[PanPair], settings: Settings) -> dict[str, float]:
    """Macro precision and recall over characters of both documents, granularity and PlagDet."""
    precisions, recalls, granularity = [], [], []
    for pair in pairs:
        found = detect(pair, settings)
        for case in pair.cases:
            recalls.append(_covered(case, found))
            hits = sum(_overlaps(case, r) for r in found)
            if hits:
                granularity.append(hits)
        precisions.extend(_covered(r, pair.cases) for r in found)
    p = float(np.mean(precisions)) if precisions else 0.0
    r = float(np.mean(recalls)) if recalls else 0.0
    g = float(np.mean(granularity)) if granularity else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs": len(pairs), "precision": p, "recall": r, "granularity": g, "plagdet": f1 / math.log2(1 + g)}


def _length(span: tuple[int, int]) -> int:
    return max(span[1] - span[0], 0)


def _overlaps(x, y) -> bool:
    """A detection detects a case when they overlap in both documents (Potthast et al. 2010)."""
    return all(min(x[i][1], y[i][1]) > max(x[i][0], y[i][0]) for i in (0, 1))


def _covered(x, others) -> float:
    """Share of x's characters (both sides) that some of `others` covers."""
    covered = 0
    for side in (0, 1):
        mask = np.zeros(_length(x[side]), bool)
        for o in others:
            lo, hi = max(x[side][0], o[side][0]), min(x[side][1], o[side][1])
            if hi > lo:
                mask[lo - x[side][0]:hi - x[side][0]] = True
        covered += int(mask.sum())
    total = _length(x[0]) + _length(x[1])
    return covered / total if total else 0.0
