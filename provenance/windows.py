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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from itertools import islice
from pathlib import Path

from .boilerplate import BoilerplateModel, load_model
from .engine import Engine
from .errors import InputError
from .index import Bands, Entry, Fingerprints, SignatureIndex
from .index.sqlite_store import SqliteIndex
from .pipeline import Analysis, Result, analyse
from .settings import Settings
from .types import Cleaned, Document, Evidence, MatchKind, Sentence

log = logging.getLogger(__name__)
CLEANED = "cleaned"  # the store's table of documents as they were cleaned


class EarlierWindows:
    """The documents of the windows already scored: LSH bands and signatures in a SQLite index,
    and beside them each document as it was cleaned (metadata, text, sentence spans, evidence; no
    blocks). The index's own record of a document holds its id and location only. The store is not
    durable: it is deleted at the end of the run, and a crash ends the run."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.settings = settings
        self.index = SqliteIndex(path, Bands.for_settings(settings), create=True, durable=False)
        self.recent: dict[str, Cleaned] = {}  # the last window's sources: most are the next one's too

    def add(self, done: Sequence[Cleaned], fingerprints: Fingerprints) -> None:
        signatures = fingerprints(done)[0]
        self.index.add(Entry(Document(c.document.id, c.document.location), m) for c, m in zip(done, signatures))
        self.index.keep(CLEANED, ((c.document.id, _encode(c)) for c in done))

    def cleaned(self, ids: Sequence[str]) -> list[Cleaned]:
        rows = self.index.kept(CLEANED, [i for i in ids if i not in self.recent])
        self.recent = {i: self.recent[i] if i in self.recent else _decode(rows[i])
                       for i in ids if i in self.recent or i in rows}
        return list(self.recent.values())

    def close(self) -> None:
        self.index.close()


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
    of windows scored before these (the caller closes it); by default a new temporary one."""
    settings = settings or Settings()
    model = model or load_model()
    references = list(references)
    stream = iter(items)
    with ExitStack() as owned:
        if earlier is None:
            tmp = owned.enter_context(tempfile.TemporaryDirectory(prefix="provenance-windows-", dir=workdir))
            earlier = EarlierWindows(Path(tmp) / "earlier.sqlite", settings)
            owned.callback(earlier.close)
        start, number, signed = time.perf_counter(), 0, Fingerprints(settings)
        for window in iter(lambda: list(islice(stream, settings.window_documents)), []):
            analysis = analyse(window, settings, references, model, engine, index, earlier, signed)
            done = [r.cleaned for r in analysis.results if r.cleaned is not None and not _copy(r, settings)]
            earlier.add(done, signed)
            signed = signed.only([*done, *analysis.references.values()])  # the next window's likely sources
            number += 1
            log.info("window %d: %d documents, %d sources from outside it, %.1f s", number, len(window),
                     len(analysis.references), time.perf_counter() - start)
            yield analysis
            del analysis  # before the next window: the caller should let go of it too (see cli._Scoring)
            start = time.perf_counter()


def _copy(result: Result, settings: Settings) -> bool:
    """Whether nearly all of a document's content words are verbatim copies of its sources."""
    assert result.cleaned is not None
    sentences = result.cleaned.sentences
    verbatim = sum(sentences[i].tokens for i, (_, match) in result.assigned.items() if match.kind is MatchKind.VERBATIM)
    return verbatim >= settings.wholly_derived_share * max(result.cleaned.content_tokens, 1)
