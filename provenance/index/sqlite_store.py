"""The embedded index: one SQLite file, crash-safe because every batch is one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from datasketch import LeanMinHash

from ..signatures import from_bytes, to_bytes
from ..types import Document
from . import (
    BATCH,
    BUCKET,
    Bands,
    Entry,
    IndexStoreError,
    decode_document,
    encode_document,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, signature BLOB NOT NULL, document BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, key BLOB NOT NULL, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_by_key ON bands (band, key);
"""


class SqliteIndex:
    def __init__(self, path: str | Path, bands: Bands, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise IndexStoreError(f"no index at {self.path} (make one with `provenance index build`)")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self.bands = self._check(bands)
            self._query: str | None = None
        except sqlite3.DatabaseError as exc:
            raise IndexStoreError(f"{self.path} is not a provenance index: {exc}") from exc

    def _check(self, bands: Bands) -> Bands:
        stored = dict(self.db.execute("SELECT key, value FROM meta"))
        if not stored:
            with self.transaction():
                self.db.executemany("INSERT INTO meta VALUES (?, ?)", bands.meta().items())
        return bands.as_stored(stored, str(self.path))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes that land together or not at all (the connection is in autocommit mode)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def add(self, entries: Iterable[Entry]) -> int:
        """One transaction for all `entries` (add_documents hands over BATCH at a time); ids already
        present are skipped, so a re-run completes a killed add."""
        added = 0
        with self.transaction():
            for entry in entries:
                if entry.document.id in self:
                    continue
                self.db.execute("INSERT INTO documents VALUES (?, ?, ?)",
                                (entry.document.id, to_bytes(entry.signature), encode_document(entry.document)))
                self.db.executemany("INSERT INTO bands VALUES (?, ?, ?)",
                                    ((i, key, entry.document.id) for i, key in enumerate(self.bands.keys(entry.signature))))
                added += 1
        return added

    def __contains__(self, doc_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def query(self, minhash: LeanMinHash) -> list[str]:
        """At most BUCKET documents a band, the earliest added (the index is in (band, key, rowid) order),
        all bands read and counted by one statement. Ties keep `ranked`'s order: first seen, band by band."""
        if self._query is None:
            read = f"SELECT * FROM (SELECT id, (band << 40) + rowid AS seen FROM bands WHERE band = ? AND key = ? LIMIT {BUCKET})"
            self._query = (f"SELECT id FROM ({' UNION ALL '.join([read] * self.bands.b)}) "
                           "GROUP BY id ORDER BY COUNT(*) DESC, MIN(seen)")
        keys = self.bands.keys(minhash)
        return [row[0] for row in self.db.execute(self._query, [v for pair in enumerate(keys) for v in pair])]

    def documents(self, ids: Sequence[str]) -> list[Document]:
        rows = self.rows("documents", "document", ids)
        return [decode_document(rows[i]) for i in ids if i in rows]

    def signatures(self, ids: Sequence[str]) -> list[LeanMinHash]:
        rows = self.rows("documents", "signature", ids)
        return [from_bytes(rows[i]) for i in ids]

    def rows(self, table: str, column: str, ids: Sequence[str]) -> dict[str, bytes]:
        """`column` of the rows of `table` with these ids, BATCH ids a statement (table and column are
        this package's own names, never input)."""
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), BATCH):
            part = ids[start:start + BATCH]
            found.update(self.db.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({','.join('?' * len(part))})", part))
        return found

    def stats(self) -> dict[str, object]:
        count = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return {"store": "sqlite", "location": str(self.path), "documents": count, "num_perm": self.bands.num_perm,
                "bands": self.bands.b, "rows_per_band": self.bands.r, "bytes": self.path.stat().st_size}

    def close(self) -> None:
        self.db.close()
