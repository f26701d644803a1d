"""The exports' quick paths write what their plain versions write, on hostile field texts: a .tsv line made
as one string is csv's line of _row's fields; an HTML card block read from the fields by position is the
block made from the named fields; a Markdown field without tags is escaped as the split by tags escapes it;
a citation made once per source and section is the one each card would make itself."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from builder.compile import NoteContent
from builder.model import BASIC_FIELDS, CLOZE_FIELDS, Card, CardType, Source, SourceRef
from builder.publish import exports
from builder.publish.exports import _card_block, _line, _note_block, _plain_field, _row, _TabLine
from builder.text import render

# What quoting and escaping are about, and text around it: quotes, tabs, both line ends, markup, clozes.
_PIECES = st.sampled_from(['"', "\t", "\r", "\n", " ", "a", "é", "…", "<p>", "</p>", "<", ">", "&", "=", "\x00",
                           '<img src="x.png">', "{{c1::", "{{c2::x::hint}}", "}}", "::", "*", "_", "[", "]", "\\",
                           "`", "(javascript:alert(1))", "#", "|", "~", "!"])
_TEXT = st.lists(_PIECES, max_size=8).map("".join)
_MAYBE_EMPTY = st.one_of(st.just(""), _TEXT)


@st.composite
def _notes(draw) -> NoteContent:
    notetype = draw(st.sampled_from(["basic", "cloze"]))
    names = BASIC_FIELDS if notetype == "basic" else CLOZE_FIELDS
    fields = tuple(draw(st.sampled_from(["", "y"])) if name == "AddReverse" else draw(_MAYBE_EMPTY) for name in names)
    tags = tuple(draw(st.lists(st.sampled_from(["t::a", "t::b", 'q"t', "x\ty", "n\nl"]), max_size=3)))
    return NoteContent(draw(_TEXT) or "id", notetype, fields, tags)


@settings(max_examples=1500, deadline=None)
@given(_notes(), st.sampled_from(["GUID", 'g"uid', "g\tu", "g\nu"]), st.sampled_from(["Deck", "A::B", 'D"k', "D\tk"]))
def test_a_tsv_line_is_csvs_line_of_the_rows_fields(content, guid, deck_name):
    tab_line = _TabLine()
    assert _line(content, guid, deck_name, tab_line) == tab_line(_row(content, guid, deck_name))


def test_the_quick_tsv_line_is_taken_only_when_nothing_needs_quoting():
    plain = NoteContent("c", "basic", ("Q", "A", "", "", "", "", "", "", ""), ("t",))
    assert _line(plain, "G", "D", _TabLine()) == "Basic\tD\tG\tQ\tA<p><small>Card id: </small></p>\tt\n"
    quoted = NoteContent("c", "basic", ('<img src="a.png">', "A", "", "", "", "", "", "", "y"), ())
    assert _line(quoted, "G", "D", _TabLine()).startswith('Basic (and reversed card)\tD\tG\t"<img src=""a.png"">"\t')


def _card(content: NoteContent, cloze: bool) -> Card:
    return Card(id=content.card_id, type=CardType.CLOZE if cloze else CardType.BASIC, topics=("t",), sources=())


@settings(max_examples=1000, deadline=None)
@given(_notes(), st.booleans(), st.sampled_from([{}, {"x.png": "media/x-1234.png"}]))
def test_an_html_block_read_by_position_is_the_block_of_the_named_fields(content, cloze, media):
    card = _card(content, cloze)
    if cloze != (content.notetype == "cloze"):  # not expected; the named fields' way, failing as it failed
        try:
            expected = _card_block(card, content.named_fields, media)
        except KeyError:
            return
    else:
        expected = _card_block(card, content.named_fields, media)
    assert _note_block(card, content, media) == expected


_TAG = re.compile(r"(<[^>]*>)")


def _plain_field_split(markdown: str, media=None) -> str:
    """The Markdown sheet's field as it was made before: split by tags, every text part escaped."""
    from builder.text import rename_references

    parts = _TAG.split(rename_references(render(markdown), media or {}))
    safe = "".join(part if part.startswith("<") else exports._MARKDOWN_ACTIVE.sub(r"\\\1", part) for part in parts)
    return " ".join(safe.split())


# Where a line stops being plain text (text.is_plain): list and heading starts, indents, odd white space.
_LINE = st.lists(st.sampled_from(["1", ".", ")", "-", "+", "=", ">", " ", "a", "\u00a0", "\u2028", "\t", "é", "*"]),
                 max_size=8).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_TEXT, _LINE), st.sampled_from([{}, {"x.png": "media/x-1234.png"}]))
def test_a_markdown_field_is_escaped_as_the_split_by_tags_escapes_it(markdown, media):
    assert _plain_field(markdown, media) == _plain_field_split(markdown, media)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", "s3"]), st.one_of(st.none(), _TEXT)), min_size=1, max_size=8))
def test_a_citation_made_once_is_the_one_each_card_makes(refs):
    from builder.model import CardSet, DeckSpec

    sources = (Source("s1", "Title *one*", publisher="P [x](javascript:1)", date="2020"),
               Source("s2", "Two <img src=x onerror=alert(1)>"), Source("s3", "`three`", date="2021 #1"))
    deck = DeckSpec(name="D", version="1.0.0", description="", namespace="d", topics={"t": "T"})
    cards = tuple(Card(id=f"c{i}", type=CardType.BASIC, topics=("t",), sources=(SourceRef(*ref),), front="Q", back="A")
                  for i, ref in enumerate(refs))
    card_set = CardSet(deck=deck, sources=sources, cards=cards)
    shared = exports._SheetEntries(card_set, {})
    assert [shared(card) for card in cards] == [exports._SheetEntries(card_set, {})(card) for card in cards]


def test_a_decks_sheet_groups_are_made_once_and_never_outlive_its_cards(make_cards, tmp_path):
    import gc
    import weakref

    from builder import pipeline
    from builder.compile import select

    built = pipeline.build(make_cards("valid.yaml"), tmp_path / "out", now=1_790_000_000)
    card_set, deck = built.check.card_set, built.check.card_set.deck
    selection = select(built.plan, deck.decks[0] if deck.decks else built.built[0].selection.definition,
                       deck.namespace, deck.topics)
    groups = exports._sheet_cards(card_set, selection)
    assert groups == exports._grouped(card_set, selection) and groups
    assert exports._sheet_cards(card_set, selection) is groups  # the second sheet's call
    other = select(built.plan, built.built[0].selection.definition, deck.namespace, deck.topics)
    assert exports._sheet_cards(card_set, other) is not groups  # another selection: its own groups
    gone = weakref.ref(card_set)
    del built, card_set, deck, groups
    gc.collect()
    assert gone() is None and not exports._LAST_GROUPS  # the kept groups let the card set go, and went with it
