"""A persistent signature index: check new articles against an archive without re-reading it.

Two stores behind one interface. The default is one SQLite file: each add commits in
batches, so a killed `index add` leaves the index openable with every committed
batch, and re-running it skips the documents already there. `redis://HOST:PORT/DB`
keeps the LSH tables in Redis through datasketch's storage, so several machines
share one index. Documents are stored as read (zlib-compressed JSON, never pickle),
so a candidate from the index is cleaned and aligned exactly like a `--reference`.
"""

from __future__ import annotations

import json
import os
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from ..arrays import split_groups
from ..boilerplate import BoilerplateModel
from ..cleaning import clean_batch
from ..engine import Engine, LocalEngine
from ..errors import InputError, ProvenanceError
from ..settings import Settings
from ..signatures import estimated_sizes, minhashes, signature_rows, stacked
from ..types import Cleaned, Document

BATCH = 500  # documents per commit: what a kill can cost, at most
BUCKET = 50  # documents read from one LSH bucket, earliest first: a bucket this full holds copies or stock phrases


class IndexStoreError(ProvenanceError):
    """The index cannot be opened, or was built with other parameters."""


@dataclass(frozen=True)
class Entry:
    document: Document
    signature: LeanMinHash


@dataclass(frozen=True)
class Bands:
    """The LSH banding every store uses: `b` bands of `r` rows, from datasketch's optimiser."""

    num_perm: int
    b: int
    r: int

    @classmethod
    def for_settings(cls, settings: Settings) -> Bands:
        """Weighted for recall (a missed pair, 0.95; a false one, 0.05): a false candidate costs one exact
        check, a missed one a lost copy. At Jaccard 0.05 this gives 91 one-row bands, where equal weights
        gave 32 and missed the seeds' one-in-three copy, whose signatures agree only past position 42."""
        lsh = MinHashLSH(threshold=settings.index_threshold, num_perm=settings.num_perm, weights=(0.05, 0.95))
        return cls(settings.num_perm, lsh.b, lsh.r)

    def as_stored(self, stored: dict[str, int], location: str) -> Bands:
        """The banding an existing index was built with (these bands for a new, empty one);
        another number of permutations is an error, since its signatures could not be compared."""
        if not stored:
            return self
        if stored["num_perm"] != self.num_perm:
            raise IndexStoreError(f"{location} was built with num_perm={stored['num_perm']}, not {self.num_perm}")
        return Bands(stored["num_perm"], stored["b"], stored["r"])

    def meta(self) -> dict[str, int]:
        return {"num_perm": self.num_perm, "b": self.b, "r": self.r}

    def keys(self, values: np.ndarray) -> np.ndarray:
        """The band keys datasketch's MinHashLSH stores (byte-swapped hash value runs): one row of `b`
        fixed-size byte strings for each row of hash values (see `stacked`)."""
        values = np.ascontiguousarray(values[:, :self.b * self.r].byteswap())
        return values.view(np.dtype((np.void, self.r * values.itemsize)))


class SignatureIndex(Protocol):
    bands: Bands

    def add(self, entries: Iterable[Entry]) -> int: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def query(self, values: np.ndarray, limit: int | None = None, exclude: Collection[str] = ()) -> list[list[str]]:
        """For each row of hash values (see `stacked`), the ids sharing a band with it, most shared bands
        first (see `ranked`), those of `exclude` left out, at most `limit`."""
        ...

    def documents(self, ids: Sequence[str]) -> list[Document]: ...

    def hashvalues(self, ids: Sequence[str]) -> np.ndarray:
        """The stored signatures' hash values, a row for each of `ids` in order (KeyError for one not indexed)."""
        ...

    def reader(self) -> Callable[[], SignatureIndex]:
        """A picklable way to open this store again for reading, in another process."""
        ...

    def stats(self) -> dict[str, object]: ...

    def close(self) -> None: ...


def open_index(location: str, settings: Settings, flag: str = "r") -> SignatureIndex:
    """`redis://` or `rediss://` (TLS) URLs for Redis, anything else a SQLite file. `flag`, as for dbm:
    "r" reads an existing index and never writes (nor creates a file), "w" adds to one, "c" creates it too."""
    if flag not in ("r", "w", "c"):
        raise ValueError(f"flag must be 'r', 'w' or 'c', not {flag!r}")
    if location.startswith(("redis://", "rediss://")):
        from .redis_store import RedisIndex

        return RedisIndex(location, Bands.for_settings(settings), flag)
    from .sqlite_store import SqliteIndex

    return SqliteIndex(location, Bands.for_settings(settings), create=flag == "c", readonly=flag == "r")


