"""The persistent index: SQLite survives a kill at any point, Redis is a real server, both find the wire story."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provenance import Document
from provenance.archive import Fingerprints, archive_sources
from provenance.arrays import split_groups
from provenance.cli import app
from provenance.engine import LocalEngine
from provenance.index import BATCH, BUCKET, Entry, IndexStoreError, SignatureIndex, jaccard, open_index, ranked
from provenance.kernels import most_shared
from provenance.settings import Settings
from provenance.signatures import SCHEME, SEED, stacked
from provenance.types import Cleaned, Evidence, Sentence

from .seed_truth import BLOG, BRIEFING, EXPECTED_CLASS, FIRST_SOURCE, PARTIAL, REWRITE, WIRE

runner = CliRunner()


def _score(seeds: Path, index: str) -> dict[str, dict]:
    result = runner.invoke(app, ["score", str(seeds / REWRITE), str(seeds / PARTIAL), str(seeds / BLOG),
                                 "--index", index, "-f", "jsonl", "-j", "1"])
    assert result.exit_code == 0, result.output
    return {r["id"]: r for r in map(json.loads, result.output.splitlines())}


def _round_trip(seeds: Path, location: str) -> None:
    built = runner.invoke(app, ["index", "build", str(seeds / WIRE), "-o", location, "-j", "1"])
    assert built.exit_code == 0, built.output
    again = runner.invoke(app, ["index", "add", location, str(seeds / WIRE), "-j", "1"])
    assert "0 documents added, 1 already there, 0 failed; 1 in" in again.output
    scores = _score(seeds, location)
    for name in (REWRITE, PARTIAL, BLOG):
        assert scores[name]["class"] == EXPECTED_CLASS[name]
        assert [s["id"] for s in scores[name]["sources"][:1]] == ([FIRST_SOURCE[name]] if name in FIRST_SOURCE else [])
    query = runner.invoke(app, ["index", "query", location, str(seeds / PARTIAL), str(seeds / BRIEFING),
                                str(seeds / WIRE)])
    rows = [json.loads(line) for line in query.output.splitlines()]
    assert [c["id"] for c in rows[0]["candidates"]] == [WIRE] and rows[1]["candidates"] == []
    assert rows[2]["candidates"] == [{"id": WIRE, "jaccard": 1.0}]  # its own signature, stored and read back
    index = open_index(location, Settings())
    with pytest.raises(KeyError):
        index.hashvalues([WIRE, "not-indexed"])
    index.close()
    stats = json.loads(runner.invoke(app, ["index", "stats", location]).output)
    assert stats["documents"] == 1 and stats["bands"] * stats["rows_per_band"] <= stats["num_perm"]


def test_sqlite_index_round_trip(seeds, tmp_path):
    _round_trip(seeds, str(tmp_path / "wire.idx"))


def test_missing_or_foreign_index_is_a_usage_error(seeds, tmp_path):
    result = runner.invoke(app, ["index", "stats", str(tmp_path / "none.idx")])
    assert result.exit_code == 2 and "no index" in result.output
    (tmp_path / "junk.idx").write_bytes(b"not sqlite at all" * 100)
    result = runner.invoke(app, ["score", str(seeds), "--index", str(tmp_path / "junk.idx")])
    assert result.exit_code == 2 and "not a provenance index" in result.output
    with closing(sqlite3.connect(tmp_path / "old.idx")) as db:  # the format of before buckets were one row each
        db.execute("CREATE TABLE bands (band INTEGER NOT NULL, key BLOB NOT NULL, id TEXT NOT NULL)")
    result = runner.invoke(app, ["index", "stats", str(tmp_path / "old.idx")])
    assert result.exit_code == 2 and "build it again" in result.output


def _corpus(path: Path, documents: int) -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    with path.open("w") as out:
        for i in range(documents):
            lines = [" ".join(rng.choices(vocabulary, k=25)).capitalize() + "." for _ in range(6)]
            out.write(json.dumps({"id": f"doc{i:05d}", "text": "\n".join(lines)}) + "\n")


def _count(index: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=0.1)) as db:  # never creates it
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_add_leaves_every_committed_batch_and_a_rerun_completes_it(tmp_path):
    total = 6 * BATCH
    corpus = tmp_path / "archive.jsonl"
    _corpus(corpus, total)
    index = tmp_path / "wire.idx"
    command = [sys.executable, "-m", "provenance", "index", "build", str(corpus), "-o", str(index), "-j", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(index) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    committed = _count(index)
    assert 0 < committed < total and committed % BATCH == 0
    with sqlite3.connect(index) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = {int(n) for (bucket,) in db.execute("SELECT numbers FROM buckets") for n in bucket.split()}
        assert numbers == {n for (n,) in db.execute("SELECT number FROM documents")}
    rerun = subprocess.run([*command[:4], "add", str(index), str(corpus), "-j", "1"], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - committed} documents added, {committed} already there, 0 failed; {total} in" in rerun.stderr
    assert _count(index) == total


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("PROVENANCE_REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed and PROVENANCE_REQUIRE_REDIS is set")
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                open_index(url, Settings(), "c").close()
                break
            except Exception:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait()


def test_redis_index_round_trip(seeds, redis_url):
    _round_trip(seeds, redis_url)
    _queried_together_as_alone(redis_url)


def test_sqlite_queries_together_as_alone(tmp_path):
    _queried_together_as_alone(str(tmp_path / "batch.idx"))


def test_an_id_added_twice_is_stored_once_as_first_given(tmp_path):
    index = open_index(str(tmp_path / "twice.idx"), Settings(), "c")
    first = _entry(Document("a", "first"), range(100))
    second = _entry(Document("a", "second"), range(500, 600))
    assert index.add([first, second]) == 1 and index.add([second]) == 0
    assert index.documents(["a"])[0].location == "first"
    assert _query(index, [_minhash(range(100)), _minhash(range(500, 600))]) == [["a"], []]
    index.close()


def _queried_together_as_alone(location: str) -> None:
    """A batch of queries is answered per signature as each alone, unrelated ones and repeats among them."""
    index = open_index(location, Settings(), "c")
    index.add([_entry(Document(f"d{start}", "-"), range(start, start + 100)) for start in range(0, 400, 20)])
    asked = [_minhash(range(start, start + 100)) for start in (30, 5000, 150, 30, 390)]
    together = _query(index, asked)
    assert together == [_query(index, [minhash])[0] for minhash in asked]
    assert together[1] == [] and len(together[0]) > 3 and together[0] == together[3]
    assert _query(index, []) == []
    index.close()


def _query(index: SignatureIndex, minhashes: list[LeanMinHash]) -> list[list[str]]:
    return index.query(stacked(minhashes, Settings().num_perm))


def _entry(document: Document, words: range) -> Entry:
    return Entry(document, _minhash(words), np.array(words, dtype=np.uint32))


def _minhash(words: range) -> LeanMinHash:
    minhash = MinHash(num_perm=Settings().num_perm)
    minhash.update_batch([f"w{i}".encode() for i in words])
    return LeanMinHash(minhash)


def test_query_puts_most_shared_bands_first_and_reads_the_earliest_of_a_full_bucket(tmp_path):
    index = open_index(str(tmp_path / "ranked.idx"), Settings(), "c")
    index.add([_entry(Document("half", "-"), range(50, 150))])
    index.add([_entry(Document(f"copy{i:03d}", "-"), range(100)) for i in range(BUCKET + 20)])
    [found] = _query(index, [_minhash(range(100))])
    assert found[:BUCKET] == [f"copy{i:03d}" for i in range(BUCKET)]  # all bands shared; the later copies unread
    assert found[BUCKET:] == ["half"]  # added first, but shares fewer bands
    index.close()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=40), max_size=5), st.frozensets(st.integers(0, 30)),
       st.integers(-1, 8))
def test_the_sqlite_query_kernel_ranks_as_ranked_does(questions, excluded, limit):
    members = np.array([n for found in questions for n in found], dtype=np.int64)
    starts = np.cumsum([0] + [len(found) for found in questions])
    mask = np.zeros(31, dtype=bool)
    mask[list(excluded)] = True
    asking, kept = most_shared(members, starts, mask, limit)
    expected = [[n for n in ranked(Counter(found)) if n not in excluded][:None if limit < 0 else limit]
                for found in questions]
    assert split_groups(kept.tolist(), asking, len(questions)) == expected


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_query_leaves_out_what_it_is_told_and_stops_at_its_limit(tmp_path, request, store):
    location = request.getfixturevalue("redis_url") if store == "redis" else str(tmp_path / "limited.idx")
    index = open_index(location, Settings(), "c")
    index.add([_entry(Document(f"copy{i:03d}", "-"), range(100)) for i in range(10)])
    asked = stacked([_minhash(range(100))], Settings().num_perm)
    [everything] = index.query(asked)
    assert sorted(everything) == [f"copy{i:03d}" for i in range(10)]
    index.add([_entry(Document("other", "-"), range(500, 600))])
    [some] = index.query(asked, 3, {"copy001", "nowhere"})
    assert some == [i for i in everything if i != "copy001"][:3]
    again = open_index(location, Settings())  # nothing read before: what a query keeps must be the same
    assert np.array_equal(index.hashvalues([*some, "other", "copy001"]), again.hashvalues([*some, "other", "copy001"]))
    assert not np.array_equal(*index.hashvalues(["other", "copy001"]))
    again.close()
    index.close()


def _cleaned(doc_id: str, words: range) -> Cleaned:
    text = " ".join(f"w{i}" for i in words)
    return Cleaned(Document(doc_id, "-"), (), text, (Sentence(0, 0, len(text), text, len(words)),), Evidence())


@pytest.mark.parametrize("candidates", [0, 1, 3])
def test_archive_sources_takes_the_most_similar_as_its_docstring_says(tmp_path, candidates):
    settings = Settings(index_candidates=candidates, exact_horizon=0)  # the LSH look-up (_lsh_sources) alone
    rng = random.Random(3)
    archived = [_cleaned(f"a{n:02d}", range(start, start + rng.randrange(60, 140)))
                for n, start in enumerate(rng.sample(range(0, 600, 7), 40))]
    batch = [_cleaned(f"b{n}", range(start, start + 100)) for n, start in enumerate(range(0, 600, 40))]
    archived.append(_cleaned("b3", range(120, 220)))  # one of the batch's own, indexed before: never its source
    fingerprints = Fingerprints(settings)
    index = open_index(str(tmp_path / "archive.idx"), settings, "c")
    index.add(Entry(c.document, m, s) for c, m, s in zip(archived, *fingerprints(archived)))
    found = archive_sources(index, batch, settings, fingerprints)
    plainly = {}
    for cleaned, minhash in zip(batch, fingerprints(batch)[0]):
        ids = [i for i in _query(index, [minhash])[0] if not i.startswith("b")][:BUCKET]
        stored = [LeanMinHash(seed=SEED, hashvalues=row, scheme=SCHEME) for row in index.hashvalues(ids)]
        similar = []
        for n, (i, other) in enumerate(zip(ids, stored)):
            j, sizes = minhash.jaccard(other), (minhash.count(), other.count())  # datasketch's own estimates
            contained = j * sum(sizes) / ((1 + j) * max(min(sizes), 1))
            if j >= settings.index_threshold or contained >= settings.candidate_verify:
                similar.append((-round(contained, 1), n, i))
        similar.sort()
        plainly[cleaned.document.id] = [i for _, _, i in similar[:candidates or None]]
    assert found == plainly
    assert max(map(len, found.values())) == (candidates or max(map(len, found.values()))) > 0
    assert "b3" not in {i for ids in found.values() for i in ids}
    index.close()


def test_archive_sources_on_worker_processes_finds_what_this_process_finds(tmp_path, monkeypatch):
    _same_on_workers(str(tmp_path / "archive.idx"), monkeypatch)


def test_redis_archive_sources_on_worker_processes_finds_what_this_process_finds(redis_url, monkeypatch):
    _same_on_workers(redis_url, monkeypatch)


def _same_on_workers(location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker opens the store for itself (`reader`): the same candidates, in the same order."""
    settings = Settings()
    archived = [_cleaned(f"a{n}", range(start, start + 100)) for n, start in enumerate(range(0, 900, 30))]
    batch = [_cleaned(f"b{n}", range(start + 5, start + 105)) for n, start in enumerate(range(0, 900, 45))]
    index = open_index(location, settings, "c")
    index.add(Entry(c.document, m, s) for c, m, s in zip(archived, *Fingerprints(settings)(archived)))
    monkeypatch.setattr("provenance.archive.BATCH", 3)  # several tasks, so the pool runs
    monkeypatch.setattr("provenance.candidates.ROWS_PER_TASK", 3)
    for chosen in (settings, settings.with_overrides(exact_horizon=0)):  # exact, and LSH alone
        here = archive_sources(index, batch, chosen)
        with LocalEngine(2) as engine:
            assert archive_sources(index, batch, chosen, engine=engine) == here
        assert sum(map(len, here.values())) > len(batch)
    index.add(Entry(c.document, m, s) for c, m, s in zip(batch, *Fingerprints(settings)(batch)))  # still writable
    assert "b0" in index
    index.close()


