from __future__ import annotations

import io
import json
import sys

from provenance import read, score_corpus
from provenance.pipeline import Result
from provenance.report.records import write_jsonl

from .seed_truth import EXPECTED_CLASS


def _by_stem(results: list[Result]) -> dict[str, Result]:
    return {r.score.id.split("/")[-1].split(".")[0]: r for r in results}


def check_seed_verdicts(results: list[Result]) -> None:
    by = _by_stem(results)
    assert {k: by[k].score.klass.value for k in EXPECTED_CLASS} == EXPECTED_CLASS
    for derived in ("000", "002"):
        assert by[derived].score.sources[0].id.split(".")[0] == "001"
    o = {k: by[k].score.originality for k in EXPECTED_CLASS}
    assert o["001"] < o["000"] < o["002"] < min(o["003"], o["004"])
    assert o["001"] <= 0.05
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
    (wire / "ap.txt").write_text((seeds / "001.txt").read_text(encoding="utf-8"), encoding="utf-8")
    results = score_corpus(read([seeds / "000.txt", seeds / "002.txt"]), references=read([wire]))
    assert [r.score.id for r in results] == ["000.txt", "002.txt"]
    assert all(r.score.sources[0].id == "ap.txt" for r in results)


def test_failed_inputs_keep_their_place_and_others_are_scored(seeds, tmp_path):
    (tmp_path / "a.txt").write_text((seeds / "001.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe broken")
    (tmp_path / "c.txt").write_text((seeds / "000.txt").read_text(encoding="utf-8"), encoding="utf-8")
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
