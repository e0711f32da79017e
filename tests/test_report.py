from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

from typer.testing import CliRunner

from provenance.cli import app
from provenance.report.html import embed_json

from .conftest import FIXTURES
from .seed_truth import NAMES, PARTIAL, REWRITE, WIRE

runner = CliRunner()


def _report(tmp_path, *args):
    out = tmp_path / "report.out"
    result = runner.invoke(app, ["report", *args, "-o", str(out)])
    return result, out


def test_json_report_has_graph_and_marked_sentences(seeds, tmp_path):
    result, out = _report(tmp_path, str(seeds), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert {(e["source"], e["target"]) for e in data["edges"]} == {(WIRE, REWRITE), (WIRE, PARTIAL)}
    assert set(data["layout"]) == set(NAMES)
    labels = [s["label"] for s in data["details"][PARTIAL]["sentences"]]
    assert labels[:2] == ["original", "original"] and "verbatim" in labels and labels[-1] == "original"
    assert {s["label"] for s in data["details"][WIRE]["sentences"]} == {"wire"}
    assert data["details"][PARTIAL]["evidence"]["credit_lines"] == ["The Associated Press contributed to this report."]


def test_html_report_is_self_contained_with_a_strict_csp(seeds, tmp_path):
    result, out = _report(tmp_path, str(seeds))
    assert result.exit_code == 0
    html = out.read_text()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    details = json.loads(re.search(r'id="report-details">(.*?)</script>', html, re.S).group(1))
    detail = json.loads(gzip.decompress(base64.b64decode(details[WIRE])))
    assert detail["sentences"][0]["text"].startswith("BEIJING (AP)")


def test_embedded_json_cannot_close_its_script_element():
    text = embed_json({"id": "</script><script>alert(1)</script><!--", "t": "\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["id"] == "</script><script>alert(1)</script><!--"


def test_hostile_text_is_escaped_in_html_and_markdown(tmp_path):
    result, out = _report(tmp_path, str(FIXTURES / "hostile"))
    assert result.exit_code == 0
    html = out.read_text()
    embedded = re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1)
    details = re.search(r'id="report-details">(.*?)</script>', html, re.S).group(1)
    assert "<" not in embedded + details and ">" not in embedded + details
    assert "</script><script>window.__pwned=4</script>" in [d["id"] for d in json.loads(embedded)["documents"]]
    result, md_out = _report(tmp_path, str(FIXTURES / "hostile"), "--format", "md")
    md = md_out.read_text()
    assert "<script" not in md and "</script>" not in md


def test_markdown_lists_taken_passages_beside_their_source(seeds, tmp_path):
    result, out = _report(tmp_path, str(seeds), "--format", "md")
    md = out.read_text()
    assert f"| {WIRE} | wire-copy | 0.00 | wire:AP | 1.00 |" in md
    assert f"## {PARTIAL}: partially-derived" in md and f"### from {WIRE}" in md
    assert "> source: BEIJING (AP) - American and Chinese officials met Tuesday" in md


def test_report_needs_an_output_file(seeds):
    assert runner.invoke(app, ["report", str(seeds)]).exit_code == 2