def test_jaccard_of_many_signatures_is_datasketchs_one_by_one():
    query = _minhash(range(100))
    others = [_minhash(range(start, start + 100)) for start in (0, 10, 50, 99, 200)]
    matrix = np.stack([other.hashvalues for other in others])
    assert jaccard(query, matrix) == [query.jaccard(other) for other in others]
    assert jaccard(query, matrix[:0]) == []


def _article(doc_id: str, sentences: list[str]) -> Cleaned:
    text = "\n".join(sentences)
    starts = np.cumsum([0] + [len(s) + 1 for s in sentences[:-1]]).tolist()
    spans = tuple(Sentence(i, start, start + len(s), s, len(s.split()))
                  for i, (start, s) in enumerate(zip(starts, sentences)))
    return Cleaned(Document(doc_id, doc_id), (), text, spans, Evidence(None, None, (), (), False))


def _looked_up_exactly(location: str) -> None:
    """A quarter of a document taken from a long indexed one (a Jaccard LSH at 128 permutations can miss it) is
    found by its exact containment among the newest `exact_horizon`, as within a batch; `index_candidates` keeps
    the most contained; past the horizon only LSH looks, and the long one is missed."""
    rng = random.Random(0)
    words = [f"w{n}" for n in range(4000)]
    own = [[" ".join(rng.choices(words, k=12)) + "." for _ in range(40)] for _ in range(4)]
    long_source = _article("long", own[0] + [" ".join(rng.choices(words, k=12)) + "." for _ in range(800)])
    close_source = _article("close", own[1][:20] + own[0][:10])
    batch = [_article("later", own[0][:10] + own[1][:20] + own[3][:10])]
    settings = Settings()
    index = open_index(location, settings, "c")
    stored = [long_source, close_source, _article("unrelated", own[2])]
    index.add(Entry(c.document, m, s) for c, m, s in zip(stored, *Fingerprints(settings)(stored)))
    assert [doc_id for doc_id, _ in index.recent(2)] == ["unrelated", "close"]
    look_up = partial(archive_sources, index, batch, fingerprints=Fingerprints(settings), engine=LocalEngine(1))
    assert look_up(settings) == {"later": ["close", "long"]}
    assert look_up(settings.with_overrides(index_candidates=1)) == {"later": ["close"]}
    assert look_up(settings.with_overrides(exact_horizon=1)) == {"later": ["close"]}  # close by LSH; long missed
    assert look_up(settings.with_overrides(exact_horizon=0)) == look_up(settings.with_overrides(exact_horizon=1))
    index.close()


def test_sqlite_index_is_looked_up_exactly_among_its_newest(tmp_path):
    _looked_up_exactly(str(tmp_path / "exact.idx"))


def test_redis_index_is_looked_up_exactly_among_its_newest(redis_url):
    _looked_up_exactly(redis_url.rsplit("/", 1)[0] + "/1")  # a database of its own


def test_an_index_without_shingle_sets_is_refused_with_how_to_rebuild_it(tmp_path):
    path = tmp_path / "old.idx"
    with closing(sqlite3.connect(path)) as db:
        db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
                         "CREATE TABLE documents (number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                         "signature BLOB NOT NULL, document BLOB NOT NULL);")
    with pytest.raises(IndexStoreError, match="older provenance"):
        open_index(str(path), Settings(), "r")
