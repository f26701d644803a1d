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
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from builder import pipeline

from .anki_client import import_package

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
    checked = pipeline.check(cards)
    assert {d.code for d in checked.diagnostics if d.severity.value == "error"} == {"E901"}
    # Pretend the check had not seen them: the compiler must still keep students safe.
    bypassed = replace(checked, diagnostics=tuple(d for d in checked.diagnostics if d.code != "E901"))
    with no_network():
        result = pipeline.build_checked(bypassed, cards, tmp_path / "output")
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
        found += [(note["CardId"], field, match.group()) for field, value in note.items()
                  for match in DANGEROUS.finditer(value)]
    used = {collection.get_note(n).mid for n in collection.find_notes("")}
    for model in (collection.models.get(mid) for mid in used):  # ours, not Anki's stock note types
        for text in [model["css"], *(t[side] for t in model["tmpls"] for side in ("qfmt", "afmt"))]:
            found += [(model["name"], "template or style", m.group()) for m in DANGEROUS.finditer(text)]
    assert found == [], found
    # The content around the removed markup is still there.
    stems = {collection.get_note(n)["CardId"]: collection.get_note(n) for n in collection.find_notes("")}
    assert "Smooth muscle actin" in stems["html-handlers-and-links"]["Back"]
    assert "Which margin?" in stems["html-frames-and-forms"]["Front"]


def test_exports_carry_no_active_or_remote_content(unsafe_package):
    for export in unsafe_package.built[0].exports:
        text = Path(export).read_text()
        if export.suffix == ".html":  # our own head (charset, inline stylesheet) is fine; cards' markup is not
            text, heads = re.subn(r"<head>.*?</head>", "", text, count=1, flags=re.DOTALL)
            assert heads == 1
            from builder.exports import SELF_TEST_CONTROL  # our own checkbox, exactly; nothing from a card

            text = text.replace(SELF_TEST_CONTROL, "", 1)
        assert [m.group() for m in DANGEROUS.finditer(text)] == [], export.name
        if export.suffix == ".md":  # nor may a Markdown viewer make something active of its text
            from markdown_it import MarkdownIt

            viewed = MarkdownIt("gfm-like", {"html": True, "linkify": False}).render(text)
            assert [m.group() for m in DANGEROUS.finditer(viewed)] == [], "the Markdown sheet, as shown"
