"""JSONL: one article per line (`id`, `text` or `html`, optional `url`, `date`, `site`, `title`)."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..types import Document
from .files import document_from_text

_META = ("url", "date", "site", "title")
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(source: Path | BinaryIO, location: str, id_prefix: str, max_chars: int) -> Iterator[Document | InputError]:
    """Each line decoded and parsed on its own, so one bad line costs one document."""
    if isinstance(source, Path):
        opener = gzip.open if source.name.lower().endswith(".gz") else open
        with opener(source, "rb") as stream:
            yield from _lines(stream, location, id_prefix, max_chars)
    else:
        yield from _lines(source, location, id_prefix, max_chars)


def _lines(stream: BinaryIO, location: str, id_prefix: str, max_chars: int) -> Iterator[Document | InputError]:
    """A line is read up to a bound (4 bytes a character of `max_chars`, and the JSON around them): a longer
    one, even a gzip bomb's one line of gigabytes, is passed over a bound at a time, never held whole."""
    bound = 4 * max_chars + 65_536
    lineno = 0
    try:
        while raw := stream.readline(bound):
            lineno += 1
            if len(raw) == bound and not raw.endswith(b"\n"):
                skipped = len(raw)
                while rest := stream.readline(bound):
                    skipped += len(rest)
                    if rest.endswith(b"\n"):
                        break
                yield InputError(f"{id_prefix}{lineno}", f"line too long ({skipped:,} bytes; a document may "
                                                         f"have {max_chars:,} characters): raise max_document_chars")
            elif raw.strip():
                yield parse_line(raw, f"{id_prefix}{lineno}", f"{location}:{lineno}", max_chars)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(f"{id_prefix}{lineno + 1}", f"stream ends early or is corrupt: {exc}")


def parse_line(raw: bytes, fallback_id: str, location: str, max_chars: int) -> Document | InputError:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return InputError(fallback_id, f"line is not valid UTF-8 (byte {exc.start})")
    except json.JSONDecodeError as exc:
        return InputError(fallback_id, f"malformed JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(record, dict):
        return InputError(fallback_id, "a JSONL line must be an object")
    doc_id = record.get("id")
    doc_id = fallback_id if doc_id is None or doc_id == "" else str(doc_id)
    if _repaired(doc_id) != doc_id:  # an id is who a document is: not to be guessed
        return InputError(fallback_id, "`id` holds a lone surrogate (\\ud800-\\udfff), which is no character")
    is_html = record.get("text") is None and record.get("html") is not None
    body = record.get("html") if is_html else record.get("text")
    if not isinstance(body, str):
        return InputError(doc_id, "needs a string `text` or `html` field")
    meta = {k: _repaired(str(record[k])) for k in _META if record.get(k) is not None}
    return document_from_text(_repaired(body), doc_id, location, is_html, max_chars, **meta)


def _repaired(text: str) -> str:
    """`text` with each lone surrogate (valid JSON, `"\\ud800"`, but no character, so no output can encode
    it) replaced by U+FFFD, as a decoder replaces a broken byte."""
    return _SURROGATE.sub("\ufffd", text)
