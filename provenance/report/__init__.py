"""Writers for scores: a rich table for people, JSON/JSONL/CSV for pipelines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from ..output import atomic_output
from ..types import Analysis, Result
from ..visible import dumps
from .html import write_html
from .markdown import write_markdown
from .model import report_data
from .records import write_csv, write_json, write_jsonl
from .table import write_table

FORMATS: dict[str, Callable[[Iterable[Result], TextIO], None]] = {
    "table": write_table,
    "json": write_json,
    "jsonl": write_jsonl,
    "csv": write_csv,
}


REPORT_FORMATS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "html": write_html,
    "md": write_markdown,
    "json": lambda data, stream: stream.write(dumps(data, indent=1) + "\n"),
}


def write(results: Iterable[Result], fmt: str, out: Path | None = None) -> None:
    with atomic_output(out) as stream:
        FORMATS[fmt](results, stream)


def write_report(analysis: Analysis, fmt: str, out: Path | None = None) -> None:
    """The derivation report (html, md or json) from one analysis."""
    data = report_data(analysis)
    with atomic_output(out) as stream:
        REPORT_FORMATS[fmt](data, stream)
