"""Start-up: `provenance clean FILE` on one page, as a pipeline calling it once per page pays it.

Each command runs `--runs` times in a fresh process; the table gives the median wall time and the
largest peak RSS of one run (that process's own ru_maxrss, from wait4). Beside it, the
same for a bare `python -c pass` and for trafilatura extracting the same page in one process, so a
slow day shows in every row. Bytecode is compiled first, as pip does when it installs a package: with
PYTHONDONTWRITEBYTECODE set (some containers set it) an editable checkout would compile every module
of provenance in every run, about 0.15 s that no installed user pays.

    python benchmarks/startup.py --out benchmarks/startup.md
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import calibration, publish

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "002_ae8e12822f8eedd7.txt"


def run(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of `command` over `runs` fresh processes."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{command} failed with {process.returncode}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "provenance", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
        page.write_text("<html><head><title>t</title></head><body><article>"
                        + "".join(f"<p>{line}</p>" for line in lines) + "</article></body></html>", encoding="utf-8")
        python = [sys.executable, "-c", "pass"]
        text = [sys.executable, "-m", "provenance", "clean", str(SEED)]
        html = [sys.executable, "-m", "provenance", "clean", str(page)]
        trafilatura = [sys.executable, "-c", f"import trafilatura; trafilatura.extract(open({str(page)!r}).read())"]
        loop = calibration()
        rows = [(name, *run(command, args.runs)) for name, command in
                (("python -c pass", python), ("provenance clean (text)", text), ("provenance clean (HTML)", html),
                 ("trafilatura.extract (HTML)", trafilatura))]
    lines = ["# Start-up: one page, one process", "",
             f"`python benchmarks/startup.py`: median of {args.runs} fresh processes; calibration loop {loop:.2f} s.",
             "", "| command | wall (s) | peak RSS (MB) |", "|---|---:|---:|"]
    lines += [f"| {name} | {wall:.2f} | {peak:.0f} |" for name, wall, peak in rows]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
