"""The shared index: LSH tables in Redis through datasketch's storage, documents in Redis hashes.

Keys are bytes and datasketch's `prepickle` is off: nothing read back from a shared
server is ever unpickled. A document counts as added once its hash entry is written,
which happens after its LSH insert, so a re-run after a kill completes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from urllib.parse import urlsplit

import numpy as np
import redis
from datasketch import MinHashLSH

from ..signatures import hash_matrix, to_bytes
from ..types import Document
from . import (
    BATCH,
    Bands,
    Entry,
    IndexStoreError,
    decode_document,
    decode_shingles,
    encode_document,
    encode_shingles,
    ranked,
)

BASENAME = b"provenance"


def redacted(text: str, url: str | None = None) -> str:
    """`text` (by default the URL itself) with the URL's password, if it has one, shown as ***: messages and
    reports name the index by its URL."""
    password = urlsplit(url or text).password
    return text.replace(password, "***") if password else text


class RedisIndex:
    """`url`: redis:// or rediss:// (TLS), with a user and password if the server wants them; the password is
    never shown (`name`). `flag` as for `open_index`."""

    def __init__(self, url: str, bands: Bands, flag: str = "r") -> None:
        self.url, self.name, self.flag = url, redacted(url), flag
        try:
            self.redis = redis.Redis.from_url(url)
            self.redis.ping()
        except (redis.RedisError, ValueError) as exc:
            raise IndexStoreError(f"cannot reach the Redis index at {self.name}: {redacted(str(exc), url)}") from exc
        self.meta, self.docs, self.sigs, self.sets, self.order = (
            BASENAME + b":" + name for name in (b"meta", b"documents", b"signatures", b"shingles", b"order"))
        self.bands = self._check(bands)
        kwargs = self.redis.connection_pool.connection_kwargs
        server = {key: kwargs[key] for key in ("host", "port", "db", "username", "password") if kwargs.get(key)}
        if url.startswith("rediss://"):
            server["ssl"] = True
        self.lsh = MinHashLSH(num_perm=self.bands.num_perm, params=(self.bands.b, self.bands.r),
                              storage_config={"type": "redis", "basename": BASENAME, "redis": server}, prepickle=False)

    def _check(self, bands: Bands) -> Bands:
        stored = {k.decode(): int(v) for k, v in self.redis.hgetall(self.meta).items()}
        if self.redis.hlen(self.docs) and not self.redis.exists(self.order):
            raise IndexStoreError(f"{self.name} was built by an older provenance: build it again with "
                                  "`provenance index build`")
        if not stored:
            if self.flag != "c":
                raise IndexStoreError(f"no index at {self.name} (make one with `provenance index build`)")
            self.redis.hset(self.meta, mapping=bands.meta())
        return bands.as_stored(stored, self.name)

    def add(self, entries: Iterable[Entry]) -> int:
        """LSH inserts first, then the documents in one MULTI/EXEC: a document is there once its hash entry is."""
        first: dict[str, Entry] = {}
        for entry in entries:
            first.setdefault(entry.document.id, entry)  # an id given twice is added once, as first given
        new = [e for e in first.values() if e.document.id not in self]
        with self.lsh.insertion_session(buffer_size=BATCH) as session:
            for entry in new:
                session.insert(entry.document.id.encode(), entry.signature, check_duplication=False)
        if new:
            pipe = self.redis.pipeline()
            pipe.hset(self.sigs, mapping={e.document.id: to_bytes(e.signature) for e in new})
            pipe.hset(self.sets, mapping={e.document.id: encode_shingles(e.shingles) for e in new})
            pipe.hset(self.docs, mapping={e.document.id: encode_document(e.document) for e in new})
            pipe.rpush(self.order, *(e.document.id for e in new))
            pipe.execute()
        return len(new)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self.redis.hexists(self.docs, doc_id))

    def query(self, values: np.ndarray, limit: int | None = None, exclude: Collection[str] = ()) -> list[list[str]]:
        """Band by band through datasketch's hash tables, the lookups `MinHashLSH.query` makes, counting hits."""
        found = []
        for bands in self.bands.keys(values).tolist():
            hits: Counter[str] = Counter()
            for table, key in zip(self.lsh.hashtables, bands):
                hits.update(member.decode() for member in table.get(key))
            found.append([i for i in ranked(hits) if i not in exclude][:limit])
        return found

    def documents(self, ids: Sequence[str]) -> list[Document]:
        if not ids:
            return []
        return [decode_document(blob) for blob in self.redis.hmget(self.docs, list(ids)) if blob is not None]

    def recent(self, limit: int) -> list[tuple[str, np.ndarray]]:
        if limit <= 0:  # LRANGE -0 -1 is the whole list
            return []
        ids = [doc_id.decode() for doc_id in reversed(self.redis.lrange(self.order, -limit, -1))]
        return list(zip(ids, self.shingles(ids)))

    def shingles(self, ids: Sequence[str]) -> list[np.ndarray]:
        return [decode_shingles(blob) for blob in self._values(self.sets, ids)]

    def hashvalues(self, ids: Sequence[str]) -> np.ndarray:
        return hash_matrix(self._values(self.sigs, ids), self.bands.num_perm)

    def _values(self, key: bytes, ids: Sequence[str]) -> list[bytes]:
        """The hash `key`'s values for `ids`, in order (KeyError for one not indexed)."""
        blobs = self.redis.hmget(key, list(ids)) if ids else []
        for doc_id, blob in zip(ids, blobs):
            if blob is None:
                raise KeyError(doc_id)
        return blobs

    def reader(self) -> Callable[[], RedisIndex]:
        return partial(RedisIndex, self.url, self.bands)

    def stats(self) -> dict[str, object]:
        return {"store": "redis", "location": self.name, "documents": self.redis.hlen(self.docs),
                "num_perm": self.bands.num_perm, "bands": self.bands.b, "rows_per_band": self.bands.r}

    def close(self) -> None:
        self.redis.close()
