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
