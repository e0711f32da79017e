from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingClassifier

from provenance import ModelError, read
from provenance.boilerplate import BoilerplateModel, default_model_dir
from provenance.cleaning import clean_batch, clean_document, copies
from provenance.settings import Settings
from provenance.text import normalize
from provenance.trees import NUMPY_PAIRS, Trees
from provenance.types import Block, Cleaned, Document

from .seed_truth import BLOG, BRIEFING, DUPLICATE_TITLE, KNOWN_KEPT, article_lines, junk_lines


def _cleaned(seeds, model):
    """As `clean seeds/` does it: the folder is one template group."""
    return {c.document.id: c for c in clean_batch(list(read([seeds])), model, Settings())}


def test_packaged_model_loads_with_its_card(model):
    assert set(model.classifiers) == {"html", "text"}
    assert (default_model_dir() / "MODEL_CARD.md").is_file()


def test_seed_junk_is_gone_and_no_article_sentence_is_lost(seeds, model):
    for name, cleaned in _cleaned(seeds, model).items():
        lines = cleaned.text.splitlines()
        text = (seeds / name).read_text(encoding="utf-8")
        for junk in junk_lines(name, text):
            if any(junk.startswith(kept) for kept in KNOWN_KEPT.get(name, [])):
                continue
            assert not any(line.startswith(normalize(junk)) for line in lines), (name, junk)
        for line in article_lines(name, text):
            assert normalize(line) in lines, (name, line)


@pytest.mark.xfail(strict=True, reason="issue #30: a player time stamp is still kept")
def test_seed_player_time_stamp_is_gone(seeds, model):
    cleaned = _cleaned(seeds, model)
    for name, kept in KNOWN_KEPT.items():
        lines = cleaned[name].text.splitlines()
        for junk in kept:
            assert not any(line.startswith(normalize(junk)) for line in lines), (name, junk)


def test_duplicated_title_survives_at_most_once(seeds, model):
    name, title = DUPLICATE_TITLE
    assert _cleaned(seeds, model)[name].text.splitlines().count(title) <= 1


def test_html_page_chrome_is_removed(seed_html_dir, model):
    for doc in read([seed_html_dir]):
        text = clean_document(doc, model, Settings()).text
        for chrome in ("Privacy policy", "All rights reserved", "Stocks end mixed", "do not read me", "Business"):
            assert chrome not in text, (doc.id, chrome)


PARAGRAPH = "The council approved the new budget on Tuesday after a debate that lasted most of the night."
OTHER = "Members of the opposition said they would challenge the decision in court before the end of the month."


def _article_and(extra: str, model) -> Cleaned:
    """An article of two paragraphs, then `extra` markup, cleaned."""
    html = f"<html><body><article><p>{PARAGRAPH}</p><p>{OTHER}</p></article>{extra}</body></html>"
    return clean_document(Document(id="d", location="d", html=html), model, Settings())


def test_a_paragraph_printed_twice_is_kept_once_and_short_repeated_lines_stay(model):
    cleaned = _article_and(f"<div class='layout-mobile'><p>{PARAGRAPH}</p></div>", model)
    twice = [b for b in cleaned.blocks if b.block.text == PARAGRAPH]
    assert len(twice) == 2 and min(b.content_probability for b in twice) >= 0.5, "the model keeps both copies"
    assert cleaned.text.splitlines() == [PARAGRAPH, OTHER]
    blocks = [Block(i, text) for i, text in enumerate(["Yes", "No", "Yes", PARAGRAPH, OTHER, PARAGRAPH])]
    assert copies(blocks) == [False] * 5 + [True]


def test_a_hidden_copy_of_the_article_is_dropped_but_hidden_text_of_its_own_is_not(model):
    cleaned = _article_and(f"<div style='display:none' itemprop='articleBody'>{PARAGRAPH} {OTHER}</div>", model)
    assert cleaned.blocks[-1].block.hidden and cleaned.blocks[-1].content_probability >= 0.5, "the model keeps it"
    assert cleaned.text.splitlines() == [PARAGRAPH, OTHER]
    shown = [Block(0, PARAGRAPH), Block(1, OTHER)]
    assert copies([*shown, Block(2, f"{PARAGRAPH} {OTHER}", hidden=True)]) == [False, False, True], "most 5-grams shown"
    assert copies([shown[0], Block(1, OTHER, hidden=True)]) == [False, False], "shown nowhere else: the model decides"


