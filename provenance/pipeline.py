"""score_corpus: the whole pipeline for one machine.

Stage order: ingest → blocks → boilerplate → sentences (cleaning) → signatures →
candidates (LSH containment) → alignment → attribution (direction, per-sentence
source) → scores. Reference documents take part as sources but are not scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Protocol

import numpy as np

from . import candidates
from .align import Comparison, DocumentProfile, Vocabulary, align
from .archive import Fingerprints, archive_sources
from .attribution import assign_sentences, by_coverage, by_evidence, origin_levels
from .boilerplate import BoilerplateModel, load_model
from .cleaning import clean_batch
from .engine import Engine, LocalEngine
from .errors import InputError
from .index import SignatureIndex
from .scoring import score_document
from .settings import Settings
from .types import Analysis, Cleaned, Derivation, Document, Match, Passage, Result, Score


class Earlier(Protocol):
    """Documents scored before this batch (windows.EarlierWindows): a store to look them up in, and each
    one found as it was cleaned then."""

    index: SignatureIndex

    def cleaned(self, ids: Sequence[str], fingerprints: Fingerprints) -> list[Cleaned]: ...


def score_corpus(
    items: Iterable[Document | InputError],
    settings: Settings | None = None,
    references: Iterable[Document | InputError] = (),
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
) -> list[Result]:
    return analyse(items, settings, references, model, engine, index).results


def analyse(
    items: Iterable[Document | InputError],
    settings: Settings | None = None,
    references: Iterable[Document | InputError] = (),
    model: BoilerplateModel | None = None,
    engine: Engine | None = None,
    index: SignatureIndex | None = None,
    earlier: Earlier | None = None,
    fingerprints: Fingerprints | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Analysis:
    """`engine`: where the stages run (default: this process); every engine gives the same result.
    `index`: an archive whose candidate documents join the references. `earlier`: the windows already
    scored (see windows.py), whose candidates take part as sources with their own evidence, unscored.
    A document found in a store is paired only with the documents that found it. `fingerprints`:
    where the documents' signatures are kept, for a caller that needs them afterwards. `meanwhile`: the
    caller's own work, done in this process while the engine cleans (see Engine)."""
    settings = settings or Settings()
    fingerprints = fingerprints or Fingerprints(settings)
    model = model or load_model()
    items = list(items)
    refs = [r for r in references if isinstance(r, Document)]
    documents = [d for d in items if isinstance(d, Document)] + refs
    engine = engine or LocalEngine(1)
    cleaned = {c.document.id: c for c in clean_batch(documents, model, settings, engine, meanwhile)}
    scored = [cleaned[d.id] for d in items if isinstance(d, Document)]
    links: dict[str, list[str]] = {}
    archived: set[str] = set()
    earlier_ids: set[str] = set()
    if index is not None:
        archived = _fetch(archive_sources(index, scored, settings, fingerprints, engine), cleaned, links,
                          lambda ids: clean_batch(index.documents(ids), model, settings, engine))
    if earlier is not None:
        earlier_ids = _fetch(archive_sources(earlier.index, scored, settings, fingerprints, engine), cleaned, links,
                             lambda ids: earlier.cleaned(ids, fingerprints))
    reference_ids = frozenset({r.id for r in refs} | archived)
    settled = reference_ids | earlier_ids
    derivations = find_derivations(list(cleaned.values()), reference_ids, settings, engine, settled, links,
                                   fingerprints)
    results = []
    for item in items:
        if isinstance(item, InputError):
            results.append(Result(Score(id=item.doc_id, originality=None, klass=None, error=item.reason), None))
            continue
        doc = cleaned[item.id]
        found = derivations.get(item.id, [])
        assigned = assign_sentences(found, {d.source: cleaned[d.source] for d in found}, reference_ids, settings)
        wire = frozenset(d.source for d in found if d.source in reference_ids or cleaned[d.source].evidence.wire_agency)
        results.append(Result(score_document(doc, assigned, found, wire, settings), doc, assigned))
    return Analysis(results, {i: cleaned[i] for i in sorted(settled)}, settings)


