"""Batched signatures: exactly datasketch's MinHash, and a document's signature never depends on its batch."""

from __future__ import annotations

from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.signatures import (
    EMPTY,
    SCHEME,
    SEED,
    hash_matrix,
    shingle_hashes,
    signature_matrix,
    signatures,
    to_bytes,
)

WORDS = st.sampled_from(["council", "voted", "bridge", "the", "of", "1999", "7", "Über", "Brücke", "a", "closed", "city"])
SENTENCES = st.lists(WORDS, max_size=12).map(" ".join)
DOCUMENTS = st.lists(st.lists(SENTENCES, max_size=4), min_size=1, max_size=6)


@given(DOCUMENTS)
@settings(max_examples=60, deadline=None)
def test_a_document_hashes_the_same_alone_or_in_a_batch(documents):
    together = shingle_hashes(documents)
    assert len(together) == len(documents)
    for document, hashes in zip(documents, together):
        assert (shingle_hashes([document])[0] == hashes).all()


@given(DOCUMENTS)
@settings(max_examples=30, deadline=None)
def test_rows_equal_datasketch_update_batch(documents):
    sets = shingle_hashes(documents)
    for hashes, row in zip(sets, signature_matrix(sets, 64)):
        reference = MinHash(num_perm=64, seed=SEED, scheme=SCHEME, hashfunc=int)
        reference.update_batch(hashes.tolist())
        assert (reference.hashvalues == row).all()


def test_shingles_are_content_word_pairs_within_sentences():
    sets = shingle_hashes([["The council voted on Tuesday to close the old bridge.", "It was 1999."],
                           ["Close the old bridge, the council voted."], [], ["a an the of"]])
    # council voted / voted tuesday / tuesday close / close old / old bridge, then 1999 alone
    assert [len(s) for s in sets] == [6, 4, 0, 0]
    assert len(set(sets[0].tolist()) & set(sets[1].tolist())) == 3  # close old, old bridge, council voted


def test_similar_documents_get_similar_signatures_and_empty_ones_the_empty_value():
    minhashes, sets = signatures([["The council voted on Tuesday to close the old bridge over the river Avon."],
                                   ["The council voted on Tuesday to close the old bridge over the river Severn."],
                                   ["Shares in the mining company fell sharply after the results."], []])
    assert minhashes[0].jaccard(minhashes[1]) > 0.5 > minhashes[0].jaccard(minhashes[2])
    assert sets[3].size == 0 and (minhashes[3].hashvalues == EMPTY).all()


@given(DOCUMENTS)
@settings(max_examples=30, deadline=None)
def test_hash_values_read_from_stored_signatures_are_datasketchs(documents):
    minhashes = signatures(documents, num_perm=32)[0]
    blobs = [to_bytes(m) for m in minhashes]
    matrix = hash_matrix(blobs, 32)
    assert matrix.shape == (len(documents), 32) and matrix.dtype == minhashes[0].hashvalues.dtype
    assert all((row == LeanMinHash.deserialize(blob).hashvalues).all() for row, blob in zip(matrix, blobs))
    assert hash_matrix([], 32).shape == (0, 32)
