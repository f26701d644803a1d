"""Values escaped for Markdown render to exactly their text, whatever they hold."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from builder.text import mdtext

_RENDER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_ALPHABET = st.sampled_from(list("ab <>&\\`*_[]()!|~#-+.:=\"'{}\n\t") + ["&amp;", "&#x3c;", "javascript:", "\u202e"])


def _shown(markdown: str) -> str:
    rendered = _RENDER.render("x " + markdown).strip()
    assert rendered.startswith("<p>x") and rendered.endswith("</p>"), rendered
    return html.unescape(rendered[len("<p>x"):-len("</p>")]).strip()


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_text_renders_to_itself(value):
    expected = " ".join(mdtext.BIDI.sub(lambda m: f"U+{ord(m.group()):04X}", value).split())
    assert _shown(mdtext.text(value)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_code_renders_as_one_code_span(value):
    rendered = _RENDER.render("x " + mdtext.code(value))
    assert re.findall(r"<(\w+)", rendered) == ["p", "code"], rendered


def test_bidi_controls_are_shown_not_obeyed():
    assert mdtext.text("abc\u202eevil") == "abcU+202Eevil"


# Every kind of character the escaping acts on: Markdown's, HTML's, controls, bidi controls, and whitespace of
# every sort (str.split splits on all of it), at the edges and doubled.
_HOSTILE = st.sampled_from(list("ab é…“ <>&\\`*_[]()!|~#-+.:=\"'{}\n\t\r\x0b\x0c\x1c\x1f\x00\x7f\x85\x9f\xa0")
                           + ["\u061c", "\u200e", "\u202e", "\u2066", "\u2069", "\u2000", "\u2028", "\u3000",
                              "\u200b", "\ufeff", "``", "  "])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_HOSTILE, max_size=12).map("".join))
def test_the_quick_way_returns_what_the_long_way_does(value):
    assert mdtext.text(value) == mdtext._text(value)
    assert mdtext.code(value) == mdtext._code(value)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_the_quick_way_on_any_text(value):
    assert mdtext.text(value) == mdtext._text(value)
    assert mdtext.code(value) == mdtext._code(value)


def test_spaces_take_the_long_way_where_the_join_changes_them():
    for value in (" ", "  ", " a", "a ", "a  b", "a\u00a0b"):
        assert not mdtext._unchanged(value, mdtext._TEXT_CHANGES) and not mdtext._unchanged(value, mdtext._CODE_CHANGES)
    assert mdtext.text(" a  b ") == "a b" and mdtext.code("a  b ") == "`a b`"


def test_values_that_are_not_text_take_the_long_way():
    assert mdtext.text(3) == "3" and mdtext.code(None) == "`None`" and mdtext.code("") == "`  `"
    assert mdtext.text("plain words, as most are…") == "plain words, as most are…"
    assert mdtext.code("card-000001") == "`card-000001`"


def test_every_character_the_quick_way_lets_through_is_one_the_long_way_keeps():
    # The long way acts on single characters (and on runs of spaces, which the quick way checks itself): a
    # character the quick way's search does not find must be one that text() and code() keep as it is.
    for point in range(0x110000):
        character = chr(point)
        if character == " ":
            continue  # the quick way checks spaces by their place
        if not mdtext._TEXT_CHANGES.search(character):
            assert mdtext._text(character) == character and not character.isspace(), hex(point)
        if not mdtext._CODE_CHANGES.search(character):
            assert mdtext._one_line(character) == character and not character.isspace(), hex(point)
