from __future__ import annotations

from provenance.attribution import dateline, find_evidence, is_credit_line, source_rank


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
