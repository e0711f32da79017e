"""An archive's documents as sources: fingerprints made once, documents added to a signature index, and the
look-up that draws a batch's likely sources from one.

Above the stores (index/), which keep signatures, shingle sets and documents and know nothing of cleaning or
engines: this module cleans, signs, multiplies a batch against a store's newest documents and decides what its
band hits are worth.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from datasketch import LeanMinHash

from . import candidates
from .arrays import leading, split_groups
from .boilerplate import BoilerplateModel
from .cleaning import clean_batch
from .engine import Engine, LocalEngine
from .errors import InputError
from .index import BATCH, BUCKET, Entry, SignatureIndex, jaccard
from .settings import Settings
from .signatures import estimated_sizes, minhashes, signature_rows, stacked
from .types import Cleaned, Document


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
    for c, minhash, shingles in zip(cleaned, *Fingerprints(settings)(cleaned, engine)):
        yield Entry(c.document, minhash, shingles)


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


def archive_sources(
    index: SignatureIndex, batch: Sequence[Cleaned], settings: Settings, fingerprints: Fingerprints | None = None,
    engine: Engine | None = None,
) -> dict[str, list[str]]:
    """For each document of the batch, the indexed documents likely to share text with it (not the batch's own),
    at most `index_candidates`, the most contained first: among the index's last `exact_horizon` documents,
    exactly, by the shingle product a batch runs on itself; among older ones, by LSH (`_lsh_sources`), which
    at 128 permutations missed a quarter of the pairs at containment 0.15 (benchmarks/candidate_recall.md)."""
    fingerprints = fingerprints or Fingerprints(settings)
    engine = engine or LocalEngine(1)
    own = frozenset(c.document.id for c in batch)
    recent = index.recent(settings.exact_horizon + 1)
    checked = recent[:settings.exact_horizon]
    found = _most_contained(batch, [(i, s) for i, s in checked if i not in own], fingerprints, engine, settings)
    if len(recent) > settings.exact_horizon:  # documents older than the horizon
        seen = {doc_id for doc_id, _ in checked}
        for doc, ids in _lsh_sources(index, batch, settings, fingerprints, engine).items():
            found[doc] += [i for i in ids if i not in seen]
    return found


def _lsh_sources(
    index: SignatureIndex, batch: Sequence[Cleaned], settings: Settings, fingerprints: Fingerprints, engine: Engine,
) -> dict[str, list[str]]:
    """`archive_sources` by LSH. A candidate must reach `index_threshold` in Jaccard or `candidate_verify` in
    containment, both estimated from the two signatures, not just share a band: with one-row bands, same-topic
    news shares one by chance. Only the BUCKET sharing the most bands are estimated, which bounds the work a
    document costs; their signatures are read BATCH documents at a time, not one by one. Each document takes its
    `index_candidates` most contained (to one decimal, then in query order), so what a batch pulls from a large
    archive grows with the batch, not with the archive. The look-ups run on `engine`'s workers when they are on
    this machine, each opening the store for itself; the signatures are made once, on `engine`.
    """
    matrix = stacked(fingerprints(batch, engine)[0], settings.num_perm)
    lookup = _Lookup(index, frozenset(c.document.id for c in batch), settings)
    runner = engine if engine.local else LocalEngine(1)
    # imported here, not at the top: numba is only for the commands that compare documents
    from .kernels import load

    load()  # before the pools fork (see kernels.py)
    chosen = runner.map(_look_up, matrix, lookup, BATCH)
    return {cleaned.document.id: ids for cleaned, ids in zip(batch, chosen)}


def _most_contained(
    batch: Sequence[Cleaned], stored: Sequence[tuple[str, np.ndarray]], fingerprints: Fingerprints, engine: Engine,
    settings: Settings,
) -> dict[str, list[str]]:
    """For each document of `batch`, the `stored` (id, shingle set) at `candidate_containment` with it, the
    most contained first (to one decimal, then the earliest stored), at most `index_candidates` (0: all)."""
    if not stored:  # an empty index (a stream's first window): nothing to multiply with
        return {c.document.id: [] for c in batch}
    sets = [*fingerprints(batch, engine)[1], *(shingles for _, shingles in stored)]
    shingles = candidates.Shingles.of(sets)
    incidence = candidates.Incidence.of(shingles, np.arange(len(sets)), settings.candidate_containment)
    parts = engine.map(candidates.overlapping, np.arange(len(batch)), incidence, candidates.ROWS_PER_TASK)
    pairs = np.concatenate([np.zeros((0, 2), np.int64), *(p for p, _ in parts)])
    shares = np.concatenate([np.zeros(0, np.float32), *(c for _, c in parts)])
    across = pairs[:, 1] >= len(batch)  # a batch document (first) and a stored one; the batch's own pairs are its own
    pairs, shares = pairs[across], shares[across]
    order = np.lexsort((-pairs[:, 1], -np.rint(shares * 10), pairs[:, 0]))  # `stored` is newest first
    document, partner = pairs[order, 0], pairs[order, 1] - len(batch)
    if settings.index_candidates:
        kept = leading(document, settings.index_candidates)
        document, partner = document[kept], partner[kept]
    found = split_groups([stored[j][0] for j in partner.tolist()], document, len(batch))
    return {cleaned.document.id: ids for cleaned, ids in zip(batch, found)}


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
        within = leading(asking, settings.index_candidates)  # by rank among its signature's own
        kept, asking = kept[within], asking[within]
    return split_groups([distinct[n] for n in candidate[kept].tolist()], asking, len(queried))


def look_alikes(index: SignatureIndex, batch: Sequence[Cleaned], settings: Settings) -> list[list[tuple[str, float]]]:
    """For each cleaned document, the indexed documents whose signatures LSH finds at `index_threshold`
    estimated Jaccard or more, with that estimate, most similar first (`index query`)."""
    signed = Fingerprints(settings)(batch)[0]
    found = []
    for minhash, ids in zip(signed, index.query(stacked(signed, settings.num_perm))):
        found.append(sorted(((i, j) for i, j in zip(ids, jaccard(minhash, index.hashvalues(ids)))
                             if j >= settings.index_threshold),
                            key=lambda hit: (-hit[1], hit[0])))
    return found
