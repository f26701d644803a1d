from builder.check.rules import give_away

from .helpers import rule_positions


def test_reports_answers_the_rest_of_the_card_gives_away(make_cards):
    assert rule_positions(give_away, make_cards("give-away.yaml")) == [
        ("W809", "give-away.yaml", 3, 9),     # "(neoadjuvant)" next to the blank says "before"
        ("W809", "give-away.yaml", 9, 9),     # card 1 shows "recurrence ... local" in the other deletion
        ("W809", "give-away.yaml", 14, 10),   # every word of the answer is in the question
    ]                                         # (a cue that needs recall; a figure with its unit: fine)


def test_long_answers_are_not_checked_word_by_word(make_cards):
    cards = make_cards("give-away.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W809: {max_answer_words: 1}\n")
    assert rule_positions(give_away, cards) == [  # ("recurrence", c2 of line 9, is one word)
        ("W809", "give-away.yaml", 3, 9), ("W809", "give-away.yaml", 9, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(give_away, make_cards("valid.yaml")) == []
