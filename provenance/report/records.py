"""Machine-readable scores: one flat record per document, the same in JSON, JSONL and CSV (where ids show their
hidden characters as ⟨U+XXXX⟩: a spreadsheet obeys them; JSON keeps them exact, as escapes)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from ..types import Evidence, Result
from ..visible import dumps, visible

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
        stream.write(dumps(record(result), sort_keys=True) + "\n")


def write_json(results: Iterable[Result], stream: TextIO) -> None:
    stream.write(dumps([record(r) for r in results], indent=2, sort_keys=True) + "\n")


def write_csv(results: Iterable[Result], stream: TextIO) -> None:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        row = record(result)
        main = row["sources"][0] if row["sources"] else {"id": "", "share": ""}
        writer.writerow({
            **{k: row[k] for k in ("class", "originality", "derived_share", "content_tokens", "removed_blocks")},
            "id": visible(row["id"]),
            "error": row["error"] and visible(row["error"]),
            "main_source": visible(main["id"]),
            "main_share": main["share"],
            "sources": ";".join(f"{visible(s['id'])}={s['share']}" for s in row["sources"]),
        })
