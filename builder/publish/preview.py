"""``deckbuilder preview``: every card as Anki would show it, without importing anything.

Each card face is rendered from the deck's real note-type templates and CSS
(notetypes.py) by a renderer for the part of Anki's template language those
templates use: ``{{Field}}``, ``{{#Field}}...{{/Field}}``, ``{{^Field}}``,
``{{FrontSide}}`` and ``{{cloze:Field}}``. The gallery is one static page
(plus the media it shows) that can be searched by id, topic and text, and
switched to night mode and to a phone's width; each card lists the checker's
diagnostics about it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..text import parse as parse_cloze
from ..compile import BASIC_TEMPLATES, CLOZE_TEMPLATES, CSS, NoteContent
from ..model import CardSet, Diagnostic

PREVIEW_PAGE = "index.html"
# Written by every preview build; `watch --preview` serves it so the open page can
# tell that a rebuild happened and reload itself.
BUILD_STAMP = "build.json"

_SECTION = re.compile(r"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
_TAG = re.compile(r"\{\{(?:(cloze):)?(\w+)\}\}")


@dataclass(frozen=True)
class Face:
    name: str  # the template's name ("Forward", "Reverse", "Cloze 2")
    question: str
    answer: str


def render_template(template: str, fields: Mapping[str, str], front_side: str = "",
                    ordinal: int = 1, answer_side: bool = False) -> str:
    """One side of one card, as Anki renders it (for the constructs our templates use)."""
    text = template
    while (match := _SECTION.search(text)) is not None:  # innermost sections repeat until none is left
        shown = bool(fields.get(match.group(2), "").strip()) == (match.group(1) == "#")
        text = text[:match.start()] + (match.group(3) if shown else "") + text[match.end():]

    def field(match: re.Match) -> str:
        name = match.group(2)
        if name == "FrontSide":
            return front_side
        if match.group(1) == "cloze":
            return render_cloze(fields.get(name, ""), ordinal, answer_side)
        return fields.get(name, "")

    return _TAG.sub(field, text)


def render_cloze(text: str, ordinal: int, answer_side: bool) -> str:
    """Anki's cloze filter: the active deletion hidden (or shown in colour), the others as plain text."""
    deletions, _ = parse_cloze(text)
    out, position = [], 0
    for deletion in sorted(deletions, key=lambda d: d.offset):
        end = text.index("}}", deletion.offset + len(f"{{{{c{deletion.number}::{deletion.answer}")) + 2
        out.append(text[position:deletion.offset])
        if deletion.number != ordinal:
            out.append(deletion.answer)
        elif answer_side:
            out.append(f'<span class="cloze">{deletion.answer}</span>')
        else:
            out.append(f'<span class="cloze">[{deletion.hint or "..."}]</span>')
        position = end
    out.append(text[position:])
    return "".join(out)


def faces(note: NoteContent) -> list[Face]:
    """Every Anki card a note makes, question and answer."""
    fields = note.named_fields
    if note.notetype == "cloze":
        template = CLOZE_TEMPLATES[0]
        numbers = sorted({d.number for d in parse_cloze(fields["Text"])[0]})
        return [Face(f"Cloze {n}",
                     render_template(template["qfmt"], fields, ordinal=n),
                     render_template(template["afmt"], fields, ordinal=n, answer_side=True))
                for n in numbers]
    made = []
    for template in BASIC_TEMPLATES:
        question = render_template(template["qfmt"], fields)
        if question.strip():  # Anki makes no card whose front is empty (the reverse without AddReverse)
            made.append(Face(template["name"], question, render_template(template["afmt"], fields, question)))
    return made


GALLERY_CSS = """\
body.gallery { margin: 0; font-family: system-ui, sans-serif; background: #eceff3; color: #1d2330; }
.gallery header { position: sticky; top: 0; background: #fff; padding: 0.6em 1em; border-bottom: 1px solid #ccd;
  display: flex; gap: 1em; align-items: center; flex-wrap: wrap; z-index: 1; }
.gallery header input[type=search] { flex: 1; min-width: 12em; font-size: 1em; padding: 0.3em; }
.gallery main { padding: 1em; }
.entry, .not-shown { margin: 0 auto 1.5em; max-width: 60em; }
.not-shown h2 { font-size: 0.95em; margin: 0 0 0.3em; }
.entry h2 { font-size: 0.95em; font-family: ui-monospace, monospace; margin: 0 0 0.3em; }
.entry .topics { font-size: 0.8em; color: #556; }
.faces { display: flex; flex-wrap: wrap; gap: 0.8em; }
.face { flex: 1 1 20em; border: 1px solid #ccd; border-radius: 6px; overflow: hidden;
  display: flex; flex-direction: column; }
.face > .card { flex: 1; width: 100%; max-width: none; box-sizing: border-box; }
.face .side { font-size: 0.7em; text-transform: uppercase; color: #667; padding: 0.2em 0.6em; background: #f6f7f9; }
.phone .face { flex: 0 0 375px; max-width: 375px; }
.diagnostics { font-size: 0.85em; margin: 0.3em 0; padding-left: 1.2em; }
.diagnostics .error { color: #a00; } .diagnostics .warning { color: #8a5a00; }
.entry[hidden] { display: none; }
"""

