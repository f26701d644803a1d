"""Exports beside each .apkg: a plain-text file for Anki's importer, and a printable study sheet.

The plain-text export uses Anki's header lines (Anki 2.1.55+) so that it
needs no setup: rows name a *stock* note type (Basic, Basic (and reversed
card), Cloze: present in every collection), a deck, the tags, and the
note's GUID. Because the GUID is the same one the .apkg uses, re-importing
an updated export updates notes in place instead of duplicating them.
"""

from __future__ import annotations

import csv
import html
import io
import operator
import re
import weakref
from typing import Iterator, Mapping

from ..text import is_plain, mdtext, parse, rename_references, render
from ..compile import DeckSelection, NoteContent
from ..model import BASIC_FIELDS, CLOZE_FIELDS, Card, CardSet, CardType, Source

STOCK_NOTETYPES = {"basic": "Basic", "reversed": "Basic (and reversed card)", "cloze": "Cloze"}


def _markdown_citation(source: Source, section: str | None) -> str:
    """One source as Markdown, with what the card's own citation shows (``compile.citation``): the
    publisher (which carries a source's caveat, such as a page marked "pending human review"), the
    title, the date and the section. The title alone would hide whose page a student is reading."""
    text = f"{mdtext.text(source.publisher)}, *{mdtext.text(source.title)}*" if source.publisher \
        else f"*{mdtext.text(source.title)}*"
    if source.date:
        text += f" ({mdtext.text(source.date)})"
    if section:
        text += f", “{mdtext.text(section)}”"
    return text


def _details(fields: Mapping[str, str]) -> str:
    """Everything shown under the answer, as one HTML block (stock note types have no room for more)."""
    parts = []
    if fields.get("Notice"):
        parts.append(f"<p><b>{fields['Notice']}</b></p>")
    if fields.get("Extra"):
        parts.append(f"<p>{fields['Extra']}</p>")
    if fields.get("SourcesDiffer"):
        parts.append(f"<p><i>Sources differ:</i> {fields['SourcesDiffer']}</p>")
    if fields.get("Scope"):
        parts.append(f"<p><i>Applies to:</i> {fields['Scope']}</p>")
    if fields.get("Sources"):
        parts.append(f"<p><i>Sources:</i> {fields['Sources']}</p>")
    parts.append(f"<p><small>Card id: {fields['CardId']}</small></p>")
    return "".join(parts)


def _row(content: NoteContent, guid: str, deck_name: str, adoption=None) -> list[str]:
    fields = content.named_fields
    adopted = next((nt for nt in adoption.notetypes if nt.key == content.adopted), None) if adoption else None
    if adopted is not None:  # an imported deck: the note type students have, by name, with its two fields
        from ..compile import adopted_fields

        notetype, (first, second, *_) = adopted.name, adopted_fields(fields, content.notetype)
    elif content.notetype == "cloze":
        notetype, first, second = STOCK_NOTETYPES["cloze"], fields["Text"], _details(fields)
    else:
        notetype = STOCK_NOTETYPES["reversed" if fields["AddReverse"] else "basic"]  # (content.reverse)
        first, second = fields["Front"], fields["Back"] + _details(fields)
    # Newlines are not significant in HTML; keeping rows on one line keeps the file easy to diff.
    return [notetype, deck_name, guid, first.replace("\n", " "), second.replace("\n", " "), " ".join(content.tags)]


def plain_text_export(selection: DeckSelection, adoption=None) -> Iterator[str]:
    """A tab-separated file Anki imports through File > Import, updating notes by GUID (in chunks)."""
    yield ("#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n#guid column:3\n"
           "#tags column:6\n#columns:Note type\tDeck\tGUID\tFront / Text\tBack / Back Extra\tTags\n")
    line = _TabLine()
    rows = []
    for number, placed in enumerate(selection.notes, start=1):
        content = placed.note.content
        if adoption is None or not adoption.notetypes:
            rows.append(_line(content, placed.note.guid, placed.deck_name, line))
        else:
            rows.append(line(_row(content, placed.note.guid, placed.deck_name, adoption)))
        if number % 1000 == 0:  # a chunk of rows at a time
            yield "".join(rows)
            rows.clear()
    yield "".join(rows)


