"""WARC and WARC.gz crawls via FastWARC: each HTML response record is one document, streamed."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..errors import InputError
from ..types import Document
from .files import document_from_bytes


def read_warc(path: Path, name: str, max_chars: int) -> Iterator[Document | InputError]:
    """Response records whose HTTP Content-Type is HTML; the id is the WARC-Record-ID (else `name#N`).

    Other records (requests, metadata, images) are not articles and are passed over.
    A truncated or corrupt file costs the records after the damage, reported as one error.
    A record longer than any document may be is refused by its declared length, unread.
    """
    location = str(path)
    count = 0
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            stream = _Guarded(raw)
            records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True, fsspec_args=False)
            for count, record in enumerate(records, 1):
                content_type = (record.http_headers.get("Content-Type") or "") if record.http_headers else ""
                if "html" not in content_type.lower():
                    continue
                doc_id = record.record_id.strip("<>") or f"{name}#{count}"
                if record.content_length > 4 * max_chars:
                    yield InputError(doc_id, f"document too large ({record.content_length:,} bytes > 4 × "
                                             f"{max_chars:,} characters); raise max_document_chars")
                    continue
                payload = record.reader.read()
                if len(payload) < record.content_length:
                    yield InputError(doc_id, f"WARC record truncated ({len(payload):,} of {record.content_length:,} bytes)")
                    continue
                yield document_from_bytes(payload, doc_id, f"{location}#{count}", True, max_chars,
                                          url=record.headers.get("WARC-Target-URI"))
        if stream.cut is not None:
            yield InputError(f"{name}#{count + 1}", f"WARC stream ends early: {stream.cut}")
    except (OSError, ValueError) as exc:
        yield InputError(f"{name}#{count + 1}", f"WARC stream ends early or is corrupt: {exc}")


class _Guarded:
    """Python's gzip reader, not FastWARC's: it notices a truncated member where FastWARC stops
    quietly. Its EOFError becomes a clean end of stream, so the records before the damage are read."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.cut: str | None = None

    def tell(self) -> int:
        return self.raw.tell()

    def read(self, size: int = -1) -> bytes:
        try:  # read1: one decompression step, so the bytes before the cut are delivered, not dropped
            return self.raw.read1(size)
        except EOFError as exc:
            self.cut = str(exc)
            return b""
