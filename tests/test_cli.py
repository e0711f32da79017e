from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from provenance.cli import app

from .seed_truth import BLOG, BRIEFING, KNOWN_KEPT, NAMES, PARTIAL, REWRITE, WIRE, junk_lines

runner = CliRunner()
COMMANDS = [[], ["score"], ["report"], ["clean"], ["model"], ["model", "train"], ["model", "eval"], ["eval"],
            ["eval", "derivation"], ["filter"], ["index"], ["index", "build"], ["index", "add"], ["index", "query"], ["index", "stats"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output and len(result.output) > 200


def test_help_names_the_semantic_extra_as_typed():
    """Rich markup would read "[semantic]" as a style and drop it from the help."""
    result = runner.invoke(app, ["score", "--help"], terminal_width=200)
    assert "provenance[semantic]" in result.output


def test_version_names_dependencies():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "provenance" in result.output and "datasketch" in result.output
    assert "numba" in result.output


def test_score_table_on_seeds(seeds):
    result = runner.invoke(app, ["score", str(seeds)])
    assert result.exit_code == 0
    for text in (WIRE[:12], "wire-copy", "wholly-derived", "partially-derived", "original", "wire:AP"):
        assert text in result.output


def test_score_jsonl_and_csv_agree(seeds):
    jsonl = runner.invoke(app, ["score", str(seeds), "--format", "jsonl"])
    rows = [json.loads(line) for line in jsonl.output.splitlines()]
    table = list(csv.DictReader(io.StringIO(runner.invoke(app, ["score", str(seeds), "-f", "csv"]).output)))
    assert [r["id"] for r in rows] == [r["id"] for r in table] == list(NAMES)
    assert [r["class"] for r in rows] == [r["class"] for r in table]
    assert table[0]["main_source"] == WIRE


def test_score_reads_jsonl_from_stdin(seed_jsonl):
    result = runner.invoke(app, ["score", "-", "-f", "jsonl"], input=seed_jsonl)
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [n.removesuffix(".txt") for n in NAMES]


def test_output_file_is_written_whole(seeds, tmp_path):
    out = tmp_path / "sub" / "scores.json"
    result = runner.invoke(app, ["score", str(seeds), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    assert len(json.loads(out.read_text())) == 5
    assert [p.name for p in out.parent.iterdir()] == ["scores.json"]


def test_bad_inputs_give_exit_1_and_the_rest_is_scored():
    from .conftest import FIXTURES

    result = runner.invoke(app, ["score", str(FIXTURES / "bad"), "-f", "jsonl"])
    assert result.exit_code == 1
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["good.txt"]["error"] is None and rows["good.txt"]["class"] == "original"
    assert rows["image.txt"]["error"].startswith("binary") and rows["image.txt"]["class"] is None
    assert len(rows) == 11


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["score"]).exit_code == 2
    assert runner.invoke(app, ["score", str(tmp_path), "--format", "xml"]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("no_such_setting = 1\n")
    result = runner.invoke(app, ["score", str(tmp_path), "--config", str(bad)])
    assert result.exit_code == 2 and "no_such_setting" in result.output


def test_config_file_changes_a_threshold(seeds, tmp_path):
    config = tmp_path / "p.toml"
    config.write_text("[provenance]\npartially_derived_share = 0.99\nwholly_derived_share = 1.0\n")
    result = runner.invoke(app, ["score", str(seeds / PARTIAL), str(seeds / WIRE), "-f", "jsonl",
                                 "--config", str(config)])
    assert json.loads(result.output.splitlines()[0])["class"] == "original"


def test_clean_prints_article_text_only(seeds):
    result = runner.invoke(app, ["clean", str(seeds / WIRE)])
    assert result.exit_code == 0
    assert result.output.startswith("BEIJING (AP)")
    assert "veryGood" not in result.output and "Recommendation" not in result.output


def test_clean_jsonl_explains_every_block(seeds):
    result = runner.invoke(app, ["clean", str(seeds / BLOG), "--format", "jsonl"])
    blocks = [json.loads(line) for line in result.output.splitlines()]
    assert len(blocks) == len((seeds / BLOG).read_text().strip().splitlines())
    assert all(0 <= b["probability"] <= 1 and isinstance(b["content"], bool) for b in blocks)
    assert blocks[1]["trimmed"] == "4 min read" and blocks[1]["content"]


def test_model_eval_rejects_an_unknown_dataset(tmp_path):
    result = runner.invoke(app, ["model", "eval", "nope", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "no dataset" in result.output


def test_bad_input_at_scale_costs_only_the_bad_documents(tmp_path, seeds):
    """10,000 empty files, a 200 MB document, a non-UTF-8 JSONL line, a truncated WARC.gz: each one error, exit 1."""
    from .test_ingest import ARTICLE, _warc_record, write_warc

    crawl = tmp_path / "crawl"
    (crawl / "empty").mkdir(parents=True)
    for i in range(10_000):
        (crawl / "empty" / f"{i:05d}.txt").touch()
    with (crawl / "huge.txt").open("wb") as huge:
        huge.truncate(200 * 2**20)
    good = (seeds / WIRE).read_text(encoding="utf-8")
    (crawl / "feed.jsonl").write_bytes(json.dumps({"id": "a", "text": good}).encode() + b"\n"
                                       + b'{"id": "bad", "text": "caf\xe9"}\n'
                                       + json.dumps({"id": "b", "text": good}).encode() + b"\n")
    write_warc(crawl / "cut.warc.gz", [_warc_record(f"https://a.example/{i}", ARTICLE) for i in range(2)], truncate=30)
    result = runner.invoke(app, ["score", str(crawl), "-f", "jsonl", "-j", "1"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [r for r in rows if r["error"]]
    scored = [r for r in rows if not r["error"]]
    assert len(rows) >= 10_000 + 1 + 3 + 2  # the WARC: one article, then the record and the stream it cut
    assert sum("empty" in r["error"] for r in errors) == 10_000
    assert any("too large" in r["error"] for r in errors) and any("UTF-8" in r["error"] for r in errors)
    assert any("ends early" in r["error"] for r in errors)
    assert {r["id"] for r in scored} == {"a", "b", next(r["id"] for r in scored if r["id"].startswith("urn:"))}
    assert {r["class"] for r in scored if r["id"] in "ab"} == {"wire-copy"}


def test_filter_splits_kept_and_rejected_in_input_order(seeds, tmp_path):
    kept, rejects = tmp_path / "kept.jsonl", tmp_path / "rejects.jsonl"
    result = runner.invoke(app, ["filter", str(seeds), "-o", str(kept), "--rejects", str(rejects),
                                 "--drop", "wire-copy", "--min-originality", "0.6", "-j", "1"])
    assert result.exit_code == 0, result.output
    kept_rows = [json.loads(line) for line in kept.read_text().splitlines()]
    rejected = {r["id"]: r["reason"] for r in map(json.loads, rejects.read_text().splitlines())}
    scored = runner.invoke(app, ["score", str(seeds), "-f", "jsonl"]).output.splitlines()
    scores = {r["id"]: r for r in map(json.loads, scored)}
    assert [r["id"] for r in kept_rows] == [PARTIAL, BLOG, BRIEFING]
    assert rejected == {REWRITE: f"originality {scores[REWRITE]['originality']:.2f} < 0.60", WIRE: "class wire-copy"}
    assert all(r["originality"] >= 0.6 and r["text"] for r in kept_rows)
    junk = [j for j in junk_lines(PARTIAL, (seeds / PARTIAL).read_text(encoding="utf-8"))
            if not j.startswith(tuple(KNOWN_KEPT[PARTIAL]))]
    assert "Updated:" in junk and not any(line in junk for line in kept_rows[0]["text"].splitlines())


def test_filter_refuses_an_unknown_class(seeds, tmp_path):
    result = runner.invoke(app, ["filter", str(seeds), "-o", str(tmp_path / "k.jsonl"), "--drop", "wire,bogus"])
    assert result.exit_code == 2 and "unknown class bogus, wire (valid: wire-copy, wholly-derived, partially-derived, original)" in result.output
    assert not (tmp_path / "k.jsonl").exists()
