"""How big a report of ~10,000 documents is and how fast Chromium opens it.

    python benchmarks/report_scale.py --data ../shared/data --out benchmarks/report_scale.md

Documents come from the generated derivation corpus (derivation_corpus.py, seed 0): wire
stories, the site articles made of them, and independent articles.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import publish  # noqa: E402
from derivation_corpus import Generator  # noqa: E402

from provenance.ingest.jsonl import parse_line  # noqa: E402
from provenance.pipeline import analyse  # noqa: E402
from provenance.report import write_report  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def open_time(path: Path, runs: int = 3) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(runs):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)
            times.append(time.perf_counter() - start)
            first = page.eval_on_selector("#documents tbody tr", "r => r.dataset.id")
            page.evaluate("id => window.provenanceReport.openDocument(id)", first)
            page.wait_for_function("id => window.provenanceOpened === id", arg=first)
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/report_scale.md"))
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    documents = [parse_line(json.dumps(record).encode(), "", "generated", 10**7)
                 for record, _ in Generator(args.data, seed=0).documents(args.documents)]
    start = time.perf_counter()
    analysis = analyse(documents)
    scored = time.perf_counter() - start
    report = Path("/tmp/provenance-report-scale.html")
    start = time.perf_counter()
    write_report(analysis, "html", report)
    written = time.perf_counter() - start
    times = open_time(report)
    lines = [
        "# Report at scale", "",
        f"Command: `python benchmarks/report_scale.py --data {args.data} --documents {args.documents}`", "",
        "| documents | scoring (s) | writing the report (s) | report size (MB) | Chromium open, ready (s), 3 runs |",
        "|---|---|---|---|---|",
        f"| {len(documents)} | {scored:.0f} | {written:.1f} | {report.stat().st_size / 1e6:.1f} | "
        f"{', '.join(f'{t:.2f}' for t in times)} |", "",
        "Open time: from navigation to the page's ready flag (table, counts and graph drawn), headless Debian Chromium.",
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
