"""Boilerplate removal applied to documents: blocks, labels, content text, sentences, evidence.

Credit lines are evidence, not content: they are taken out of the text whatever
the classifier said, and kept in `Cleaned.evidence`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from urllib.parse import urlparse

from .attribution import find_evidence, is_credit_line
from .blocks import segment
from .boilerplate import BoilerplateModel
from .settings import Settings
from .text import sentence_spans, words
from .types import Cleaned, Document, LabelledBlock, Sentence


def site_key(document: Document) -> str | None:
    """Documents of one site share a template; without a site or URL there is no template signal."""
    if document.site:
        return document.site.lower()
    if document.url:
        return urlparse(document.url).netloc.lower() or None
    return None


def template_counts(documents: Sequence[Document]) -> dict[str, tuple[Counter[str], int]]:
    """Per site: how many of its documents hold each line, and how many documents it has."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    for document in documents:
        key = site_key(document)
        if key:
            counts[key].update({b.text for b in segment(document)})
            sizes[key] += 1
    return {key: (counts[key], sizes[key]) for key in counts}


def clean_document(
    document: Document,
    model: BoilerplateModel,
    settings: Settings,
    templates: dict[str, tuple[Counter[str], int]] | None = None,
) -> Cleaned:
    blocks = segment(document)
    counts, size = (templates or {}).get(site_key(document) or "", (None, 0))
    labelled = model.classify(blocks, document.html is not None, settings.content_threshold, counts, size)
    credits = {b.block.index for b in labelled if is_credit_line(b.block.text)}
    labelled = [
        LabelledBlock(b.block, b.content_probability, False) if b.block.index in credits else b for b in labelled
    ]
    paragraphs = [b.block.text for b in labelled if b.is_content]
    evidence = find_evidence(paragraphs + [b.block.text for b in labelled if b.block.index in credits])
    text = "\n".join(paragraphs)
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in paragraphs:
        for start, end in sentence_spans(paragraph):
            chunk = paragraph[start:end]
            sentences.append(Sentence(len(sentences), offset + start, offset + end, chunk, len(words(chunk))))
        offset += len(paragraph) + 1
    return Cleaned(document, tuple(labelled), text, tuple(sentences), evidence)
