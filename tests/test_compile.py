import html

from builder.compile import DISCLAIMER, compile_card_set, deck_description
from builder.identity import note_guid
from builder.loader import load_card_set
from builder.notetypes import BASIC_FIELDS, CLOZE_FIELDS


def compiled(make_cards):
    card_set = load_card_set(make_cards("valid.yaml")).card_set
    return card_set, compile_card_set(card_set)


def fields_of(note):
    names = BASIC_FIELDS if len(note.fields) == len(BASIC_FIELDS) else CLOZE_FIELDS
    return dict(zip(names, note.fields))


def test_one_note_per_card_with_guid_from_id(make_cards):
    card_set, result = compiled(make_cards)
    assert [n.guid for n in result.notes] == [note_guid("testdeck", c.id) for c in card_set.cards]
    assert result.deck.name == "Test Deck"


def test_basic_note_fields(make_cards):
    _, result = compiled(make_cards)
    basic = fields_of(result.notes[0])
    assert basic["Front"] == "What cell shape is typical?"
    assert basic["Back"] == "Spindle"
    assert basic["Extra"] == "Also <em>highly</em> cellular."
    assert basic["Scope"] == "In general"
    assert basic["Sources"] == "Publisher A, <i>Source A</i> (2020-01-02)"
    assert basic["CardId"] == "valid-basic"
    assert basic["AddReverse"] == "" and basic["Notice"] == ""


def test_reversed_note_asks_for_the_reverse_card(make_cards):
    _, result = compiled(make_cards)
    reversed_ = fields_of(result.notes[1])
    assert reversed_["AddReverse"] == "y"
    assert [c.ord for c in result.notes[1].cards] == [0, 1]
    assert reversed_["Sources"] == (
        '<a href="https://example.org/b" rel="noopener noreferrer"><i>Source B</i></a>, section “Genetics”')


def test_cloze_note_fields_and_one_card_per_deletion(make_cards):
    _, result = compiled(make_cards)
    cloze = fields_of(result.notes[2])
    assert cloze["Text"] == "Margins of {{c1::1 cm}} for dermal and {{c2::2 cm}} for subcutaneous tumours."
    assert cloze["SourcesDiffer"] == "Source A says 1 cm; source B says 2 cm."
    assert sorted(c.ord for c in result.notes[2].cards) == [0, 1]


def test_tags_cover_topics_scope_and_sources(make_cards):
    _, result = compiled(make_cards)
    assert result.notes[2].tags == [
        "testdeck::scope::cutaneous", "testdeck::source::src-a", "testdeck::source::src-b",
        "testdeck::topic::margins"]


def test_deck_description_has_version_cited_sources_and_disclaimer(make_cards):
    card_set, result = compiled(make_cards)
    description = result.deck.description
    assert description == deck_description(card_set)
    assert "A deck <strong>for tests</strong>." in description
    assert "<b>Version</b> 1.0.0" in description
    assert "<i>Source A</i>" in description and "<i>Source B</i>" in description
    assert html.escape(DISCLAIMER) in description


def test_fields_are_sanitised(make_cards):
    cards = make_cards()
    (cards / "x.yaml").write_text(
        "- id: x\n  front: 'Q <script>alert(1)</script>'\n  back: '<b onclick=\"x()\">A</b>'\n"
        "  topics: [histology]\n  sources: [src-a]\n")
    note = compile_card_set(load_card_set(cards).card_set).notes[0]
    assert fields_of(note)["Front"] == "Q"
    assert fields_of(note)["Back"] == "<b>A</b>"
