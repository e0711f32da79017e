"""Boilerplate removal against the extractors people use, on pages none of them trained on.

    python benchmarks/extraction.py --data ../shared/data --out benchmarks/extraction.md

Pages: the evaluation split of the model (sites the model never saw) of every dataset with
full-text truth. Two modes: the HTML page, and the same page rendered to plain text as the model's
training renders it (training.rendered: a line per block; peers get that text as one <p> per line).
Score: word-level bag-of-words precision, recall and F1 per page, averaged (as the Zyte benchmark
does). Speed: median seconds per page in HTML mode, and batch throughput on one core (all pages in
one call where the extractor has a batch path, as `provenance clean DIR` does; page by page for the others);
memory: peak RSS of a process that ran only that extractor.
Each extractor runs in its own worker process, one after the other, in one run.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from provenance.ingest.files import document_from_bytes
from provenance.labelling import read_pages
from provenance.training import PEERS_END, PEERS_START, is_eval_site, rendered, word_prf

DATASETS = ("scrapinghub-aeb", "cleaneval", "cleanportaleval", "wcxb-dev")
EXTRACTORS = ("provenance", "trafilatura", "justext", "boilerpy3", "readability-lxml")


def eval_pages(data: Path, held_out_only: bool = True) -> list[dict]:
    """(dataset, id, html, text rendering, truth) of every held-out page (or every page) with full-text truth."""
    out = []
    for page in read_pages(data, DATASETS):
        if page.truth is None or (held_out_only and not is_eval_site(page.site)) or not page.blocks:
            continue
        raw = _raw_html(data, page.dataset, page.page_id)
        out.append({"dataset": page.dataset, "id": page.page_id, "html": raw, "text": rendered(page),
                    "truth": page.truth, "type": _page_type(data, page.dataset, page.page_id)})
    return out


def _page_type(data: Path, dataset: str, page_id: str) -> str | None:
    """WCXB's page type (article, forum, listing, ...): its held-out test split is mixed page types."""
    if dataset != "wcxb-dev":
        return None
    record = json.loads(gzip.open(data / dataset / "ground-truth" / f"{page_id}.json.gz").read())
    return record.get("_internal", {}).get("page_type", {}).get("primary")


def _raw_html(data: Path, dataset: str, page_id: str) -> str:
    if dataset in ("cleaneval", "cleanportaleval"):
        split, _, stem = page_id.rpartition("/")
        path = data / dataset / ("" if split == dataset else split) / "input" / f"{stem}.html.gz"
    else:
        path = data / dataset / "html" / f"{page_id}.html.gz"
    return document_from_bytes(gzip.open(path).read(), page_id, str(path), True, 10**9).html


def extractor(name: str):
    """A function html -> text for each extractor; imported inside the worker that runs it."""
    if name == "provenance":
        from provenance import Document, Settings, load_model
        from provenance.cleaning import clean_document

        model, settings = load_model(), Settings()

        def run(markup: str, is_text: bool) -> str:
            doc = Document(id="p", location="p", text=markup) if is_text else Document(id="p", location="p", html=markup)
            return clean_document(doc, model, settings).text
        return run
    if name == "trafilatura":
        import trafilatura
        return lambda markup, is_text: trafilatura.extract(markup) or ""
    if name == "justext":
        import justext
        stop = justext.get_stoplist("English")
        return lambda markup, is_text: "\n".join(p.text for p in justext.justext(markup.encode("utf-8"), stop) if not p.is_boilerplate)
    if name == "boilerpy3":
        from boilerpy3 import extractors
        article = extractors.ArticleExtractor(raise_on_failure=False)
        return lambda markup, is_text: article.get_content(markup) or ""
    if name == "readability-lxml":
        import lxml.html
        from readability import Document as Readable

        def run(markup: str, is_text: bool) -> str:
            summary = Readable(markup).summary(html_partial=True)
            return lxml.html.fromstring(summary).text_content() if summary.strip() else ""
        return run
    raise ValueError(name)


def as_paragraphs(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()) + "</body></html>"