def test_lines_repeated_across_a_folder_are_template_but_shared_paragraphs_are_not(seeds, model):
    paragraphs = [
        line for name in (BLOG, BRIEFING)
        for line in (seeds / name).read_text(encoding="utf-8").splitlines()
        if len(line.split()) > 15 and not line.startswith("4 min read")
    ]
    template = ["Our reporters on the ground", "Tips? Write to the newsroom team"]
    shared = paragraphs[0]  # a reprinted paragraph: in every document, yet article text
    documents = [
        Document(id=str(i), location=str(i), text="\n".join(
            [paragraphs[1 + i], template[0], shared, paragraphs[2 + i], template[1], paragraphs[3 + i]]
        ))
        for i in range(6)
    ]
    alone = clean_document(documents[0], model, Settings())
    assert all(line in alone.text.splitlines() for line in template), "the model keeps them without the folder"
    batch = clean_batch(documents, model, Settings())
    assert [c.document.id for c in batch] == [d.id for d in documents]
    for cleaned in batch:
        lines = cleaned.text.splitlines()
        assert not set(template) & set(lines)
        assert normalize(shared) in lines


def test_the_tree_walks_equal_scikit_learns_predict_proba_to_the_last_bit(monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0.3).astype(int)
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take each split's learned side
    classifier = HistGradientBoostingClassifier(max_iter=40, random_state=0).fit(X, y)
    trees = Trees.from_json(json.loads(json.dumps(Trees.from_classifier(classifier).to_json())))
    wanted = classifier.predict_proba(X)[:, 1]
    monkeypatch.setattr("provenance.trees._walked", 0)
    assert np.array_equal(trees.probability(X[:200]), wanted[:200])  # the NumPy walk
    assert len(X) * len(trees.roots) > NUMPY_PAIRS  # the compiled walk
    assert np.array_equal(trees.probability(X), wanted)


def test_a_model_file_that_walks_out_of_its_arrays_is_refused(tmp_path):
    directory = tmp_path / "evil"
    directory.mkdir()
    (directory / "boilerplate.json").write_text((default_model_dir() / "boilerplate.json").read_text())
    stored = json.loads((default_model_dir() / "boilerplate.trees.json").read_text())
    left = np.frombuffer(base64.b64decode(stored["text"]["left"]), dtype="<i8").copy()
    left[0] = 10**9
    stored["text"]["left"] = base64.b64encode(left.tobytes()).decode()
    (directory / "boilerplate.trees.json").write_text(json.dumps(stored))
    with pytest.raises(ModelError, match="outside the node arrays"):
        BoilerplateModel.load(directory)


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelError, match="make model"):
        BoilerplateModel.load(tmp_path)


@given(st.text(alphabet=st.characters(max_codepoint=300), max_size=80))
@settings(max_examples=300, deadline=None)
def test_character_counts_are_str_methods_counts(text):
    """The ASCII fast path counts exactly what str.isalnum, isspace and isdigit count."""
    from provenance.features import _counts

    assert _counts(text) == (sum(map(str.isalnum, text)), sum(map(str.isspace, text)), sum(map(str.isdigit, text)))


@given(st.text(alphabet=st.characters(max_codepoint=300), max_size=80))
@settings(max_examples=300, deadline=None)
def test_capitalised_words_are_counted_as_str_isupper_counts_them(text):
    from provenance.features import _capitalised

    raw = text.split()
    assert _capitalised(text, raw) == sum(w[:1].isupper() for w in raw)


_DATES = st.sampled_from(["12:30", "2024-01-05", "5/1/24", "Jan. 5, 2024", "march 3 2021", "١٢:٣٠", "²:³⁴", "at",
                          " "])


@given(st.lists(st.one_of(st.text(alphabet=st.characters(max_codepoint=0x700), max_size=20), _DATES), max_size=6)
       .map("".join))
@settings(max_examples=300, deadline=None)
def test_time_and_date_features_are_the_patterns_found_digits_or_not(text):
    """The patterns are skipped in a block without digits: they must then have found nothing."""
    from provenance.features import _DATE, _TIME, TEXT_FEATURES, block_features

    features = block_features([Block(0, text)])[0]
    assert features[TEXT_FEATURES.index("has_time")] == (_TIME.search(text) is not None)
    assert features[TEXT_FEATURES.index("has_date")] == (_DATE.search(text) is not None)


def test_lines_under_a_heading_of_site_words_are_marked_until_the_article_resumes():
    from provenance.boilerplate import FEATURES
    from provenance.features import block_features

    paragraph = " ".join(["A paragraph of the article that runs on well past thirty words."] * 4)
    lines = ["Related", "- Stocks end mixed", "Five things to know before the markets open", paragraph,
             "- a list item after the article", "Photo gallery", "Caption of a picture", paragraph,
             "Home > US", "A headline under a breadcrumb"]
    marked = block_features([Block(i, line) for i, line in enumerate(lines)])[:, FEATURES["text"].index("under_ui_heading")]
    assert marked.tolist() == [0, 1, 1, 0, 0, 0, 1, 0, 0, 0]
