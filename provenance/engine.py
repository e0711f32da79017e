"""Where the stages' work runs: this process, worker processes (`--jobs`), or a Dask cluster.

Every engine maps a top-level function over chunks with one shared argument (the
model, the settings, the documents) sent once per worker, and returns the results
in input order; the stages' functions are pure, so every engine gives the same output.
A map may also be given work of this process's own to do while its tasks run (`meanwhile`).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from .errors import ProvenanceError
from .threads import single_threaded

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

Task = Callable[[Sequence[T], S], list[R]]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_shared: Any = None
_items: Sequence[Any] = ()


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# what a long map reports as its parts finish: (label, items done, items in all)
Progress = Callable[[str, int, int], None]


class Engine(AbstractContextManager):
    """Runs `task(chunk, shared)` for every chunk; results concatenated in chunk order. `meanwhile`, if
    given, is called once in this process, while the tasks run when they run elsewhere; it must not
    change what they read. `local`: the workers run on this machine, so a task may open its files.
    `progress`, if set, hears of each part of a map given a `label` as it is collected, in order."""

    local = True
    progress: Progress | None = None

    def map(self, task: Task, items: Sequence[T], shared: S, chunk_size: int,
            meanwhile: Callable[[], object] | None = None, label: str | None = None) -> list[R]:
        raise NotImplementedError

    def _collected(self, parts: Iterable[tuple[int, list[R]]], total: int, label: str | None) -> list[R]:
        """The parts' results in order, each (its number of items, its results) said to `progress`."""
        results: list[R] = []
        done = 0
        for size, part in parts:
            results += part
            done += size
            if label is not None and self.progress is not None:
                self.progress(label, done, total)
        return results

    def __exit__(self, *exc: object) -> None:
        return None


class LocalEngine(Engine):
    """`jobs` forked worker processes (one process: no pool at all)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or default_jobs())

    def map(self, task: Task, items: Sequence[T], shared: S, chunk_size: int,
            meanwhile: Callable[[], object] | None = None, label: str | None = None) -> list[R]:
        if self.jobs == 1 or len(items) <= chunk_size:
            _now(meanwhile)
            return self._collected(((len(p), _call(task, p, shared)) for p in chunks(items, chunk_size)),
                                   len(items), label)
        # fork: workers inherit `shared` (model, documents) and the items, so a task is sent as a
        # range of positions and only its results are pickled. concurrent.futures, not
        # multiprocessing.Pool: a Pool whose worker was killed as it waited for a task (SIGTERM to the
        # whole process group, as schedulers stop a job) forks another and waits for ever for the
        # queue lock the dead one held; an executor stops a pool whose worker died
        context = multiprocessing.get_context("fork")
        ranges = [(task, start, min(start + chunk_size, len(items))) for start in range(0, len(items), chunk_size)]
        # this process's heap is left out of garbage collection while the pool runs: collections in the
        # parent, as it unpickles results, and in the workers, which copy each inherited page they touch,
        # need not walk a million long-lived objects (the advice of gc.freeze's documentation for fork).
        # Nor does this process collect at all meanwhile: unpickled results hold no cycles, and collecting
        # the young ones as they arrive took a late window's results 2.5 s to unpickle, not 1.1 s
        collecting = gc.isenabled()
        gc.freeze()
        gc.disable()
        try:
            pool = ProcessPoolExecutor(min(self.jobs, len(ranges)), context, initializer=_share,
                                       initargs=(shared, items, os.getpid()))
            try:
                futures = [pool.submit(_run, job) for job in ranges]
                _now(meanwhile)
                return self._collected(((stop - start, future.result()) for (_, start, stop), future
                                        in zip(ranges, futures)), len(items), label)
            finally:  # stopped early (an error, SIGTERM): the executor drops the tasks not started (not
                # this thread, as executor.map would: on Python 3.11 its manager thread then fails on a
                # future cancelled under it if the pool broke, CPython gh-107219)
                pool.shutdown(cancel_futures=True)
        finally:
            if collecting:
                gc.enable()
            gc.unfreeze()


def _now(work: Callable[[], object] | None) -> None:
    if work is not None:
        work()


def _share(shared: Any, items: Sequence[Any], parent: int) -> None:
    """Pool initializer: what the tasks read, the default SIGTERM (a worker stops at once, not when the
    parent's handler would let it), garbage collection, which the parent turned off for itself, and death
    with the parent: a parent killed with SIGKILL runs no clean-up, and its idle workers would wait for
    ever, each holding its copy of the model and the window."""
    global _shared, _items
    _shared, _items = shared, items
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()
    _die_with(parent)


def _die_with(parent: int) -> None:
    """SIGKILL this process when `parent` dies (Linux's parent-death signal; elsewhere the executor's own
    checks must do). The parent may have died before the signal was asked for: then it is too late to wait."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)


def _run(job: tuple[Task, int, int]) -> list[Any]:
    task, start, stop = job
    return _call(task, _items[start:stop], _shared)


def _call(task: Task, part: Sequence[Any], shared: Any) -> list[Any]:
    """One task, with BLAS/OpenMP held to one thread: the engines give each core its own task."""
    with single_threaded():
        return task(part, shared)


class EngineError(ProvenanceError):
    """The engine asked for cannot be had (a scheduler that does not answer)."""


CONNECT_SECONDS = 10


class DaskEngine(Engine):
    """The same tasks on a Dask cluster: `scheduler` is its address, or None for a LocalCluster on loopback."""

    def __init__(self, scheduler: str | None = None, jobs: int | None = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError("--engine dask needs Dask: pip install 'provenance[cluster]'") from exc

        self.cluster = None
        self.local = scheduler is None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=max(1, jobs or default_jobs()), threads_per_worker=1,
                                        processes=True, host="127.0.0.1", dashboard_address=None)
            scheduler = self.cluster.scheduler_address
        try:
            self.client = Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, ValueError) as exc:  # TimeoutError is an OSError
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc

    def map(self, task: Task, items: Sequence[T], shared: S, chunk_size: int,
            meanwhile: Callable[[], object] | None = None, label: str | None = None) -> list[R]:
        parts = chunks(items, chunk_size)
        if not parts:
            _now(meanwhile)
            return []
        # hash=False: keys of their own, not of the content. Two maps in a row of equal data (a window's look-up
        # and its derivations, with nothing stored yet) got one key, and the first one's release lost the second's.
        [shared_future] = self.client.scatter([shared], broadcast=True, hash=False)  # one object, even a list
        futures = self.client.map(_call, [task] * len(parts), self.client.scatter(parts, hash=False),
                                  shared=shared_future, pure=False)
        _now(meanwhile)
        return self._collected(((len(p), f.result()) for p, f in zip(parts, futures)), len(items), label)

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def engine(name: str = "local", jobs: int | None = None, scheduler: str | None = None) -> Engine:
    if name == "dask":
        return DaskEngine(scheduler, jobs)
    return LocalEngine(jobs)

