"""Worker processes and Dask must change where work runs, never what comes out."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from provenance import cleaning, pipeline
from provenance.cli import app
from provenance.engine import LocalEngine, chunks

runner = CliRunner()


@pytest.fixture
def one_per_task(monkeypatch):
    """One document and one pair per task, so even the five seeds spread over every worker."""
    monkeypatch.setattr(cleaning, "DOCUMENTS_PER_TASK", 1)
    monkeypatch.setattr(pipeline, "PAIRS_PER_TASK", 1)


def _jsonl(seeds, *options):
    result = runner.invoke(app, ["score", str(seeds), "-f", "jsonl", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_jobs_and_dask_give_identical_jsonl(seeds, one_per_task):
    one = _jsonl(seeds, "--jobs", "1")
    assert '"class": "wire-copy"' in one
    assert _jsonl(seeds, "--jobs", "2") == one
    assert _jsonl(seeds, "--engine", "dask", "--jobs", "2") == one


def _pids(items, _):
    import os

    return [os.getpid() for _ in items]


def test_local_engine_uses_worker_processes():
    import os

    pids = LocalEngine(2).map(_pids, list(range(8)), None, 1)
    assert len(pids) == 8 and os.getpid() not in pids and len(set(pids)) <= 2


def _collecting(items, _):
    import gc

    return [gc.isenabled() for _ in items]


def test_garbage_collection_is_off_only_in_the_parent_and_only_while_a_pool_runs():
    import gc

    assert LocalEngine(2).map(_collecting, list(range(4)), None, 1) == [True] * 4  # the workers collect
    assert gc.isenabled()


def _waited(items, event):
    return [event.wait(timeout=60) for _ in items]


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_in_this_process_while_the_workers_run(jobs):
    """A worker waits for what the parent does meanwhile: done after the map, it would time out."""
    import multiprocessing
    import os

    event, calls = multiprocessing.get_context("fork").Event(), []
    meanwhile = lambda: calls.append(os.getpid()) or event.set()  # noqa: E731
    assert LocalEngine(jobs).map(_waited, list(range(4)), event, 1, meanwhile) == [True] * 4
    assert calls == [os.getpid()]


GROUP_STOPPED = """
import signal, sys, time
from provenance.engine import LocalEngine

def wait(items, _):
    return [time.sleep(60) if i else i for i in items]

signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))  # as the CLI does
LocalEngine(2).map(wait, {items}, None, 1, lambda: print("running", flush=True))
"""


@pytest.mark.parametrize("items", [[0, 1], [0] + [1] * 8], ids=["a worker waits for a task", "tasks wait"])
def test_sigterm_to_the_whole_process_group_stops_the_pool_and_its_parent_quietly(items):
    """As a scheduler stops a job. A worker done with its task waits for another holding the task
    queue's lock: with multiprocessing.Pool the parent then waited for that lock for ever. Tasks not
    started yet are dropped: cancelled by executor.map, they could make the executor's thread print a
    traceback (a race: 1 in 3 group kills of the CLI, rarer here)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-c", GROUP_STOPPED.format(items=items)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout.readline() == "running\n"
        time.sleep(1)  # the first worker is done with its first task
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.stdout.close()
        process.stderr.close()


def _sizes(items, shared):
    return [(type(shared).__name__, len(shared)) for _ in items]


def test_dask_hands_every_task_the_shared_list_whole():
    from provenance.engine import DaskEngine

    with DaskEngine(jobs=1) as engine:
        calls = []
        assert engine.map(_sizes, [0, 1, 2], [[i] for i in range(3000)], 2, lambda: calls.append(1)) == [
            ("list", 3000)] * 3
        assert engine.map(_sizes, [], [], 2, lambda: calls.append(2)) == [] and calls == [1, 2]


def test_chunks_cover_everything_in_order():
    assert [list(c) for c in chunks(list(range(7)), 3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunks([], 3) == []
