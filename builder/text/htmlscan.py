"""What is in a field's HTML that must not reach Anki, and which media it uses.

The sanitiser (markup.py) removes unsafe markup whatever happens; these scans
tell the author, so a deck never silently loses a formula or an image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_SCHEMES, url_as_seen, url_scheme

# Markup that runs code, submits data, embeds other pages or styles the
# whole card: an error, because a shared deck is an attack surface.
DANGEROUS_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "textarea",
    "select", "style", "link", "meta", "base", "svg", "math", "template", "noscript", "portal",
})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "data", "poster"})
RESOURCE_TAGS = frozenset({"img", "audio", "video", "source", "track", "input"})
_SOUND = re.compile(r"\[sound:([^\]]*)\]")


@dataclass(frozen=True)
class HtmlIssue:
    unsafe: bool  # True: E901 (error); False: W902 (removed, a warning)
    message: str


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.issues: list[HtmlIssue] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.issues.append(HtmlIssue(True, f"<{tag}> is not allowed in a card"))
            return
        supported = tag in ALLOWED_TAGS
        if not supported:
            self.issues.append(HtmlIssue(False, f"<{tag}> is not supported and will be removed"))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.issues.append(HtmlIssue(True, f"event handler {name}= on <{tag}> is not allowed"))
            elif name in URL_ATTRIBUTES and self._bad_url(tag, name, value):
                continue
            elif not supported:
                continue  # the whole tag goes; one message is enough
            elif name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.issues.append(HtmlIssue(False, f"attribute {name}= on <{tag}> will be removed"))
            elif tag == "img" and name == "src":
                self.images.append(value)

    def _bad_url(self, tag: str, name: str, value: str) -> bool:
        # Judged as a browser and Anki's importer see it: the parser decoded every character reference,
        # url_scheme removes control characters and white space ("java&#12;script:" is javascript:).
        scheme = url_scheme(value)
        if scheme in ("javascript", "vbscript", "data"):
            self.issues.append(HtmlIssue(True, f"{scheme}: URL in {name}= on <{tag}> is not allowed"))
            return True
        remote = url_as_seen(value).startswith(("//", "\\\\", "/\\", "\\/")) or scheme is not None
        if tag in RESOURCE_TAGS and remote:
            self.issues.append(HtmlIssue(True, f"<{tag}> loads a remote resource ({value!r}): put the file in "
                                               "cards/media/ and refer to it by name"))
            return True
        if name == "href" and scheme is not None and scheme not in LINK_SCHEMES:
            self.issues.append(HtmlIssue(False, f"link with {scheme}: URL will be removed"))
            return True
        return False


def scan(html: str) -> tuple[list[HtmlIssue], list[str]]:
    """Problems in a field's (unsanitised) HTML, and the image sources it refers to."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.issues, scanner.images


def media_references(html: str) -> list[str]:
    """File names a field refers to: <img src> and Anki's [sound:...] tags."""
    if "<img" not in html and "[sound:" not in html:
        return []  # nearly every field: skip the HTML parser
    return scan(html)[1] + _SOUND.findall(html)
