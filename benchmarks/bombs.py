"""Peak memory on decompression bombs: a 2 GB record packed into a few MB, as `.jsonl.gz` and `.warc.gz`.

Each is scored with an ordinary article beside it, by the CLI in its own process; the figure is
that process's peak RSS (its children's too), and the record must be refused while the article
is scored. Reading a record whole before its size check is what this guards against.

    python benchmarks/bombs.py --out benchmarks/bombs.md
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from bench_report import publish

RECORD_BYTES = 2 * 1024**3
ARTICLE = ("The city council approved a new budget on Tuesday after a long debate about road repairs. "
           "Members said the plan would fix the worst streets first and add two new bus routes next year.")


def _compressed(head: bytes, fill: bytes, tail: bytes) -> bytes:
    """One gzip member holding head, RECORD_BYTES of `fill` and tail, made a block at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = fill * (1024**2 // len(fill))
    parts = [packer.compress(head)]
    parts += [packer.compress(block) for _ in range(RECORD_BYTES // len(block))]
    return b"".join([*parts, packer.compress(tail), packer.flush()])


def jsonl_bomb(path: Path) -> None:
    path.write_bytes(_compressed(b'{"id": "bomb", "text": "', b"word ", b'"}\n')
                     + gzip.compress(json.dumps({"id": "article", "text": ARTICLE}).encode() + b"\n"))


def _warc_head(uri: str, length: int) -> bytes:
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n").encode()


def warc_bomb(path: Path) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    article = http + f"<p>{ARTICLE}</p>".encode()
    path.write_bytes(_compressed(_warc_head("bomb", len(http) + RECORD_BYTES) + http, b"<p>x</p>", b"\r\n\r\n")
                     + gzip.compress(_warc_head("article", len(article)) + article + b"\r\n\r\n"))


def measure(path: Path) -> dict[str, object]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-m", "provenance", "score", str(path), "-f", "jsonl", "-j", "1"],
                          capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {"exit": done.returncode, "seconds": time.perf_counter() - start, "peak_mb": max(peak, before) / 1024,
            "rows": [(r["id"], r["error"] or r["class"]) for r in rows]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lines = ["# Decompression bombs", "", "`python benchmarks/bombs.py --out benchmarks/bombs.md`: one record of "
             f"{RECORD_BYTES / 1024**3:.0f} GB and one article; peak RSS of the `provenance score` process.", "",
             "| input | size on disk | peak RSS | seconds | exit | rows |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("bomb.jsonl.gz", jsonl_bomb), ("bomb.warc.gz", warc_bomb)):
            path = Path(tmp) / name
            make(path)
            result = measure(path)
            rows = "; ".join(f"{doc_id}: {what}" for doc_id, what in result["rows"])
            lines.append(f"| `{name}` | {path.stat().st_size / 1024**2:.1f} MB | {result['peak_mb']:.0f} MB | "
                         f"{result['seconds']:.1f} | {result['exit']} | {rows} |")
    lines += ["", "Peak RSS is the largest of any child process so far (ru_maxrss), so each row is at least the "
              "ones before it; the bound is what matters: a record is refused as it is read, never held."]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
