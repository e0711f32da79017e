"""Segmentation: a Document becomes Blocks, one pass over the DOM or over text lines.

HTML is parsed by lxml.html directly and walked once with iterwalk: bs4's tree
building alone costs as much as a whole extractor (DESIGN.md), so bs4 is used only
for what it is best at, detecting the charset of undeclared pages (ingest.files).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from html import unescape

from lxml import etree, html

from .text import normalize
from .types import Block, BlockKind, Document

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# `head` is not skipped whole, only what it holds: an unclosed unknown element there (`<fb:like>`) makes
# libxml2 put the whole body under it, and skipping the head then lost the page. `noscript` is read: pages
# rendered by script (forum software, single-page apps) put their server-rendered text there, and its
# "enable JavaScript" notices are junk the model drops like any other
SKIP_TAGS = frozenset(
    "script style template svg iframe object embed canvas title meta link base select option "
    "textarea button input map math".split()
)
_KINDS = {
    **{f"h{i}": BlockKind.HEADING for i in range(1, 7)},
    "p": BlockKind.PARAGRAPH,
    "li": BlockKind.LIST_ITEM,
    "dt": BlockKind.LIST_ITEM,
    "dd": BlockKind.LIST_ITEM,
    "figcaption": BlockKind.CAPTION,
    "caption": BlockKind.CAPTION,
}
# huge_tree: libxml2 otherwise stops at 256 levels of nesting and the text below is silently gone
_PARSER = html.HTMLParser(huge_tree=True)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Junk glued to the front of a real line once markup is lost: a breadcrumb trail
# ending in a section name ("Current:Home > World") or a reading-time badge.
_GLUED_PREFIX = re.compile(
    r"^(?:(?:(?i:current|you are here)\s*:\s*)?(?i:home)(?:\s*[>»›/|]\s*[A-Z][a-z]+(?: [A-Z][a-z]+)*)+"
    r"|\d{1,3}\s*-?\s*(?i:min(?:ute)?s?\.?\s+read)(?![a-z])\s*[·|•:-]?)\s*"
)


def segment(document: Document) -> list[Block]:
    if document.html is not None:
        return html_blocks(document.html)
    return text_blocks(document.text or "")


def text_blocks(text: str) -> list[Block]:
    """One block per non-empty line: what survives of the layout in a text dump."""
    blocks = []
    for line in text.splitlines():
        line = normalize(line)
        if line:
            blocks.append(_trimmed(Block(index=len(blocks), text=line)))
    return blocks


def html_blocks(markup: str) -> list[Block]:
    """A page libxml2 cannot parse, or parses only in part (nested deeper than it goes, 2,048 levels even with
    huge_tree), is read as the text between its tags, its scripts and styles left out."""
    try:
        root = html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1), parser=_PARSER)
        cut = any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in _PARSER.error_log)
    except (etree.ParserError, ValueError):
        cut = True
    if cut:
        return text_blocks(unescape(_TAG.sub("\n", _SCRIPT.sub("", markup))))
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # keeps their tail text
    walker = _Walker()
    walker.walk(root)
    return walker.blocks()


# Class/id words that mark site furniture or article body; counted once per element
# and summed down the tree, so a block knows its whole ancestry's signals.
_NEGATIVE_ATTRS = re.compile(
    r"nav|menu|foot|head|side|related|share|social|comment|breadcrumb|\bad|ads|promo|cookie|subscri|widget|tag|"
    r"banner|popup|modal|newsletter|login|sponsor|trending|recommend", re.I
)
_POSITIVE_ATTRS = re.compile(r"article|content|body|story|post|entry|text|main|paragraph|caption", re.I)


@lru_cache(maxsize=65536)
def _attr_signals(class_and_id: str) -> tuple[int, int]:
    """Cached: class names repeat across the elements of a page and across a site's pages."""
    return len(_NEGATIVE_ATTRS.findall(class_and_id)), len(_POSITIVE_ATTRS.findall(class_and_id))


@dataclass(frozen=True)
class _Owner:
    tag: str = ""
    path: str = ""
    attrs: str = ""
    negative: int = 0
    positive: int = 0
    hidden: bool = False
    ancestors: tuple[int, ...] = ()  # the block elements from the root down to this one, numbered as opened


