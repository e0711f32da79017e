"""MinHash signatures of content shingles, computed for many documents at once in NumPy.

Shingles are n-grams of adjacent content words (stop words and words under three
letters dropped, never across a sentence boundary): light edits and rewrites keep
many of them, so containment survives where whole-text 5-grams do not.

Python's regex tokeniser and a per-shingle hash call cost more than the MinHash
itself, so a few hundred documents at a time are tokenised and hashed as one byte
array: word boundaries from a character-class table, polynomial word hashes from one
prefix sum, shingle hashes by combining neighbours. The MinHash is
datasketch's "affine32" scheme (its permutations, its pre-mix) applied to many
documents in one array operation: row for row what `MinHash.update_batch` gives,
which a test checks. Signatures are datasketch LeanMinHash objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash
from datasketch.minhash import (
    _fmix,  # the scheme's pre-mix, imported so it can never drift from datasketch's
)

from .text import STOPWORDS

SEED = 1
SCHEME = "affine32"
EMPTY = np.uint32(2**32 - 1)  # datasketch's value for a MinHash of nothing
_SHIFT = np.uint64(32)
_SEPARATOR = 0x0A  # between sentences: no shingle spans it
_END = 0x00  # between documents


def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per byte: is it part of a word; its hash value (ASCII case folded, never 0); is it a digit."""
    word = np.zeros(256, dtype=bool)
    for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
        word[c] = True
    word[0x80:] = True  # any byte of a non-ASCII character: letters of other scripts
    value = np.arange(1, 257, dtype=np.uint64)
    value[ord("A"):ord("Z") + 1] += 32
    digit = np.zeros(256, dtype=bool)
    digit[ord("0"):ord("9") + 1] = True
    return word, value, digit


_WORD, _VALUE, _DIGIT = _tables()
_rng = np.random.default_rng(SEED)
_BASE = int(_rng.integers(1, 2**62)) * 2 + 1  # odd, so it has an inverse modulo 2**64
_COMBINE = _rng.integers(1, 2**63, size=8, dtype=np.uint64) | np.uint64(1)
_powers = np.ones(1, dtype=np.uint64)  # BASE**i, grown on demand
_inverse_powers = np.ones(1, dtype=np.uint64)  # BASE**-i


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _powers, _inverse_powers
    if _powers.size < n:
        size = max(n, 2 * _powers.size)
        _powers = _geometric(_BASE, size)
        _inverse_powers = _geometric(pow(_BASE, -1, 2**64), size)
    return _powers, _inverse_powers


def _geometric(ratio: int, size: int) -> np.ndarray:
    """ratio**i modulo 2**64 for i < size (NumPy's integer products wrap)."""
    out = np.full(size, ratio, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)


@lru_cache(maxsize=4)
def permutations(num_perm: int) -> np.ndarray:
    """datasketch's (a, b) rows for `num_perm` affine permutations with our seed."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def _word_hashes(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(64-bit hash, length, is-a-short-number, start) of every word in a byte array.

    A polynomial hash from one prefix sum over the whole array: the hash of bytes
    [s, e) is (S[e] - S[s]) * BASE**-s, so no per-word loop and no per-byte positions.
    """
    is_word = _WORD[data]
    edges = np.diff(is_word.view(np.int8), prepend=0, append=0)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    powers, inverse = _power_tables(data.size)
    prefix = np.zeros(data.size + 1, dtype=np.uint64)
    np.cumsum(_VALUE[data] * powers[:data.size], out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    lengths = ends - starts
    # only words of one or two bytes need the is-number test (longer ones are content anyway)
    numbers = lengths <= 2
    short = starts[numbers]
    numbers[numbers] = _DIGIT[data[short]] & (_DIGIT[data[np.minimum(short + 1, data.size - 1)]] | (lengths[numbers] == 1))
    return hashes, lengths, numbers, starts


def _stopword_table() -> tuple[np.ndarray, np.uint64]:
    """Stop-word hashes in a 2**16-slot table, at a bit offset where no two share a slot: one lookup per word."""
    hashes, *_ = _word_hashes(np.frombuffer(" ".join(sorted(STOPWORDS)).encode(), dtype=np.uint8))
    hashes = np.unique(hashes)
    for shift in map(np.uint64, range(48)):
        slots = (hashes >> shift) & np.uint64(0xFFFF)
        if np.unique(slots).size == hashes.size:
            table = np.zeros(0x10000, dtype=np.uint64)
            table[slots] = hashes
            return table, shift
    raise AssertionError("no collision-free stop-word table")


_STOPWORDS, _STOP_SHIFT = _stopword_table()


def _is_stopword(hashes: np.ndarray) -> np.ndarray:
    return _STOPWORDS[(hashes >> _STOP_SHIFT) & np.uint64(0xFFFF)] == hashes


DOCUMENTS_PER_ARRAY = 256  # bounds the byte array and its 8-byte-per-byte temporaries (~1 MB of text)


def shingle_hashes(documents: Sequence[Sequence[str]], size: int = 2) -> list[np.ndarray]:
    """Each document's set of shingle hashes (sorted, unique, 32-bit); a document is a list of sentences."""
    return [hashes for start in range(0, len(documents), DOCUMENTS_PER_ARRAY)
            for hashes in _shingle_hashes(documents[start:start + DOCUMENTS_PER_ARRAY], size)]


def _shingle_hashes(documents: Sequence[Sequence[str]], size: int) -> list[np.ndarray]:
    text = b"\x00".join(b"\n".join(s.replace("\x00", " ").encode("utf-8", "replace") for s in sentences)
                        for sentences in documents)
    data = np.frombuffer(text, dtype=np.uint8)
    hashes, lengths, numbers, starts = _word_hashes(data)
    keep = ((lengths > 2) | numbers) & ~_is_stopword(hashes)
    ends_document = data == _END
    sentence = np.cumsum(ends_document | (data == _SEPARATOR))[starts[keep]]  # sentence number of each content word
    document = np.cumsum(ends_document)[starts[keep]]
    words = hashes[keep]
    n = max(words.size - size + 1, 0)
    grams = words[:n] * _COMBINE[0]
    same = np.ones(n, dtype=bool)
    for k in range(1, size):
        grams = grams + words[k:k + n] * _COMBINE[k]
        same &= sentence[k:k + n] == sentence[:n]
    # a sentence with fewer content words than `size` contributes its words
    singles = (np.bincount(sentence) < size)[sentence]
    values = np.concatenate((grams[same], words[singles])) >> _SHIFT
    owners = np.concatenate((document[:n][same], document[singles]))
    keyed = np.sort((owners.astype(np.uint64) << _SHIFT) | values)
    keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))] if keyed.size else keyed
    split = np.searchsorted(keyed >> _SHIFT, np.arange(1, len(documents)))
    return [part.astype(np.uint32) for part in np.split(keyed, split)]


