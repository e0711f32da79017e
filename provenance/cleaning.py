"""Boilerplate removal applied to documents: blocks, labels, content text, sentences, evidence.

Credit lines are evidence, not content: they are taken out of the text whatever
the classifier said, and kept in `Cleaned.evidence`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlparse

import numpy as np

from .attribution import find_evidence, is_credit_line
from .blocks import segment
from .boilerplate import BoilerplateModel
from .engine import Engine, LocalEngine
from .settings import Settings
from .text import sentence_spans, word_grams, words
from .types import Block, Cleaned, Document, LabelledBlock, Sentence

CORPUS = ""  # the template group of documents with neither a site nor a URL


def site_key(document: Document) -> str:
    """Documents of one site share a template; without a site or URL, the batch is the group."""
    if document.site:
        return document.site.lower()
    if document.url:
        return urlparse(document.url).netloc.lower() or CORPUS
    return CORPUS


@dataclass(frozen=True)
class TemplateGroup:
    """How many of a group's documents hold each line, and how many documents it has."""

    counts: Counter[str]
    size: int

    def is_template(self, line: str, settings: Settings) -> bool:
        """A short line in most documents of a large enough group is template whatever the model says."""
        return (
            self.size >= settings.template_min_documents
            and self.counts.get(line, 0) >= settings.template_share * self.size
            and len(words(line)) < settings.template_max_words
        )


DOCUMENTS_PER_TASK = 100


def clean_batch(
    documents: Sequence[Document], model: BoilerplateModel, settings: Settings, engine: Engine | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[Cleaned]:
    """Each document cleaned, in order, with the batch's site templates; each page is parsed once.
    `meanwhile`: this process's own work, done as the engine's workers label the blocks (see Engine)."""
    engine = engine or LocalEngine(1)
    if len(documents) > DOCUMENTS_PER_TASK:  # tasks big enough for the compiled tree walk (trees.py)
        from .kernels import load

        load()  # before the pools fork (see kernels.py)
    blocks = engine.map(_segment, documents, None, DOCUMENTS_PER_TASK, label="parsing documents")
    segmented = list(zip(documents, blocks))
    templates = template_counts(segmented, settings)
    labelled = engine.map(_clean, segmented, (model, settings, templates), DOCUMENTS_PER_TASK, meanwhile,
                          label="cleaning documents")
    return [replace(cleaned, blocks=tuple(map(LabelledBlock, own, chances.tolist(), content.tolist())))
            for (cleaned, chances, content), own in zip(labelled, blocks)]


def _segment(documents: Sequence[Document], _: None) -> list[list[Block]]:
    return [segment(d) for d in documents]


def _clean(
    segmented: Sequence[tuple[Document, list[Block]]],
    shared: tuple[BoilerplateModel, Settings, dict[str, TemplateGroup]],
) -> list[tuple[Cleaned, np.ndarray, np.ndarray]]:
    """Each document cleaned, its blocks sent back as two arrays (content probability, is content):
    the caller has the blocks, and unpickling them again took longer than cleaning them."""
    model, settings, templates = shared
    return [(replace(c, blocks=()), np.array([b.content_probability for b in c.blocks]),
             np.array([b.is_content for b in c.blocks], dtype=bool))
            for c in clean_pages(segmented, model, settings, templates)]


def template_counts(
    segmented: Iterable[tuple[Document, Sequence[Block]]], settings: Settings
) -> dict[str, TemplateGroup]:
    """Line counts per site (the model's `repeats_in_corpus` feature and the template rule).

    In the site-less corpus group only short lines count: a folder of news often
    reprints the same wire paragraph, which is reuse to find, not template.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    for document, blocks in segmented:
        key = site_key(document)
        lines = {b.text for b in blocks}
        if key == CORPUS:
            lines = {line for line in lines if len(words(line)) < settings.template_max_words}
        counts[key].update(lines)
        sizes[key] += 1
    return {key: TemplateGroup(counts[key], sizes[key]) for key in counts}


def clean_pages(
    segmented: Sequence[tuple[Document, Sequence[Block]]],
    model: BoilerplateModel,
    settings: Settings,
    templates: dict[str, TemplateGroup] | None = None,
) -> list[Cleaned]:
    """Documents already segmented (clean_batch does it once for templates and cleaning), labelled together."""
    groups = [(templates or {}).get(site_key(document)) for document, _ in segmented]
    pages = [(blocks, document.html is not None, group.counts if group else None, group.size if group else 0)
             for (document, blocks), group in zip(segmented, groups)]
    labelled = model.classify_pages(pages, settings.content_threshold)
    return [_cleaned(document, blocks, group, settings) for (document, _), blocks, group in zip(segmented, labelled, groups)]


def clean_document(
    document: Document, model: BoilerplateModel, settings: Settings, templates: dict[str, TemplateGroup] | None = None
) -> Cleaned:
    return clean_pages([(document, segment(document))], model, settings, templates)[0]


REPEATED_MIN_WORDS = 5
HIDDEN_COPY_SHARE = 0.8
_SHINGLE = 5  # words


def copies(blocks: Sequence[Block]) -> list[bool]:
    """For each of a page's content blocks, whether it shows again what the page already shows: kept twice, it
    inflates the content and matches the page with itself (docs/boilerplate.md).
    - The same text as an earlier block, at least REPEATED_MIN_WORDS words: a layout for each screen size, a
      carousel, a pull quote. Shorter lines repeat as content in tables and lists.
    - A hidden block whose word 5-grams are mostly in the visible ones: the article again for search engines
      (schema.org's articleBody) or for print."""
    seen: set[str] = set()
    out = []
    for block in blocks:
        out.append(block.text in seen and len(words(block.text)) >= REPEATED_MIN_WORDS)
        seen.add(block.text)
    if any(b.hidden for b in blocks):
        shown = set().union(*(word_grams(b.text, _SHINGLE) for b in blocks if not b.hidden))
        for i, block in enumerate(blocks):
            own = word_grams(block.text, _SHINGLE) if block.hidden else set()
            out[i] = out[i] or bool(own) and len(own & shown) >= HIDDEN_COPY_SHARE * len(own)
    return out


def _cleaned(document: Document, labelled: list[LabelledBlock], group: TemplateGroup | None, settings: Settings) -> Cleaned:
    credits = {b.block.index for b in labelled if is_credit_line(b.block.text)}
    junk = credits | {b.block.index for b in labelled if group and group.is_template(b.block.text, settings)}
    kept = [b.block for b in labelled if b.is_content and b.block.index not in junk]
    junk |= {block.index for block, twice in zip(kept, copies(kept)) if twice}
    labelled = [LabelledBlock(b.block, b.content_probability, False) if b.block.index in junk else b for b in labelled]
    paragraphs = [b.block.text for b in labelled if b.is_content]
    evidence = find_evidence(
        paragraphs + [b.block.text for b in labelled if b.block.index in credits], host=site_key(document) or None
    )
    text = "\n".join(paragraphs)
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in paragraphs:
        for start, end, tokens in _sentences(paragraph):
            sentences.append(Sentence(len(sentences), offset + start, offset + end, paragraph[start:end], tokens))
        offset += len(paragraph) + 1
    return Cleaned(document, tuple(labelled), text, tuple(sentences), evidence)


@lru_cache(maxsize=16384)
def _sentences(paragraph: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, tokens) of each sentence. Cached by text, as features._own is: reprints repeat paragraphs."""
    return tuple((start, end, len(words(paragraph[start:end]))) for start, end in sentence_spans(paragraph))
