"""Labelled pages for the boilerplate model, from the five datasets in ../shared/data.

Ground truth becomes block labels by in-order token alignment (not substring search:
"Share" occurs many times on a page), or by snippets where that is all a set has.
Unlabelled blocks get label -1 and are left out of training.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlparse

from .blocks import html_blocks
from .ingest.files import document_from_bytes
from .text import normalize, words
from .types import Block

DATASETS = ("scrapinghub-aeb", "cleaneval", "cleanportaleval", "wcxb-dev", "trafilatura-eval")
CONTENT_SHARE, JUNK_SHARE = 0.75, 0.2
_CLEANEVAL_MARK = re.compile(r"<[phl]>", re.I)


@dataclass
class Page:
    dataset: str
    page_id: str
    site: str
    blocks: list[Block]
    labels: list[int]
    truth: str | None  # full ground-truth text, for word-level evaluation


def site_of(url: str) -> str:
    host = urlparse(url if "//" in url else f"//{url}").netloc.lower()
    return host[4:] if host.startswith("www.") else host


def read_pages(data_dir: Path, datasets: tuple[str, ...] = DATASETS) -> Iterator[Page]:
    readers = {
        "scrapinghub-aeb": _scrapinghub,
        "cleaneval": _cleaneval,
        "cleanportaleval": _cleaneval,
        "wcxb-dev": _wcxb,
        "trafilatura-eval": _trafilatura,
    }
    for name in datasets:
        if (data_dir / name).is_dir():
            yield from readers[name](data_dir / name)


def _html(path: Path) -> list[Block]:
    doc = document_from_bytes(gzip.open(path).read(), path.name, str(path), True, 50_000_000)
    return html_blocks(getattr(doc, "html", "") or "")


def align_labels(blocks: list[Block], truth: str) -> list[int]:
    """Share of each block's tokens matched, in order, against the ground truth."""
    page_tokens: list[str] = []
    owner: list[int] = []
    for i, block in enumerate(blocks):
        toks = words(block.text)
        page_tokens += toks
        owner += [i] * len(toks)
    matched = [0] * len(blocks)
    matcher = SequenceMatcher(None, page_tokens, words(normalize(truth)), autojunk=False)
    for a, _, size in matcher.get_matching_blocks():
        for k in range(a, a + size):
            matched[owner[k]] += 1
    labels = []
    for i, block in enumerate(blocks):
        total = len(words(block.text))
        share = matched[i] / total if total else 0.0
        labels.append(1 if share >= CONTENT_SHARE else 0 if share <= JUNK_SHARE else -1)
    return labels


def snippet_labels(blocks: list[Block], with_: list[str], without: list[str]) -> list[int]:
    """Blocks holding a "with" snippet are content, a "without" one junk, the rest unknown."""
    texts = [b.text.casefold() for b in blocks]
    labels = [-1] * len(blocks)
    for snippets, label in ((without, 0), (with_, 1)):
        for snippet in snippets:
            needle = normalize(snippet).casefold()
            for i, text in enumerate(texts):
                if needle and needle in text:
                    labels[i] = label
    return labels


def _scrapinghub(root: Path) -> Iterator[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, record in sorted(truth.items()):
        path = root / "html" / f"{page_id}.html.gz"
        if path.exists():
            blocks = _html(path)
            body = record["articleBody"]
            yield Page(root.name, page_id, site_of(record.get("url", "")), blocks, align_labels(blocks, body), body)


def _cleaneval(root: Path) -> Iterator[Page]:
    for gold in sorted(root.glob("**/gold/*.txt")):
        path = gold.parent.parent / "input" / f"{gold.stem}.html.gz"
        if not path.exists():
            continue
        lines = gold.read_text(encoding="utf-8", errors="replace").splitlines()
        url = lines[0][4:].strip() if lines and lines[0].startswith("URL:") else ""
        body = _CLEANEVAL_MARK.sub("\n", "\n".join(lines[1:] if url else lines))
        blocks = _html(path)
        site = site_of(url) if url else gold.stem.rsplit("_", 1)[0]
        page_id = f"{gold.parent.parent.name}/{gold.stem}"
        yield Page(root.name, page_id, site, blocks, align_labels(blocks, body), body)


def _wcxb(root: Path) -> Iterator[Page]:
    for gold in sorted((root / "ground-truth").glob("*.json.gz")):
        record = json.loads(gzip.open(gold).read())
        page_id = gold.name.split(".")[0]
        path = root / "html" / f"{page_id}.html.gz"
        truth = record.get("ground_truth", {})
        body = truth.get("main_content") or ""
        if not path.exists() or not body:
            continue
        blocks = _html(path)
        labels = align_labels(blocks, body)
        for i, label in enumerate(snippet_labels(blocks, [], truth.get("without") or [])):
            if label == 0:
                labels[i] = 0
        yield Page(root.name, page_id, site_of(record.get("url", "")), blocks, labels, body)


def _trafilatura(root: Path) -> Iterator[Page]:
    annotations = json.loads((root / "annotations.json").read_text(encoding="utf-8"))
    for page_id, record in sorted(annotations.items()):
        path = root / "html" / f"{page_id}.html.gz"
        if path.exists():
            blocks = _html(path)
            without = (record.get("without") or []) + (record.get("comments") or [])
            labels = snippet_labels(blocks, record.get("with") or [], without)
            yield Page(root.name, page_id, site_of(record.get("url", "")), blocks, labels, None)