class Fingerprints:
    """Each cleaned document's MinHash and content shingle set, made once per document however many
    stages ask for it (the archive query, candidate generation, the earlier windows' store). They are
    kept by id and cleaned text: a reference cleaned again with another batch's templates may change."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._made: dict[tuple[str, str], tuple[LeanMinHash, np.ndarray]] = {}

    def __call__(
        self, batch: Sequence[Cleaned], engine: Engine | None = None
    ) -> tuple[list[LeanMinHash], list[np.ndarray]]:
        """`engine`: where the new ones are made (a window's 5,000 took 1.5 s in one process)."""
        todo = {_key(c): c for c in batch if _key(c) not in self._made}
        if todo:
            texts = [[s.text for s in c.sentences] for c in todo.values()]
            made = (engine or LocalEngine(1)).map(_sign, texts, self.settings, SIGNED_PER_TASK)
            rows = np.stack([row for row, _ in made])
            self._made.update(zip(todo, zip(minhashes(rows), (hashes for _, hashes in made))))
        made = [self._made[_key(c)] for c in batch]
        return [m for m, _ in made], [s for _, s in made]

    def keep(self, batch: Sequence[Cleaned], minhashes: Sequence[LeanMinHash], sets: Sequence[np.ndarray]) -> None:
        """Fingerprints made before (a store's), for documents as they were cleaned then."""
        self._made.update(zip(map(_key, batch), zip(minhashes, sets)))

    def only(self, kept: Iterable[Cleaned]) -> Fingerprints:
        """These documents' fingerprints alone: what a stream keeps from one window for the next."""
        out = Fingerprints(self.settings)
        out._made = {key: self._made[key] for key in map(_key, kept) if key in self._made}
        return out


SIGNED_PER_TASK = 500


def _sign(documents: Sequence[Sequence[str]], settings: Settings) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each document's row of hash values and shingle set (see `signature_rows`)."""
    return list(zip(*signature_rows(documents, settings.shingle_size, settings.num_perm)))


def _key(cleaned: Cleaned) -> tuple[str, str]:
    return cleaned.document.id, cleaned.text


def entries(
    documents: Sequence[Document], model: BoilerplateModel, settings: Settings, engine: Engine | None = None
) -> Iterator[Entry]:
    cleaned = clean_batch(documents, model, settings, engine)
    for c, minhash in zip(cleaned, Fingerprints(settings)(cleaned, engine)[0]):
        yield Entry(c.document, minhash)


@dataclass
class Added:
    """What `add_documents` did with each input: every one is counted in exactly one field."""

    added: int = 0
    identical: int = 0  # already indexed under its id with the same text: nothing to do
    errors: list[InputError] = field(default_factory=list)  # unreadable, or its id taken by another text


def add_documents(
    index: SignatureIndex,
    items: Iterable[Document | InputError],
    model: BoilerplateModel,
    settings: Settings,
    engine: Engine | None = None,
) -> Added:
    """Streams `items` into the index BATCH at a time (memory bounded by the batch, not the corpus);
    documents already indexed are not cleaned again. A document whose id the index holds for another
    text is refused, never dropped in silence: an id is how a source is named in every verdict."""
    done = Added()
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        documents = [item for item in batch if isinstance(item, Document)]
        stored = {d.id: d for d in index.documents([d.id for d in documents])}
        todo = []
        for item in batch:
            if isinstance(item, InputError):
                done.errors.append(item)
            elif item.id not in stored:
                todo.append(item)
            elif (stored[item.id].text, stored[item.id].html) == (item.text, item.html):
                done.identical += 1
            else:
                done.errors.append(InputError(item.id, f"the index holds another text under this id ({item.location}"
                                                       " not added): give each document its own id"))
        done.added += index.add(entries(todo, model, settings, engine))
    return done


def ranked(hits: Counter[str]) -> list[str]:
    """Ids by shared bands, most first (more shared bands: a higher estimated Jaccard), ties in the order
    found, which puts the earlier indexed, likelier originals first."""
    return [i for i, _ in hits.most_common()]


def archive_sources(
    index: SignatureIndex, batch: Sequence[Cleaned], settings: Settings, fingerprints: Fingerprints | None = None,
    engine: Engine | None = None,
) -> dict[str, list[str]]:
    """For each document of the batch, the indexed documents likely to share text with it (not the batch's own).

    A candidate must reach `index_threshold` in Jaccard or `candidate_verify` in containment, both
    estimated from the two signatures, not just share a band: with one-row bands, same-topic news
    shares one by chance. Only the BUCKET sharing the most bands are estimated, which bounds the work
    a document costs; their signatures are read BATCH documents at a time, not one by one. Each
    document takes its `index_candidates` most contained (to one decimal, then in query order), so
    what a batch pulls from a large archive grows with the batch, not with the archive. The look-ups run on `engine`'s workers when
    they are on this machine, each opening the store for itself; the signatures are made once, on `engine`.
    """
    fingerprints = fingerprints or Fingerprints(settings)
    matrix = stacked(fingerprints(batch, engine)[0], settings.num_perm)
    lookup = _Lookup(index, frozenset(c.document.id for c in batch), settings)
    runner = engine if engine is not None and engine.local else LocalEngine(1)
    # imported here, not at the top: numba is only for the commands that compare documents
    from ..kernels import load

    load()  # before the pools fork (see kernels.py)
    chosen = runner.map(_look_up, matrix, lookup, BATCH)
    return {cleaned.document.id: ids for cleaned, ids in zip(batch, chosen)}


class _Lookup:
    """What look-up tasks share: the store (opened again in each worker process, since a connection
    must not cross a fork), the batch's own ids, the settings."""

    def __init__(self, index: SignatureIndex, own: frozenset[str], settings: Settings) -> None:
        self.reader, self.own, self.settings = index.reader(), own, settings
        self._opened = {os.getpid(): index}  # a forked worker keeps its parent's entry, unused and unclosed

    @property
    def index(self) -> SignatureIndex:
        pid = os.getpid()
        if pid not in self._opened:
            self._opened[pid] = self.reader()
        return self._opened[pid]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_opened": {}}


def _look_up(matrix: np.ndarray, lookup: _Lookup) -> list[list[str]]:
    """The chosen candidates of a part of the batch, given as rows of hash values."""
    queried = lookup.index.query(matrix, BUCKET, lookup.own)
    return _most_similar(matrix, queried, lookup.index, lookup.settings)


def _most_similar(
    values: np.ndarray, queried: Sequence[Sequence[str]], index: SignatureIndex, settings: Settings
) -> list[list[str]]:
    """Of each row of hash values' queried ids, those at `index_threshold` or more in estimated Jaccard or at
    `candidate_verify` in estimated containment (a short document inside a long one has a small Jaccard),
    those whose text holds most of the other's first (containment to one decimal, then in query order), at
    most `index_candidates`: all the batch's pairs compared in one array operation."""
    distinct = sorted({i for ids in queried for i in ids})
    if not distinct:
        return [[] for _ in queried]
    row = {i: n for n, i in enumerate(distinct)}
    stored = index.hashvalues(distinct)
    asking = np.repeat(np.arange(len(queried)), [len(ids) for ids in queried])
    candidate = np.array([row[i] for ids in queried for i in ids])
    jaccard = np.count_nonzero(stored[candidate] == values[asking], axis=1) / values.shape[1]
    mine, theirs = estimated_sizes(values)[asking], estimated_sizes(stored)[candidate]
    containment = jaccard * (mine + theirs) / ((1 + jaccard) * np.maximum(np.minimum(mine, theirs), 1))
    # in query order within each signature
    kept = np.flatnonzero((jaccard >= settings.index_threshold) | (containment >= settings.candidate_verify))
    kept = kept[np.lexsort((kept, -np.rint(containment[kept] * 10), asking[kept]))]
    asking = asking[kept]
    if settings.index_candidates:
        within = np.arange(len(kept)) - np.searchsorted(asking, asking)  # rank among its signature's own
        kept, asking = kept[within < settings.index_candidates], asking[within < settings.index_candidates]
    return split_groups([distinct[n] for n in candidate[kept].tolist()], asking, len(queried))


def jaccard(minhash: LeanMinHash, others: np.ndarray) -> list[float]:
    """`minhash.jaccard(other)` for each row of hash values of `others` (see `hashvalues`), in one array comparison."""
    return (np.count_nonzero(others == minhash.hashvalues, axis=1) / len(minhash.hashvalues)).tolist()


def encode_document(document: Document) -> bytes:
    return zlib.compress(json.dumps(vars(document), ensure_ascii=False).encode())  # its fields: all plain values


def decode_document(data: bytes) -> Document:
    return Document(**json.loads(zlib.decompress(data)))
