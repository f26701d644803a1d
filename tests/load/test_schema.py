from builder.model.cards import CardType, SourceRef
from builder.load.schema import CARD_FIELDS, DECK_FIELDS, SOURCE_FIELDS, other_type_hints, read_fields
from builder.load.yamlsource import parse_text

from ..conftest import positions


def read(text: str, specs, hints=None):
    root, problems = parse_text(text, "f.yaml")
    assert problems == []
    found = []
    fields = read_fields(root, specs, "card", found, hints)
    return fields, found


BASIC = CARD_FIELDS[CardType.BASIC]


def test_complete_card_reads_values_and_positions():
    fields, problems = read(
        "id: a\nfront: Q?\nback: |\n  A\ntopics: [histology]\nsources:\n  - s1\n  - {id: s2, section: Intro}\n",
        BASIC,
    )
    assert problems == []
    assert fields.complete
    assert fields.values["back"] == "A"  # block scalar's trailing newline stripped
    assert fields.values["topics"] == ("histology",)
    assert fields.values["sources"] == (SourceRef("s1"), SourceRef("s2", "Intro"))
    assert (fields.positions["sources[1]"].line, fields.positions["sources[1]"].column) == (8, 5)


def test_missing_required_field_makes_the_read_incomplete():
    fields, problems = read("id: a\nfront: Q?\n", BASIC)
    assert not fields.complete
    assert positions(problems) == [("E101", "f.yaml", 1, 1)]
    assert "'back'" in problems[0].message


def test_unknown_field_suggests_the_closest_known_one():
    _, problems = read("id: a\nfront: Q?\nback: A\nsoruces: [s]\n", BASIC)
    assert positions(problems) == [("E103", "f.yaml", 4, 1)]
    assert "did you mean 'sources'" in problems[0].message


def test_field_of_another_card_type_is_explained():
    _, problems = read("id: a\nfront: Q?\nback: A\ntext: T\n", BASIC, other_type_hints(CardType.BASIC))
    assert "belongs to cloze cards" in problems[0].message


def test_list_where_text_expected_and_text_where_list_expected():
    _, problems = read("id: a\nfront: [x]\nback: A\ntopics: histology\n", BASIC)
    assert positions(problems) == [("E102", "f.yaml", 2, 8), ("E102", "f.yaml", 4, 9)]


def test_empty_list_field_means_none_and_is_left_to_reference_checks():
    fields, problems = read("id: a\nfront: Q\nback: A\ntopics:\n", BASIC)
    assert problems == []
    assert fields.values["topics"] == ()


def test_empty_and_blank_text_are_reported():
    _, problems = read("id: a\nfront: ''\nback:\n", BASIC)
    assert positions(problems) == [("E104", "f.yaml", 2, 8), ("E104", "f.yaml", 3, 6)]


def test_non_text_list_item_is_reported_at_the_item():
    _, problems = read("id: a\nfront: Q\nback: A\ntopics: [a, [b]]\n", BASIC)
    assert positions(problems) == [("E102", "f.yaml", 4, 13)]


def test_citation_without_id_is_reported():
    _, problems = read("id: a\nfront: Q\nback: A\nsources:\n  - section: Intro\n", BASIC)
    assert positions(problems) == [("E101", "f.yaml", 5, 5)]


def test_source_date_and_checksum_forms_are_validated():
    root, _ = parse_text("id: s\ntitle: T\ndate: 2018-13-40\nsha256: abc\nurl: ftp://x\n", "f.yaml")
    problems = []
    read_fields(root, SOURCE_FIELDS, "source", problems)
    assert [(p.code, p.location.line) for p in problems] == [("E105", 3), ("E105", 4), ("E105", 5)]


def test_deck_topics_must_be_slug_keys():
    root, _ = parse_text("name: N\nversion: '1'\nnamespace: ns\ndescription: D\ntopics:\n  Bad Topic: x\n", "f.yaml")
    problems = []
    fields = read_fields(root, DECK_FIELDS, "deck.yaml", problems)
    assert positions(problems) == [("E202", "f.yaml", 6, 3)]
    assert fields.values["topics"] == {}


def test_namespace_must_be_a_slug():
    root, _ = parse_text("name: N\nversion: '1'\nnamespace: My Deck\ndescription: D\ntopics: {a: A}\n", "f.yaml")
    problems = []
    fields = read_fields(root, DECK_FIELDS, "deck.yaml", problems)
    assert positions(problems) == [("E105", "f.yaml", 3, 12)]
    assert not fields.complete


def test_merge_key_is_explained():
    _, problems = read("id: a\n<<: {front: Q}\nback: A\n", BASIC)
    assert [p.code for p in problems] == ["E103", "E101"]
    assert "merge keys" in problems[0].message


def test_a_deck_name_or_version_with_a_line_break_is_refused(make_cards):
    # Before: "Deck\n# heading" became the deck Anki keys decks by, and a heading in every Markdown file.
    from builder.load.loader import load_card_set

    cards = make_cards("valid.yaml", deck="multi-line-name.yaml")
    assert positions(load_card_set(cards).diagnostics) == [("E105", "deck.yaml", 2, 7), ("E105", "deck.yaml", 3, 10)]


def test_a_focused_deck_name_with_a_line_break_is_refused(make_cards):
    from builder.load.loader import load_card_set

    cards = make_cards("valid.yaml", deck="multi-line-deck-name.yaml")
    assert ("E105", "deck.yaml", 17, 11) in positions(load_card_set(cards).diagnostics)
