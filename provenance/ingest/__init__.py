"""Ingest: paths to an iterator of Document or InputError, lazily and in a stable order.

Every input problem becomes an InputError for that one document, so a batch never
stops on a bad file; callers count them for the exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .files import read_file
from .jsonl import read_jsonl
from .warc import read_warc

Item = Document | InputError

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")


def read(paths: Iterable[str | Path], max_chars: int = 5_000_000) -> Iterator[Item]:
    """Documents from files (text, HTML, JSONL, WARC), folders (recursive, sorted) and `-` (JSONL on stdin)."""
    for raw in paths:
        if str(raw) == "-":
            yield from read_jsonl(sys.stdin.buffer, "-", id_prefix="", max_chars=max_chars)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and _supported(p)):
                yield from _read_one(file, file.relative_to(path).as_posix(), max_chars)
        elif path.is_file():
            yield from _read_one(path, path.name, max_chars)
        else:
            yield InputError(str(raw), "no such file or folder")


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def _read_one(path: Path, doc_id: str, max_chars: int) -> Iterator[Item]:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        yield from read_warc(path, doc_id, max_chars)
    elif name.endswith((".jsonl", ".jsonl.gz")):
        try:
            yield from read_jsonl(path, doc_id, id_prefix=f"{doc_id}:", max_chars=max_chars)
        except OSError as exc:
            yield InputError(doc_id, f"cannot read: {exc}")
    else:
        yield read_file(path, doc_id, max_chars)
