"""MinHash signatures of content shingles, via datasketch, serialisable without pickle.

Shingles are pairs of adjacent content words (stop words dropped): light edits and
rewrites keep many of them, so containment survives where whole-text 5-grams do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import xxhash
from datasketch import LeanMinHash, MinHash

from .features import STOPWORDS
from .text import words

SEED = 1


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def shingles(sentences: Iterable[str], size: int = 2) -> set[str]:
    """Word n-grams of content words, never across a sentence boundary."""
    out: set[str] = set()
    for sentence in sentences:
        toks = content_words(sentence)
        if len(toks) < size:
            out.update(toks)
        out.update(" ".join(toks[i:i + size]) for i in range(len(toks) - size + 1))
    return out


def hash_shingles(items: Iterable[str]) -> np.ndarray:
    """Stable 32-bit hashes (xxhash): the same across processes and machines."""
    return np.fromiter((xxhash.xxh32_intdigest(s.encode()) for s in items), dtype=np.uint64)


def signature(hashes: np.ndarray, num_perm: int = 128) -> LeanMinHash:
    minhash = MinHash(num_perm=num_perm, seed=SEED, hashfunc=int)
    minhash.update_batch(hashes.tolist())
    return LeanMinHash(minhash)


def signatures(shingle_sets: Sequence[set[str]], num_perm: int = 128) -> list[LeanMinHash]:
    return [signature(hash_shingles(s), num_perm) for s in shingle_sets]


def to_bytes(minhash: LeanMinHash) -> bytes:
    buffer = bytearray(minhash.bytesize())
    minhash.serialize(buffer)
    return bytes(buffer)


def from_bytes(data: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(data)
