from __future__ import annotations

from provenance.attribution import assign_sentences, dateline, find_evidence, is_credit_line, source_rank
from provenance.settings import Settings
from provenance.types import Cleaned, Derivation, Document, Evidence, Match, MatchKind


def test_wire_datelines_of_the_main_agencies():
    assert dateline("BEIJING (AP) - The United States and China") == ("BEIJING (AP)", "AP")
    assert dateline("WASHINGTON (Reuters) - U.S. lawmakers") == ("WASHINGTON (Reuters)", "Reuters")
    assert dateline("(Reuters) - The New York State Attorney General") == ("(Reuters)", "Reuters")
    assert dateline("PARIS (AFP) - France said") == ("PARIS (AFP)", "AFP")
    assert dateline("The United States (AP) said") is None


def test_credit_lines():
    assert is_credit_line("The Associated Press contributed to this report.")
    assert is_credit_line("Reuters reporter Jane Doe contributed to this report")
    assert is_credit_line("Reporting by Jane Doe; Editing by John Roe")
    assert not is_credit_line("Officials said the Associated Press contributed to confusion about the report.")


def test_evidence_only_counts_a_dateline_in_the_lead():
    paragraph = "Officials from both countries met on Tuesday to talk about the flow of drugs."
    late = "BEIJING (AP) - " + paragraph
    assert find_evidence([paragraph] * 3 + [late]).wire_agency is None
    headed = ["Talks open in Beijing", "View", "Date:2025-04-25 10:04:56", late]  # no body paragraph before it
    assert find_evidence(headed).wire_agency == "AP"
    evidence = find_evidence([late, "The Associated Press contributed to this report."])
    assert (evidence.wire_agency, evidence.credited_agencies) == ("AP", ("AP",))


def test_source_rank_orders_reference_wire_uncredited_then_date():
    lead = "LONDON (Reuters) - Officials from both countries met on Tuesday to talk about the drug trade."
    wire, plain = find_evidence([lead]), find_evidence(["x"])
    credited = find_evidence(["AP contributed to this report."])
    ranks = [source_rank(plain, None, True), source_rank(wire, None, False), source_rank(plain, "2024-01-01", False),
             source_rank(plain, "2024-02-01", False), source_rank(credited, None, False)]
    assert ranks == sorted(ranks)


def _source(doc_id: str, wire: bool = False) -> Cleaned:
    return Cleaned(Document(id=doc_id, location=doc_id, text=""), (), "", (), Evidence(wire_agency="AP" if wire else None))


def _rewritten(sentence: int, probability: float) -> Match:
    return Match(sentence, sentence, probability, MatchKind.REWRITTEN)


def test_a_source_left_with_a_fragment_of_a_split_passage_loses_it_to_the_next_source():
    """A wire story (a) and its rewrite (b) both explain two sentences of a document: they go to the wire
    story, and b's headline, which alone only resembles the document's, is no evidence, unless the user
    named b as a reference."""
    wire = Derivation("doc", "a", 0.5, (_rewritten(1, 0.9), _rewritten(2, 0.9)))
    rewrite = Derivation("doc", "b", 0.5, (_rewritten(0, 0.4), _rewritten(1, 0.9), _rewritten(2, 0.9)))
    sources = {"a": _source("a", wire=True), "b": _source("b")}
    assigned = assign_sentences([wire, rewrite], sources, frozenset(), Settings())
    assert {i: source for i, (source, _) in assigned.items()} == {1: "a", 2: "a"}
    alone = assign_sentences([rewrite], sources, frozenset(), Settings())
    assert {i: source for i, (source, _) in alone.items()} == {0: "b", 1: "b", 2: "b"}
    named = assign_sentences([wire, rewrite], sources, frozenset({"a", "b"}), Settings())
    assert {i: source for i, (source, _) in named.items()} == {0: "b", 1: "a", 2: "a"}  # a reference keeps it
    weak = Derivation("doc", "b", 0.5, (_rewritten(0, 0.4), _rewritten(1, 0.5)))
    assert assign_sentences([weak], sources, frozenset(), Settings()) == {}
