"""The self-contained HTML report: one file, no network.

Styles and script are inline and allowed by their SHA-256 in a Content-Security-Policy
that forbids everything else; document text travels as JSON inside a non-executable script element and is only ever put on the page with
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
