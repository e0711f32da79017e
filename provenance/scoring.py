"""Originality and class from the per-sentence attribution of one document.

Two quantities, each for what it measures:
- `derived_share`, the share of content tokens in sentences taken from any source,
  decides the class (METER's wholly / partially / non-derived is about how much was taken);
- originality = 1 − expected derived tokens / content tokens, where a verbatim sentence
  counts fully and a rewritten one with its probability of being reuse (the reuse model's,
  learned from people's judgements). A paraphrase thus scores a little above a verbatim
  reprint, as it should. Source shares use the same weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .settings import Settings
from .types import Cleaned, Derivation, DerivationClass, Match, MatchKind, Score, SourceShare


def match_weight(match: Match) -> float:
    """How surely a match is reuse: a copy surely, a rewrite by its reuse probability."""
    return 1.0 if match.kind is MatchKind.VERBATIM else match.similarity


def score_document(
    cleaned: Cleaned,
    assigned: Mapping[int, tuple[str, Match]],
    derivations: Sequence[Derivation],
    wire_sources: frozenset[str],
    settings: Settings,
) -> Score:
    """`assigned` maps a sentence index to its chosen (source id, match)."""
    total = cleaned.content_tokens
    derived: dict[str, float] = defaultdict(float)
    verbatim_wire = other = 0.0
    for index, (source, match) in assigned.items():
        tokens = cleaned.sentences[index].tokens
        derived[source] += tokens * match_weight(match)
        if source not in wire_sources:
            other += tokens
        elif match.kind is MatchKind.VERBATIM:
            verbatim_wire += tokens
    covered = sum(cleaned.sentences[i].tokens for i in assigned)
    agency = cleaned.evidence.wire_agency
    if agency and total:
        derived[f"wire:{agency}"] += total - covered
        covered = total
    shares = {k: v / total for k, v in derived.items()} if total else {}
    derived_share = covered / total if total else 0.0
    originality = max(0.0, 1.0 - sum(shares.values())) if total else None
    # A story under its own agency's dateline is wire copy except what it took from non-wire sources;
    # any other document is wire copy by what it reprinted verbatim from the wire.
    wire_tokens = total - other if agency else verbatim_wire
    wire_share = wire_tokens / total if total else 0.0
    sources = tuple(sorted((SourceShare(k, round(v, 4)) for k, v in shares.items()), key=lambda s: (-s.share, s.id)))
    return Score(
        id=cleaned.document.id,
        originality=None if originality is None else round(originality, 4),
        klass=classify(derived_share, wire_share, settings) if total else None,
        sources=sources,
        content_tokens=total,
        derived_share=round(derived_share, 4),
        removed_blocks=cleaned.removed_blocks,
        error=None if total else "no content left after boilerplate removal",
        evidence=cleaned.evidence,
        derivations=tuple(derivations),
    )


def classify(derived_share: float, wire_share: float, settings: Settings) -> DerivationClass:
    if wire_share >= settings.wire_copy_share:
        return DerivationClass.WIRE_COPY
    if derived_share >= settings.wholly_derived_share:
        return DerivationClass.WHOLLY_DERIVED
    if derived_share >= settings.partially_derived_share:
        return DerivationClass.PARTIALLY_DERIVED
    return DerivationClass.ORIGINAL
