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
    body = ["Intro.", "More.", "Still more.", "BEIJING (AP) - Late dateline."]
    assert find_evidence(body).wire_agency is None
    evidence = find_evidence(["BEIJING (AP) - Lead.", "The Associated Press contributed to this report."])
    assert (evidence.wire_agency, evidence.credited_agencies) == ("AP", ("AP",))


def test_source_rank_orders_reference_wire_uncredited_then_date():
    wire, credited, plain = find_evidence(["LONDON (Reuters) - x"]), find_evidence(["AP contributed to this report."]), find_evidence(["x"])
    ranks = [source_rank(plain, None, True), source_rank(wire, None, False), source_rank(plain, "2024-01-01", False),
             source_rank(plain, "2024-02-01", False), source_rank(credited, None, False)]
    assert ranks == sorted(ranks)
