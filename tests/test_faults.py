"""The inputs and faults a real crawl throws: each costs its own document at most, is said, and sets the exit code."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provenance import Document, InputError, read
from provenance.cli import app

from .seed_truth import PARTIAL, WIRE

runner = CliRunner()
ARTICLE = ("The city council approved a new budget on Tuesday after a long debate about road repairs. "
           "Members said the plan would fix the worst streets first and add two new bus routes next year.")


def _rows(output: str) -> dict[str, dict]:
    return {row["id"]: row for row in map(json.loads, output.splitlines())}


def _score(*args: str) -> tuple[int, dict[str, dict], str]:
    result = runner.invoke(app, ["score", "-f", "jsonl", "-j", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, _rows(result.stdout), result.stderr


# ids: unique or refused, never merged

def test_two_files_with_one_name_in_two_folders_are_two_documents(tmp_path, seeds):
    for folder, seed in (("a", WIRE), ("b", PARTIAL)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_bytes((seeds / seed).read_bytes())
    code, rows, err = _score(str(tmp_path / "a" / "story.txt"), str(tmp_path / "b" / "story.txt"))
    second = str(tmp_path / "b" / "story.txt")
    assert code == 0 and list(rows) == ["story.txt", second]
    assert rows["story.txt"]["class"] == "wire-copy" and rows[second]["class"] == "partially-derived"
    assert [s["id"] for s in rows[second]["sources"]] == ["story.txt"]
    assert f"story.txt: another document in this run has this id; this one is called {second}" in err


def test_a_document_named_like_a_reference_keeps_its_own_verdict(tmp_path, seeds):
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "story.txt").write_bytes((seeds / WIRE).read_bytes())
    (tmp_path / "story.txt").write_bytes((seeds / PARTIAL).read_bytes())
    code, rows, _ = _score(str(tmp_path / "story.txt"), "--reference", str(tmp_path / "refs"))
    assert code == 0 and list(rows) == [str(tmp_path / "story.txt")]
    row = rows[str(tmp_path / "story.txt")]
    assert row["class"] == "partially-derived" and [s["id"] for s in row["sources"]] == ["story.txt"]


def test_jsonl_without_ids_from_two_days_keeps_both_days(tmp_path):
    for day in ("day1", "day2"):
        (tmp_path / day).mkdir()
        lines = [json.dumps({"text": f"{ARTICLE} Day {day}, story {n}."}) for n in range(3)]
        (tmp_path / day / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read([tmp_path / "day1" / "articles.jsonl", tmp_path / "day2" / "articles.jsonl"]))
    assert [i.id for i in items] == [*(f"articles.jsonl:{n}" for n in (1, 2, 3)),
                                     *(f"{tmp_path / 'day2' / 'articles.jsonl'}:{n}" for n in (1, 2, 3))]
    assert all(isinstance(i, Document) for i in items)


def test_the_same_input_twice_is_refused_the_second_time(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    first, second = read([tmp_path / "a.txt", tmp_path / "a.txt"])
    assert isinstance(first, Document) and isinstance(second, InputError) and "given twice" in second.reason


def test_index_add_tells_added_identical_and_conflicting_apart(tmp_path):
    day1, day2 = tmp_path / "day1.jsonl", tmp_path / "day2.jsonl"
    day1.write_text("".join(json.dumps({"id": f"n{n}", "text": f"{ARTICLE} Story {n}."}) + "\n" for n in range(3)))
    day2.write_text("".join(json.dumps({"id": f"n{n}", "text": f"{ARTICLE} Story {n + (n > 0) * 10}."}) + "\n"
                            for n in range(3)) + json.dumps({"id": "n9", "text": ARTICLE}) + "\n")
    index = str(tmp_path / "archive.idx")
    assert runner.invoke(app, ["index", "build", str(day1), "-o", index, "-j", "1"]).exit_code == 0
    again = runner.invoke(app, ["index", "add", index, str(day2), "-j", "1"])
    assert again.exit_code == 1
    assert "1 documents added, 1 already there, 2 failed; 4 in" in again.stderr
    assert again.stderr.count("the index holds another text under this id") == 2


# every input read with a bound, and decoded properly

def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path):
    (tmp_path / "le.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "be.html").write_bytes(f"<p>{ARTICLE}</p>".encode("utf-16-be").join([b"\xfe\xff", b""]))
    (tmp_path / "u32.txt").write_bytes(ARTICLE.encode("utf-32"))
    items = {i.id: i for i in read([tmp_path])}
    assert items["le.txt"].text == ARTICLE and items["u32.txt"].text == ARTICLE
    assert items["be.html"].html == f"<p>{ARTICLE}</p>"


def test_valid_utf8_wins_over_a_wrong_meta_charset(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Kosovo’s president spoke.</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    [doc] = read([tmp_path])
    assert "Kosovo’s" in doc.html


def test_a_jsonl_line_past_the_bound_is_skipped_unread_and_the_next_line_read(tmp_path):
    lines = [json.dumps({"id": "huge", "text": "word " * 200_000}), json.dumps({"id": "ok", "text": ARTICLE})]
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode() + b"\n"))
    huge, ok = read([tmp_path / "bomb.jsonl.gz"], max_chars=1_000)
    assert isinstance(huge, InputError) and huge.doc_id == "bomb.jsonl.gz:1" and "line too long" in huge.reason
    assert isinstance(ok, Document) and ok.id == "ok"


def test_a_warc_record_past_the_bound_is_refused_by_its_declared_length(tmp_path):
    def record(uri: str, body: bytes) -> bytes:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: {uri}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
        return gzip.compress(head + http + b"\r\n\r\n")

    (tmp_path / "crawl.warc.gz").write_bytes(record("big", b"<p>" + b"x " * 50_000 + b"</p>")
                                             + record("small", f"<p>{ARTICLE}</p>".encode()))
    big, small = read([tmp_path / "crawl.warc.gz"], max_chars=1_000)
    assert isinstance(big, InputError) and "too large" in big.reason and isinstance(small, Document)


def test_html_nested_thousands_deep_keeps_its_text(tmp_path):
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 3000 + f"<p>{ARTICLE}</p>" + "</div>" * 3000
                                        + "</body></html>", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(tmp_path / "deep.html")])
    assert result.exit_code == 0 and "approved a new budget" in result.stdout


def test_an_unclosed_element_in_the_head_does_not_hide_the_body(tmp_path):
    (tmp_path / "broken.html").write_text(f"<html><head><title>T</title><fb:like><body><p>{ARTICLE}</p></body></html>",
                                          encoding="utf-8")
    result = runner.invoke(app, ["clean", str(tmp_path / "broken.html")])
    assert result.exit_code == 0 and "approved a new budget" in result.stdout


def test_a_page_rendered_by_script_keeps_the_text_it_serves_in_noscript(tmp_path):
    (tmp_path / "app.html").write_text(
        "<html><head><title>T</title></head><body><div id='app'>Loading...</div>"
        f"<noscript id='server-content'><div class='post'><p>{ARTICLE}</p></div></noscript>"
        "<script>render()</script></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(tmp_path / "app.html")])
    assert result.exit_code == 0 and "approved a new budget" in result.stdout


# no silent success

def test_links_that_lead_nowhere_and_empty_inputs_are_rows(tmp_path):
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder loop: read once, said once
    (tmp_path / "empty.jsonl.gz").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    code, rows, _ = _score(str(tmp_path))
    assert code == 1
    assert rows["ok.txt"]["class"] == "original"
    assert "broken symbolic link" in rows["dangling.txt"]["error"]
    assert "symbolic link loop" in rows["loop.txt"]["error"]
    assert "already read" in rows["sub/up"]["error"]
    assert "no JSONL records" in rows["empty.jsonl.gz"]["error"] and "no JSONL records" in rows["blank.jsonl"]["error"]


def test_a_folder_with_nothing_to_read_is_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    code, rows, _ = _score(str(tmp_path))
    assert code == 1 and "no .txt" in rows[str(tmp_path)]["error"]


def test_unreadable_folders_are_rows_and_the_batch_goes_on(tmp_path, monkeypatch):
    """Permissions mean nothing to root (CI), so the refusals are the ones the OS would give."""
    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(ARTICLE, encoding="utf-8")
    listing, checking = os.scandir, Path.is_dir

    def scandir(path="."):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    def is_dir(path):
        if path.parent == tmp_path / "hidden":
            raise PermissionError(13, "Permission denied", str(path))
        return checking(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "is_dir", is_dir)
    items = list(read([tmp_path, tmp_path / "hidden" / "a.txt"]))
    errors = {i.doc_id: i.reason for i in items if isinstance(i, InputError)}
    assert [i.id for i in items if isinstance(i, Document)] == ["open/a.txt"]
    assert errors == {"locked": "cannot read folder: Permission denied",
                      str(tmp_path / "hidden" / "a.txt"): "cannot read: Permission denied"}


def test_a_setting_out_of_range_is_a_usage_error(tmp_path, seeds):
    (tmp_path / "bad.toml").write_text("[provenance]\nwindow_documents = 0\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(seeds), "--config", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2 and "window_documents = 0: must be a whole number of at least 1" in result.stderr


# terminal- and report-safe ids

HOSTILE = {"link": "[link=https://evil.example]click[/link]", "escape": "\x1b[31mred\x1b[0m", "bidi": "abc\u202edcba"}


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"{ARTICLE} {n}."}) + "\n" for n, i in enumerate(HOSTILE.values())))
    return path


def test_hostile_ids_are_shown_not_obeyed_in_the_table_and_markdown(hostile, tmp_path):
    table = runner.invoke(app, ["score", str(hostile), "-j", "1"], color=True)
    runner.invoke(app, ["report", str(hostile), "-f", "md", "-o", str(tmp_path / "r.md"), "-j", "1"])
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    for shown in (table.stdout, markdown):
        assert "\x1b[31m" not in shown and "\u202e" not in shown and "⟨U+202E⟩" in shown and "⟨U+001B⟩" in shown
    assert "\x1b]8;" not in table.stdout and "[link=https://evil" in table.stdout  # no live hyperlink


def test_hostile_ids_are_exact_in_jsonl_and_escaped_in_its_bytes(hostile):
    result = runner.invoke(app, ["score", str(hostile), "-f", "jsonl", "-j", "1"])
    assert "\u202e" not in result.stdout and "\x1b" not in result.stdout and "\\u202e" in result.stdout
    assert set(_rows(result.stdout)) == set(HOSTILE.values())


def test_errors_on_stderr_show_hidden_characters(tmp_path):
    (tmp_path / "x.jsonl").write_text(json.dumps({"id": "\x1b]0;pwned\x07", "text": 5}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "⟨U+001B⟩]0;pwned⟨U+0007⟩" in result.stderr


# processes, the index, Redis and Dask

ORPHANED = """
import time
from provenance.engine import LocalEngine

