"""The exports, written faster, are the bytes they were: the .tsv's rows without csv's per-character
loop (csv's lines, to the byte), the HTML sheet one string per card (the blocks as they were made)."""

from __future__ import annotations

import csv
import html
import io
import shutil

from hypothesis import given, settings, strategies as st

from builder import pipeline
from builder.compile import select
from builder.publish.exports import _row, _sheet_cards, _TabLine

from ..conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2
from .test_media_updates import RED


def _csv_line(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow(row)
    return buffer.getvalue()


# Fields full of what quoting is about: tabs, quotes, both line ends, and an empty field now and then.
_FIELD = st.text(alphabet=st.sampled_from(['"', "\t", "\r", "\n", " ", "a", "<", "=", "é", "\x00"]) | st.characters())


@settings(max_examples=500, deadline=None)
@given(st.lists(_FIELD, min_size=1, max_size=6))
def test_a_line_is_the_line_csv_writes(row):
    assert _TabLine()(row) == _csv_line(row)


def test_lone_and_empty_fields_are_quoted_as_csv_quotes_them():
    line = _TabLine()
    for row in ([""], ["", ""], ['"'], ["a\tb", ""], ["", "\r"], ['say "hi"', "x"]):
        assert line(row) == _csv_line(row), row


def _as_csv_wrote_it(selection, adoption) -> str:
    """The export as it was written before: every row through csv.writer."""
    return "".join(_csv_line(_row(placed.note.content, placed.note.guid, placed.deck_name, adoption))
                   for placed in selection.notes)


def _html_as_it_was(card_set, selection, notes, media) -> str:
    """The HTML sheet's card blocks as study_sheet_html made them before: line by line, joined."""
    from builder.model import CardType
    from builder.publish.exports import _cloze_answer, _cloze_question, _sheet_cards
    from builder.text import rename_references

    blocks = []
    for cards in _sheet_cards(card_set, selection).values():
        for card in cards:
            parts = []
            fields = {name: rename_references(value, media) for name, value in notes[card.id].named_fields.items()}
            if card.type is CardType.CLOZE:
                question, answer = _cloze_question(fields["Text"]), _cloze_answer(fields["Text"])
            else:
                question, answer = fields["Front"], fields["Back"]
            parts.append('<div class="card" tabindex="0">')
            parts.append(f'<div class="question">{question}</div>')
            parts.append(f'<div class="answer">{answer}</div>')
            if fields["Extra"]:
                parts.append(f'<div class="extra">{fields["Extra"]}</div>')
            if fields["SourcesDiffer"]:
                parts.append(f'<div class="differ">Sources differ: {fields["SourcesDiffer"]}</div>')
            scope = f'{fields["Scope"]}. ' if fields["Scope"] else ""
            parts.append(f'<div class="source">{scope}Sources: {fields["Sources"]}</div>')
            parts.append(f'<div class="card-id">{html.escape(card.id)}</div>')
            parts.append("</div>")
            blocks.append("\n".join(parts) + "\n")
    return "".join(blocks)


def _markdown_as_it_was(card_set, selection, media, version) -> str:
    """The Markdown sheet as study_sheet_markdown made it before: every card's item made afresh (its citations
    too), each field split by tags, every value escaped the long way (mdtext's _text and _code)."""
    import re

    from builder.model import CardType
    from builder.publish.exports import _CLOZE, _MARKDOWN_ACTIVE, _sheet_cards
    from builder.text import mdtext, parse, rename_references, render

    def plain(markdown):
        parts = re.split(r"(<[^>]*>)", rename_references(render(markdown), media))
        return " ".join("".join(part if part.startswith("<") else _MARKDOWN_ACTIVE.sub(r"\\\1", part)
                                for part in parts).split())

    def citation(source, section):
        text = f"{mdtext._text(source.publisher)}, *{mdtext._text(source.title)}*" if source.publisher \
            else f"*{mdtext._text(source.title)}*"
        if source.date:
            text += f" ({mdtext._text(source.date)})"
        if section:
            text += f", “{mdtext._text(section)}”"
        return text

    deck, sources = card_set.deck, card_set.sources_by_id
    out = [f"# {mdtext._text(selection.definition.name)}\n\nVersion {mdtext._text(version)}. Question, then answer.\n\n"]
    for topic, cards in _sheet_cards(card_set, selection).items():
        out.append(f"## {mdtext._text(deck.topics.get(topic, topic))}\n\n")
        for card in cards:
            if card.type is CardType.CLOZE:
                question = _CLOZE.sub(lambda m: f"\\[{m.group(3) or '…'}\\]", plain(card.text))
                answer = "; ".join(plain(d.answer) for d in parse(card.text)[0])
            else:
                question, answer = plain(card.front), plain(card.back)
            lines = [f"- **{question}**  ", f"  {answer}  "]
            if card.extra:
                lines.append(f"  {plain(card.extra)}  ")
            if card.sources_differ:
                lines.append(f"  *Sources differ:* {plain(card.sources_differ)}  ")
            scope = f"{mdtext._text(deck.scopes.get(card.scope, card.scope))}. " if card.scope else ""
            cited = "; ".join(citation(sources[ref.id], ref.section) for ref in card.sources)
            lines.append(f"  <small>{scope}Sources: {cited}. {mdtext._code(card.id)}</small>")
            out.append("\n".join(lines) + "\n")
        out.append("\n")
    if deck.disclaimer:
        out.append(f"*{plain(deck.disclaimer)}*\n")
    return "".join(out)


def _assert_exports_are_as_before(cards, now, folder) -> None:
    built = pipeline.build(cards, folder / "out", now=now)
    assert built.package is not None, built.diagnostics
    deck = built.check.card_set.deck
    for shipped in built.built:
        selection = select(built.plan, shipped.selection.definition, deck.namespace, deck.topics)
        written = (folder / "out" / f"{selection.file_stem}.tsv").read_text()
        header, rows = written[:written.index("Tags\n") + len("Tags\n")], written[written.index("Tags\n") + 5:]
        assert header.startswith("#separator:tab\n")
        assert rows == _as_csv_wrote_it(selection, deck.adopted), selection.file_stem
        sheet = (folder / "out" / f"{selection.file_stem}.html").read_text()
        main = sheet[sheet.index("<main>\n") + len("<main>\n"):sheet.index("</main>\n")]
        blocks = "".join(line + "\n" for line in main.split("\n")[:-1] if not line.startswith('<h2 id="'))
        notes = {note.content.card_id: note.content for note in built.plan.notes}
        media = {name: f"media/{name}" for name in built.plan.media}
        assert blocks == _html_as_it_was(built.check.card_set, selection, notes, media), selection.file_stem
        shown = sum(map(len, _sheet_cards(built.check.card_set, selection).values()))
        assert blocks.count('<div class="card"') == shown
        assert blocks or not selection.notes
        markdown = (folder / "out" / f"{selection.file_stem}.md").read_text()
        sheet_media = {path.name: f"media/{name}" for name, path in built.plan.media.items()}
        assert markdown == _markdown_as_it_was(built.check.card_set, selection, sheet_media,
                                               built.plan.release.label), selection.file_stem


def test_the_bundled_exports_focused_and_after_edits_and_retirements_are_as_before(tmp_path):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards", ignore=shutil.ignore_patterns(".cache"))
    _assert_exports_are_as_before(cards, V1_TIME, tmp_path)
    edit_bundled_cards_to_v2(cards)
    (cards / "genetics.yaml").unlink()  # tombstones
    _assert_exports_are_as_before(cards, V2_TIME, tmp_path)


def test_exports_with_pictures_are_as_before(make_cards, tmp_path):
    cards = make_cards("with-media.yaml", "lifecycle.yaml")
    (cards / "media").mkdir()
    (cards / "media" / "spindle-cells.png").write_bytes(RED)  # <img src="..."> fields: quoted
    _assert_exports_are_as_before(cards, V1_TIME, tmp_path)
    assert '""' in (tmp_path / "out" / "testdeck.tsv").read_text()


def test_an_adopted_decks_exports_are_as_before(tmp_path):
    from builder.cli.importing import import_deck

    from ..cli.test_importing import outside_deck

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    _assert_exports_are_as_before(result.cards_dir, pipeline.build_time(), tmp_path)


def test_exports_of_hostile_texts_are_as_before(make_cards, tmp_path):
    # Markup shown as code, "<img onerror>" in a section, hostile deck, topic, scope and source names.
    cards = make_cards("valid.yaml", "question-shows-markup.yaml", deck="hostile-metadata.yaml",
                       sources="sources-hostile-metadata.yaml")
    _assert_exports_are_as_before(cards, V1_TIME, tmp_path)
