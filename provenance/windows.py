"""Scoring a stream larger than memory: window by window, each window against the earlier ones.

A window is scored like a whole batch (`analyse`). Its documents then go into a temporary
on-disk index (SQLite, beside the other temporary files), where later windows find them as
sources: cleaned again, aligned, never scored twice. A verbatim copy stays out of it: its
sources hold the same text and are nearer the origin. Memory is bounded by
`settings.window_documents`, not by the stream, and input that fits in one window gets
exactly `analyse`'s output. A window cannot see a source that comes later in the stream, so
feed a crawl oldest first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from .boilerplate import BoilerplateModel, load_model
from .engine import Engine
from .errors import InputError
from .index import Bands, Entry, SignatureIndex, fingerprints
from .index.sqlite_store import SqliteIndex
from .pipeline import Analysis, Result, analyse
from .settings import Settings
from .types import Document, MatchKind


def analyse_windows(
    items: Iterable[Document | InputError],
    settings: Settings | None = None,
    references: Iterable[Document | InputError] = (),
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
    workdir: Path | None = None,
) -> Iterator[Analysis]:
    """One Analysis per window of `settings.window_documents` items, in input order."""
    settings = settings or Settings()
    model = model or load_model()
    references = list(references)
    stream = iter(items)
    with tempfile.TemporaryDirectory(prefix="provenance-windows-", dir=workdir) as tmp:
        earlier = SqliteIndex(Path(tmp) / "earlier.sqlite", Bands.for_settings(settings), create=True)
        try:
            for window in iter(lambda: list(islice(stream, settings.window_documents)), []):
                analysis = analyse(window, settings, references, model, engine, index, earlier)
                done = [r.cleaned for r in analysis.results if r.cleaned is not None and not _copy(r, settings)]
                earlier.add(Entry(c.document, m) for c, m in zip(done, fingerprints(done, settings)))
                del done
                yield analysis
                del analysis  # before the next window: the caller should let go of it too (see cli._Scoring)
        finally:
            earlier.close()


def _copy(result: Result, settings: Settings) -> bool:
    """Whether nearly all of a document's content words are verbatim copies of its sources."""
    assert result.cleaned is not None
    sentences = result.cleaned.sentences
    verbatim = sum(sentences[i].tokens for i, (_, match) in result.assigned.items() if match.kind is MatchKind.VERBATIM)
    return verbatim >= settings.wholly_derived_share * max(result.cleaned.content_tokens, 1)