GALLERY_SCRIPT = """\
const search = document.getElementById("search");
const entries = Array.from(document.querySelectorAll(".entry"));
function filter() {
  const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const entry of entries) {
    const hit = words.every(w => entry.dataset.search.includes(w));
    entry.hidden = !hit; shown += hit;
  }
  document.getElementById("count").textContent = shown + " of " + entries.length + " notes";
}
search.addEventListener("input", filter);
document.getElementById("night").addEventListener("change", e => {
  for (const card of document.querySelectorAll(".card")) {
    card.classList.toggle("nightMode", e.target.checked); card.classList.toggle("night_mode", e.target.checked);
  }
});
document.getElementById("phone").addEventListener("change", e => document.body.classList.toggle("phone", e.target.checked));
if (location.hash.length > 1) { search.value = decodeURIComponent(location.hash.slice(1)); }
filter();
// Under `deckbuilder watch --preview`, reload when a rebuild writes a new stamp.
if (location.protocol.startsWith("http")) {
  let seen = null;
  setInterval(async () => {
    try {
      const stamp = (await (await fetch("build.json", {cache: "no-store"})).json()).build;
      if (seen !== null && stamp !== seen) location.reload();
      seen = stamp;
    } catch (e) {}
  }, 1000);
}
"""


def gallery(card_set: CardSet, notes: Iterable[NoteContent], diagnostics: Iterable[Diagnostic]) -> str:
    """The preview page: every note's cards, front and back, with its diagnostics."""
    notes = list(notes)
    shown_ids = {note.card_id for note in notes}
    by_card: dict[str, list[Diagnostic]] = {}
    elsewhere: list[Diagnostic] = []  # about the deck, a file, or a card the loader had to leave out
    for problem in diagnostics:
        if problem.subject in shown_ids:
            by_card.setdefault(problem.subject, []).append(problem)
        else:
            elsewhere.append(problem)
    deck = card_set.deck
    topics_of = {card.id: card.topics for card in card_set.cards}
    entries = []
    count = 0
    for note in notes:
        count += 1
        topics = topics_of.get(note.card_id, ())
        searchable = " ".join([note.card_id, *topics, *(deck.topics.get(t, t) for t in topics),
                               re.sub(r"<[^>]+>", " ", " ".join(note.fields))]).lower()
        parts = [f'<section class="entry" id="{html.escape(note.card_id)}" '
                 f'data-search="{html.escape(searchable)}">',
                 f"<h2>{html.escape(note.card_id)}</h2>",
                 f'<div class="topics">{html.escape(", ".join(deck.topics.get(t, t) for t in topics))}</div>']
        problems = by_card.get(note.card_id, [])
        if problems:
            parts.append('<ul class="diagnostics">' + "".join(
                f'<li class="{p.severity.value}">{html.escape(p.code)} {html.escape(p.message)}</li>'
                for p in problems) + "</ul>")
        parts.append('<div class="faces">')
        for face in faces(note):
            for side, content in (("front", face.question), ("back", face.answer)):
                parts.append(f'<div class="face {side}"><div class="side">{html.escape(face.name)}: {side}</div>'
                             f'<div class="card">{content}</div></div>')
        parts.append("</div></section>")
        entries.append("\n".join(parts))
    title = html.escape(f"{deck.name} {deck.version}: preview")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>", f"<style>{GALLERY_CSS}\n{CSS}</style>", "</head>",
        '<body class="gallery">',
        '<header><input type="search" id="search" placeholder="Search id, topic or text" aria-label="Search">'
        '<label><input type="checkbox" id="night"> Night mode</label>'
        '<label><input type="checkbox" id="phone"> Phone width</label>'
        f'<span id="count">{count} notes</span></header>',
        "<main>", *_elsewhere(elsewhere), *entries, "</main>",
        f"<script>{GALLERY_SCRIPT}</script>", "</body>", "</html>", "",
    ])


def serve(folder: Path, port: int = 0):
    """Serve ``folder`` on this machine only (127.0.0.1), in a background thread; return the server.

    The page polls build.json and reloads itself when a rebuild changes it.
    ``port`` 0 takes any free port (``server.server_address[1]`` says which).
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 (the standard library's name)
            pass  # one line per request would bury watch's own output

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    folder.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _elsewhere(problems: list[Diagnostic]) -> list[str]:
    """Problems no card below shows: a card missing here because of one of them is named in it."""
    if not problems:
        return []
    items = "".join(f'<li class="{p.severity.value}">{html.escape(str(p.location))}: {html.escape(p.code)} '
                    f"{html.escape(p.message)}</li>" for p in problems)
    return [f'<section class="not-shown" id="not-shown">'
            f"<h2>Not shown with a card ({len(problems)})</h2>"
            f'<ul class="diagnostics">{items}</ul></section>']


def write_preview(folder: Path, card_set: CardSet, notes: list[NoteContent], diagnostics: Iterable[Diagnostic],
                  media: Mapping[str, Path], build: int) -> Path:
    """Write the gallery and the media its cards show into ``folder``; return the page."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in media.items():
        if name not in (PREVIEW_PAGE, BUILD_STAMP):
            shutil.copyfile(path, folder / name)
    page = folder / PREVIEW_PAGE
    page.write_text(gallery(card_set, notes, diagnostics), encoding="utf-8")
    (folder / BUILD_STAMP).write_text(json.dumps({"build": build}) + "\n", encoding="utf-8")
    return page
