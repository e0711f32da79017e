from __future__ import annotations

from provenance.blocks import html_blocks, text_blocks
from provenance.types import BlockKind


def test_html_blocks_follow_block_elements_and_skip_scripts():
    blocks = html_blocks(
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<nav class='menu'><a href='/'>Home</a></nav><div>Intro <b>bold</b> text<p>Para <i>one</i>.</p>tail</div>"
        "<script>alert(1)</script><ul><li><a href='#'>Link</a> item</li></ul></body></html>"
    )
    assert [b.text for b in blocks] == ["Home", "Intro bold text", "Para one.", "tail", "Link item"]
    assert blocks[2].kind is BlockKind.PARAGRAPH and blocks[4].kind is BlockKind.LIST_ITEM
    assert blocks[0].link_chars == 4 and "menu" in blocks[0].attrs
    assert blocks[4].link_chars == 4


def test_blocks_know_what_the_page_hides():
    blocks = html_blocks("<body><div><p>one</p></div><div style='DISPLAY: none'><p>two</p></div><p>three</p>"
                         "<div hidden><p>four</p></div><div aria-hidden='true'>five</div></body>")
    assert [b.hidden for b in blocks] == [False, True, False, True, True]


def test_teasers_each_in_their_own_unit_meet_higher_up_than_an_articles_paragraphs():
    teaser = "<li class='item-{}'><article><div><p>{}</p></div></article></li>"
    blocks = html_blocks("<body><div class='story'><p>One.</p><p>Two.</p><p>Three.</p></div><ul>"
                         + "".join(teaser.format(i, t) for i, t in enumerate(("Four.", "Five.", "Six.")))
                         + "</ul><p>Alone.</p></body>")
    assert [b.unit_depth for b in blocks] == [1, 1, 1, 4, 4, 4, 0], "numbers in class names aside"


def test_br_splits_blocks_and_comments_are_ignored():
    assert [b.text for b in html_blocks("<p>one<br>two<!-- hidden --> three</p>")] == ["one", "two three"]


def test_broken_and_odd_markup_still_gives_text():
    assert [b.text for b in html_blocks("<p>unclosed <b>bold")] == ["unclosed bold"]
    assert [b.text for b in html_blocks('<?xml version="1.0" encoding="utf-8"?><p>x</p>')] == ["x"]


def test_glued_breadcrumb_and_reading_time_are_trimmed_but_the_sentence_kept():
    b1, b2, b3 = text_blocks("Current:Home > WorldUS and China meet\n4 min readThe talks began.\nHome > News > Middle East")
    assert (b1.text, b1.trimmed) == ("US and China meet", "Current:Home > World")
    assert (b2.text, b2.trimmed) == ("The talks began.", "4 min read")
    assert (b3.text, b3.trimmed) == ("Home > News > Middle East", "")


def test_text_blocks_are_non_empty_normalised_lines():
    assert [b.text for b in text_blocks("a  line\n\n   \n“quoted”\n")] == ["a line", "\"quoted\""]