class _Walker:
    """Accumulates inline text into the nearest block-level ancestor."""

    def __init__(self) -> None:
        self.found: list[tuple[str, _Owner, int]] = []  # text, its owner, its characters in links
        self.owners: list[_Owner] = [_Owner()]
        self.parts: list[str] = []
        self.link_chars = 0
        self.in_link = 0
        self.opened = 0  # block elements opened so far

    def walk(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag.lower() if isinstance(el.tag, str) else None
            if event == "start":
                if tag is None or tag in SKIP_TAGS:
                    walker.skip_subtree()
                    continue
                if tag in BLOCK_TAGS:
                    self._flush()
                    self.owners.append(self._owner(tag, el))
                elif tag == "br":
                    self._flush()
                elif tag == "a":
                    self.in_link += 1
                self._add(el.text)
            else:
                if tag in BLOCK_TAGS:
                    self._flush()
                    self.owners.pop()
                elif tag == "a":
                    self.in_link -= 1
                self._add(el.tail)
        self._flush()

    def _owner(self, tag: str, el: etree._Element) -> _Owner:
        parent = self.owners[-1]
        own = " ".join(filter(None, (el.get("class"), el.get("id"))))
        hidden = parent.hidden or _is_hidden(el)
        ancestors = (*parent.ancestors, self.opened)
        self.opened += 1
        if not own:
            return _Owner(tag, f"{parent.path}>{tag}", parent.attrs, parent.negative, parent.positive, hidden,
                          ancestors)
        negative, positive = _attr_signals(own)
        return _Owner(
            tag, f"{parent.path}>{tag}", f"{parent.attrs} {own}"[-300:].strip(),
            parent.negative + negative, parent.positive + positive, hidden, ancestors,
        )

    def _add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.in_link:
                self.link_chars += len(text.strip())

    def _flush(self) -> None:
        raw = "".join(self.parts)
        self.parts = []
        link_chars, self.link_chars = self.link_chars, 0
        if not raw or raw.isspace():
            return
        text = normalize(raw)
        if text:
            self.found.append((text, self.owners[-1], min(link_chars, len(text))))

    def blocks(self) -> list[Block]:
        owners = [owner for _, owner, _ in self.found]
        return [
            _trimmed(Block(
                index=i,
                text=text,
                kind=_KINDS.get(owner.tag, BlockKind.OTHER),
                tag_path=owner.path,
                attrs=owner.attrs,
                link_chars=link_chars,
                depth=owner.path.count(">"),
                negative_attrs=owner.negative,
                positive_attrs=owner.positive,
                hidden=owner.hidden,
                unit_depth=unit_depth,
            ))
            for i, ((text, owner, link_chars), unit_depth) in enumerate(zip(self.found, _unit_depths(owners)))
        ]


_DIGITS = re.compile(r"\d+")


def _unit_depths(owners: Sequence[_Owner]) -> list[int]:
    """How far up the tree each block's look-alikes (same tag path and classes, numbers aside) meet: an
    article's paragraphs meet at their parent, teasers and comments only several levels up, each in its own
    unit. Blocks come in document order and elements are numbered as the tree is walked, so a group's first
    and last block meet where all of them do."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, owner in enumerate(owners):
        groups.setdefault((owner.path, _numberless(owner.attrs)), []).append(i)
    depths = [0] * len(owners)
    for members in groups.values():
        first, last = owners[members[0]].ancestors, owners[members[-1]].ancestors
        shared = next((k for k, (a, b) in enumerate(zip(first, last)) if a != b), min(len(first), len(last)))
        for i in members:
            depths[i] = len(owners[i].ancestors) - shared
    return depths


@lru_cache(maxsize=16384)
def _numberless(attrs: str) -> str:
    return _DIGITS.sub("", attrs)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _is_hidden(el: etree._Element) -> bool:
    """Hidden from readers by the page itself: schema.org copies of the article, closed modals, menus for
    other screens. Some pages show it by script (tabs, "read more"), so it is a feature, not a cut."""
    style = el.get("style")
    return (el.get("hidden") is not None or el.get("aria-hidden") == "true"
            or bool(style and _HIDDEN_STYLE.search(style)))


def _trimmed(block: Block) -> Block:
    match = _GLUED_PREFIX.match(block.text)
    if not match or match.end() == len(block.text):
        return block
    return replace(block, text=block.text[match.end():], trimmed=match.group().strip())
