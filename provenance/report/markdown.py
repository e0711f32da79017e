"""The report as Markdown, for pasting into a ticket or a pull request; every cell is inert text."""

from __future__ import annotations

from typing import Any, TextIO

from ..visible import visible


def write_markdown(data: dict[str, Any], stream: TextIO) -> None:
    """Summary table, then per derived document its sources, evidence and taken passages."""
    def cell(text: Any) -> str:
        """Inert in any Markdown renderer: no raw HTML, no table breaks, no hidden characters (a line break among them)."""
        return (visible(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("|", "\\|"))

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
