"""Card text: Markdown in, safe HTML out.

Anki shows fields as HTML in a web view that can reach Anki's internal API, so
every field is rendered by a CommonMark parser (markdown-it-py) and then
reduced to an allow-list by a real sanitiser (nh3, i.e. Rust's ammonia).
Scripts, event handlers, forms, frames and remote resources cannot survive.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse

from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Tags a study card needs: emphasis, lists, tables, sub/superscript, code,
# local images. Nothing that runs code, submits data or embeds other pages.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},  # a fenced block's language, for highlighting (filtered below)
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
}
# Dropped together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "form", "template"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

URL_ATTRIBUTES = frozenset({"href", "src"})  # of the allowed attributes, those holding a URL

# Anki looks media up by bare file name in its media folder.
_MEDIA_NAME = re.compile(r"[^/\\:]+")
# What a fenced block's info string becomes: ```python gives class="language-python".
_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")

# MathJax formulas as Anki writes them: \(inline\) and \[display\]. Markdown
# would read "\(" as an escaped parenthesis and drop the backslash, so formulas
# are set aside before rendering and put back, escaped, afterwards. (Dollar
# signs are not delimiters here: medical and everyday text is full of them.)
MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.DOTALL)
MATH_DELIMITER = re.compile(r"\\[()\[\]]")
# Private-use characters: never in card text we accept, left alone by Markdown.
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_SLOT_OPEN}(\\d+){_SLOT_CLOSE}")

# C0 and C1 control characters and DEL. Anki's importer deletes them from a field (so "java\x0cscript:"
# arrives as "javascript:"), and U+001F is its field separator (a note with one field too many is refused).
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same, but for text, where tabs and line breaks are harmless white space.
TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Also invisible to a URL: browsers drop tabs and line breaks anywhere in it, and spaces around it.
_URL_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
# Whatever stands before the first colon, unless a path, query or fragment starts first: judged broadly,
# so that anything that is not plainly http, https or mailto goes, whether or not a browser would
# call it a scheme.
_URL_SCHEME = re.compile(r"([^/?#:]*):")


def url_as_seen(value: str, decoded: bool = True) -> str:
    """A URL as a browser and Anki's importer will use it: every character reference decoded (unless the
    parser already did, ``decoded``), control characters and white space removed.

    The checker (htmlscan) and the sanitiser below both judge this form, so they cannot disagree."""
    return _URL_INVISIBLE.sub("", value if decoded else html.unescape(value))


def url_scheme(value: str, decoded: bool = True) -> str | None:
    """The scheme of a URL as it will be followed (lowercase), or None for a relative URL.

    Percent escapes in it are decoded too ("java%0Cscript:"): no browser does, but nothing legitimate
    needs them there, and a tool that did would see javascript:."""
    found = _URL_SCHEME.match(url_as_seen(value, decoded))
    if found is None:
        return None
    scheme = found.group(1)
    if "%" in scheme:
        scheme = _URL_INVISIBLE.sub("", urllib.parse.unquote(scheme))
    return scheme.lower()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3 has decoded the value and judged its scheme already, but on the form with control characters
    # in it ("java\x0cscript:" is a relative URL to it): judge again the form Anki will see.
    value = CONTROLS.sub("", value)
    if attribute in URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in LINK_SCHEMES:
            return None
    if tag == "img" and attribute == "src" and (not _MEDIA_NAME.fullmatch(value) or value.startswith(".")):
        return None  # remote or path-like image: would load from outside the deck
    if tag == "code" and attribute == "class":
        return value if _CODE_LANGUAGE.fullmatch(value) else None
    return value


def unbalanced_math(text: str) -> list[int]:
    """Offsets of MathJax delimiters (\\( \\) \\[ \\]) that open or close no formula."""
    paired = MATH.sub(lambda m: " " * len(m.group(0)), text)
    return [m.start() for m in MATH_DELIMITER.finditer(paired)]


@functools.lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
    )


@functools.lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Imported when a field is first rendered: a check that meets only cached files renders none (20 ms).
    from markdown_it import MarkdownIt

    # html=True so authors may use inline tags like <sub>; the sanitiser, not
    # the parser, decides what survives.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def sanitise(markup: str) -> str:
    """HTML reduced to the allow-list, with no control character left in text or attributes."""
    cleaned = _cleaner().clean(markup)
    # Text can still carry one (a reference the parser decoded); the attribute filter removed the rest.
    return TEXT_CONTROLS.sub("", cleaned) if TEXT_CONTROLS.search(cleaned) else cleaned


def to_html(markdown: str) -> str:
    """A field's Markdown as HTML, not yet sanitised (what the checks inspect).

    A field that is a single paragraph loses its <p> wrapper, so a short
    answer does not carry paragraph margins into the card.
    """
    if not markdown:
        return ""
    formulas: list[str] = []
    if "\\" in markdown:
        def set_aside(match: re.Match) -> str:
            formulas.append(match.group(0))
            return f"{_SLOT_OPEN}{len(formulas) - 1}{_SLOT_CLOSE}"
        markdown = MATH.sub(set_aside, markdown)
    rendered = _markdown().render(markdown).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    if formulas:
        rendered = _SLOT.sub(lambda m: html.escape(formulas[int(m.group(1))], quote=False), rendered)
    return rendered


# One line with no Markdown or HTML metacharacters, not starting like a block
# (list item, heading, quote) nor with white space (indented code): Markdown
# would return it as is.
_PLAIN = re.compile(r"[^\n\r\\`*_\[\]<>&#!|~]*")
_BLOCK_START = re.compile(r"\s|[-+=>]|\d+[.)]")


def is_plain(text: str) -> bool:
    return bool(_PLAIN.fullmatch(text)) and not _BLOCK_START.match(text)


def render(markdown: str) -> str:
    """Render a field's Markdown to sanitised HTML: what goes into the note.

    Most fields are one plain sentence; for those, parsing Markdown and
    sanitising would return the text itself (tested against the full
    pipeline), so they skip both: at 50,000 cards that is most of a build.
    """
    if is_plain(markdown):
        return markdown.strip()
    return render_fully(markdown)


def render_fully(markdown: str) -> str:
    """The full pipeline: CommonMark, then the sanitiser.

    A build renders each field more than once (the checks, the notes, the Markdown study sheet): the
    result is remembered by text, which is all it depends on, within a budget of characters.
    """
    found = _RENDERED.get(markdown)
    if found is None:
        # Stripped again: removing unsafe markup can leave edge whitespace.
        found = sanitise(to_html(markdown)).strip()
        _RENDERED.put(markdown, found)
    return found


class _TextMemo:
    """Text -> text, holding at most ``budget`` characters (then it starts afresh: no bookkeeping per hit)."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.items: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.items.get(key)

    def put(self, key: str, value: str) -> None:
        size = len(key) + len(value)
        if size > self.budget // 16:
            return  # a field at the size limit is rendered each time rather than crowding out the rest
        if self.used + size > self.budget:
            self.items.clear()
            self.used = 0
        self.items[key] = value
        self.used += size


_RENDERED = _TextMemo(8_000_000)  # characters: about 16 MB at most
