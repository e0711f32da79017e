"""Properties over arbitrary input: readers and segmenters never raise, scores stay in [0, 1]."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance import Document, InputError
from provenance.arrays import expand_ranges
from provenance.blocks import html_blocks
from provenance.ingest.files import document_from_bytes
from provenance.ingest.jsonl import parse_line
from provenance.pipeline import score_corpus
from provenance.text import sentence_spans

junk_bytes = st.binary(max_size=400)
markup = st.lists(st.sampled_from(["<p>", "</p>", "<div class='x'>", "</div>", "<a href=#>", "</a>", "<br>", "<script>",
                                   "</script>", "<!--", "-->", "<li>", "text ", "Word. ", "&amp;", "<", ">", "\x00"]),
                  max_size=40).map("".join)


@given(junk_bytes, st.booleans())
def test_file_reader_never_raises(data, is_html):
    assert isinstance(document_from_bytes(data, "x", "x", is_html, 10_000), Document | InputError)


@given(junk_bytes)
def test_jsonl_line_parser_never_raises(data):
    assert isinstance(parse_line(data, "x:1", "x:1", 10_000), Document | InputError)


@given(markup)
def test_html_segmenter_never_raises_and_gives_non_empty_blocks(page):
    assert all(b.text.strip() for b in html_blocks(page))


@given(st.text(max_size=300))
def test_sentences_are_ordered_non_overlapping_spans(text):
    spans = sentence_spans(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    assert " ".join(text[a:b] for a, b in spans).split() == text.split()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from("abcdefghij klmno.\n"), min_size=1, max_size=300), min_size=1, max_size=4))
def test_scores_stay_in_range_for_any_text(model, texts):
    docs = [Document(id=str(i), location="t", text=t) for i, t in enumerate(texts)]
    for result in score_corpus(docs, model=model):
        s = result.score
        assert s.originality is None or 0.0 <= s.originality <= 1.0
        assert sum(x.share for x in s.sources) <= 1.0001


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 5)), max_size=30))
def test_expand_ranges_lists_every_range_in_order(ranges):
    starts = np.array([s for s, _ in ranges], dtype=np.int64)
    counts = np.array([c for _, c in ranges], dtype=np.int64)
    assert expand_ranges(starts, counts).tolist() == [p for s, c in ranges for p in range(s, s + c)]
