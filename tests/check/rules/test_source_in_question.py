from builder.check.rules import source_in_question

from .helpers import rule_positions


def test_reports_questions_that_name_their_source(make_cards):
    assert rule_positions(source_in_question, make_cards("source-in-question.yaml")) == [
        ("W812", "source-in-question.yaml", 2, 10),   # "According to Publisher A"
        ("W812", "source-in-question.yaml", 9, 9),    # "Publisher A's text", in a cloze
    ]                                                 # (sources differ and say so; the fact itself: fine)


def test_short_names_are_an_option(make_cards):
    cards = make_cards("source-in-question.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W812: {min_name_length: 20}\n")
    assert rule_positions(source_in_question, cards) == []


def test_valid_cards_pass(make_cards):
    assert rule_positions(source_in_question, make_cards("valid.yaml")) == []
