import pytest

from builder.text.markup import render


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

    from builder.load.loader import load_card_set
    from builder.text.markup import is_plain, render_fully

    from ..conftest import REPO

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


# ------------------------------------------------------------ defence in depth: decode, then judge

import html as _html  # noqa: E402
import re  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from builder.text.htmlscan import scan  # noqa: E402
from builder.text.markup import render_fully, sanitise, url_scheme  # noqa: E402

_ANKI_DELETES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ATTRIBUTE = re.compile(r"""\s([a-z:-]+)\s*=\s*("[^"]*"|'[^']*')""")


def links_as_anki_follows(field: str) -> list[str]:
    """Every href/src of a sanitised field, as a student's Anki will follow it: the importer deletes control
    characters, the web view decodes references and ignores white space in a URL."""
    shown = _ANKI_DELETES.sub("", field)
    return [re.sub(r"[\x00-\x20]", "", _html.unescape(value[1:-1])).lower()
            for name, value in _ATTRIBUTE.findall(shown) if name in ("href", "src", "action", "formaction")]


def reaches_a_bad_scheme(field: str) -> bool:
    return any(link.startswith(("javascript:", "vbscript:", "data:", "//")) or
               (":" in link.split("/")[0] and not link.startswith(("http:", "https:", "mailto:")))
               for link in links_as_anki_follows(field))


# The published filter-evasion techniques (OWASP XSS Filter Evasion Cheat Sheet), aimed at what Anki keeps.
EVASIONS = [
    '<a href="java&#12;script:alert(1)">x</a>', '<a href="java&#xc;script:alert(1)">x</a>',
    '<a href="java&#x0C;script:alert(1)">x</a>', '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>', '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>', '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058'
    'alert(1)">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>', '<a href="java&NewLine;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href=javascript:alert(1)>x</a>', "<a href='java&#31;script:alert(1)'>x</a>",
    '<a href="java&#127;script:alert(1)">x</a>', '<a href="java&#x9d;script:alert(1)">x</a>',
    '<img src="&#x2F;&#x2F;evil.example/p.png">', '<img src="java&#12;script:alert(1)">',
    '<img src=" //evil.example/p.png">', '<img """><script>alert(1)</script>">',
    '<a href="&#1;javascript:alert(1)">x</a>', "[x](java&#12;script:alert(1))", "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)", "[x](JAVASCRIPT:alert(1))", "<a href=\"javascript\u2028:alert(1)\">x</a>",
]


@pytest.mark.parametrize("hostile", EVASIONS)
def test_published_evasions_reach_anki_as_nothing_active(hostile):
    field = render_fully(hostile)
    assert not reaches_a_bad_scheme(field), field
    assert not _ANKI_DELETES.search(field) and "<script" not in field.lower()


@pytest.mark.parametrize("hostile", [e for e in EVASIONS if "<a " in e or "<img" in e])
def test_the_checker_refuses_every_published_evasion(hostile):
    assert any(issue.unsafe for issue in scan(hostile)[0]), hostile


def _spelling(char: str):
    """Every way HTML can spell one character inside an attribute value."""
    code = ord(char)
    return st.sampled_from([char, char.upper(), f"&#{code};", f"&#x{code:x};", f"&#X{code:X};", f"&#{code:07d}"])


# What can hide inside a scheme: every control character (raw or as a reference) and white space.
_FILLER = st.lists(st.sampled_from(
    [chr(c) for c in (9, 10, 13, 32)] + [f"&#{c};" for c in [*range(1, 32), 127, 0x81, 0x8D, 0x8F, 0x90, 0x9D]]
    + [f"&#x{c:x};" for c in range(1, 32)] + ["&Tab;", "&NewLine;"]), max_size=2).map("".join)


@st.composite
def hidden_schemes(draw):
    scheme = draw(st.sampled_from(["javascript", "vbscript", "data"]))
    parts = [draw(_FILLER)]
    for char in scheme + ":":
        parts += [draw(_spelling(char)) if char != ":" else draw(st.sampled_from([":", "&colon;", "&#58;", "&#x3a;"])),
                  draw(_FILLER)]
    quote = draw(st.sampled_from(['"', "'"]))
    attribute = draw(st.sampled_from(["a href", "img src"]))
    title = draw(st.sampled_from(["", ' title="a&#31;b"', " title='&#x1f;'"]))
    return f"<{attribute}={quote}{''.join(parts)}alert(1){quote}{title}>x"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_schemes())
def test_no_spelling_of_a_scheme_survives_the_sanitiser_alone(hostile):
    field = sanitise(hostile)
    assert not reaches_a_bad_scheme(field), (hostile, field)
    assert not _ANKI_DELETES.search(field), (hostile, field)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_schemes())
def test_checker_and_sanitiser_judge_the_same_form(hostile):
    # The checker refuses it, and it names the scheme the sanitiser saw (not "a relative URL").
    issues = [issue.message for issue in scan(hostile)[0] if issue.unsafe]
    assert issues, hostile
    value = re.search(r"""=(["'])(.*?)\1""", hostile, re.DOTALL).group(2)
    assert url_scheme(_ANKI_DELETES.sub("", _html.unescape(value))) in ("javascript", "vbscript", "data")
