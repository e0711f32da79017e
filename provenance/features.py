"""Block features as pure functions of a document's blocks: no model, no I/O.

Text features work on a bare line, so the same model family serves HTML and text
dumps; HTML adds DOM features (link density, depth, tag, class/id words).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from .text import STOPWORDS, words
from .types import Block, BlockKind

# Words of site furniture: navigation, sharing, engagement, metadata badges.
_UI_WORDS = frozenset(
    "share shares tweet email print view views read more related recommended recommendation "
    "recommendations ranking trending popular follow subscribe newsletter sign login log in "
    "register menu home comments comment reply advertisement ad ads sponsored cookie cookies "
    "privacy terms copyright rights reserved updated posted published photo photos image video "
    "watch next previous prev tags tag category categories back top skip search min date "
    "facebook twitter linkedin whatsapp instagram youtube contact about help sitemap rss "
    "verygood good like likes rating votes click here download app".split()
)
_SEPARATORS = re.compile(r"[|>»›•·/]")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})\b", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_CAPITALISED = re.compile(r"(?<!\S)[A-Z]")  # a whitespace-separated word's first letter, in ASCII text
_CALL_TO_ACTION = re.compile(
    r"^(?:follow|subscribe|sign up|join|click|tap|read more|see more|download|share|like us|listen|watch|"
    r"get (?:the|our)|don't miss|register|log in|sign in|support|donate)\b", re.I
)

# Photo captions and credits as news sites print them: "Name/Agency" credits, "(2nd L)" positions, a label
_CAPTION = re.compile(
    r"(?:\w/(?:AFP|AP|Reuters|Getty(?: Images)?|EPA|Pool|Xinhua|Bloomberg|Shutterstock|Alamy)\b"
    r"|\((?:\d(?:st|nd|rd|th) )?(?:[LRC]|left|right|centre|center)\)"
    r"|^(?:photo|image|picture|file photo|credit)s?\b\s*[:|-]"
    r"|\b(?:photograph|photo|picture|image)(?:ed)? (?:by|courtesy|credit)\b)", re.I)
# A line that is only a time, a date, a duration or a count, with at most a label: a player's "0:00", "Updated:"
_STAMP_ONLY = re.compile(
    r"^(?:(?:updated|published|posted|modified|last updated|views?|comments?|shares?|duration)\b\s*:?\s*)?"
    r"[\d\s:/.,()\-–|]*(?:[ap]\.?m\.?)?\s*(?:et|gmt|utc|[a-z]{2,4}t)?\s*$", re.I)

TEXT_FEATURES = (
    "log_words", "log_chars", "mean_word_len", "stopword_ratio", "ends_sentence", "sentence_marks",
    "capitalised_ratio", "digit_ratio", "symbol_ratio", "list_marker", "separators", "ui_ratio", "call_to_action",
    "caption_like", "stamp_only",
    "position", "is_first", "is_last", "repeats_in_doc", "repeats_in_corpus", "has_time", "has_date",
    "prev_log_words", "next_log_words", "prev_ends_sentence", "next_ends_sentence",
    "window_log_words", "short_run", "relative_length", "long_before", "long_after",
)
# Lines without markup only: what HTML shows by its elements (a list under a "Related" heading), text shows by
# its neighbours
LINE_FEATURES = ("under_ui_heading",)
HTML_FEATURES = (
    "link_density", "log_depth", "is_heading", "is_paragraph", "is_list_item", "is_caption",
    "is_other", "negative_attrs", "positive_attrs", "in_nav_footer_aside", "comment_attrs", "related_attrs",
    "path_repeats", "path_link_density", "unit_depth", "hidden", "prose_share", "link_share",
)
# Class and id words of reader comments and of related-story and teaser lists, apart from the other negatives:
# what readability drops by its container's name and a model trained on few comment threads may not learn
_COMMENT_ATTRS = re.compile(r"comment|disqus|respond|repl(?:y|ies)|discussion|talkback|guestbook", re.I)
_RELATED_ATTRS = re.compile(r"related|recommend|more-?stor|teaser|promo|trending|popular|also|read-?next|"
                            r"outbrain|taboola|headlines|widget|sidebar|rail", re.I)


def _ascii_class(test: Callable[[str], bool]) -> bytes:
    return bytes(c for c in range(128) if test(chr(c)))


_ASCII_ALNUM, _ASCII_SPACE, _ASCII_DIGIT = (_ascii_class(t) for t in (str.isalnum, str.isspace, str.isdigit))


def _counts(text: str) -> tuple[int, int, int]:
    """Letters and digits, white space, digits: as str.isalnum, isspace and isdigit count them, by
    deleting each class from the bytes of an ASCII text (most news), which is C-speed."""
    if not text.isascii():
        return sum(map(str.isalnum, text)), sum(map(str.isspace, text)), sum(map(str.isdigit, text))
    data = text.encode()
    return tuple(len(data) - len(data.translate(None, kind)) for kind in (_ASCII_ALNUM, _ASCII_SPACE, _ASCII_DIGIT))


@lru_cache(maxsize=16384)
def _own(text: str) -> tuple[float, ...]:
    """Counting with C-level str and bytes methods: this runs for every block of every page. Cached by
    text: reprints and site templates repeat about half the lines of a window of news."""
    toks = words(text)
    n = len(toks)
    raw = text.split()
    chars = len(text)
    ends = 1.0 if _SENTENCE_END.search(text) else 0.0
    alnum, space, digits = _counts(text)
    return (
        math.log1p(n),
        math.log1p(chars),
        sum(map(len, toks)) / n if n else 0.0,
        sum(map(STOPWORDS.__contains__, toks)) / n if n else 0.0,
        ends,
        text.count(". ") + text.count("? ") + text.count("! ") + ends,
        _capitalised(text, raw) / len(raw) if raw else 0.0,
        digits / chars if chars else 0.0,
        (chars - alnum - space) / chars if chars else 0.0,
        1.0 if _LIST_MARKER.match(text) else 0.0,
        len(_SEPARATORS.findall(text)) / max(n, 1),
        sum(map(_UI_WORDS.__contains__, toks)) / n if n else 0.0,
        1.0 if _CALL_TO_ACTION.match(text) else 0.0,
        1.0 if _CAPTION.search(text) else 0.0,
        1.0 if _STAMP_ONLY.match(text) else 0.0,
    )


def _capitalised(text: str, raw: list[str]) -> int:
    """How many of the words `raw` (text.split()) start with a capital: one regex pass over ASCII text."""
    if text.isascii():
        return len(_CAPITALISED.findall(text))
    return sum(w[:1].isupper() for w in raw)


def block_features(
    blocks: Sequence[Block], corpus_counts: Counter[str] | None = None, corpus_size: int = 0, with_html: bool = False
) -> np.ndarray:
    """Feature matrix (blocks × features), including each block's neighbourhood.

    `corpus_counts` maps a line to the number of documents of the batch that hold it:
    a line that recurs across documents of one site is template, not article.
    """
    n = len(blocks)
    width = len(TEXT_FEATURES) + len(HTML_FEATURES if with_html else LINE_FEATURES)
    if n == 0:
        return np.zeros((0, width))
    own = np.array([_own(b.text) for b in blocks], dtype=float)
    log_words, ends = own[:, 0], own[:, 4]
    long_block = (log_words >= math.log1p(12)) & (ends > 0)
    in_doc = Counter(b.text for b in blocks)
    prev_lw = np.concatenate([[0.0], log_words[:-1]])
    next_lw = np.concatenate([log_words[1:], [0.0]])
    prev_end = np.concatenate([[0.0], ends[:-1]])
    next_end = np.concatenate([ends[1:], [0.0]])
    kernel = np.ones(5) / 5
    window = np.convolve(np.pad(log_words, 2, mode="edge"), kernel, mode="valid")
    short = (log_words < math.log1p(12)) & (ends == 0)
    run = _run_lengths(short)
    long_before = np.concatenate([[0], np.cumsum(long_block)[:-1]]) / max(long_block.sum(), 1)
    long_after = 1.0 - long_before - long_block / max(long_block.sum(), 1)
    position = np.arange(n) / max(n - 1, 1)
    # a time or a date needs a digit, and half the blocks have none
    has_digits = (own[:, TEXT_FEATURES.index("digit_ratio")] > 0).tolist()
    repeats_doc = np.array([math.log(in_doc[b.text]) for b in blocks])
    if corpus_counts and corpus_size > 1:
        repeats_corpus = np.array([(corpus_counts.get(b.text, 1) - 1) / (corpus_size - 1) for b in blocks])
    else:
        repeats_corpus = np.zeros(n)
    context = np.column_stack([
        position,
        np.arange(n) == 0,
        np.arange(n) == n - 1,
        repeats_doc,
        repeats_corpus,
        [1.0 if digits and _TIME.search(b.text) else 0.0 for b, digits in zip(blocks, has_digits)],
        [1.0 if digits and _DATE.search(b.text) else 0.0 for b, digits in zip(blocks, has_digits)],
        prev_lw, next_lw, prev_end, next_end, window,
        np.log1p(run),
        log_words / max(log_words.max(), 1e-9),
        long_before, long_after,
    ])
    matrix = np.hstack([own, context.astype(float)])
    if with_html:
        dom = np.array([_html(b) for b in blocks], dtype=float)
        link_density = dom[:, HTML_FEATURES.index("link_density")]
        shares = _page_shares(log_words, long_block, link_density)
        return np.hstack([matrix, dom, _units(blocks, link_density), np.tile(shares, (n, 1))])
    return np.column_stack([matrix, _under_ui_heading(own)])


def _page_shares(log_words: np.ndarray, long_block: np.ndarray, link_density: np.ndarray) -> np.ndarray:
    """The shares of the page's words in long blocks that end a sentence and in blocks mostly of links: an
    article is mostly prose, a listing or a forum page mostly short repeated units, and a list of teasers is
    junk on the one and content on the other. Lines without markup do not get them: there the prose share
    brought 002's photo captions back."""
    n_words = np.expm1(log_words)
    total = max(n_words.sum(), 1.0)
    return np.array([n_words[long_block].sum() / total, n_words[link_density > 0.5].sum() / total])


