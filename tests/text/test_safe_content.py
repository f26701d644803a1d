"""What reaches a student's Anki is safe, even if the checks that refuse unsafe markup were bypassed.

Rule E901 stops a build whose cards hold scripts, handlers, frames or remote
resources; behind it, the compiler reduces every field to an allow-list. Here
the check's verdict is dropped on purpose, the deck is built anyway, imported
into a real Anki collection, and every field, template and style is searched
for anything that could act or reach the network. The build itself runs
under an audit hook that fails it on any attempt to open a socket.
"""

from __future__ import annotations

import contextlib
import html
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from builder import pipeline

from ..anki_client import import_package, note_by_card_id
from ..hostile import without_our_page_chrome

HOSTILE_CARDS = """\
- id: html-script
  front: What does this slide show? <script>alert(1)</script>
  back: Spindle cells <img src="x.png" onerror="alert(1)">
  topics: [histology]
  sources: [src-a]

- id: html-handlers-and-links
  front: <b onclick="pycmd('x')">Which stain?</b> <svg onload="alert(1)"></svg>
  back: <img src="https://tracker.example/pixel.png"> Smooth muscle actin
  extra: "[more](javascript:alert(1)) <a href='javascript:alert(1)'>here</a> <a href='data:text/html,x'>d</a>"
  topics: [histology]
  sources: [src-a]

- id: html-frames-and-forms
  front: <iframe src="https://example.org"></iframe>Which margin?
  back: <form action="https://example.org"><input name="a"></form>1 cm
  extra: <style>@import url(https://example.org/x.css);</style><object data="x.swf"></object>
  topics: [margins]
  sources: [src-a]

- id: html-cloze
  type: cloze
  text: <video src="https://example.org/v.mp4"></video>Margins of {{c1::1 cm}}(javascript:alert(1))<link rel=stylesheet href=//x.org/y>
  topics: [margins]
  sources: [src-a]
"""

# Markup that acts, loads, or leaves the collection.
DANGEROUS = re.compile(
    r"<\s*(script|iframe|frame|form|input|object|embed|svg|video|audio|link|meta|base|style)\b"
    r"|\son\w+\s*="
    r"|=\s*[\"']?\s*(javascript|vbscript|data):"
    r"|(src|href|action|data)\s*=\s*[\"']?\s*(https?:)?//(?!example\.org/b)"
    r"|@import|url\(\s*[\"']?\s*(https?:)?//",
    re.IGNORECASE,
)

# What Anki's importer does to a field before a student's web view shows it: control characters go.
_IMPORTER_DELETES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def as_anki_shows(text: str) -> str:
    """A field or file's text with every character reference decoded as a browser does, control characters
    and white space inside attribute values removed: where a hidden javascript: becomes visible."""
    decoded = _IMPORTER_DELETES.sub("", text)
    return re.sub(r"=\s*(\"[^\"]*\"|'[^']*')", lambda m: "=" + re.sub(r"[\x00-\x20]", "", html.unescape(m.group(1))),
                  decoded)


def dangerous(text: str) -> list[str]:
    return [m.group() for m in DANGEROUS.finditer(as_anki_shows(text))]


_network_allowed = True


def _deny_network(event: str, args: tuple) -> None:
    if event.startswith("socket.") and not _network_allowed:
        raise RuntimeError(f"the build tried to use the network: {event}{args!r}")


sys.addaudithook(_deny_network)  # for the whole test session; armed only inside no_network()


@contextlib.contextmanager
def no_network():
    """Any socket the code (or a child it forks) opens raises, and so fails the test."""
    global _network_allowed
    _network_allowed = False
    try:
        yield
    finally:
        _network_allowed = True


def test_audit_hook_really_stops_a_connection():
    import socket

    with no_network(), pytest.raises(RuntimeError, match="network"):
        socket.create_connection(("127.0.0.1", 9))