# A note's fields by position (the note types' field order), read in one call each: _row's dict of named
# fields per note was a quarter of the export's time.
_BASIC_PARTS = operator.itemgetter(*(BASIC_FIELDS.index(name) for name in (
    "Front", "Back", "AddReverse", "Notice", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId")))
_CLOZE_PARTS = operator.itemgetter(*(CLOZE_FIELDS.index(name) for name in (
    "Text", "Notice", "Extra", "SourcesDiffer", "Scope", "Sources", "CardId")))


def _details_of(notice: str, extra: str, differ: str, scope: str, sources: str, card_id: str) -> str:
    """_details, from the fields themselves."""
    return ((f"<p><b>{notice}</b></p>" if notice else "") + (f"<p>{extra}</p>" if extra else "")
            + (f"<p><i>Sources differ:</i> {differ}</p>" if differ else "")
            + (f"<p><i>Applies to:</i> {scope}</p>" if scope else "")
            + (f"<p><i>Sources:</i> {sources}</p>" if sources else "")
            + f"<p><small>Card id: {card_id}</small></p>")


def _line(content: NoteContent, guid: str, deck_name: str, tab_line: _TabLine) -> str:
    """The line ``tab_line(_row(content, guid, deck_name))`` writes, for a note on one of our own note types.

    Made as one string; only a line with something to quote (a double quote, a tab or a line end in one of
    its fields) goes through the fields one by one (tests/publish/test_exports_as_before.py)."""
    if content.notetype == "cloze":
        first, *details = _CLOZE_PARTS(content.fields)
        notetype, second = STOCK_NOTETYPES["cloze"], _details_of(*details)
    else:
        first, back, reverse, *details = _BASIC_PARTS(content.fields)
        notetype, second = STOCK_NOTETYPES["reversed" if reverse else "basic"], back + _details_of(*details)
    first, second, tags = first.replace("\n", " "), second.replace("\n", " "), " ".join(content.tags)
    line = f"{notetype}\t{deck_name}\t{guid}\t{first}\t{second}\t{tags}"
    if '"' in line or "\n" in line or "\r" in line or line.count("\t") != 5:
        return tab_line([notetype, deck_name, guid, first, second, tags])
    return line + "\n"


class _TabLine:
    """A row as csv.writer(delimiter="\t", lineterminator="\n") writes it, in a fraction of the time.

    csv looks at a 30 MB export character by character (0.45 s at 50,000 notes); most fields need no
    quoting, and the rest only a double quote's (HTML attributes): both are found with ``in`` and written
    here, exactly as csv's minimal quoting writes them (a field is quoted alone, whatever the others).
    Anything rarer (a tab, a line end) is left to csv itself (tests/publish/test_tsv_lines.py).
    """

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter="\t", lineterminator="\n")

    def _by_csv(self, row: list[str]) -> str:
        self._writer.writerow(row)
        line = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return line

    def _field(self, field: str) -> str:
        if "\t" in field or "\r" in field or "\n" in field:
            return self._by_csv([field, ""])[:-2]  # two fields (a lone empty one is a case of its own), less "\t\n"
        if '"' in field:
            return '"' + field.replace('"', '""') + '"'
        return field

    def __call__(self, row: list[str]) -> str:
        if len(row) < 2:  # a row of one field has a quoting rule of its own: csv's
            return self._by_csv(row)
        return "\t".join(map(self._field, row)) + "\n"


# ---------------------------------------------------------------- study sheet

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::([^{}]*?))?\}\}", re.DOTALL)


def _cloze_question(rendered: str) -> str:
    return _CLOZE.sub(lambda m: f'<span class="blank">[{html.escape(m.group(3)) if m.group(3) else "…"}]</span>',
                      rendered)


