"""The embedded index: one SQLite file, crash-safe because every batch is one transaction.

Each LSH bucket is one row holding the numbers of the first BUCKET documents added to it (decimal,
space-separated): a query looks up one row per band. With a row per band entry, a query read 1,200 rows
on 50,000 documents, and it was what made each window of a long stream slower. Buckets fill as an index
grows, so what a query costs beyond its look-ups (ranking every member) is compiled (kernels.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import numpy as np

from ..arrays import expand_ranges, split_groups
from ..signatures import hash_matrix, stacked, to_bytes
from ..types import Document
from . import (
    BATCH,
    BUCKET,
    Bands,
    Entry,
    IndexStoreError,
    decode_document,
    decode_shingles,
    encode_document,
    encode_shingles,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, signature BLOB NOT NULL,
                                      shingles BLOB NOT NULL, document BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS buckets (band INTEGER NOT NULL, key BLOB NOT NULL, numbers TEXT NOT NULL,
                                    count INTEGER NOT NULL, PRIMARY KEY (band, key)) WITHOUT ROWID;
"""
# two `index add` on one file take turns, a batch each; one that waits this long for the other's batch to be
# written says so rather than wait on
WAIT_SECONDS = 120
LOCKED = f"another process has been writing to this index for {WAIT_SECONDS} s; run one writer at a time"
INSERT = "INSERT INTO documents (id, signature, shingles, document) VALUES (?, ?, ?, ?)"
APPEND = ("INSERT INTO buckets VALUES (?, ?, ?, 1) ON CONFLICT (band, key) DO UPDATE "
          f"SET numbers = numbers || ' ' || excluded.numbers, count = count + 1 WHERE count < {BUCKET}")


