"""The terminal table: one row per document, errors in red, counts per class below."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..types import Result
from ..visible import visible

_STYLES = {"wire-copy": "red", "wholly-derived": "magenta", "partially-derived": "yellow", "original": "green"}


def _cell(text: str) -> str:
    """Input as it is: no rich markup obeyed (an id `[link=…]` is not a link), no hidden character."""
    return escape(visible(text))


def write_table(results: Iterable[Result], stream: TextIO) -> None:
    results = list(results)
    table = Table(title="provenance: originality of each document", title_justify="left")
    for name, justify in (("document", "left"), ("class", "left"), ("originality", "right"),
                          ("main source", "left"), ("share", "right"), ("junk removed", "right")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]  # ids whole, not cut
    for result in results:
        score = result.score
        if score.error and score.klass is None:
            table.add_row(_cell(score.id), "[red]error[/red]", "", _cell(score.error), "", str(score.removed_blocks))
            continue
        klass = score.klass.value if score.klass else ""
        main = score.sources[0] if score.sources else None
        table.add_row(
            _cell(score.id),
            f"[{_STYLES.get(klass, 'white')}]{klass}[/]",
            f"{score.originality:.2f}",
            _cell(main.id) if main else "-",
            f"{main.share:.2f}" if main else "-",
            str(score.removed_blocks),
        )
    # on a terminal, its width (100 at least), ids folded to fit; into a file or a pipe, as wide as the ids are
    console = Console(file=stream)
    if not console.is_terminal:
        console = Console(file=stream, width=100_000)
        console.width = console.measure(table).maximum
    console.width = max(100, console.width)
    console.print(table)
    counts = Counter(r.score.klass.value if r.score.klass else "error" for r in results)
    console.print("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
