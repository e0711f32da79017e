"""Ids and text as every writer shows them: control and bidi characters visible, never obeyed.

An id is whatever a crawl put in a file name or a JSONL field. Printed raw, an escape sequence
would drive the terminal and U+202E would reverse what follows it in a table, a Markdown page or
a spreadsheet. The HTML report's script shows them the same way (report/assets/report.js, `show`).
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 (but tab and line feed in JSON), DEL, C1, and the bidi embeddings, overrides, isolates and marks
_HIDDEN = "\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_HIDDEN_IN_LINE = re.compile(f"[{_HIDDEN}\t\n]")
_HIDDEN_IN_JSON = re.compile(f"[{_HIDDEN}]")


def visible(text: str) -> str:
    """`text` for one line of a table, a Markdown cell or a message: each hidden character as ⟨U+XXXX⟩."""
    return _HIDDEN_IN_LINE.sub(lambda m: f"\u27e8U+{ord(m.group()):04X}\u27e9", text)


def dumps(value: Any, **options: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)` with the hidden characters as \\u escapes, which JSON leaves raw
    from DEL up: the same value for a parser, inert on a terminal."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _HIDDEN_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
