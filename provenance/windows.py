"""Scoring a stream larger than memory: window by window, each window against the earlier ones.

A window is scored like a whole batch (`analyse`). Its documents then go into a temporary
on-disk store (SQLite, beside the other temporary files) as they were cleaned, where later
windows find them as sources: aligned, never cleaned or scored twice. A verbatim copy stays
out of it: its sources hold the same text and are nearer the origin. Memory is bounded by
`settings.window_documents`, not by the stream, and input that fits in one window gets
exactly `analyse`'s output. A window cannot see a source that comes later in the stream, so
feed a crawl oldest first.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from functools import partial
from itertools import islice
from pathlib import Path

from .archive import Fingerprints
from .boilerplate import BoilerplateModel, load_model
from .engine import Engine
from .errors import InputError
from .index import Bands, Entry, SignatureIndex
from .index.sqlite_store import SqliteIndex, connect, select_in, transaction
from .pipeline import analyse
from .settings import Settings
from .signatures import minhashes
from .types import Analysis, Cleaned, Document, Evidence, MatchKind, Result, Sentence

log = logging.getLogger(__name__)


class EarlierWindows:
    """The documents of the windows already scored, in a folder of two SQLite files: the index (LSH
    bands, signatures and shingle sets, a document's id and location), and each document as it was
    cleaned (metadata, text, sentence spans, evidence; no blocks), so a source drawn back is neither
    cleaned nor hashed again. The index file is an index like any other; what only a stream
    needs stays in a file of its own. The store is not durable: it is deleted at the end of the run,
    and a crash ends the run."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.settings = settings
        folder.mkdir(parents=True, exist_ok=True)
        self.index = SqliteIndex(folder / "index.sqlite", Bands.for_settings(settings), create=True, durable=False)
        self.kept = connect(folder / "cleaned.sqlite", durable=False)
        self.kept.execute("CREATE TABLE IF NOT EXISTS cleaned (id TEXT PRIMARY KEY, cleaned BLOB NOT NULL)")
        self.recent: dict[str, Cleaned] = {}  # the last window's sources: most are the next one's too

    def add(self, done: Sequence[Cleaned], fingerprints: Fingerprints) -> None:
        signatures, sets = fingerprints(done)
        self.index.add(Entry(Document(c.document.id, c.document.location), m, s)
                       for c, m, s in zip(done, signatures, sets))
        with transaction(self.kept):
            self.kept.executemany("INSERT OR IGNORE INTO cleaned VALUES (?, ?)",
                                  ((c.document.id, _encode(c)) for c in done))

    def cleaned(self, ids: Sequence[str], fingerprints: Fingerprints) -> list[Cleaned]:
        """The documents of `ids` the store has, in order; `fingerprints` gets those of the ones read back."""
        rows = dict(select_in(self.kept, "SELECT id, cleaned FROM cleaned WHERE id IN",
                              [i for i in ids if i not in self.recent]))
        read = {i: _decode(cleaned) for i, cleaned in rows.items()}
        fingerprints.keep(list(read.values()), minhashes(self.index.hashvalues(list(read))),
                          self.index.shingles(list(read)))
        self.recent = {i: self.recent[i] if i in self.recent else read[i] for i in ids if i in self.recent or i in read}
        return list(self.recent.values())

    def close(self) -> None:
        self.index.close()
        self.kept.close()


def _encode(cleaned: Cleaned) -> bytes:
    document = {k: v for k, v in vars(cleaned.document).items() if k not in ("text", "html")}  # plain values
    spans = [(s.start, s.end, s.tokens) for s in cleaned.sentences]
    data = json.dumps([document, cleaned.text, spans, vars(cleaned.evidence)]).encode()
    return zlib.compress(data, 1)  # the fastest level: the store lives for one run


def _decode(data: bytes) -> Cleaned:
    document, text, spans, evidence = json.loads(zlib.decompress(data))
    sentences = tuple(Sentence(i, start, end, text[start:end], tokens) for i, (start, end, tokens) in enumerate(spans))
    evidence = Evidence(**{k: tuple(v) if isinstance(v, list) else v for k, v in evidence.items()})
    return Cleaned(Document(**document), (), text, sentences, evidence)


def analyse_windows(
    items: Iterable[Document | InputError],
    settings: Settings | None = None,
    references: Iterable[Document | InputError] = (),
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
    workdir: Path | None = None,
    earlier: EarlierWindows | None = None,
) -> Iterator[Analysis]:
    """One Analysis per window of `settings.window_documents` items, in input order. `earlier`: a store
    of windows scored before these (the caller closes it; it gets the last window too once the stream
    is read to its end); by default a new temporary one. A window is stored while the engine cleans
    the next one, which need not wait."""
    settings = settings or Settings()
    model = model or load_model()
    references = list(references)
    stream = iter(items)
    with ExitStack() as owned:
        given = earlier is not None
        if earlier is None:
            tmp = owned.enter_context(tempfile.TemporaryDirectory(prefix="provenance-windows-", dir=workdir))
            earlier = EarlierWindows(Path(tmp), settings)
            owned.callback(earlier.close)
        start, number, signed = time.perf_counter(), 0, Fingerprints(settings)
        store: Callable[[], None] | None = None  # the last window's documents, not yet stored
        for window in iter(lambda: list(islice(stream, settings.window_documents)), []):
            analysis = analyse(window, settings, references, model, engine, index, earlier, signed, store)
            done = [r.cleaned for r in analysis.results if r.cleaned is not None and not _copy(r, settings)]
            signed = signed.only([*done, *analysis.references.values()])  # the next window's likely sources
            store = partial(earlier.add, done, signed)
            number += 1
            log.info("window %d: %d documents, %d sources from outside it, %.1f s", number, len(window),
                     len(analysis.references), time.perf_counter() - start)
            yield analysis
            del analysis  # before the next window: the caller should let go of it too (see cli._Scoring)
            start = time.perf_counter()
        if store is not None and given:
            store()


def _copy(result: Result, settings: Settings) -> bool:
    """Whether nearly all of a document's content words are verbatim copies of its sources."""
    assert result.cleaned is not None
    sentences = result.cleaned.sentences
    verbatim = sum(sentences[i].tokens for i, (_, match) in result.assigned.items() if match.kind is MatchKind.VERBATIM)
    return verbatim >= settings.wholly_derived_share * max(result.cleaned.content_tokens, 1)