@pytest.fixture
def unsafe_package(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    (cards / "hostile.yaml").write_text(HOSTILE_CARDS)
    (cards / "media").mkdir()
    (cards / "media" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # E406: the extra of html-frames-and-forms is nothing but markup the sanitiser removes.
    return build_with_verdicts_dropped(cards, tmp_path / "output", {"E901", "E406"})


def build_with_verdicts_dropped(cards, output, codes: set[str]):
    """Build as if the check had not seen its errors ``codes`` (exactly those): the compiler alone must
    keep students safe. Runs with the network forbidden."""
    checked = pipeline.check(cards)
    assert {d.code for d in checked.diagnostics if d.is_error} == codes
    bypassed = replace(checked, diagnostics=tuple(d for d in checked.diagnostics if d.code not in codes))
    with no_network():
        result = pipeline.build_checked(bypassed, cards, output)
    assert result.package is not None
    return result


def test_build_refuses_unsafe_markup_by_default(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    (cards / "hostile.yaml").write_text(HOSTILE_CARDS)
    with no_network():
        result = pipeline.build(cards, tmp_path / "output")
    assert result.package is None and not (tmp_path / "output").exists()


def test_nothing_in_the_collection_can_act_or_reach_the_network(unsafe_package, collection):
    import_package(collection, unsafe_package.package)
    found = []
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        found += [(note["CardId"], field, match) for field, value in note.items() for match in dangerous(value)]
    used = {collection.get_note(n).mid for n in collection.find_notes("")}
    for model in (collection.models.get(mid) for mid in used):  # ours, not Anki's stock note types
        for text in [model["css"], *(t[side] for t in model["tmpls"] for side in ("qfmt", "afmt"))]:
            found += [(model["name"], "template or style", m) for m in dangerous(text)]
    assert found == [], found
    # The content around the removed markup is still there.
    stems = {collection.get_note(n)["CardId"]: collection.get_note(n) for n in collection.find_notes("")}
    assert "Smooth muscle actin" in stems["html-handlers-and-links"]["Back"]
    assert "Which margin?" in stems["html-frames-and-forms"]["Front"]


def test_exports_carry_no_active_or_remote_content(unsafe_package):
    for export in unsafe_package.built[0].exports:
        text = Path(export).read_text()
        if export.suffix == ".html":
            text = without_our_page_chrome(text)
        assert dangerous(text) == [], export.name
        if export.suffix == ".md":  # nor may a Markdown viewer make something active of its text
            from markdown_it import MarkdownIt

            viewed = MarkdownIt("gfm-like", {"html": True, "linkify": False}).render(text)
            assert dangerous(viewed) == [], "the Markdown sheet, as shown"


# Every control character a field can hold, spelt as a reference (tab, LF and CR are white space).
CONTROL_REFERENCES = [f"&#{n};" for n in [*range(1, 9), 11, 12, *range(14, 32), 127, 0x81, 0x8D, 0x8F, 0x90, 0x9D]]


def _evasion_cards() -> str:
    """One card per control character hiding a javascript: scheme, plus U+001F in an attribute."""
    cards = []
    for number, reference in enumerate(CONTROL_REFERENCES):
        cards.append(f"""- id: evasion-{number}
  front: <a href="java{reference}script:alert({number})" title="a{reference}b">Which stain {number}?</a>
  back: <abbr title="x&#31;y">SMA</abbr> {number}
  topics: [histology]
  sources: [src-a]
""")
    return "\n".join(cards)


@pytest.fixture
def evasion_package(make_cards, tmp_path):
    cards = make_cards("valid.yaml", "unsafe-html-control-characters.yaml", "control-character.yaml")
    (cards / "evasion.yaml").write_text(_evasion_cards())
    # Both verdicts dropped: the sanitiser alone must keep them out of Anki.
    return build_with_verdicts_dropped(cards, tmp_path / "output", {"E901", "E909"})


def test_control_characters_hide_no_link_and_split_no_note_in_real_anki(evasion_package, collection):
    # Before: "note has 10 fields, expected 9" (U+001F) refused the whole package, and without that card
    # 54 of these arrived as javascript: links once Anki's importer deleted the control character.
    log = import_package(collection, evasion_package.package)
    assert log.new == len(CONTROL_REFERENCES) + 3 + 3 + 3
    found, controls = [], []
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        for field, value in note.items():
            found += [(note["CardId"], field, m) for m in dangerous(value)]
            controls += [(note["CardId"], field) for _ in _IMPORTER_DELETES.finditer(value)]
    assert found == [] and controls == []
    assert "Which stain 5?" in note_by_card_id(collection, "evasion-5")["Front"]


def test_no_export_carries_a_control_character_or_hidden_scheme(evasion_package):
    output = Path(evasion_package.package).parent
    for path in sorted(output.iterdir()):
        if path.suffix in (".tsv", ".html", ".md"):
            text = path.read_text()
            if path.suffix == ".html":
                text = without_our_page_chrome(text)
            assert dangerous(text) == [], path.name
            assert not _IMPORTER_DELETES.search(text), path.name


def _markdown_outputs(output: Path) -> list[Path]:
    return sorted(output.glob("*.md"))


def active_markup(rendered: str) -> list[str]:
    """Tags and attributes in rendered HTML that act or load (text that merely names them does not count)."""
    from html.parser import HTMLParser

    found = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "svg", "img", "object", "embed", "form", "style", "link", "meta"):
                found.append(f"<{tag}>")
            for name, value in attrs:
                seen = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value or "").lower()
                if name.startswith("on") or (name in ("href", "src") and not seen.startswith(("http:", "https:", "mailto:", "#"))
                                             and ":" in seen.split("/")[0]) or seen.startswith("//"):
                    found.append(f"{name}={value}")

    Scan(convert_charrefs=True).feed(rendered)
    return found


def test_every_markdown_output_escapes_what_it_interpolates(make_cards, tmp_path):
    # Before: the deck name, version, topic, scope and source titles, sections and (in CHANGELOG.md)
    # the question's un-escaped code reached output/*.md, README.md and CHANGELOG.md as live markup.
    from markdown_it import MarkdownIt

    cards = make_cards("valid.yaml", "question-shows-markup.yaml", deck="hostile-metadata.yaml",
                       sources="sources-hostile-metadata.yaml")
    with no_network():
        result = pipeline.build(cards, tmp_path / "output", now=1_790_000_000)
    assert result.package is not None, [str(d) for d in result.diagnostics]
    outputs = _markdown_outputs(tmp_path / "output")
    assert [p.name for p in outputs] == ["CHANGELOG.md", "README.md", "testdeck-margins-only.md", "testdeck.md"]
    for renderer in (MarkdownIt("commonmark", {"html": True}), MarkdownIt("gfm-like", {"html": True, "linkify": False})):
        for path in outputs:
            shown = renderer.render(path.read_text())
            assert active_markup(shown) == [], path.name
            assert not re.search(r"<(b|a)\b", shown), (path.name, shown)
            assert "<h1" in shown and shown.count("<h1") == 1, path.name  # no value started a heading
    changelog = MarkdownIt("commonmark", {"html": True}).render((tmp_path / "output" / "CHANGELOG.md").read_text())
    assert "&lt;img src=x onerror=alert(8)&gt;" in changelog  # shown as the text it is
    readme = MarkdownIt("commonmark", {"html": True}).render((tmp_path / "output" / "README.md").read_text())
    assert "Test &lt;img src=x onerror=alert(1)&gt; [deck](javascript:alert(1))" in readme
