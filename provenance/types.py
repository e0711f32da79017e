"""The data model every stage speaks: documents in, scores out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .settings import Settings


class BlockKind(str, Enum):
    """What a block was in its page: the boilerplate model reads it as a feature."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    CAPTION = "caption"
    OTHER = "other"


class MatchKind(str, Enum):
    """How a sentence was taken: copied word for word, or rewritten (the reuse model's call)."""

    VERBATIM = "verbatim"
    REWRITTEN = "rewritten"


class DerivationClass(str, Enum):
    """A document's verdict, from its derived share (docs/accuracy.md) and wire evidence."""

    WIRE_COPY = "wire-copy"
    WHOLLY_DERIVED = "wholly-derived"
    PARTIALLY_DERIVED = "partially-derived"
    ORIGINAL = "original"


@dataclass(frozen=True)
class Document:
    """One article as read: `id` is stable across runs (relative path, JSONL id)."""

    id: str
    location: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Block:
    """A unit the boilerplate model judges: an HTML block element or a text line."""

    index: int
    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    tag_path: str = ""
    attrs: str = ""
    link_chars: int = 0
    depth: int = 0
    trimmed: str = ""
    negative_attrs: int = 0
    positive_attrs: int = 0
    hidden: bool = False  # under an element the page hides (display:none, hidden, aria-hidden)
    unit_depth: int = 0  # how far up the tree its look-alikes on the page meet (0: it has none)


@dataclass(frozen=True)
class LabelledBlock:
    block: Block
    content_probability: float
    is_content: bool


@dataclass(frozen=True)
class Sentence:
    """A content sentence: `start`/`end` are offsets into the cleaned text."""

    index: int
    start: int
    end: int
    text: str
    tokens: int


@dataclass(frozen=True)
class Match:
    """Sentence `a` of the derived document aligned to sentence `b` of its source."""

    a: int
    b: int
    similarity: float
    kind: MatchKind


@dataclass(frozen=True)
class Passage:
    """Consecutive matches merged: sentence ranges [a_start, a_end) ↔ [b_start, b_end)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: MatchKind


@dataclass(frozen=True)
class Evidence:
    """What a document says about its own origin."""

    wire_agency: str | None = None
    dateline: str | None = None
    credit_lines: tuple[str, ...] = ()
    credited_agencies: tuple[str, ...] = ()
    on_agency_site: bool = False  # published by the agency itself (reuters.com, apnews.com, ...)


@dataclass(frozen=True)
class Cleaned:
    """A document after boilerplate removal, split into content sentences."""

    document: Document
    blocks: tuple[LabelledBlock, ...]
    text: str
    sentences: tuple[Sentence, ...]
    evidence: Evidence

    @property
    def removed_blocks(self) -> int:
        return sum(not b.is_content for b in self.blocks)

    @cached_property
    def content_tokens(self) -> int:
        """Cached: alignment asks for it for every candidate pair."""
        return sum(s.tokens for s in self.sentences)


@dataclass(frozen=True)
class Derivation:
    """`document` took `share` of its content tokens from `source`."""

    document: str
    source: str
    share: float
    matches: tuple[Match, ...] = ()
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class SourceShare:
    id: str
    share: float


@dataclass(frozen=True)
class Score:
    id: str
    originality: float | None
    klass: DerivationClass | None
    sources: tuple[SourceShare, ...] = ()
    content_tokens: int = 0
    derived_share: float = 0.0
    removed_blocks: int = 0
    error: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    derivations: tuple[Derivation, ...] = ()


@dataclass(frozen=True)
class Result:
    """A score with what it rests on: the cleaned document and, per sentence, its chosen (source, match)."""

    score: Score
    cleaned: Cleaned | None
    assigned: Mapping[int, tuple[str, Match]] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    """Everything a report needs: the results, the cleaned sources outside them (references, archive,
    earlier windows), the settings used."""

    results: list[Result]
    references: dict[str, Cleaned]
    settings: Settings
