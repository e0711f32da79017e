"""Scoring window by window: the verdicts of one batch, each document scored once, sources found in earlier windows."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import provenance.archive
import provenance.pipeline
import provenance.windows
from provenance import DerivationClass, Document, Settings, cleaning, read
from provenance.archive import Fingerprints
from provenance.cli import app
from provenance.engine import LocalEngine
from provenance.index import Bands
from provenance.index.sqlite_store import SqliteIndex
from provenance.pipeline import score_corpus
from provenance.signatures import signatures
from provenance.types import Cleaned, Evidence, Sentence
from provenance.windows import EarlierWindows, _decode, _encode, analyse_windows

from .seed_truth import BRIEFING, NAMES, PARTIAL, REWRITE, WIRE
from .test_pipeline import check_seed_verdicts


def test_input_within_one_window_gets_exactly_the_batch_output(seeds):
    [analysis] = list(analyse_windows(read([seeds])))
    assert [r.score for r in analysis.results] == [r.score for r in score_corpus(read([seeds]))]


def test_sources_in_earlier_windows_are_found_and_never_scored_again(seeds):
    windows = list(analyse_windows(read([seeds]), Settings(window_documents=2)))
    results = [r for w in windows for r in w.results]
    assert [len(w.results) for w in windows] == [2, 2, 1]
    assert [r.score.id for r in results] == list(NAMES)
    check_seed_verdicts(results)
    assert WIRE in windows[1].references  # PARTIAL's source, from the first window, as a source only


def test_each_document_is_cleaned_once_however_many_windows_draw_on_it(seeds, monkeypatch):
    cleaned_ids = []
    clean_batch = provenance.pipeline.clean_batch

    def counting(documents, *args):
        cleaned_ids.extend(d.id for d in documents)
        return clean_batch(documents, *args)

    monkeypatch.setattr(provenance.pipeline, "clean_batch", counting)
    windows = list(analyse_windows(read([seeds]), Settings(window_documents=1)))
    assert sorted(cleaned_ids) == list(NAMES)
    assert any(w.references for w in windows)


def test_earlier_windows_give_back_documents_as_they_were_cleaned_and_their_fingerprints(seeds, tmp_path,
                                                                                        monkeypatch):
    [analysis] = list(analyse_windows(read([seeds])))
    done = [r.cleaned for r in analysis.results]
    store = EarlierWindows(tmp_path / "earlier", analysis.settings)
    made = Fingerprints(analysis.settings)
    store.add(done, made)
    read_back = Fingerprints(analysis.settings)
    back = store.cleaned([c.document.id for c in reversed(done)] + ["missing"], read_back)
    store.close()
    assert back == [replace(c, document=replace(c.document, text=None, html=None), blocks=())
                    for c in reversed(done)]
    monkeypatch.setattr(provenance.archive, "signature_rows", None)  # read back, never made again
    minhashes, sets = read_back(back)
    assert minhashes == made(done[::-1])[0] and all((a == b).all() for a, b in zip(sets, made(done[::-1])[1]))


def test_a_store_the_caller_gives_gets_every_window_and_a_run_s_own_store_is_not_filled_with_the_last(
        seeds, tmp_path, monkeypatch):
    store = EarlierWindows(tmp_path / "earlier", Settings(window_documents=2))
    list(analyse_windows(read([seeds]), Settings(window_documents=2), earlier=store))
    stored = [i for i in NAMES if i in store.index]
    store.close()
    assert stored[-1] == BRIEFING and len(stored) >= 3  # the last window's too (copies stay out)
    added = []
    monkeypatch.setattr(EarlierWindows, "add", lambda self, done, _: added.append([c.document.id for c in done]))
    list(analyse_windows(read([seeds]), Settings(window_documents=2)))
    assert len(added) == 2 and BRIEFING not in sum(added, [])


def test_the_earlier_windows_store_keeps_no_journal_where_an_index_keeps_one(tmp_path):
    store = EarlierWindows(tmp_path / "earlier", Settings())
    index = SqliteIndex(tmp_path / "kept.idx", Bands.for_settings(Settings()), create=True)
    modes = [db.execute("PRAGMA journal_mode").fetchone()[0] for db in (store.index.db, store.kept, index.db)]
    store.close()
    index.close()
    assert modes == ["off", "off", "wal"]


def test_sources_asked_for_again_are_not_decoded_again(seeds, tmp_path, monkeypatch):
    [analysis] = list(analyse_windows(read([seeds])))
    done = [r.cleaned for r in analysis.results]
    store = EarlierWindows(tmp_path / "earlier", analysis.settings)
    store.add(done, Fingerprints(analysis.settings))
    first = store.cleaned([REWRITE, WIRE], Fingerprints(analysis.settings))
    decoded = []
    monkeypatch.setattr(provenance.windows, "_decode", lambda data: decoded.append(data) or _decode(data))
    again = store.cleaned([WIRE, PARTIAL, REWRITE], Fingerprints(analysis.settings))
    store.close()
    assert len(decoded) == 1 and [c.document.id for c in again] == [WIRE, PARTIAL, REWRITE]
    assert again[0] is first[1] and again[2] is first[0]


def test_fingerprints_are_kept_by_id_and_cleaned_text_and_only_those_asked_for(seeds, monkeypatch):
    [analysis] = list(analyse_windows(read([seeds])))
    a, b = (r.cleaned for r in analysis.results[:2])
    recleaned = replace(a, text=b.text, sentences=b.sentences)  # one id, other text: cleaned with other templates
    made = []
    signature_rows = provenance.archive.signature_rows
    monkeypatch.setattr(provenance.archive, "signature_rows",
                        lambda docs, *args: made.extend(docs) or signature_rows(docs, *args))
    fingerprints = Fingerprints(analysis.settings)
    first = fingerprints([a, b])
    assert fingerprints([recleaned])[0][0] == first[0][1] and len(made) == 3
    kept = fingerprints.only([b])
    assert kept([b])[0][0] == first[0][1] and len(made) == 3
    kept([a])
    assert len(made) == 4


def test_fingerprints_made_on_worker_processes_are_those_made_here(seeds, monkeypatch):
    [analysis] = list(analyse_windows(read([seeds])))
    cleaned = [r.cleaned for r in analysis.results]
    settings = analysis.settings
    here = signatures([[s.text for s in c.sentences] for c in cleaned], settings.shingle_size, settings.num_perm)
    monkeypatch.setattr(provenance.archive, "SIGNED_PER_TASK", 1)  # a task per document, so the pool runs
    with LocalEngine(2) as engine:
        there = Fingerprints(settings)(cleaned, engine)
    assert there[0] == here[0] and all(np.array_equal(x, y) for x, y in zip(there[1], here[1]))
    assert len({m.hashvalues.tobytes() for m in here[0]}) == len(cleaned)


def test_an_id_seen_again_in_a_later_window_is_scored_again_like_the_first_time(seeds):
    wire = Document("a", "crawl.jsonl", text=(seeds / WIRE).read_text(encoding="utf-8"))
    windows = list(analyse_windows([wire, Document("b", "crawl.jsonl", text="x"), wire], Settings(window_documents=1)))
    first, _, again = (w.results[0].score for w in windows)
    assert again == first and first.error is None


def test_a_source_later_in_the_stream_is_not_seen(seeds):
    first, second = analyse_windows(read([seeds / PARTIAL, seeds / WIRE]), Settings(window_documents=1))
    assert first.results[0].score.klass is DerivationClass.ORIGINAL
    assert second.results[0].score.klass is DerivationClass.WIRE_COPY


def test_cli_streams_windows_and_counts_failures_in_any_of_them(seeds, tmp_path):
    (tmp_path / "window.toml").write_text("window_documents = 2\n", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"id": "x", "text": "fine words here"}\n{"id": 3\n', encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    result = CliRunner().invoke(app, ["score", str(seeds), str(tmp_path / "broken.jsonl"), "--config",
                                      str(tmp_path / "window.toml"), "-f", "jsonl", "-o", str(out), "-j", "1"])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert result.exit_code == 1 and "broken.jsonl" in result.output
    assert len(rows) == 7 and [r["id"] for r in rows[:5]] == list(NAMES)
    assert rows[2]["class"] == "partially-derived" and rows[2]["sources"][0]["id"] == WIRE
    assert rows[6]["error"] is not None


def test_verbose_reports_each_window(seeds, tmp_path, caplog):
    (tmp_path / "window.toml").write_text("window_documents = 2\n", encoding="utf-8")
    for flags, expected in (([], []), (["-v"], ["window 1: 2 documents", "window 2: 2 documents", "window 3: 1 documents"])):
        caplog.clear()
        result = CliRunner().invoke(app, [*flags, "score", str(seeds), "--config", str(tmp_path / "window.toml"), "-j", "1"])
        assert result.exit_code == 0
        assert [m.split(",")[0] for m in caplog.messages] == expected
        assert [line.split(",")[0] for line in result.output.splitlines() if " window " in line] == [
            f"provenance: {m}" for m in expected]


def test_sigterm_mid_stream_leaves_no_window_index_and_no_partial_output(tmp_path):
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(3000)]
    corpus = tmp_path / "crawl.jsonl"
    with corpus.open("w") as out:
        for i in range(4000):
            text = "\n".join(" ".join(rng.choices(vocabulary, k=20)).capitalize() + "." for _ in range(5))
            out.write(json.dumps({"id": f"doc{i:05d}", "text": text}) + "\n")
    (tmp_path / "window.toml").write_text("window_documents = 500\n", encoding="utf-8")
    scratch, results = tmp_path / "scratch", tmp_path / "results"
    scratch.mkdir()
    results.mkdir()
    command = [sys.executable, "-m", "provenance", "score", str(corpus), "--config", str(tmp_path / "window.toml"),
               "-f", "jsonl", "-o", str(results / "scores.jsonl"), "-j", "1"]
    process = subprocess.Popen(command, env={**os.environ, "TMPDIR": str(scratch)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size for p in results.iterdir()) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # until the first window's results are in the temporary output
    assert process.poll() is None, "finished before it could be stopped"
    assert list(scratch.glob("provenance-windows-*"))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(scratch.iterdir()) == [] and list(results.iterdir()) == []


def _scores(analyses):
    return [asdict(r.score) for a in analyses for r in a.results]


def test_windows_on_two_workers_score_as_one_process(seeds, monkeypatch):
    """Sources found in earlier windows by worker processes, each opening the store for itself."""
    # a task per document or pair, so that a window of two runs every stage on a pool
    monkeypatch.setattr(cleaning, "DOCUMENTS_PER_TASK", 1)
    monkeypatch.setattr(provenance.archive, "BATCH", 1)  # the look-ups in the earlier windows' store
    monkeypatch.setattr(provenance.pipeline, "ALIGNMENTS_PER_TASK", 1)
    settings = Settings(window_documents=2)
    one = _scores(analyse_windows(read([seeds]), settings))
    with LocalEngine(2) as engine:
        assert _scores(analyse_windows(read([seeds]), settings, engine=engine)) == one
    assert len(one) == 5


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()))  # lone surrogates too: a JSONL line may carry one


@given(ANY_TEXT, st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 2**40))),
       st.one_of(st.none(), ANY_TEXT), st.lists(ANY_TEXT, max_size=3).map(tuple), st.booleans())
def test_a_stored_document_reads_back_as_it_was_cleaned(text, spans, title, credits, on_agency_site):
    document = Document("a\ud800.txt", "folder/a\ud800.txt", title=title, date="2026-12-03")
    sentences = tuple(Sentence(i, start, end, text[start:end], tokens) for i, (start, end, tokens) in enumerate(spans))
    evidence = Evidence("AP", title, credits, credits, on_agency_site)
    cleaned = Cleaned(document, (), text, sentences, evidence)
    assert _decode(_encode(cleaned)) == cleaned

