"""What a document says about where it came from, which side of a pair is the source, and which source
each of a document's sentences is credited to: every decision of who copied whom is made here.

Order of evidence: a `--reference` document is a source by definition; then a story
on the agency's own site; then a wire dateline (`BEIJING (AP) —`); a credit line (`… contributed to this report`) admits
derivation; then dates; and without any of those, the side that is less contained.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .scoring import match_weight
from .settings import Settings
from .types import Cleaned, Derivation, Evidence, Match, MatchKind

_AGENCIES = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "dpa": "dpa", "upi": "UPI", "bloomberg": "Bloomberg", "pa": "PA", "press association": "PA",
    "ansa": "ANSA", "efe": "EFE", "kyodo": "Kyodo", "xinhua": "Xinhua", "cnn": "CNN",
}
_AGENCY = "|".join(sorted((re.escape(k) for k in _AGENCIES), key=len, reverse=True))
DATELINE = re.compile(
    rf"^(?P<place>(?:[A-Z][A-Za-z.'-]*[ ,/]*){{0,4}})\((?P<agency>{_AGENCY})\)\s*[-—–]+\s*", re.IGNORECASE
)
CREDIT_LINE = re.compile(
    rf"^(?:(?:the )?(?P<agency>{_AGENCY})(?: writers?| reporters?| staff)?"
    rf"(?: [A-Z][a-z]+)*(?:,? and [^.]{{0,80}})? contributed to this (?:report|story|article)"
    rf"|(?:additional )?reporting by [^.]{{0,120}}(?:;\s*editing by [^.]{{0,120}})?"
    rf"|(?:\(c\)|©) ?(?:copyright )?(?:\d{{4}} )?(?P<owner>{_AGENCY})\b[^.]{{0,60}})\.?$",
    re.IGNORECASE,
)


def agency_name(raw: str) -> str:
    return _AGENCIES.get(raw.lower(), raw)


def dateline(text: str) -> tuple[str, str] | None:
    """(dateline, agency) when a paragraph opens like wire copy."""
    match = DATELINE.match(text)
    if not match:
        return None
    return match.group().strip(" —–-"), agency_name(match.group("agency"))


def is_credit_line(text: str) -> bool:
    return CREDIT_LINE.match(text.strip()) is not None


# The agencies' own sites: a story there is the wire original, not a reprint of it.
AGENCY_SITES = {
    "reuters.com": "Reuters", "apnews.com": "AP", "ap.org": "AP", "afp.com": "AFP", "dpa.com": "dpa",
    "upi.com": "UPI", "bloomberg.com": "Bloomberg", "pa.media": "PA", "ansa.it": "ANSA", "efe.com": "EFE",
    "kyodonews.net": "Kyodo", "xinhuanet.com": "Xinhua", "news.cn": "Xinhua",
}


def agency_of_site(host: str | None) -> str | None:
    """The agency whose own site `host` is (subdomains included), if any."""
    parts = (host or "").lower().split(".")
    return next((AGENCY_SITES[d] for d in (".".join(parts[i:]) for i in range(len(parts))) if d in AGENCY_SITES), None)


LEAD_WORDS = 8  # a paragraph this long is body text; shorter ones (a headline, "View", a date) are not the lead


def find_evidence(paragraphs: Sequence[str], lead: int = 3, host: str | None = None) -> Evidence:
    """A dateline counts only in the first `lead` body paragraphs (headlines and metadata lines kept before the
    story do not push it out); credit lines anywhere; the site names its agency."""
    body = [p for p in paragraphs if len(p.split()) >= LEAD_WORDS]
    found = next((d for d in map(dateline, body[:lead]) if d), None)
    site_agency = agency_of_site(host)
    credits = tuple(p for p in paragraphs if is_credit_line(p))
    agencies = []
    for credit in credits:
        match = CREDIT_LINE.match(credit.strip())
        raw = match and (match.group("agency") or match.group("owner"))
        if raw:
            agencies.append(agency_name(raw))
    return Evidence(
        wire_agency=found[1] if found else site_agency,
        dateline=found[0] if found else None,
        credit_lines=credits,
        credited_agencies=tuple(dict.fromkeys(agencies)),
        on_agency_site=site_agency is not None,
    )


def source_rank(evidence: Evidence, date: str | None, is_reference: bool) -> tuple:
    """Sort key: smaller is more likely the original (reference, agency's site, wire, uncredited, earlier)."""
    return (
        0 if is_reference else 1,
        0 if evidence.on_agency_site else 1,
        0 if evidence.wire_agency else 1,
        1 if evidence.credit_lines else 0,
        date or "9999",
    )


def origin_levels(docs: Sequence[Cleaned], reference_ids: frozenset[str]) -> list[int]:
    """How likely each document is an original, as a small integer (0: likeliest): its source rank, dates
    left out. Candidate generation asks the likeliest sources first."""
    kinds = [source_rank(d.evidence, None, d.document.id in reference_ids) for d in docs]
    levels = {kind: i for i, kind in enumerate(sorted(set(kinds)))}
    return [levels[k] for k in kinds]


def by_evidence(x: Cleaned, y: Cleaned, reference_ids: frozenset[str]) -> tuple[Cleaned, Cleaned] | None:
    """(derived, source) when the evidence tells them apart (reference, agency site, dateline, credit, date);
    None when it does not, and `by_coverage` decides."""
    rx = source_rank(x.evidence, x.document.date, x.document.id in reference_ids)
    ry = source_rank(y.evidence, y.document.date, y.document.id in reference_ids)
    if rx == ry:
        return None
    return (y, x) if rx < ry else (x, y)


def by_coverage(x: Cleaned, y: Cleaned, covered_x: float, covered_y: float) -> tuple[Cleaned, Cleaned]:
    """(derived, source) when no evidence tells: the side more covered by the other took from it (ties by id)."""
    return (x, y) if (covered_x, y.document.id) >= (covered_y, x.document.id) else (y, x)


def assign_sentences(
    derivations: Sequence[Derivation], sources: dict[str, Cleaned], reference_ids: frozenset[str], settings: Settings
) -> dict[int, tuple[str, Match]]:
    """Each sentence goes to one source: a `--reference` first, then a verbatim match, then the
    source nearest the origin, then the most certain match.

    Two sites that both copied the wire story match each other too; ranking by
    evidence sends their sentences to the wire copy rather than to each other. A
    verbatim copy beats an earlier story that only says something similar, but not a reference,
    which is a source by definition. Any other source must keep what made its passages reuse: a passage
    split between sources can leave one a headline that only resembles its own, which alone is no
    evidence (under `anchor_probability`); such a source is dropped, the weakest first, and its sentences
    go to the next source that has them. A reference keeps what it is credited with, however little:
    the user named it as a source.
    """
    options: dict[int, list[tuple[tuple, str, Match]]] = {}
    for derivation in derivations:
        src = sources[derivation.source]
        rank = source_rank(src.evidence, src.document.date, derivation.source in reference_ids)
        for match in derivation.matches:
            key = (rank[0], match.kind is not MatchKind.VERBATIM, rank, -match_weight(match), derivation.source)
            options.setdefault(match.a, []).append((key, derivation.source, match))
    dropped: set[str] = set()
    while True:
        left = {i: [o for o in found if o[1] not in dropped] for i, found in options.items()}
        chosen = {i: min(found, key=lambda o: o[0]) for i, found in left.items() if found}
        # in sentence order, whatever order the derivations came in: a certainty is a product of floats,
        # and a tie between two sources must stay a tie
        credited: dict[str, list[Match]] = {}
        for i in sorted(chosen):
            _, source, match = chosen[i]
            credited.setdefault(source, []).append(match)
        weak = [(certainty, source) for source, matches in credited.items() if source not in reference_ids
                and (certainty := _certainty(matches)) < settings.anchor_probability]
        if not weak:
            return {i: (source, match) for i, (_, source, match) in chosen.items()}
        dropped.add(min(weak)[1])


def _certainty(matches: Sequence[Match]) -> float:
    """The chance that at least one of `matches` is reuse, as if independent (as kernels._is_reuse counts a
    passage's)."""
    return 1.0 - math.prod(1.0 - match_weight(match) for match in matches)
