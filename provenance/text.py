"""Text normalisation, tokens and sentences: the one definition every stage shares."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

_QUOTES = tuple({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00ad": "", "\u200b": "", "\ufeff": "",
}.items())
# control characters are never text: with white space they become one space (and never reach a terminal)
_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
WORD = re.compile(r"\w+(?:[.'’]\w+)*", re.UNICODE)

# Abbreviations that end in a period without ending a sentence (news style).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st gen gov sen rep rev lt col sgt capt cmdr maj adm "
    "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc inc corp co ltd "
    "u.s u.k u.n e.u a.m p.m d.c i.e e.g".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)")


def normalize(text: str) -> str:
    """NFKC, one form of quotes and dashes, collapsed white space and control characters (case kept). ASCII text is its own
    NFKC form and holds none of the characters mapped, so it skips both (a third of cleaning's reading)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        for character, replacement in _QUOTES:  # str.replace scans in C; str.translate with a dict was 25x slower
            if character in text:
                text = text.replace(character, replacement)
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Case-folded word tokens of already-normalised text."""
    return WORD.findall(text.casefold())


def word_grams(text: str, n: int) -> set[tuple[str, ...]]:
    """The runs of `n` consecutive words of a text, as a set."""
    tokens = words(text)
    return set(zip(*(tokens[i:] for i in range(n))))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries by punctuation, skipping abbreviations and initials.

    A rule splitter rather than a trained one: it runs at crawl scale and news
    prose is regular enough; the cases it gets wrong cost an alignment unit, not text.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        token = text[start:match.start() + 1].rsplit(None, 1)[-1] if text[start:match.start() + 1].strip() else ""
        stem = token.rstrip(".").lower().lstrip("\"'(")
        if match.group().startswith(".") and (stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())):
            continue
        nxt = text[end:end + 3].lstrip()
        if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"'(["):
            continue
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the Glasgow IR group's list), read from the one module of
    scikit-learn that holds them: importing scikit-learn for a word list took over a second, which a
    one-page `clean` should not pay."""
    package = importlib.util.find_spec("sklearn")
    assert package is not None and package.origin is not None, "scikit-learn is a dependency"
    spec = importlib.util.spec_from_file_location(
        "provenance._stop_words", Path(package.origin).parent / "feature_extraction" / "_stop_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


STOPWORDS = _english_stop_words() | frozenset(
    # German, French and Spanish function words: the training pages are multilingual.
    "der die das und ist nicht ein eine einen dem den des mit von zu auf für sich auch als "
    "wie bei nach aus wird werden hat haben sind war wurde es im zum zur dass oder aber "
    "le la les et est une un des du dans pour que qui pas sur au avec ce il elle sont "
    "el los las y es en por con para una del se lo como más pero sus".split()
)


def is_content_word(word: str) -> bool:
    """A word that carries meaning: no stop word, nothing under three letters but numbers."""
    return word not in STOPWORDS and (len(word) > 2 or word.isdigit())


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if is_content_word(w)]
