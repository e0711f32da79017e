"""Single .txt and .html files, decoded carefully: plain text must be UTF-8 (or carry a byte-order mark), HTML
may declare its charset."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..types import Document

# longest first: UTF-32-LE's mark begins with UTF-16-LE's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_file(path: Path, doc_id: str, max_chars: int) -> Document | InputError:
    try:
        size = path.stat().st_size
        if size > 4 * max_chars:  # more than any UTF-8 text of max_chars characters: refuse unread
            return InputError(doc_id, f"document too large ({size:,} bytes > 4 × {max_chars:,} characters); "
                                      "raise max_document_chars")
        data = path.read_bytes()
    except OSError as exc:
        return InputError(doc_id, f"cannot read: {exc.strerror or exc}")
    is_html = path.suffix.lower() in (".html", ".htm")
    return document_from_bytes(data, doc_id, str(path), is_html, max_chars)


def document_from_bytes(
    data: bytes, doc_id: str, location: str, is_html: bool, max_chars: int, **meta: str | None
) -> Document | InputError:
    """Validate and decode one document's bytes; every refusal says why.

    A byte-order mark decides first (UTF-8, UTF-16 and UTF-32 text has one). Then valid UTF-8 is UTF-8,
    whatever an HTML page's meta says: a page in another charset is almost never valid UTF-8 by chance,
    while pages saved as UTF-8 under a stale `charset=iso-8859-1` are common. Only then does an HTML
    page's declaration (or bs4's guess) decide; plain text must be UTF-8.
    """
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data[:8192]:
        return InputError(doc_id, "binary file (NUL bytes), not text or HTML")
    try:
        text = data.decode(bom or "utf-8")
    except UnicodeDecodeError as exc:
        if bom is not None:
            return InputError(doc_id, f"not valid {bom} after its byte-order mark (byte {exc.start})")
        if not is_html:
            return InputError(doc_id, f"not valid UTF-8 (byte {exc.start}): re-encode the file as UTF-8")
        from bs4.dammit import UnicodeDammit  # here: bs4 takes a tenth of a second to import, and most pages are UTF-8

        text = UnicodeDammit(data, is_html=True).unicode_markup
        if text is None:
            return InputError(doc_id, "cannot detect the character encoding")
    return document_from_text(text.removeprefix("\ufeff"), doc_id, location, is_html, max_chars, **meta)


def document_from_text(
    text: str, doc_id: str, location: str, is_html: bool, max_chars: int, **meta: str | None
) -> Document | InputError:
    if not text.strip():
        return InputError(doc_id, "empty document")
    if len(text) > max_chars:
        return InputError(doc_id, f"document too large ({len(text):,} characters > {max_chars:,}); raise max_document_chars")
    if is_html:
        return Document(id=doc_id, location=location, html=text, **meta)
    return Document(id=doc_id, location=location, text=text, **meta)