def signature_matrix(hash_sets: Sequence[np.ndarray], num_perm: int = 128, batch: int = 4) -> np.ndarray:
    """Row i is the MinHash of hash_sets[i]: min over its pre-mixed hashes of a·x + b mod 2**32.

    A few documents per array operation: the products stay in cache (4 was fastest, measured)."""
    a, b = permutations(num_perm)
    out = np.full((len(hash_sets), num_perm), EMPTY, dtype=np.uint32)
    for first in range(0, len(hash_sets), batch):
        part = [(i, h) for i, h in enumerate(hash_sets[first:first + batch], first) if h.size]
        if not part:
            continue
        values = _fmix(np.concatenate([h for _, h in part]), 32)
        offsets = np.cumsum([0] + [h.size for _, h in part[:-1]])
        permuted = np.multiply.outer(values, a) + b
        out[[i for i, _ in part]] = np.minimum.reduceat(permuted, offsets, axis=0)
    return out


def signatures(
    documents: Sequence[Sequence[str]], size: int = 2, num_perm: int = 128
) -> tuple[list[LeanMinHash], list[np.ndarray]]:
    """LeanMinHash signatures and shingle-hash sets of documents given as lists of sentences."""
    matrix, sets = signature_rows(documents, size, num_perm)
    return minhashes(matrix), sets


def signature_rows(
    documents: Sequence[Sequence[str]], size: int = 2, num_perm: int = 128
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The signatures as a matrix of hash values (a row each) and the shingle-hash sets: arrays, which
    cross processes faster than LeanMinHash objects."""
    sets = shingle_hashes(documents, size)
    return signature_matrix(sets, num_perm), sets


def minhashes(matrix: np.ndarray) -> list[LeanMinHash]:
    """A LeanMinHash of each row of hash values (this package's seed and scheme)."""
    return [LeanMinHash(seed=SEED, hashvalues=row, scheme=SCHEME) for row in matrix]


def stacked(minhashes: Sequence[LeanMinHash], num_perm: int) -> np.ndarray:
    """The signatures' hash values as one matrix, a row each: what band keys and estimated Jaccard
    similarities are computed from, for many signatures in one array operation."""
    if not minhashes:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.stack([m.hashvalues for m in minhashes])


def estimated_sizes(values: np.ndarray) -> np.ndarray:
    """Each row of hash values' set size, as datasketch's `MinHash.count` estimates it (about 9 % error at
    128 permutations): what turns an estimated Jaccard into an estimated containment."""
    return values.shape[1] / np.sum(values / float(EMPTY), axis=1) - 1.0


def to_bytes(minhash: LeanMinHash) -> bytes:
    buffer = bytearray(minhash.bytesize())
    minhash.serialize(buffer)
    return bytes(buffer)


def hash_matrix(blobs: Sequence[bytes], num_perm: int) -> np.ndarray:
    """Serialized signatures' hash values, a row each, without making a LeanMinHash of each (20 µs
    apiece, most of what comparing an archive's candidates cost): every blob is datasketch's header,
    the same for one scheme, then the values in native order."""
    if not blobs:
        return np.zeros((0, num_perm), dtype=np.uint32)
    values = np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(blobs), -1)
    return values[:, values.shape[1] - num_perm:]
