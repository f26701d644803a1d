from builder.check.rules import binary_question

from .helpers import rule_positions


def test_reports_questions_answered_by_one_of_two_options(make_cards):
    assert rule_positions(binary_question, make_cards("binary-question.yaml")) == [
        ("W810", "binary-question.yaml", 2, 10),   # which sex
        ("W810", "binary-question.yaml", 8, 10),   # which depth (the question's own word "tumours" aside)
        ("W810", "binary-question.yaml", 15, 9),   # before or after
    ]                                              # (a ratio to recall; the lungs: fine)


def test_longer_answers_count_as_recall(make_cards):
    cards = make_cards("binary-question.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W810: {max_answer_words: 1}\n")
    assert rule_positions(binary_question, cards) == [
        ("W810", "binary-question.yaml", 2, 10), ("W810", "binary-question.yaml", 15, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(binary_question, make_cards("valid.yaml")) == []
