from __future__ import annotations

import gzip
import io
import json
import sys

from provenance import Document, InputError, read
from provenance.ingest.jsonl import parse_line

from .conftest import FIXTURES


def test_folder_is_read_recursively_in_order_with_relative_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed. Text.", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>Hello there.</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs = list(read([tmp_path]))
    assert [d.id for d in docs] == ["a.html", "b/z.txt"]
    assert docs[0].html and docs[1].text


def test_every_bad_input_is_one_error_and_the_good_ones_survive():
    items = list(read([FIXTURES / "bad"]))
    errors = {i.doc_id: i.reason for i in items if isinstance(i, InputError)}
    docs = {i.id for i in items if isinstance(i, Document)}
    assert docs == {"good.txt", "ok", "ok2"}
    assert "empty" in errors["empty.txt"] and "empty" in errors["blank.txt"]
    assert "binary" in errors["image.txt"]
    assert "UTF-8" in errors["latin1.txt"]
    assert "malformed JSON" in errors["mixed.jsonl:2"]
    assert "object" in errors["mixed.jsonl:3"]
    assert "text" in errors["notext"]
    assert "UTF-8" in errors["mixed.jsonl:5"]


def test_missing_path_is_an_error_not_a_crash(tmp_path):
    [item] = read([tmp_path / "nope"])
    assert isinstance(item, InputError) and "no such" in item.reason


def test_huge_document_is_refused_with_the_limit(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    [item] = read([tmp_path], max_chars=100)
    assert isinstance(item, InputError) and "too large" in item.reason


def test_jsonl_from_stdin_keeps_ids_and_metadata(monkeypatch):
    line = json.dumps({"id": 7, "text": "Body text.", "url": "https://example.com/a", "site": "example"})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode() + b"\n\n")))
    [doc] = read(["-"])
    assert (doc.id, doc.url, doc.site, doc.text) == ("7", "https://example.com/a", "example", "Body text.")


def test_gzipped_jsonl_and_a_truncated_one(tmp_path):
    data = gzip.compress(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    (tmp_path / "good.jsonl.gz").write_bytes(data)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = list(read([tmp_path / "good.jsonl.gz", tmp_path / "cut.jsonl.gz"]))
    assert [i.id for i in items if isinstance(i, Document)][:2] == ["a", "b"]
    assert any(isinstance(i, InputError) and "corrupt" in i.reason for i in items)


def test_html_declared_charset_is_honoured():
    from provenance.ingest.files import document_from_bytes

    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Café</p></body></html>'.encode("latin-1")
    doc = document_from_bytes(page, "x", "x", True, 10_000)
    assert "Café" in doc.html


def test_parse_line_without_id_uses_the_line_number():
    doc = parse_line(b'{"text": "x y"}', "f.jsonl:3", "f.jsonl:3", 100)
    assert doc.id == "f.jsonl:3"


def _warc_record(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url)):032x}>\r\n"
            f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def write_warc(path, records: list[bytes], truncate: int = 0) -> None:
    """One gzip member per record, as crawlers write them; `truncate` cuts bytes off the end."""
    data = b"".join(gzip.compress(r) for r in records) if path.name.endswith(".gz") else b"".join(records)
    path.write_bytes(data[:len(data) - truncate])


ARTICLE = (b"<html><body><article><p>The council voted on Tuesday to close the old bridge. Residents said they "
           b"would appeal, and the mayor promised a new crossing by 2027.</p></article></body></html>")


def test_warc_yields_html_responses_with_their_urls(tmp_path):
    records = [_warc_record("https://a.example/1", ARTICLE), _warc_record("https://a.example/logo", b"\x89PNG", "image/png"),
               _warc_record("https://b.example/2", ARTICLE.replace(b"bridge", b"school"))]
    for name in ("crawl.warc", "crawl.warc.gz"):
        write_warc(tmp_path / name, records)
        docs = list(read([tmp_path / name]))
        assert [d.url for d in docs] == ["https://a.example/1", "https://b.example/2"]
        assert all(isinstance(d, Document) and d.id.startswith("urn:uuid:") and "council" in d.html for d in docs)


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path):
    records = [_warc_record(f"https://a.example/{i}", ARTICLE) for i in range(3)]
    for name in ("cut.warc", "cut.warc.gz"):
        write_warc(tmp_path / name, records, truncate=40)
        items = list(read([tmp_path / name]))
        assert [type(i) for i in items[:3]] == [Document, Document, InputError]
        assert all(isinstance(i, InputError) and ("truncated" in i.reason or "ends early" in i.reason) for i in items[2:])


def test_a_lone_surrogate_is_repaired_in_text_and_refused_in_an_id():
    """Valid JSON, yet no character: no output could encode it, and one such line must not cost the batch."""
    doc = parse_line(br'{"id": "a", "text": "caf\ud800 au lait", "title": "x\udfff"}', "f:1", "f:1", 100)
    assert isinstance(doc, Document) and doc.text == "caf\ufffd au lait" and doc.title == "x\ufffd"
    refused = parse_line(br'{"id": "a\ud800", "text": "fine"}', "f.jsonl:2", "f.jsonl:2", 100)
    assert isinstance(refused, InputError) and refused.doc_id == "f.jsonl:2" and "surrogate" in refused.reason


def test_a_lone_surrogate_costs_one_row_in_the_cli(tmp_path):
    from typer.testing import CliRunner

    from provenance.cli import app

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(br'{"id": "a\ud800", "text": "x"}' + b"\n" + br'{"id": "b", "text": "caf\ud800 au lait"}' + b"\n")
    result = CliRunner().invoke(app, ["score", str(feed), "-f", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1 and [r["id"] for r in rows] == ["feed.jsonl:1", "b"]
    assert "surrogate" in rows[0]["error"]
