"""Scoring a stream larger than memory: window by window, each window against the earlier ones.

A window is scored like a whole batch (`analyse`). Its documents then go into a temporary
on-disk index (SQLite, beside the other temporary files), where later windows find them as
sources: cleaned again, aligned, never scored twice. Memory is bounded by
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
from .pipeline import Analysis, analyse
from .settings import Settings
from .types import Document


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
            window = list(islice(stream, settings.window_documents))
            while window:
                analysis = analyse(window, settings, references, model, engine, index, earlier)
                yield analysis
                window = list(islice(stream, settings.window_documents))
                if window:
                    done = [r.cleaned for r in analysis.results if r.cleaned is not None]
                    earlier.add(Entry(c.document, m) for c, m in zip(done, fingerprints(done, settings)))
        finally:
            earlier.close()
