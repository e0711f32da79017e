"""End-to-end `provenance score` on generated corpora of growing size: documents per second and peak memory.

    python benchmarks/scale.py --data ../shared/data --sizes 10000 100000 --out benchmarks/scale.md

Each size is a fresh corpus from derivation_corpus.py (seed 0), scored by the CLI as a
user would run it (`-f jsonl -o FILE`, all cores). Peak memory is the largest sum of the
proportional set sizes (PSS: pages a forked worker shares with its parent count once) of the
command and all its worker processes, sampled every second: reading smaps_rollup walks a process's
page tables, which every 0.2 s took 16 % of a core in kernel time (10.7 s of system time beside a
65 s 10k run) from the run it measured; on that run the peak of every fifth sample was at most 3 %
under the peak of all of them. The command runs with `--verbose`;
its log (one line a window) goes to score.log beside the corpus, the peak memory so far to
score.memory every 10 s, and the table gives the seconds of the first and the last full
window, which show whether a window's cost grows with the stream before it. At each new log line
score.cpu gets the CPU seconds so far (from /proc: the command's user and system time, its reaped
workers' time) and the share of the machine's time the hypervisor took since the line before
(steal), so a slow window tells whether the code or the machine was slow. With `--again` the first
size is scored once more after the last (its files get the suffix -again), and the last size's
growth is given against both runs and their mean: on this machine two 100k runs an hour apart took
257 and 288 s, which moved the 100k → 1M ratio by ±6 %.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from bench_report import calibration, publish

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 1.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_pss(pid: int) -> int:
    """Bytes of memory `pid` and all its descendants use, shared pages split between them (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def cpu_seconds(pid: int) -> tuple[float, float, float]:
    """(user, system, reaped children's user + system) seconds of `pid`, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user, system, children_user, children_system = (int(f) / CLOCK_TICKS for f in fields[11:15])
    return user, system, children_user + children_system


def steal_ticks() -> tuple[int, int]:
    """(ticks stolen by the hypervisor, all ticks) of the whole machine, from /proc/stat."""
    ticks = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return ticks[7], sum(ticks)


def measure(command: list[str], log: Path) -> tuple[float, float, int]:
    """(seconds, CPU seconds of all its processes, peak bytes); the peak so far is also written every
    10 s to `log` with the suffix .memory (seconds, GiB), so a run stopped before its end still tells
    its memory, and the CPU at each new log line to the suffix .cpu (log lines, seconds, user, system,
    workers so far; the percentage of the machine's time stolen since the line before)."""
    start, (stolen, ticks), before = time.perf_counter(), steal_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with (log.open("w") as stderr, log.with_suffix(".memory").open("w") as memory,
          log.with_suffix(".cpu").open("w") as cpu):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        peak, written, lines = 0, start, 0
        while process.poll() is None:
            peak = max(peak, tree_pss(process.pid))
            if time.perf_counter() - written >= 10:
                written = time.perf_counter()
                memory.write(f"{written - start:.0f} {peak / 2**30:.3f}\n")
                memory.flush()
            if (now := log.read_bytes().count(b"\n")) > lines:
                with suppress(OSError):
                    user, system, workers = cpu_seconds(process.pid)
                    (stolen_now, ticks_now), lines = steal_ticks(), now
                    cpu.write(f"{lines} {time.perf_counter() - start:.1f} {user:.2f} {system:.2f} {workers:.2f} "
                              f"{100 * (stolen_now - stolen) / max(ticks_now - ticks, 1):.2f}\n")
                    stolen, ticks = stolen_now, ticks_now
                    cpu.flush()
            time.sleep(SAMPLE_SECONDS)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return time.perf_counter() - start, used, peak


def window_seconds(log: Path) -> list[float]:
    """Seconds of each full window, from the `--verbose` log."""
    lines = re.findall(r"window \d+: (\d+) documents, .*?([\d.]+) s$", log.read_text(), re.MULTILINE)
    full = max((int(n) for n, _ in lines), default=0)
    return [float(s) for n, s in lines if int(n) == full]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--again", action="store_true",
                        help="score the first size once more after the last, and give the last's growth against both")
    args = parser.parse_args()
    rows, before = [], calibration()
    for number, size in enumerate([*args.sizes, *args.sizes[:1]] if args.again else args.sizes):
        again = "-again" if number == len(args.sizes) else ""  # beside the first run's files, not over them
        corpus = args.work / f"corpus-{size}"
        if not (corpus / "documents.jsonl").is_file():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "derivation_corpus.py"), "--data", str(args.data),
                            "--documents", str(size), "--seed", "0", "--out", str(corpus)], check=True)
        command = [sys.executable, "-m", "provenance", "--verbose", "score", str(corpus / "documents.jsonl"),
                   "-f", "jsonl", "-o", str(corpus / f"scores{again}.jsonl")]
        log = corpus / f"score{again}.log"
        seconds, used, peak = measure(command, log)
        windows = window_seconds(log)
        rows.append((size, seconds, used, peak, windows))
        print(f"{size:>9,} documents  {seconds:8.1f} s  {size / seconds:7.1f} docs/s  CPU {used:.0f} s  "
              f"peak {peak / 2**30:.2f} GiB  windows {windows[0]:.0f} s … {windows[-1]:.0f} s", flush=True)
    lines = ["# End-to-end `provenance score` on generated corpora", "",
             f"`python benchmarks/scale.py --sizes {' '.join(map(str, args.sizes))}{' --again' * args.again}` "
             "(2 cores, all used; "
             "corpus generation not timed; windows of `window_documents` = 5,000).", "",
             f"Calibration (`bench_report.calibration`, a fixed pure-Python loop): {before:.2f} s before the runs, "
             f"{calibration():.2f} s after; compare runs of other days by it.", "",
             "| documents | seconds | documents/s | CPU s (all processes) | peak memory (GiB PSS, all processes) "
             "| time × vs previous | full windows | first, last window (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for i, (size, seconds, used, peak, windows) in enumerate(rows):
        growth = ("the first size again" if i == len(args.sizes) else
                  f"{seconds / rows[i - 1][1]:.1f}× for {size / rows[i - 1][0]:.1f}× documents" if i else "")
        lines.append(f"| {size:,} | {seconds:.0f} | {size / seconds:.1f} | {used:.0f} | {peak / 2**30:.2f} | {growth} "
                     f"| {len(windows)} | {windows[0]:.0f}, {windows[-1]:.0f} |")
    if len(rows) > len(args.sizes) > 1:
        (first, *_, last, second) = rows
        lines += ["", f"The machine's speed moves within an hour, so the first size ran before and after the "
                  f"others: {last[0]:,} documents took {last[1] / first[1]:.1f}× the time of its first run, "
                  f"{last[1] / second[1]:.1f}× its second, **{2 * last[1] / (first[1] + second[1]):.1f}× their "
                  f"mean** (CPU: {last[2] / first[2]:.1f}×, {last[2] / second[2]:.1f}×, "
                  f"{2 * last[2] / (first[2] + second[2]):.1f}×)."]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
