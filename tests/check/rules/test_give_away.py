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


# The rule's matcher stems only the answer's words that are not on the card as written (a speed-up): it must
# answer as stemming every word does. Words from a small pool, so that shared stems and plurals are common.
from hypothesis import given as _given, settings as _settings, strategies as _st  # noqa: E402

from builder.check.passages import stem as _stem  # noqa: E402
from builder.check.rules.give_away import _content, _words, given_away  # noqa: E402

_POOL = ["margin", "margins", "marginal", "dermal", "dermis", "skin", "cutaneous", "tumour", "tumours", "tumor",
         "the", "of", "surgery", "surgical", "wide", "excision", "excisions", "after", "adjuvant", "Mohs", "it's",
         "cells", "cell", "spindle", "spindles", "year", "years", "ss", "less", "1", "cm"]


def _stemming_every_word(answer: str, visible: str, max_words: int) -> str | None:
    if any(c.isdigit() for c in answer):
        return None
    shown = set(_words(visible))
    content = _content(answer)
    if len(content) == 1:
        for cue in give_away.CUES.get(content[0], ()):
            if cue in shown:
                return f"'{cue}' on the card says '{content[0]}'"
    if content and len(content) <= max_words:
        visible_stems = {_stem(w) for w in shown}
        if all(_stem(w) in visible_stems for w in content):
            return f"every word of '{answer}' is on the card"
    return None


@_settings(max_examples=400, deadline=None)
@_given(_st.lists(_st.sampled_from(_POOL), max_size=4), _st.lists(_st.sampled_from(_POOL), max_size=8),
        _st.integers(1, 4))
def test_the_matcher_answers_as_stemming_every_word_does(answer, visible, max_words):
    answer, visible = " ".join(answer), " ".join(visible)
    assert given_away(answer, visible, max_words) == _stemming_every_word(answer, visible, max_words)
