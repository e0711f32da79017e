"""Machine-readable scores: one flat record per document, the same in JSON, JSONL and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..pipeline import Result
from ..types import Evidence

CSV_COLUMNS = ("id", "class", "originality", "derived_share", "main_source", "main_share", "sources",
               "content_tokens", "removed_blocks", "error")


def evidence_record(evidence: Evidence) -> dict[str, Any]:
    return {"wire_agency": evidence.wire_agency, "dateline": evidence.dateline, "credit_lines": list(evidence.credit_lines)}


def record(result: Result) -> dict[str, Any]:
    score = result.score
    return {
        "id": score.id,
        "originality": score.originality,
        "class": score.klass.value if score.klass else None,
        "sources": [{"id": s.id, "share": s.share} for s in score.sources],
        "content_tokens": score.content_tokens,
        "derived_share": score.derived_share,
        "removed_blocks": score.removed_blocks,
        "evidence": evidence_record(score.evidence),
        "error": score.error,
    }


def write_jsonl(results: Iterable[Result], stream: TextIO) -> None:
    for result in results:
        stream.write(json.dumps(record(result), ensure_ascii=False, sort_keys=True) + "\n")


def write_json(results: Iterable[Result], stream: TextIO) -> None:
    json.dump([record(r) for r in results], stream, ensure_ascii=False, indent=2, sort_keys=True)
    stream.write("\n")


def write_csv(results: Iterable[Result], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        row = record(result)
        main = row["sources"][0] if row["sources"] else {"id": "", "share": ""}
        writer.writerow({
            **{k: row[k] for k in ("id", "class", "originality", "derived_share", "content_tokens", "removed_blocks", "error")},
            "main_source": main["id"],
            "main_share": main["share"],
            "sources": ";".join(f"{s['id']}={s['share']}" for s in row["sources"]),
        })