def _cloze_answer(rendered: str) -> str:
    return _CLOZE.sub(lambda m: f"<strong>{m.group(2)}</strong>", rendered)


def _sheet_cards(card_set: CardSet, selection: DeckSelection) -> dict[str, list[Card]]:
    """The live cards of a deck, grouped by their first topic, in deck.yaml's topic order.

    The HTML and the Markdown sheet of a deck ask in turn: the groups are made once and kept while that card
    set and selection live (a pass over every note and card, each call 0.04 s at 50,000 cards). Weakly: the
    groups go as soon as either does, so that they never keep a card set alive (a watch session's last one)."""
    if _LAST_GROUPS:
        kept_set, kept_selection, groups = _LAST_GROUPS[0]
        if kept_set() is card_set and kept_selection() is selection:
            return groups
    groups = _grouped(card_set, selection)
    _LAST_GROUPS[:] = [(weakref.ref(card_set, _forget_groups), weakref.ref(selection, _forget_groups), groups)]
    return groups


_LAST_GROUPS: list[tuple[weakref.ref, weakref.ref, dict[str, list[Card]]]] = []


def _forget_groups(_gone: weakref.ref) -> None:
    _LAST_GROUPS.clear()


def _grouped(card_set: CardSet, selection: DeckSelection) -> dict[str, list[Card]]:
    chosen = {placed.note.content.card_id for placed in selection.notes if not placed.note.retired}
    groups: dict[str, list[Card]] = {topic: [] for topic in card_set.deck.topics}
    for card in card_set.cards:
        if card.id in chosen and card.topics:
            groups.setdefault(card.topics[0], []).append(card)
    return {topic: cards for topic, cards in groups.items() if cards}


SHEET_CSS = """
body { font-family: Georgia, "Times New Roman", serif; color: #111; max-width: 46em; margin: 2em auto;
       padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #999; margin-top: 1.6em; page-break-after: avoid; }
.meta, .source, .differ, .card-id { font-size: 0.85em; }
.meta { color: #444; }
.card { margin: 0.8em 0; padding: 0.5em 0.7em; border-left: 3px solid #bbb; page-break-inside: avoid; }
.question { font-weight: bold; }
.answer { margin-top: 0.2em; }
.extra { margin-top: 0.2em; font-size: 0.9em; color: #333; }
.blank { border-bottom: 1px solid #000; padding: 0 0.8em; color: #555; }
.differ { margin-top: 0.3em; font-style: italic; }
.source { color: #444; margin-top: 0.2em; }
.card-id { color: #777; font-family: monospace; }
.disclaimer { margin-top: 2em; font-size: 0.85em; font-style: italic; }
.toc { font-size: 0.9em; columns: 2; }
.self-test { font-size: 0.9em; margin: 0.6em 0; }
/* Self-testing: answers stay hidden until the card is hovered or tapped (focus). */
#hide-answers:checked ~ main .card:not(:hover):not(:focus-within) :is(.answer, .extra, .differ) { visibility: hidden; }
img { max-width: 100%; height: auto; }
@media print {
  body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
  .self-test { display: none; }
  main h2 { page-break-before: always; } main h2:first-child { page-break-before: avoid; }
}
"""


# Before <main>, so that its :checked state can hide the answers inside it (CSS only: no script).
SELF_TEST_CONTROL = ('<input type="checkbox" id="hide-answers" class="self-test">'
                     '<label for="hide-answers" class="self-test"> Hide answers (hover or tap a card to see its '
                     "answer)</label>")


def _block(card: Card, question: str, answer: str, extra: str, differ: str, scope: str, sources: str) -> str:
    """One card on the HTML sheet."""
    return (f'<div class="card" tabindex="0">\n<div class="question">{question}</div>\n'
            f'<div class="answer">{answer}</div>\n'
            + (f'<div class="extra">{extra}</div>\n' if extra else "")
            + (f'<div class="differ">Sources differ: {differ}</div>\n' if differ else "")
            + f'<div class="source">{f"{scope}. " if scope else ""}Sources: {sources}</div>\n'
            f'<div class="card-id">{html.escape(card.id)}</div>\n</div>\n')


