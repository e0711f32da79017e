"""The self-contained HTML report and its Markdown twin.

HTML: one file, no network. Styles and script are inline and allowed by their SHA-256
in a Content-Security-Policy that forbids everything else; document text travels as
JSON inside a non-executable script element and is only ever put on the page with
textContent. Per-document detail is gzipped and decompressed by the browser when a
document is opened, so a 10,000-document report stays small and opens fast.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from importlib import resources
from typing import Any, TextIO

_ASSETS = resources.files("provenance.report") / "assets"
_SLOTS = re.compile(r"__(CSP|STYLE|SCRIPT|DATA|DETAILS)__")


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def embed_json(value: Any) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def pack(value: Any) -> str:
    return base64.b64encode(gzip.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), mtime=0)).decode()


def write_html(data: dict[str, Any], stream: TextIO) -> None:
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; script-src {_sha256(script)}; style-src {_sha256(style)}; img-src 'none'; "
           "connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")
    summary = {k: v for k, v in data.items() if k != "details"}
    details = {k: pack(v) for k, v in data["details"].items()}
    values = {"CSP": csp, "STYLE": style, "SCRIPT": script, "DATA": embed_json(summary), "DETAILS": embed_json(details)}
    stream.write(_SLOTS.sub(lambda m: values[m.group(1)], _asset("report.html")))


def write_markdown(data: dict[str, Any], stream: TextIO) -> None:
    """Summary table, then per derived document its sources, evidence and taken passages."""
    def cell(text: Any) -> str:
        """Inert in any Markdown renderer: no raw HTML, no table breaks."""
        return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("|", "\\|").replace("\n", " "))

    out = ["# provenance report", "", "| document | class | originality | main source | share | junk removed |",
           "|---|---|---|---|---|---|"]
    for doc in data["documents"]:
        main = doc["sources"][0] if doc["sources"] else None
        out.append(f"| {cell(doc['id'])} | {doc['class'] or 'error'} | "
                   f"{'' if doc['originality'] is None else format(doc['originality'], '.2f')} | "
                   f"{cell(main['id']) if main else cell(doc['error'] or '-')} | "
                   f"{format(main['share'], '.2f') if main else '-'} | {doc['removed_blocks']} |")
    for doc in data["documents"]:
        detail = data["details"].get(doc["id"])
        if not detail or not detail["derivations"]:
            continue
        evidence = detail["evidence"]
        out += ["", f"## {cell(doc['id'])}: {doc['class']}, originality {doc['originality']:.2f}", "",
                "- sources: " + ", ".join(f"{cell(s['id'])} ({s['share']:.2f})" for s in doc["sources"]),
                f"- wire dateline: {cell(evidence['dateline'] or 'none')}",
                f"- credit lines: {cell(' | '.join(evidence['credit_lines']) or 'none')}"]
        for derivation in detail["derivations"]:
            source = data["details"].get(derivation["source"], {"sentences": []})["sentences"]
            out += ["", f"### from {cell(derivation['source'])} (aligned sentences hold {derivation['share']:.0%} of the text)", ""]
            for a, b, kind, similarity in derivation["matches"]:
                out += [f"- {kind} ({similarity:.2f})", f"  > {cell(detail['sentences'][a]['text'])}",
                        "  >", f"  > source: {cell(source[b]['text']) if b < len(source) else ''}"]
    stream.write("\n".join(out) + "\n")
