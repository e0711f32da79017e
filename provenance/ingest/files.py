"""Single .txt and .html files, decoded carefully: plain text must be UTF-8, HTML may declare its charset."""

from __future__ import annotations

from pathlib import Path

from bs4.dammit import UnicodeDammit

from ..errors import InputError
from ..types import Document


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
    """Validate and decode one document's bytes; every refusal says why."""
    if b"\x00" in data[:8192]:
        return InputError(doc_id, "binary file (NUL bytes), not text or HTML")
    if is_html:
        text = UnicodeDammit(data, is_html=True).unicode_markup
        if text is None:
            return InputError(doc_id, "cannot detect the character encoding")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return InputError(doc_id, f"not valid UTF-8 (byte {exc.start}): re-encode the file as UTF-8")
    return document_from_text(text, doc_id, location, is_html, max_chars, **meta)


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