def _card_block(card: Card, fields: Mapping[str, str], media: Mapping[str, str]) -> str:
    """One card on the HTML sheet, from its note's named fields, its pictures' names changed to ``media``'s."""
    if media:
        fields = {name: rename_references(value, media) for name, value in fields.items()}
    if card.type is CardType.CLOZE:
        question, answer = _cloze_question(fields["Text"]), _cloze_answer(fields["Text"])
    else:
        question, answer = fields["Front"], fields["Back"]
    return _block(card, question, answer, fields["Extra"], fields["SourcesDiffer"], fields["Scope"], fields["Sources"])


def _note_block(card: Card, content: NoteContent, media: Mapping[str, str]) -> str:
    """``_card_block(card, content.named_fields, media)``, with the fields read by position when there are no
    pictures to rename (the usual case: no dict of named fields per card)."""
    cloze = card.type is CardType.CLOZE
    if media or cloze != (content.notetype == "cloze"):  # (a note not of its card's type: not expected)
        return _card_block(card, content.named_fields, media)
    if cloze:
        text, _, extra, differ, scope, sources, _ = _CLOZE_PARTS(content.fields)
        return _block(card, _cloze_question(text), _cloze_answer(text), extra, differ, scope, sources)
    question, answer, _, _, extra, differ, scope, sources, _ = _BASIC_PARTS(content.fields)
    return _block(card, question, answer, extra, differ, scope, sources)


def study_sheet_html(card_set: CardSet, selection: DeckSelection, notes: Mapping[str, NoteContent],
                     version: str | None = None, media: Mapping[str, str] | None = None) -> Iterator[str]:
    """One page: every card of the deck by topic, question then answer, with sources (in chunks).

    ``media``: a published media name -> where the page finds the file (``media/<name>`` beside it).
    """
    deck = card_set.deck
    version = deck.version if version is None else version
    media = media or {}
    title = html.escape(selection.definition.name)
    yield from (line + "\n" for line in [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{title}: study sheet</title>", f"<style>{SHEET_CSS}</style>", "</head>", "<body>",
        f"<h1>{title}</h1>",
        f'<p class="meta">Version {html.escape(version)}. Questions in bold; answers below each.</p>',
    ])
    groups = _sheet_cards(card_set, selection)
    yield '<nav class="toc"><ol>' + "".join(
        f'<li><a href="#{html.escape(topic)}">{html.escape(deck.topics.get(topic, topic))}</a> ({len(cards)})</li>'
        for topic, cards in groups.items()) + "</ol></nav>\n"
    yield SELF_TEST_CONTROL + "\n<main>\n"
    for topic, cards in groups.items():
        yield f'<h2 id="{html.escape(topic)}">{html.escape(deck.topics.get(topic, topic))}</h2>\n'
        # One string per card (its fields are copied once, not once per line and again to join the lines).
        rows = []
        for card in cards:
            rows.append(_note_block(card, notes[card.id], media))
            if len(rows) == 1000:  # in chunks, as before
                yield "".join(rows)
                rows.clear()
        yield "".join(rows)
    yield "</main>\n"
    if deck.disclaimer:
        yield f'<p class="disclaimer">{html.escape(deck.disclaimer)}</p>\n'
    yield "</body>\n</html>\n"


_TAG = re.compile(r"(<[^>]*>)")
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]~])")  # emphasis, code, links and images need one of these


