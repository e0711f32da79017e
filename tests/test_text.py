from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.text import _QUOTES, normalize, sentence_spans, word_grams, words


def test_normalize_unifies_quotes_dashes_and_space():
    assert normalize("“Fentanyl”\u00a0—  it’s\tdeadly") == "\"Fentanyl\" - it's deadly"


def test_words_are_case_folded_and_keep_abbreviations():
    assert words("U.S. officials, Xi's visit 50 times") == ["u.s", "officials", "xi's", "visit", "50", "times"]


def test_sentences_skip_abbreviations_and_initials():
    text = "The U.S. lifted sanctions on Nov. 15. Jen A. Daskal led the delegation. \"It works,\" she said."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The U.S. lifted sanctions on Nov. 15.",
        "Jen A. Daskal led the delegation.",
        "\"It works,\" she said.",
    ]


def test_text_without_final_punctuation_is_one_sentence():
    assert sentence_spans("  a headline without a full stop ") == [(2, 32)]


@given(st.lists(st.one_of(st.text(st.characters(max_codepoint=0x2100), max_size=8),
                          st.sampled_from([character for character, _ in _QUOTES])), max_size=10).map("".join))
@settings(max_examples=300, deadline=None)
def test_normalize_is_nfkc_then_every_quote_and_dash_mapped_at_once(text):
    """ASCII text skips nothing normalizing would change, and replacing the characters one after the
    other maps them as one translation table would."""
    import unicodedata

    from provenance.text import _SPACE

    table = str.maketrans(dict(_QUOTES))
    assert normalize(text) == _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(table)).strip()


@given(st.text(max_size=80), st.integers(min_value=1, max_value=5))
def test_word_grams_are_every_run_of_n_consecutive_words(text, n):
    tokens = words(text)
    assert word_grams(text, n) == {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
