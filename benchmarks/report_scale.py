"""How big a report of ~10,000 documents is and how fast Chromium opens it.

    python benchmarks/report_scale.py --data ../shared/data --out benchmarks/report_scale.md

Documents come from the BBC derivation set (derivation_set.py), built three times with
different seeds so that there are about 10,000 of them; the wire sources are references.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from derivation_set import build  # noqa: E402

from provenance import Document, analyse  # noqa: E402
from provenance.report import write_report  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def corpus(data: Path, sources: int, rounds: int) -> tuple[list[Document], list[Document]]:
    references, documents = [], []
    for seed in range(rounds):
        refs, labelled = build(data, sources, seed=seed)
        references += [Document(id=f"r{seed}/{d.id}", location=d.location, text=d.text) for d in refs]
        documents += [Document(id=f"r{seed}/{x.document.id}", location="bbc", text=x.document.text) for x in labelled]
    return documents, references


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
    parser.add_argument("--sources", type=int, default=560)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    documents, references = corpus(args.data, args.sources, args.rounds)
    start = time.perf_counter()
    analysis = analyse(documents, references=references)
    scored = time.perf_counter() - start
    report = Path("/tmp/provenance-report-scale.html")
    start = time.perf_counter()
    write_report(analysis, "html", report)
    written = time.perf_counter() - start
    times = open_time(report)
    lines = [
        "# Report at scale", "",
        f"Command: `python benchmarks/report_scale.py --data {args.data} --sources {args.sources} --rounds {args.rounds}`", "",
        "| documents | references | scoring (s) | writing the report (s) | report size (MB) | Chromium open, ready (s), 3 runs |",
        "|---|---|---|---|---|---|",
        f"| {len(documents)} | {len(references)} | {scored:.0f} | {written:.1f} | {report.stat().st_size / 1e6:.1f} | "
        f"{', '.join(f'{t:.2f}' for t in times)} |", "",
        "Open time: from navigation to the page's ready flag (table, counts and graph drawn), headless Debian Chromium.", "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