def _plain_field(markdown: str, media: Mapping[str, str] | None = None) -> str:
    """A field for the sheet's list items, on one line: the deck's own safe HTML (the allow-list applies
    here too: a Markdown viewer shows raw HTML), its text escaped so that Markdown cannot turn it back
    into something active (the text "[x](javascript:...)" must stay text)."""
    if is_plain(markdown):  # rendered as itself (text.render): no tag, no media reference, nothing to escape
        return " ".join(markdown.split())
    rendered = rename_references(render(markdown), media or {})
    if "<" not in rendered:  # one part, text (what the split below makes of it)
        return " ".join(_MARKDOWN_ACTIVE.sub(r"\\\1", rendered).split())
    parts = _TAG.split(rendered)
    safe = "".join(part if part.startswith("<") else _MARKDOWN_ACTIVE.sub(r"\\\1", part) for part in parts)
    return " ".join(safe.split())


class _SheetEntries:
    """Each card's item on the Markdown sheet (``__call__``), for one deck, its sources and media names.

    A citation is made once per source and section: cards cite the same few, and making each card's
    afresh was a third of the sheet's time in a first build (50,000 cards, 67,000 citations)."""

    def __init__(self, card_set: CardSet, media: Mapping[str, str]) -> None:
        self._deck, self._sources, self._media = card_set.deck, card_set.sources_by_id, media
        self._citations: dict[tuple[str, str | None], str] = {}

    def _plain(self, markdown: str) -> str:
        return _plain_field(markdown, self._media)

    def _citation(self, ref) -> str:
        key = (ref.id, ref.section)
        found = self._citations.get(key)
        if found is None:
            found = self._citations[key] = _markdown_citation(self._sources[ref.id], ref.section)
        return found

    def __call__(self, card: Card) -> str:
        deck, _plain = self._deck, self._plain
        lines = []
        if card.type is CardType.CLOZE:
            deletions, _ = parse(card.text)
            # Escaped brackets: "[…](javascript:...)" after a deletion must not become a link.
            question = _CLOZE.sub(lambda m: f"\\[{m.group(3) or '…'}\\]", _plain(card.text))
            answer = "; ".join(_plain(d.answer) for d in deletions)
        else:
            question, answer = _plain(card.front), _plain(card.back)
        cited = "; ".join(map(self._citation, card.sources))
        lines.append(f"- **{question}**  ")
        lines.append(f"  {answer}  ")
        if card.extra:
            lines.append(f"  {_plain(card.extra)}  ")
        if card.sources_differ:
            lines.append(f"  *Sources differ:* {_plain(card.sources_differ)}  ")
        scope = f"{mdtext.text(deck.scopes.get(card.scope, card.scope))}. " if card.scope else ""
        lines.append(f"  <small>{scope}Sources: {cited}. {mdtext.code(card.id)}</small>")
        return "\n".join(lines) + "\n"


def _sheet_entries(card_set: CardSet, media: Mapping[str, str]):
    """card -> its sheet item; for the cards loaded, made once per card file and kept (derived.py) while
    the file, the deck, the sources and the media names are unchanged."""
    from ..load import for_card_set

    entry = _SheetEntries(card_set, media)
    stored = for_card_set(card_set)
    if stored is None:
        return entry
    context = repr((card_set.deck, card_set.sources, sorted(media.items())))
    texts = stored.card_texts("sheet-md", context, entry)
    return lambda card: texts[id(card)]


def study_sheet_markdown(card_set: CardSet, selection: DeckSelection, media: Mapping[str, str] | None = None,
                         version: str | None = None) -> Iterator[str]:
    """The study sheet as Markdown (in chunks); ``media``: an author's media name -> where the sheet finds it."""
    deck = card_set.deck
    version = deck.version if version is None else version

    def _plain(markdown: str) -> str:
        return _plain_field(markdown, media)

    yield (f"# {mdtext.text(selection.definition.name)}\n\nVersion {mdtext.text(version)}. "
           "Question, then answer.\n\n")
    entry = _sheet_entries(card_set, media or {})
    for topic, cards in _sheet_cards(card_set, selection).items():
        yield f"## {mdtext.text(deck.topics.get(topic, topic))}\n\n"
        for card in cards:
            yield entry(card)
        yield "\n"
    if deck.disclaimer:
        yield f"*{_plain(deck.disclaimer)}*\n"
