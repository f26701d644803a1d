from builder.check.rules import copied_wording
from builder.check.grounding import word_runs, words

from .helpers import rule_positions, source_texts_for


def test_reports_a_sentence_copied_from_the_cited_source(make_cards):
    cards = make_cards("copied-wording.yaml", sources="sources-with-files.yaml")
    # Only the unquoted copy: a quotation is cited, and shared figures are meant to carry over.
    assert rule_positions(copied_wording, cards, source_texts_for(cards)) == [("W605", "copied-wording.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    cards = make_cards("valid.yaml", sources="sources-with-files.yaml")
    assert rule_positions(copied_wording, cards, source_texts_for(cards)) == []


def test_does_nothing_without_source_texts(make_cards):
    assert rule_positions(copied_wording, make_cards("copied-wording.yaml")) == []


def test_words_ignore_figures_punctuation_and_cloze_markup():
    assert words("Every {{c1::4–6 months}}, for the first 3–5 years!") == [
        "every", "months", "for", "the", "first", "years"]
    assert word_runs('a b c "d e f" g h i j k', 3, skip_quotations=True) == {
        ("a", "b", "c"), ("g", "h", "i"), ("h", "i", "j"), ("i", "j", "k")}
