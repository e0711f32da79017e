"""The library's one path from inputs to verdicts; the command line calls these and only renders.

`score` and `analyses` read paths (or take documents), clean, compare and score them window by
window (windows.py), exactly as `provenance score` and `provenance report` do; `clean` strips
junk alone, as `provenance clean` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .boilerplate import BoilerplateModel, load_model
from .cleaning import clean_batch
from .engine import Engine, LocalEngine
from .errors import InputError
from .ingest import UniqueIds, read
from .settings import Settings
from .types import Analysis, Cleaned, Document, Result

if TYPE_CHECKING:
    from .index import SignatureIndex

Input = str | Path | Document | InputError


def score(
    inputs: Iterable[Input],
    references: Iterable[Input] = (),
    settings: Settings | None = None,
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
) -> Iterator[Result]:
    """A Result for every input, in order (a failed one with `score.error` set), window by window: a
    window's results are let go of before the next is scored, so a stream longer than memory can be
    scored. `inputs` and `references`: paths (files, folders, `-` for JSONL on stdin) or Documents;
    references are sources by definition and not scored. `engine`: where the work runs (default: a
    worker process per core; its creator closes it). `index`: an archive (open_index) whose look-alikes
    join the references."""
    yield from flattened(analyses(inputs, references, settings, model, engine, index))


def analyses(
    inputs: Iterable[Input],
    references: Iterable[Input] = (),
    settings: Settings | None = None,
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
) -> Iterator[Analysis]:
    """`score`'s windows whole: each window's results with the cleaned sources from outside it, which a
    report shows beside them."""
    from .windows import analyse_windows  # here, not at the top: `clean` needs none of what comparing imports

    settings = settings or Settings()
    ids = UniqueIds()
    items, sources = documents(inputs, settings, ids), documents(references, settings, ids)
    yield from analyse_windows(items, settings, sources, model or load_model(), engine or LocalEngine(), index)


def flattened(windows: Iterable[Analysis]) -> Iterator[Result]:
    """The windows' results one at a time, each window's let go of before the next is scored."""
    for analysis in windows:
        results = analysis.results[::-1]
        analysis.results.clear()
        while results:
            yield results.pop()


def clean(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
) -> Iterator[Cleaned | InputError]:
    """Each input without its site junk (or the reason it could not be read), in order, a window at a
    time: a window's documents share their site templates, as a batch of `score` does."""
    settings = settings or Settings()
    model = model or load_model()
    stream, engine = iter(documents(inputs, settings)), engine or LocalEngine()
    while window := [item for _, item in zip(range(settings.window_documents), stream)]:
        cleaned = iter(clean_batch([d for d in window if isinstance(d, Document)], model, settings, engine))
        yield from (item if isinstance(item, InputError) else next(cleaned) for item in window)


def documents(inputs: Iterable[Input], settings: Settings, ids: UniqueIds | None = None) -> Iterator[Document | InputError]:
    """Paths read (see ingest.read), Documents and InputErrors as they are, every id unique (see UniqueIds)."""
    ids = ids or UniqueIds()
    for item in inputs:
        if isinstance(item, (Document, InputError)):
            yield ids(item)
        else:
            yield from read([item], settings.max_document_chars, ids)
