"""A persistent signature index: check new articles against an archive without re-reading it.

Each document is kept with its signature (for LSH) and its shingle set (for the exact look-up of the
newest ones, see archive.py). Two stores behind one interface. The default is one SQLite file: each add commits in
batches, so a killed `index add` leaves the index openable with every committed
batch, and re-running it skips the documents already there. `redis://HOST:PORT/DB`
keeps the LSH tables in Redis through datasketch's storage, so several machines
share one index. Documents are stored as read (zlib-compressed JSON, never pickle),
so a candidate from the index is cleaned and aligned exactly like a `--reference`.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from ..errors import ProvenanceError
from ..settings import Settings
from ..types import Document

BATCH = 500  # documents per commit: what a kill can cost, at most
BUCKET = 50  # documents read from one LSH bucket, earliest first: a bucket this full holds copies or stock phrases


class IndexStoreError(ProvenanceError):
    """The index cannot be opened, or was built with other parameters."""


@dataclass(frozen=True)
class Entry:
    document: Document
    signature: LeanMinHash
    shingles: np.ndarray  # the cleaned text's shingle hashes (uint32): what an exact look-up multiplies


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

    def recent(self, limit: int) -> list[tuple[str, np.ndarray]]:
        """The last `limit` documents added, newest first, each id with its shingle set."""
        ...

    def shingles(self, ids: Sequence[str]) -> list[np.ndarray]:
        """The shingle sets of `ids`, in order (KeyError for one not indexed)."""
        ...

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
        try:
            from .redis_store import RedisIndex
        except ImportError as exc:
            raise IndexStoreError("a Redis index needs the redis package: pip install 'provenance[cluster]'") from exc

        return RedisIndex(location, Bands.for_settings(settings), flag)
    from .sqlite_store import SqliteIndex

    return SqliteIndex(location, Bands.for_settings(settings), create=flag == "c", readonly=flag == "r")


def ranked(hits: Counter[str]) -> list[str]:
    """Ids by shared bands, most first (more shared bands: a higher estimated Jaccard), ties in the order
    found, which puts the earlier indexed, likelier originals first."""
    return [i for i, _ in hits.most_common()]


def jaccard(minhash: LeanMinHash, others: np.ndarray) -> list[float]:
    """`minhash.jaccard(other)` for each row of hash values of `others` (see `hashvalues`), in one array comparison."""
    return (np.count_nonzero(others == minhash.hashvalues, axis=1) / len(minhash.hashvalues)).tolist()


def encode_document(document: Document) -> bytes:
    return zlib.compress(json.dumps(vars(document), ensure_ascii=False).encode())  # its fields: all plain values


def decode_document(data: bytes) -> Document:
    return Document(**json.loads(zlib.decompress(data)))


def encode_shingles(shingles: np.ndarray) -> bytes:
    return np.asarray(shingles, dtype="<u4").tobytes()


def decode_shingles(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32, copy=False)