def measure(args: tuple[str, list[dict]]) -> dict:
    name, pages = args
    run = extractor(name)
    rows, seconds = [], []
    for page in pages:
        start = time.perf_counter()
        try:
            got_html = run(page["html"], False)
        except Exception:  # a peer that crashes on a page scores zero on it, as in the Zyte benchmark
            got_html = ""
        seconds.append(time.perf_counter() - start)
        try:
            got_text = run(page["text"], True) if name == "provenance" else run(as_paragraphs(page["text"]), False)
        except Exception:
            got_text = ""
        rows.append({"dataset": page["dataset"], "type": page["type"], "html": word_prf(got_html, page["truth"]),
                     "text": word_prf(got_text, page["truth"])})
    return {"name": name, "rows": rows, "median_s": statistics.median(seconds),
            "batch_s": batch_seconds(pages) if name == "provenance" else sum(seconds),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def batch_seconds(pages: list[dict]) -> float:
    """provenance's batch path on one core: every HTML page in one `clean_batch`, as `provenance clean DIR`."""
    from provenance import Document, Settings, load_model
    from provenance.cleaning import clean_batch

    documents = [Document(id=str(i), location=str(i), html=page["html"]) for i, page in enumerate(pages)]
    start = time.perf_counter()
    clean_batch(documents, load_model(), Settings())
    return time.perf_counter() - start


def _means(rows: list[dict], mode: str, **where: str) -> tuple[float, ...]:
    """Mean precision, recall and F1 in `mode` over the rows whose fields equal `where`."""
    return tuple(statistics.mean(col) for col in zip(*(x[mode] for x in rows
                                                       if all(x[k] == v for k, v in where.items()))))


def table(results: list[dict], datasets: list[str]) -> list[str]:
    lines = ["| extractor | " + " | ".join(f"{d} HTML F1" for d in datasets) + " | **mean HTML F1** | **mean text F1** | "
             "HTML P / R | pages/s (1 / median) | pages/s (batch, one core) | peak RSS (MB) |",
             "|---" * (len(datasets) + 7) + "|"]
    for r in results:
        per = [_means(r["rows"], "html", dataset=d)[2] for d in datasets]
        p, rec, html_f1 = _means(r["rows"], "html")
        text_f1 = _means(r["rows"], "text")[2]
        lines.append(f"| {r['name']} | " + " | ".join(f"{v:.3f}" for v in per) +
                     f" | **{html_f1:.3f}** | **{text_f1:.3f}** | {p:.3f} / {rec:.3f} | {1 / r['median_s']:.0f} | "
                     f"{len(r['rows']) / r['batch_s']:.0f} | {r['peak_rss_mb']:.0f} |")
    return lines


def by_type(results: list[dict]) -> list[str]:
    """HTML F1 (precision / recall) of each extractor on each WCXB page type."""
    types = sorted({x["type"] for x in results[0]["rows"] if x["type"]})
    counts = {t: sum(x["type"] == t for x in results[0]["rows"]) for t in types}
    lines = ["| extractor | " + " | ".join(f"{t} ({counts[t]})" for t in types) + " |", "|---" * (len(types) + 1) + "|"]
    for r in results:
        cells = []
        for t in types:
            p, rec, f1 = _means(r["rows"], "html", type=t)
            cells.append(f"{f1:.3f} ({p:.3f} / {rec:.3f})")
        lines.append(f"| {r['name']} | " + " | ".join(cells) + " |")
    return lines


def fill_card(card: Path, lines: list[str]) -> None:
    """Put the table between the card's peer markers, so the card shows what the model is up against."""
    text = card.read_text(encoding="utf-8")
    head, _, rest = text.partition(PEERS_START)
    _, _, tail = rest.partition(PEERS_END)
    card.write_text(f"{head}{PEERS_START}\n" + "\n".join(lines).strip() + f"\n{PEERS_END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/extraction.md"))
    parser.add_argument("--extractors", nargs="*", default=list(EXTRACTORS))
    parser.add_argument("--card", type=Path, help="model card whose peers section gets the table")
    args = parser.parse_args()
    pages = eval_pages(args.data)
    results = []
    for name in args.extractors:
        with ProcessPoolExecutor(max_workers=1) as pool:
            results.append(pool.submit(measure, (name, pages)).result())
        print(name, "done", file=sys.stderr)
    datasets = sorted({p["dataset"] for p in pages})
    counts = ", ".join(f"{d}: {sum(p['dataset'] == d for p in pages)}" for d in datasets)
    lines = ["# Boilerplate removal vs peers", "", f"Command: `python benchmarks/extraction.py --data {args.data}`", "",
             f"{len(pages)} held-out pages ({counts}); "
             "text mode = the page rendered one block per line (list items marked \"- \" on half the pages).", "",
             *table(results, datasets), "",
             "wcxb-dev by page type, HTML F1 (P / R): WCXB's test split, held out from us, mixes these types.", "",
             *by_type(results), ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    if args.card:
        fill_card(args.card, lines[4:])
    (args.out.with_suffix(".json")).write_text(json.dumps(
        [{k: v for k, v in r.items() if k != "rows"} for r in results], indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
