"""What every benchmark does last: print its Markdown and, when asked, write it to a file; and a
calibration figure, so that runs on different days (this machine's speed varies by half) compare."""

from __future__ import annotations

import time
from pathlib import Path


def calibration() -> float:
    """Seconds a fixed pure-Python loop takes in this process, best of three."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        sum(i * i for i in range(5_000_000))
        best = min(best, time.perf_counter() - start)
    return best


def publish(lines: list[str], out: Path | None) -> None:
    report = "\n".join(lines) + "\n"
    print(report)
    if out:
        out.write_text(report, encoding="utf-8")
