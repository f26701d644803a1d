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
