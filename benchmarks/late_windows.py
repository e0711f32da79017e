"""What one window of a long stream costs once many windows are stored before it.

    python benchmarks/late_windows.py --corpus build/corpus-100000/documents.jsonl --earlier 10 --windows 2

The scale benchmark's 100k run takes about 25 minutes; a late window's cost is measured here in a
few, so that two versions of the code can be timed one after the other on the same store. The
store (`--store`, kept between runs) is built once from the first `--earlier` windows of the
corpus, cleaned and added as a stream adds them but not scored, so the copies a stream leaves out
are in it too. Each run scores the next `--windows` windows against a copy of it, as
`analyse_windows` does, and writes each window's seconds. It calls the library in this process,
with Python's default garbage collection thresholds; the CLI raises them (see provenance/cli.py).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench_report import calibration, publish

from provenance import Settings, load_model, read
from provenance.archive import Fingerprints
from provenance.boilerplate import BoilerplateModel
from provenance.cleaning import clean_batch
from provenance.engine import LocalEngine, default_jobs
from provenance.types import Document
from provenance.windows import EarlierWindows, analyse_windows

ROOT = Path(__file__).resolve().parent.parent


def build(corpus: Path, store: Path, windows: int, settings: Settings, model: BoilerplateModel,
          engine: LocalEngine) -> None:
    """Under another name until complete: the store has no journal, so an interrupted build is not kept."""
    stream = read([corpus])
    partial = store.with_suffix(".partial")
    shutil.rmtree(partial, ignore_errors=True)
    earlier = EarlierWindows(partial, settings)
    try:
        for _ in range(windows):
            batch = [d for d in islice(stream, settings.window_documents) if isinstance(d, Document)]
            earlier.add(clean_batch(batch, model, settings, engine), Fingerprints(settings))
    finally:
        earlier.close()
    partial.replace(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "build/corpus-100000/documents.jsonl")
    parser.add_argument("--earlier", type=int, default=10, help="windows stored before the ones timed")
    parser.add_argument("--windows", type=int, default=2, help="windows timed")
    parser.add_argument("--store", type=Path, default=None, help="default: beside the corpus")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    settings, model = Settings(), load_model()  # loaded before any window is timed
    store = args.store or args.corpus.parent / f"earlier-{args.earlier}"
    lines = ["# Late windows", "", f"Command: `python benchmarks/late_windows.py --corpus {args.corpus} "
             f"--earlier {args.earlier} --windows {args.windows}`", ""]
    with LocalEngine(args.jobs) as engine:
        if not store.exists():
            began = time.perf_counter()
            build(args.corpus, store, args.earlier, settings, model, engine)
            lines.append(f"Store of {args.earlier} windows built in {time.perf_counter() - began:.0f} s.")
        lines += [f"Calibration loop: {calibration():.2f} s.", "", "| window | seconds |", "|---:|---:|"]
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(store, Path(tmp) / "earlier")
            earlier = EarlierWindows(Path(tmp) / "earlier", settings)
            later = islice(read([args.corpus]), args.earlier * settings.window_documents, None)
            scored = analyse_windows(later, settings, model=model, engine=engine, earlier=earlier)
            began = time.perf_counter()
            for number, _ in zip(range(args.earlier + 1, args.earlier + args.windows + 1), scored):
                lines.append(f"| {number} | {time.perf_counter() - began:.1f} |")
                print(lines[-1], flush=True)
                began = time.perf_counter()
            scored.close()
            earlier.close()
    publish(lines, args.out)


if __name__ == "__main__":
    main()
