"""Segmentation: a Document becomes Blocks, one pass over the DOM or over text lines.

HTML is parsed by lxml.html directly and walked once with iterwalk: bs4's tree
building alone costs as much as a whole extractor (DESIGN.md), so bs4 is used only
for what it is best at, detecting the charset of undeclared pages (ingest.files).
"""

from __future__ import annotations

import re

from lxml import etree, html

from .text import normalize
from .types import Block, BlockKind, Document

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas head select option "
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
    try:
        root = html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1))
    except (etree.ParserError, ValueError):
        return text_blocks(re.sub(r"<[^>]*>", "\n", markup))
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # keeps their tail text
    walker = _Walker()
    walker.walk(root)
    return walker.blocks


class _Walker:
    """Accumulates inline text into the nearest block-level ancestor."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.owners: list[tuple[str, str, str]] = [("", "", "")]  # (tag, path, attrs)
        self.parts: list[str] = []
        self.link_chars = 0
        self.in_link = 0

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
                    parent_tag, path, attrs = self.owners[-1]
                    own = " ".join(filter(None, (el.get("class"), el.get("id"))))
                    self.owners.append((tag, f"{path}>{tag}", f"{attrs} {own}".strip()))
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

    def _add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            if self.in_link:
                self.link_chars += len(text.strip())

    def _flush(self) -> None:
        text = normalize("".join(self.parts))
        if text:
            tag, path, attrs = self.owners[-1]
            block = Block(
                index=len(self.blocks),
                text=text,
                kind=_KINDS.get(tag, BlockKind.OTHER),
                tag_path=path,
                attrs=attrs[-300:],
                link_chars=min(self.link_chars, len(text)),
                depth=path.count(">"),
            )
            self.blocks.append(_trimmed(block))
        self.parts = []
        self.link_chars = 0


def _trimmed(block: Block) -> Block:
    match = _GLUED_PREFIX.match(block.text)
    if not match or match.end() == len(block.text):
        return block
    return Block(
        index=block.index,
        text=block.text[match.end():],
        kind=block.kind,
        tag_path=block.tag_path,
        attrs=block.attrs,
        link_chars=block.link_chars,
        depth=block.depth,
        trimmed=match.group().strip(),
    )
