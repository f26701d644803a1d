import html

from builder.compile.notes import compile_notes, deck_description, tombstone
from builder.load.loader import load_card_set


def compiled(make_cards):
    card_set = load_card_set(make_cards("valid.yaml")).card_set
    return card_set, compile_notes(card_set)


def test_one_note_content_per_card_in_yaml_order(make_cards):
    card_set, notes = compiled(make_cards)
    assert [n.card_id for n in notes] == [c.id for c in card_set.cards]
    assert [n.notetype for n in notes] == ["basic", "basic", "cloze"]


def test_basic_note_fields(make_cards):
    _, notes = compiled(make_cards)
    basic = notes[0].named_fields
    assert basic["Front"] == "What cell shape is typical?"
    assert basic["Back"] == "Spindle"
    assert basic["Extra"] == "Also <em>highly</em> cellular."
    assert basic["Scope"] == "In general"
    assert basic["Sources"] == "Publisher A, <i>Source A</i> (2020-01-02)"
    assert basic["CardId"] == "valid-basic"
    assert basic["AddReverse"] == "" and basic["Notice"] == ""
    assert notes[0].question == basic["Front"]


def test_reversed_note_asks_for_the_reverse_card(make_cards):
    _, notes = compiled(make_cards)
    assert notes[1].named_fields["AddReverse"] == "y" and notes[1].reverse
    assert notes[1].named_fields["Sources"] == (
        '<a href="https://example.org/b" rel="noopener noreferrer"><i>Source B</i></a>, section “Genetics”')


def test_cloze_note_fields(make_cards):
    _, notes = compiled(make_cards)
    cloze = notes[2].named_fields
    assert cloze["Text"] == "Margins of {{c1::1 cm}} for dermal and {{c2::2 cm}} for subcutaneous tumours."
    assert cloze["SourcesDiffer"] == "Source A says 1 cm; source B says 2 cm."


def test_tags_cover_topics_scope_and_sources(make_cards):
    _, notes = compiled(make_cards)
    assert notes[2].tags == (
        "testdeck::scope::cutaneous", "testdeck::source::src-a", "testdeck::source::src-b",
        "testdeck::topic::margins")


def test_hashes_change_with_exactly_the_fields_that_change(make_cards):
    cards = make_cards("valid.yaml")
    before = compile_notes(load_card_set(cards).card_set)[0].hashes()
    (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("back: Spindle", "back: Round"))
    after = compile_notes(load_card_set(cards).card_set)[0].hashes()
    assert [name for name in before if before[name] != after[name]] == ["Back"]


def test_deck_description_has_version_and_cited_sources(make_cards):
    card_set, _ = compiled(make_cards)
    description = deck_description(card_set)
    assert "A deck <strong>for tests</strong>." in description
    assert "<b>Version</b> 1.0.0" in description
    assert "<i>Source A</i>" in description and "<i>Source B</i>" in description
    assert "<p><i>" not in description  # no disclaimer unless deck.yaml gives one


def test_the_disclaimer_is_the_decks_own(make_cards):
    cards = make_cards("valid.yaml")
    deck_yaml = cards / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text() + 'disclaimer: "Not legal advice: <ask> a lawyer."\n')
    description = deck_description(load_card_set(cards).card_set)
    assert "<i>Not legal advice: &lt;ask&gt; a lawyer.</i>" in description


def test_fields_are_sanitised(make_cards):
    cards = make_cards()
    (cards / "x.yaml").write_text(
        "- id: x\n  front: 'Q <script>alert(1)</script>'\n  back: '<b onclick=\"x()\">A</b>'\n"
        "  topics: [histology]\n  sources: [src-a]\n")
    note = compile_notes(load_card_set(cards).card_set)[0]
    assert note.named_fields["Front"] == "Q"
    assert note.named_fields["Back"] == "<b>A</b>"


def test_tombstone_keeps_question_and_reverse_and_carries_only_the_retired_tag():
    stone = tombstone("old-card", "basic", "Old question?", True, "1.2.0", "testdeck")
    fields = stone.named_fields
    assert fields["Front"] == "Old question?" and fields["AddReverse"] == "y"
    assert "version 1.2.0" in fields["Notice"] and "tag:testdeck::retired" in fields["Notice"]
    assert stone.tags == ("testdeck::retired",)
    cloze = tombstone("old-cloze", "cloze", "A {{c1::b}}", False, "1.2.0", "testdeck")
    assert cloze.named_fields["Text"] == "A {{c1::b}}"


def test_a_tombstone_question_from_the_lock_is_sanitised_and_never_blank():
    # deck.lock is not reviewed YAML: its question is judged again before it ships.
    stone = tombstone("old-card", "basic", '<script>x()</script><a href="java&#12;script:x()">Old?</a>', False,
                      "1.2.0", "testdeck")
    assert stone.named_fields["Front"] == '<a rel="noopener noreferrer">Old?</a>'
    blank = tombstone("old-blank", "cloze", "<!-- nothing -->", False, "1.2.0", "testdeck")
    assert blank.named_fields["Text"] == "old-blank"


def test_a_notes_hashes_are_its_fields_and_tags_hashed_in_the_form_the_lock_writes(make_cards):
    """NoteContent.hashes is the mapping of field name (then "tags") to short hash, held as the text deck.lock
    writes for it, so that the writer takes it as it is and writes what it would write for the mapping."""
    from builder.lock.hashes import EMPTY_HASH, FieldHashes
    from builder.lock.lockdata import _hash_order
    from builder.lock.lockwrite import _hashes_data
    from builder.compile.notes import _short_hash
    from builder.lock import LockedCard
    from builder.model import Placement

    cards = make_cards("valid.yaml", "give-away.yaml")
    notes = compile_notes(load_card_set(cards).card_set)
    assert {note.notetype for note in notes} == {"basic", "cloze"}
    for note in notes:
        hashes = note.hashes()
        expected = {**{name: _short_hash(value) for name, value in note.named_fields.items()},
                    "tags": _short_hash(" ".join(note.tags))}
        assert isinstance(hashes, FieldHashes) and hashes == expected and list(hashes) == list(expected)
        assert tuple(hashes) == _hash_order(note.notetype) and EMPTY_HASH in expected.values()
        as_dict, as_made = (LockedCard(guid="g", notetype=note.notetype, added=0, changed=0, hashes=value,
                                       question="q", placement=Placement()) for value in (expected, hashes))
        assert _hashes_data(as_made) == hashes.written == _hashes_data(as_dict)