def _units(blocks: Sequence[Block], link_density: np.ndarray) -> np.ndarray:
    """For each block, how many blocks of its page share its tag path (log), their mean link density, how far up
    its look-alikes meet (log, blocks.py) and whether the page hides it: a list of teasers or comments repeats
    one unit, each mostly a link or each short."""
    paths = Counter(b.tag_path for b in blocks)
    links: Counter[str] = Counter()
    for b, density in zip(blocks, link_density.tolist()):
        links[b.tag_path] += density
    return np.array([[math.log(paths[b.tag_path]), links[b.tag_path] / paths[b.tag_path], math.log1p(b.unit_depth),
                      b.hidden] for b in blocks])


def _html(block: Block) -> list[float]:
    kind = block.kind
    return [
        block.link_chars / max(len(block.text), 1),
        math.log1p(block.depth),
        kind is BlockKind.HEADING,
        kind is BlockKind.PARAGRAPH,
        kind is BlockKind.LIST_ITEM,
        kind is BlockKind.CAPTION,
        kind is BlockKind.OTHER,
        block.negative_attrs,
        block.positive_attrs,
        *_ancestry(block.tag_path, block.attrs),
    ]


@lru_cache(maxsize=65536)
def _ancestry(path: str, attrs: str) -> tuple[bool, int, int]:
    """Cached: a page's blocks share a few ancestries (counting these per block took a third of cleaning)."""
    return (any(f">{t}" in path for t in ("nav", "footer", "aside", "header", "form")),
            len(_COMMENT_ATTRS.findall(attrs)), len(_RELATED_ATTRS.findall(attrs)))


def _under_ui_heading(own: np.ndarray) -> np.ndarray:
    """1 for a line in the run of short lines or list items under a heading of site words ("Related",
    "Most popular", "Recommendation"): a link list's teasers read like headlines, not like site furniture."""
    log_words, ends, listed, ui, separators = (
        own[:, TEXT_FEATURES.index(name)]
        for name in ("log_words", "ends_sentence", "list_marker", "ui_ratio", "separators"))
    heading = (log_words <= math.log1p(3)) & (ends == 0) & (ui >= 0.5) & (separators == 0)  # a label, not a path
    item = (listed > 0) | (log_words < math.log1p(30))
    out = np.zeros(len(own))
    under = False
    for i in range(len(own)):
        under = under and bool(item[i]) and not heading[i]
        out[i] = under
        under = under or bool(heading[i])
    return out


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True it belongs to (0 if False)."""
    out = np.zeros(len(flags))
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = j - i
        i = j
    return out