def _fetch(
    found: dict[str, list[str]], cleaned: dict[str, Cleaned], links: dict[str, list[str]],
    load: Callable[[list[str]], list[Cleaned]],
) -> set[str]:
    """Adds to `cleaned` a store's candidates `found` for the scored documents (loaded cleaned by `load`) and
    to `links` which document found which; returns the ids it added."""
    fetched = {c.document.id: c for c in load(sorted({i for ids in found.values() for i in ids} - cleaned.keys()))}
    cleaned.update(fetched)
    for doc, ids in found.items():
        links[doc] = [*links.get(doc, []), *(i for i in ids if i in fetched)]
    return set(fetched)


Alignment = tuple[list[Match], list[Passage]]
TextPair = tuple[tuple[str, ...], tuple[str, ...]]  # two documents' sentence texts
PAIRS_PER_TASK = 20_000
ALIGNMENTS_PER_TASK = 1_000  # small: a window's 50,000 alignments in three tasks left one core idle a third of the time


class _Aligner:
    """Alignments by sentence texts: a document's profile (and embeddings, with the semantic extra) is
    made once on first use, and a pair of texts is aligned once however many reprints carry them. The
    last comparison is kept, since `_direction` may ask for the same pair the other way round next."""

    def __init__(self, docs: Mapping[str, Cleaned], settings: Settings) -> None:
        self.docs = docs
        self.settings = settings
        self.vocabulary = Vocabulary()
        self.texts: dict[str, tuple[str, ...]] = {}
        self.profiles: dict[tuple[str, ...], DocumentProfile] = {}
        self.embeddings: dict[tuple[str, ...], np.ndarray] = {}
        self.aligned: dict[TextPair, Alignment] = {}
        self.last: tuple[TextPair, Comparison] | None = None

    def _text(self, key: str) -> tuple[str, ...]:
        if key not in self.texts:
            self.texts[key] = tuple(s.text for s in self.docs[key].sentences)
        return self.texts[key]

    def _profile(self, text: tuple[str, ...]) -> DocumentProfile:
        if text not in self.profiles:
            self.profiles[text] = DocumentProfile(text, self.vocabulary)
        return self.profiles[text]

    def _embedding(self, text: tuple[str, ...]) -> np.ndarray:
        if text not in self.embeddings:
            from .semantic import load_encoder

            self.embeddings[text] = load_encoder().encode(list(text))
        return self.embeddings[text]

    def __call__(self, a: str, b: str) -> Alignment:
        pair = self._text(a), self._text(b)
        if pair not in self.aligned:
            semantic = self._embedding(pair[0]) @ self._embedding(pair[1]).T if self.settings.semantic else None
            self.aligned[pair] = align(self._compare(pair), self.settings, semantic)
        return self.aligned[pair]

    def _compare(self, pair: TextPair) -> Comparison:
        if self.last is not None and self.last[0] == pair[::-1]:
            comparison = self.last[1].mirrored()
        else:
            comparison = Comparison.of(self._profile(pair[0]), self._profile(pair[1]))
        self.last = pair, comparison
        return comparison


class _Corpus:
    """What every alignment task shares; its aligner is built in each worker, never sent."""

    def __init__(self, docs: Sequence[Cleaned], reference_ids: frozenset[str], settled: frozenset[str],
                 settings: Settings) -> None:
        self.numbered = list(docs)
        self.docs = {d.document.id: d for d in docs}
        self.reference_ids = reference_ids
        self.settled = settled
        self.settings = settings

    @cached_property
    def align(self) -> _Aligner:
        return _Aligner(self.docs, self.settings)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "align"}


def find_derivations(
    docs: Sequence[Cleaned], reference_ids: frozenset[str], settings: Settings, engine: Engine | None = None,
    settled: frozenset[str] = frozenset(), links: Mapping[str, Sequence[str]] | None = None,
    fingerprints: Fingerprints | None = None,
) -> dict[str, list[Derivation]]:
    """For each document, the aligned candidates (`pairs_to_align`) that attribution says are its sources."""
    engine = engine or LocalEngine(1)
    settled = settled | reference_ids
    pairs = pairs_to_align(docs, reference_ids, settings, engine, settled, links, fingerprints)
    out: dict[str, list[Derivation]] = {}
    for derivation in engine.map(_derive, pairs, _Corpus(docs, reference_ids, settled, settings), ALIGNMENTS_PER_TASK,
                                 label="aligning pairs"):
        out.setdefault(derivation.document, []).append(derivation)
    return out


