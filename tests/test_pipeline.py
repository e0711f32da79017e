from __future__ import annotations

import io
import json
import sys

from provenance import read
from provenance.pipeline import score_corpus
from provenance.report.records import write_jsonl
from provenance.types import Result

from .seed_truth import BLOG, BRIEFING, EXPECTED_CLASS, FIRST_SOURCE, ORIGINALITY_ORDER, PARTIAL, REWRITE, WIRE


def stem(name: str) -> str:
    """A seed's name without folder or suffix: the same for its .txt, .html and JSONL forms."""
    return name.split("/")[-1].rsplit(".", 1)[0] if name.endswith((".txt", ".html")) else name.split("/")[-1]


def check_seed_verdicts(results: list[Result]) -> None:
    """The verdicts of ../shared/seeds/README.md: classes, first sources, the originality order."""
    by = {stem(r.score.id): r.score for r in results}
    assert {k: by[stem(k)].klass.value for k in EXPECTED_CLASS} == EXPECTED_CLASS
    for name, source in FIRST_SOURCE.items():
        assert stem(by[stem(name)].sources[0].id) == stem(source), name
    o = [by[stem(k)].originality for k in ORIGINALITY_ORDER]
    assert o == sorted(o) and len(set(o)) == len(o), o
    assert o[-1] < min(by[stem(BLOG)].originality, by[stem(BRIEFING)].originality)
    assert all(r.score.error is None for r in results)


def test_seed_verdicts_from_text(seeds):
    check_seed_verdicts(score_corpus(read([seeds])))


def test_seed_verdicts_from_html(seed_html_dir):
    check_seed_verdicts(score_corpus(read([seed_html_dir])))


def test_seed_verdicts_from_jsonl_stdin(seed_jsonl, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_jsonl)))
    check_seed_verdicts(score_corpus(read(["-"])))


def test_seed_output_matches_golden(seeds, update_golden):
    from .conftest import ROOT

    golden = ROOT / "tests" / "golden" / "seeds.jsonl"
    stream = io.StringIO()
    write_jsonl(score_corpus(read([seeds])), stream)
    if update_golden:
        golden.write_text(stream.getvalue(), encoding="utf-8")
    assert stream.getvalue() == golden.read_text(encoding="utf-8"), "rerun with --update-golden if the change is intended"


def test_reference_documents_are_sources_and_not_scored(seeds, tmp_path):
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "ap.txt").write_text((seeds / WIRE).read_text(encoding="utf-8"), encoding="utf-8")
    results = score_corpus(read([seeds / REWRITE, seeds / PARTIAL]), references=read([wire]))
    assert [r.score.id for r in results] == [REWRITE, PARTIAL]
    assert all(r.score.sources[0].id == "ap.txt" for r in results)


def test_failed_inputs_keep_their_place_and_others_are_scored(seeds, tmp_path):
    (tmp_path / "a.txt").write_text((seeds / WIRE).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"caf\xe9 broken")
    (tmp_path / "c.txt").write_text((seeds / REWRITE).read_text(encoding="utf-8"), encoding="utf-8")
    results = score_corpus(read([tmp_path]))
    assert [r.score.id for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert "UTF-8" in results[1].score.error and results[1].score.originality is None
    assert results[2].score.sources[0].id == "a.txt"


def test_unrelated_documents_are_original(tmp_path):
    (tmp_path / "a.txt").write_text(
        "The city council approved a new budget for road repairs on Monday after a long debate.\n"
        "Members said the money would go to the worst streets first, starting in the spring.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "A local bakery won a national prize for its sourdough bread this week, its owners said.\n"
        "The bakery opened in 1998 and employs twelve people, most of them from the neighbourhood.\n", encoding="utf-8")
    results = score_corpus(read([tmp_path]))
    assert [(r.score.klass.value, r.score.originality) for r in results] == [("original", 1.0), ("original", 1.0)]


def test_records_have_the_documented_fields(seeds):
    stream = io.StringIO()
    write_jsonl(score_corpus(read([seeds])), stream)
    for line in stream.getvalue().splitlines():
        row = json.loads(line)
        assert {"id", "originality", "class", "sources", "content_tokens", "removed_blocks", "error"} <= set(row)
        assert 0.0 <= row["originality"] <= 1.0
        assert [s["share"] for s in row["sources"]] == sorted((s["share"] for s in row["sources"]), reverse=True)
