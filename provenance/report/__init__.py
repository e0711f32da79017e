"""Writers for scores: a rich table for people, JSON/JSONL/CSV for pipelines."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ..pipeline import Result
from .records import write_csv, write_json, write_jsonl
from .table import write_table

FORMATS: dict[str, Callable[[Sequence[Result], TextIO], None]] = {
    "table": write_table,
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
}


@contextmanager
def atomic_output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a temporary file renamed over `path` only once everything is written."""
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write(results: Sequence[Result], fmt: str, out: Path | None = None) -> None:
    with atomic_output(out) as stream:
        FORMATS[fmt](results, stream)
