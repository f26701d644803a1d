import pytest

from builder.markup import render


@pytest.mark.parametrize("markdown, html", [
    ("Spindle **cells**", "Spindle <strong>cells</strong>"),
    ("a\n\nb", "<p>a</p>\n<p>b</p>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("H<sub>2</sub>O < 5 cm & more", "H<sub>2</sub>O &lt; 5 cm &amp; more"),
    ("{{c1::63%}} at *five* years", "{{c1::63%}} at <em>five</em> years"),
    ("", ""),
])
def test_markdown_renders_to_html(markdown, html):
    assert render(markdown) == html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<div onclick="pycmd(\'x\')">d</div>',
    "[link](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.org"></iframe>',
    "<form action='https://example.org'><input name=a></form>",
    "<style>body { display: none }</style>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    '<svg onload="alert(1)"></svg>',
])
def test_unsafe_html_cannot_survive(hostile):
    html = render(hostile).lower()
    # Text may mention these words; what must not survive is markup that acts.
    for marker in ("<script", " onerror=", " onclick=", " onload=", 'href="javascript:', "<iframe", "<form",
                   "<input", "<style", "<object", "<embed", "<svg"):
        assert marker not in html


def test_remote_and_path_images_lose_their_source_but_media_names_stay():
    assert render('<img src="https://tracker.example/p.gif">') == "<img>"
    assert render('<img src="../secret.png">') == "<img>"
    assert render('<img src="figure-1.png" alt="Figure">') == '<img src="figure-1.png" alt="Figure">'


def test_web_links_are_kept_and_made_safe():
    assert render("[site](https://example.org)") == (
        '<a href="https://example.org" rel="noopener noreferrer">site</a>')


def test_plain_fast_path_gives_exactly_what_the_full_pipeline_gives():
    import random

    from builder.loader import load_card_set
    from builder.markup import is_plain, render_fully

    from .conftest import REPO

    fields = [getattr(card, name) for card in load_card_set(REPO / "cards").card_set.cards
              for name in ("front", "back", "text", "extra", "sources_differ") if getattr(card, name)]
    rng = random.Random(3)
    alphabet = "ab cd.,;:?!'\"()%–—…0123456789{}/-+=>#*_`[]<>&\\|~\t\n"
    fields += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    plain = [text for text in fields if is_plain(text)]
    assert len(plain) > 1000  # the comparison below is not vacuous
    mismatches = [text for text in plain if render(text) != render_fully(text)]
    assert mismatches == []


def test_fields_that_need_markdown_still_get_it():
    assert render("1. one") == "<ol>\n<li>one</li>\n</ol>"
    assert render("a & b") == "a &amp; b"
    assert render("  - item") == "<ul>\n<li>item</li>\n</ul>"