def pairs_to_align(
    docs: Sequence[Cleaned], reference_ids: frozenset[str], settings: Settings, engine: Engine,
    settled: frozenset[str] = frozenset(), links: Mapping[str, Sequence[str]] | None = None,
    fingerprints: Fingerprints | None = None,
) -> np.ndarray:
    """The pairs of `docs` (numbers, one a row) worth aligning: at `candidate_containment` by the exact shingle
    product, then `candidates.strongest`. `settled` (references among them): sources only, never derived; a
    pair of two is not looked at. `links`: candidates found in an index, by document; those found only so are
    paired only so, which keeps an archive out of the batch's exact all-pairs product (whose cost grows with
    the square of its size). A pair with a reference (or archive) document needs only
    `reference_containment`: a source the user named is worth aligning on less shared wording, and there are
    few of them."""
    settled = settled | reference_ids
    links = links or {}
    number = {d.document.id: n for n, d in enumerate(docs)}
    linked = {number[i] for ids in links.values() for i in ids} - {number[i] for i in links}
    _, sets = (fingerprints or Fingerprints(settings))(docs, engine)
    shingles = candidates.Shingles.of(sets)
    members = np.flatnonzero(shingles.sizes > 0)
    members = members[~np.isin(members, list(linked))]
    is_reference = np.array([d.document.id in reference_ids for d in docs], dtype=bool)
    floors = np.where(is_reference, settings.reference_containment, settings.candidate_containment)
    incidence = candidates.Incidence.of(shingles, members, floors)
    exact = engine.map(candidates.overlapping, np.arange(len(members)), incidence, candidates.ROWS_PER_TASK)
    indexed = np.array([(number[a], number[b]) for a, ids in links.items() for b in ids], dtype=np.int64)
    found = candidates.unique_pairs([np.sort(indexed.reshape(-1, 2), axis=1)])
    # imported here, not at the top: numba is only for the commands that compare documents
    from .kernels import load

    load()  # before the pools fork (see kernels.py)
    # the product counted what its pairs share; an index's pairs are counted here
    checked = engine.map(candidates.contained, found, shingles, PAIRS_PER_TASK)
    pairs = np.concatenate([found, *(p for p, _ in exact)])
    containment = np.concatenate([np.zeros(0, np.float32), *checked, *(c for _, c in exact)])
    scored = np.array([d.document.id not in settled for d in docs], dtype=bool)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    order = order[scored[pairs[order, 0]] | scored[pairs[order, 1]]]
    pairs, containment = pairs[order], containment[order]
    origin = np.array(origin_levels(docs, reference_ids), dtype=np.int64)
    verify = np.where(is_reference, settings.reference_containment, settings.candidate_verify)
    floor = np.minimum(verify[pairs[:, 0]], verify[pairs[:, 1]])
    return candidates.strongest(pairs, containment, floor, origin, settings.candidates_per_document)


def _derive(pairs: np.ndarray, corpus: _Corpus) -> list[Derivation]:
    """The derivations among candidate pairs (document numbers)."""
    found = (_derivation(corpus.numbered[x], corpus.numbered[y], corpus) for x, y in pairs)
    return [d for d in found if d is not None]


def _derivation(x: Cleaned, y: Cleaned, corpus: _Corpus) -> Derivation | None:
    derived, source, aligned = _direction(x, y, corpus.align, corpus.reference_ids)
    if derived is None or derived.document.id in corpus.settled:
        return None
    matches, passages = aligned or corpus.align(derived.document.id, source.document.id)
    if not matches:
        return None
    share = sum(derived.sentences[m.a].tokens for m in matches) / max(derived.content_tokens, 1)
    return Derivation(derived.document.id, source.document.id, round(share, 4), tuple(matches), tuple(passages))


def _direction(
    x: Cleaned, y: Cleaned, align: _Aligner, reference_ids: frozenset[str]
) -> tuple[Cleaned | None, Cleaned, Alignment | None]:
    """(derived, source, their alignment when already made), as attribution decides: by evidence, else by
    how much of each side the alignment covers."""
    ranked = by_evidence(x, y, reference_ids)
    if ranked is not None:
        return (*ranked, None)
    aligned = align(x.document.id, y.document.id)
    matches = aligned[0]
    if not matches:
        return None, y, None
    covered_x = sum(x.sentences[m.a].tokens for m in matches) / max(x.content_tokens, 1)
    covered_y = sum(y.sentences[m.b].tokens for m in matches) / max(y.content_tokens, 1)
    derived, source = by_coverage(x, y, covered_x, covered_y)
    return derived, source, aligned if derived is x else None
