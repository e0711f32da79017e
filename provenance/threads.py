"""Native thread pools held to one thread around small, frequent numeric calls.

Classifying one page and aligning one pair are tiny matrix jobs; OpenMP and BLAS
threads cost more than they save there, and on a busy machine (or with a worker per
core) they wait on each other for milliseconds per call. Parallelism belongs to
processes, one per core.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache

from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def single_threaded() -> AbstractContextManager:
    return _controller().limit(limits=1)
