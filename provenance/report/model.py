"""The report's data: summary rows, graph, and per-document detail (text, sentence marks, alignments).

One dict serves all three report formats: JSON writes it, Markdown and HTML render it.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..types import Analysis, Cleaned, Match, Result
from .graph import layout
from .records import evidence_record, record

MAX_LONE_NODES = 300


def report_data(analysis: Analysis) -> dict[str, Any]:
    cleaned: dict[str, Cleaned] = dict(analysis.references)
    cleaned.update((r.score.id, r.cleaned) for r in analysis.results if r.cleaned)  # a scored document's own, with blocks
    edges = [
        {"source": s.id, "target": r.score.id, "share": s.share}
        for r in analysis.results for s in r.score.sources if s.id in cleaned
    ]
    # Unrelated documents get a node of their own while the graph stays readable.
    lone = [r.score.id for r in analysis.results] if len(analysis.results) <= MAX_LONE_NODES else []
    positions = layout(((e["source"], e["target"], e["share"]) for e in edges), lone)
    by_id = {r.score.id: r for r in analysis.results}
    return {
        "version": __version__,
        "settings": analysis.settings.as_dict(),
        "documents": [record(r) for r in analysis.results],
        "references": sorted(analysis.references),
        "edges": edges,
        "layout": {k: [round(x, 4), round(y, 4)] for k, (x, y) in positions.items()},
        "details": {doc_id: detail(doc, by_id.get(doc_id)) for doc_id, doc in cleaned.items()},
    }


def detail(doc: Cleaned, result: Result | None) -> dict[str, Any]:
    """Blocks in page order; content blocks list their sentences, each marked with its origin."""
    assigned = dict(result.assigned) if result else {}
    wire = doc.evidence.wire_agency
    sentences = []
    for s in doc.sentences:
        source, match = assigned.get(s.index, (None, None))
        sentences.append(_sentence(s.text, source, match, f"wire:{wire}" if wire and source is None else None))
    blocks, offset, next_sentence = [], 0, 0
    for b in doc.blocks:
        item: dict[str, Any] = {"content": b.is_content, "p": round(b.content_probability, 3)}
        if b.block.trimmed:
            item["trimmed"] = b.block.trimmed
        if b.is_content:
            end = offset + len(b.block.text)
            first = next_sentence
            while next_sentence < len(doc.sentences) and doc.sentences[next_sentence].start < end:
                next_sentence += 1
            item["sentences"] = [first, next_sentence]
            offset = end + 1
        else:
            item["text"] = b.block.text
        blocks.append(item)
    derivations = [
        {"source": d.source, "share": d.share,
         "matches": [[m.a, m.b, m.kind.value, round(m.similarity, 3)] for m in d.matches]}
        for d in (result.score.derivations if result else ())
    ]
    return {"title": doc.document.title, "url": doc.document.url, "blocks": blocks, "sentences": sentences,
            "derivations": derivations, "evidence": evidence_record(doc.evidence)}


def _sentence(text: str, source: str | None, match: Match | None, wire: str | None) -> dict[str, Any]:
    if match is None:
        return {"text": text, "label": "wire" if wire else "original", "source": wire}
    return {"text": text, "label": match.kind.value, "source": source, "b": match.b,
            "similarity": round(match.similarity, 3)}