class SqliteIndex:
    """`durable=False`: no journal and no syncs, for a store that lives for one run (windows.py), which
    a crash loses anyway; a rollback then leaves the file undefined. Storing a window against 200,000
    documents takes 2.0–2.5 s without them, 3.1–3.3 s with the write-ahead log."""

    def __init__(self, path: str | Path, bands: Bands, create: bool = False, durable: bool = True,
                 readonly: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise IndexStoreError(f"no index at {self.path} (make one with `provenance index build`)")
        try:
            self.db = connect(self.path, durable, readonly)
            older = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bands'").fetchone() or (
                self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone()
                and "shingles" not in {row[1] for row in self.db.execute("PRAGMA table_info(documents)")})
            if older:
                raise IndexStoreError(f"{self.path} was built by an older provenance: "
                                      "build it again with `provenance index build`")
            if not create and not self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                raise IndexStoreError(f"{self.path} is not a provenance index (make one with `provenance index build`)")
            if not readonly:
                self.db.executescript(SCHEMA)
            self.bands = self._check(bands)
            self._signatures: dict[str, bytes] = {}
        except sqlite3.DatabaseError as exc:
            if _locked(exc):
                raise IndexStoreError(f"{self.path}: {LOCKED}") from exc
            raise IndexStoreError(f"{self.path} is not a provenance index: {exc}") from exc

    def _check(self, bands: Bands) -> Bands:
        stored = dict(self.db.execute("SELECT key, value FROM meta"))
        if not stored:
            with transaction(self.db):
                self.db.executemany("INSERT INTO meta VALUES (?, ?)", bands.meta().items())
        return bands.as_stored(stored, str(self.path))

    def add(self, entries: Iterable[Entry]) -> int:
        """One transaction for all `entries` (add_documents hands over BATCH at a time); ids already
        present are skipped, so a re-run completes a killed add. The entries are made (documents cleaned
        and signed) before the transaction begins, so another writer waits for the writes alone."""
        entries = list(entries)
        with transaction(self.db):
            present = self._rows("documents", "number", [e.document.id for e in entries])
            new: dict[str, Entry] = {}
            for entry in entries:
                if entry.document.id not in present:
                    new.setdefault(entry.document.id, entry)
            numbers = [str(self.db.execute(INSERT, (e.document.id, to_bytes(e.signature), encode_shingles(e.shingles),
                                                    encode_document(e.document))).lastrowid) for e in new.values()]
            if new:
                self.db.executemany(APPEND, self._appends(list(new.values()), numbers))
        return len(new)

    def _appends(self, new: Sequence[Entry], numbers: Sequence[str]) -> list[tuple[int, bytes, str]]:
        """(band, key, number) of every band of every entry, in key order (fewer pages touched) and,
        within a bucket, in the order added (a bucket keeps its earliest documents)."""
        keys = self.bands.keys(stacked([e.signature for e in new], self.bands.num_perm)).ravel()
        entry, band = np.divmod(np.arange(keys.size), self.bands.b)
        order = np.lexsort((keys, band))  # stable
        return list(zip(band[order].tolist(), keys[order].tolist(), [numbers[i] for i in entry[order].tolist()]))

    def __contains__(self, doc_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def query(self, values: np.ndarray, limit: int | None = None, exclude: Collection[str] = ()) -> list[list[str]]:
        """At most BUCKET documents a band, the earliest added. Ties keep `ranked`'s order: first seen,
        band by band. Only the ids kept are read."""
        excluded = list(self._rows("documents", "number", list(exclude)).values())
        return [ids for start in range(0, len(values), BATCH)
                for ids in self._query(values[start:start + BATCH], excluded, -1 if limit is None else limit)]

    def _query(self, values: np.ndarray, excluded: list[int], limit: int) -> list[list[str]]:
        """One statement a band reads the buckets of all `values`, in key order, so that neighbouring
        buckets share the pages read: a statement a signature, looking up each of its bands, took 1.4–1.8
        times as long."""
        # numba only for the commands that compare documents (see kernels.py)
        from ..kernels import most_shared

        keys = self.bands.keys(values)
        texts: list[str] = []
        read = np.full(keys.shape, -1)  # which of `texts` each signature's band reads, if its bucket exists
        for band, column in enumerate(keys.T.tolist()):
            asked = sorted(set(column))
            found = dict(self.db.execute(f"SELECT key, numbers FROM buckets WHERE band = ? AND key IN "
                                         f"({','.join('?' * len(asked))})", [band, *asked]))
            position = {key: len(texts) + n for n, key in enumerate(found)}
            texts += found.values()
            read[:, band] = [position.get(key, -1) for key in column]
        numbers = np.fromstring(" ".join(texts), dtype=np.int64, sep=" ")
        sizes = np.array([text.count(" ") + 1 for text in texts], dtype=np.int64)
        offsets = np.cumsum(sizes) - sizes
        stored = read >= 0
        buckets = read[stored]  # signature by signature, band by band
        members = numbers[expand_ranges(offsets[buckets], sizes[buckets])]
        per_signature = np.bincount(np.nonzero(stored)[0], sizes[buckets], len(values)).astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(per_signature)])
        left_out = np.zeros(int(members.max(initial=-1)) + 1, dtype=bool)
        left_out[[n for n in excluded if n < left_out.size]] = True
        asking, kept = most_shared(members, starts, left_out, limit)
        rows = {number: (doc_id, blob) for number, doc_id, blob in select_in(
            self.db, "SELECT number, id, signature FROM documents WHERE number IN", np.unique(kept).tolist())}
        self._signatures = dict(rows.values())  # in the rows already read, and what a caller reads next
        return split_groups([rows[n][0] for n in kept.tolist()], asking, len(values))

    def documents(self, ids: Sequence[str]) -> list[Document]:
        rows = self._rows("documents", "document", ids)
        return [decode_document(rows[i]) for i in ids if i in rows]

    def recent(self, limit: int) -> list[tuple[str, np.ndarray]]:
        rows = self.db.execute("SELECT id, shingles FROM documents ORDER BY number DESC LIMIT ?", (limit,))
        return [(doc_id, decode_shingles(blob)) for doc_id, blob in rows]

    def shingles(self, ids: Sequence[str]) -> list[np.ndarray]:
        rows = self._rows("documents", "shingles", ids)
        return [decode_shingles(rows[i]) for i in ids]

    def hashvalues(self, ids: Sequence[str]) -> np.ndarray:
        """Those of the last batch a query returned are not read again (see `_query`)."""
        rows = self._rows("documents", "signature", [i for i in ids if i not in self._signatures])
        return hash_matrix([rows[i] if i in rows else self._signatures[i] for i in ids], self.bands.num_perm)

    def _rows(self, table: str, column: str, keys: Sequence[str] | Sequence[int], key: str = "id") -> dict:
        return dict(select_in(self.db, f"SELECT {key}, {column} FROM {table} WHERE {key} IN", keys))

    def reader(self) -> Callable[[], SqliteIndex]:
        return partial(SqliteIndex, self.path, self.bands, readonly=True)

    def stats(self) -> dict[str, object]:
        count = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return {"store": "sqlite", "location": str(self.path), "documents": count, "num_perm": self.bands.num_perm,
                "bands": self.bands.b, "rows_per_band": self.bands.r, "bytes": self.path.stat().st_size}

    def close(self) -> None:
        self.db.close()


def connect(path: Path, durable: bool = True, readonly: bool = False) -> sqlite3.Connection:
    """An autocommit connection (writes go through `transaction`): with a write-ahead log, or, when not
    `durable`, with no journal and no syncs (see SqliteIndex); `readonly` changes nothing, the modes included."""
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               timeout=WAIT_SECONDS)
    db = sqlite3.connect(path, isolation_level=None, timeout=WAIT_SECONDS)
    db.execute("PRAGMA journal_mode=WAL" if durable else "PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=NORMAL" if durable else "PRAGMA synchronous=OFF")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Writes that land together or not at all (the connection is in autocommit mode). Another writer's
    transaction is waited for, WAIT_SECONDS at most."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _locked(exc):
            raise IndexStoreError(LOCKED) from exc
        raise
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _locked(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def select_in(db: sqlite3.Connection, select: str, keys: Sequence[str] | Sequence[int]) -> Iterator[tuple]:
    """The rows of `select` (a statement ending in `IN`, its names this package's own, never input) for
    `keys`, BATCH keys a statement."""
    for start in range(0, len(keys), BATCH):
        part = keys[start:start + BATCH]
        yield from db.execute(f"{select} ({','.join('?' * len(part))})", part)