def wait(items, shared):
    time.sleep(120)
    return items

LocalEngine(2).map(wait, [0, 1], None, 1, lambda: print("running", flush=True))
"""


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_die_with_a_parent_killed_by_sigkill():
    process = subprocess.Popen([sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "running\n"
    workers = _children(process.pid)
    assert len(workers) >= 2  # the pool's workers (and its resource tracker, if any)
    process.kill()
    process.wait()
    process.stdout.close()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]]
    assert alive == []


def test_two_writers_on_one_index_take_turns(tmp_path):
    index, command = tmp_path / "shared.idx", [sys.executable, "-m", "provenance", "index"]
    (tmp_path / "first.txt").write_text(ARTICLE, encoding="utf-8")
    assert subprocess.run([*command, "build", str(tmp_path / "first.txt"), "-o", str(index), "-j", "1"]).returncode == 0
    corpora = []
    for name in ("a", "b"):
        corpora.append(tmp_path / f"{name}.jsonl")
        corpora[-1].write_text("".join(json.dumps({"id": f"{name}{n}", "text": f"{ARTICLE} {name} {n}."}) + "\n"
                                       for n in range(1200)))
    writers = [subprocess.Popen([*command, "add", str(index), str(c), "-j", "1"], stderr=subprocess.PIPE, text=True)
               for c in corpora]
    outcomes = [(w.wait(timeout=300), w.stderr.read()) for w in writers]
    for w in writers:
        w.stderr.close()
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert all(err.startswith("1200 documents added, 0 already there, 0 failed") for _, err in outcomes), outcomes
    assert runner.invoke(app, ["index", "stats", str(index)]).stdout.count('"documents": 2401') == 1


def test_read_commands_never_create_or_change_a_file(tmp_path, seeds):
    empty = tmp_path / "empty.idx"
    empty.write_bytes(b"")
    for command in (["index", "query", str(empty), str(seeds)], ["index", "stats", str(empty)],
                    ["score", str(seeds), "--index", str(empty)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and "is not a provenance index" in result.stderr
    assert empty.read_bytes() == b""
    result = runner.invoke(app, ["index", "query", str(tmp_path / "none.idx"), str(seeds)])
    assert result.exit_code == 2 and not (tmp_path / "none.idx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.idx"]


def test_a_redis_password_is_never_echoed_and_tls_urls_are_redis(seeds):
    for url in ("redis://:hunter2@127.0.0.1:1/0", "rediss://user:hunter2@127.0.0.1:1/0"):
        result = runner.invoke(app, ["score", str(seeds), "--index", url])
        assert result.exit_code == 2 and "hunter2" not in result.output
        assert f"cannot reach the Redis index at {url.replace('hunter2', '***')}" in result.stderr


def test_an_unreachable_scheduler_is_one_line_and_exit_2(seeds, monkeypatch):
    monkeypatch.setattr("provenance.engine.CONNECT_SECONDS", 1)
    result = runner.invoke(app, ["score", str(seeds), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.stderr.startswith("provenance: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert result.stderr.count("\n") == 1


# whatever the bytes: no traceback, one row per input, and the exit code says so

def _fuzzed(tmp_path: Path, files: list[tuple[str, bytes]]) -> list[str]:
    paths = []
    for n, (suffix, data) in enumerate(files):
        path = tmp_path / f"f{n}{suffix}"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


_HTML = st.lists(st.sampled_from(["<p>", "</p>", "<div class='related'>", "</div>", "<li><a href=x>", "<head>",
                                  "<body>", "<!--", "-->", "<script>", "&amp;", "&#0;", "\x00", ARTICLE, "Ünïcode ",
                                  "<fb:like>", "</html>"]), max_size=30).map("".join).map(str.encode)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["id", "text", "html", "url", "site", "date", "title"]), inner, max_size=4),
                     max_leaves=8).map(lambda v: json.dumps(v).encode() + b"\n")
_FILES = st.lists(st.one_of(st.tuples(st.just(".txt"), st.binary(max_size=300)),
                            st.tuples(st.just(".html"), _HTML),
                            st.tuples(st.just(".jsonl"), st.lists(_JSON, max_size=3).map(b"".join))),
                  min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(files=_FILES)
def test_fuzzed_inputs_through_every_command(tmp_path_factory, files):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    paths = _fuzzed(tmp_path, files)
    expected_rows = len(list(read(paths)))
    out = tmp_path / "out.jsonl"
    for command in (["score", *paths, "-f", "jsonl", "-j", "1"], ["clean", *paths, "-f", "jsonl"],
                    ["filter", *paths, "-o", str(out), "--rejects", str(tmp_path / "rejects.jsonl"), "-j", "1"],
                    ["index", "build", *paths, "-o", str(tmp_path / "fuzz.idx"), "-j", "1"]):
        result = runner.invoke(app, command)
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "Traceback" not in result.output
        if command[0] == "score":
            rows = result.stdout.splitlines()
            assert len(rows) == expected_rows
            assert result.exit_code == int(any(json.loads(r)["error"] for r in rows))
        if command[0] == "filter":
            kept = out.read_text().splitlines() + (tmp_path / "rejects.jsonl").read_text().splitlines()
            assert len(kept) == expected_rows
