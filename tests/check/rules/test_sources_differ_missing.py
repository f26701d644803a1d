from builder.check.rules import sources_differ_missing

from .helpers import rule_positions, source_texts_for


def test_reports_a_figure_only_one_cited_source_states(make_cards):
    cards = make_cards("sources-differ-missing.yaml", sources="sources-with-files.yaml")
    assert rule_positions(sources_differ_missing, cards, source_texts_for(cards)) == [
        ("W703", "sources-differ-missing.yaml", 3, 9)]


def test_valid_cards_pass(make_cards):
    cards = make_cards("valid.yaml", sources="sources-with-files.yaml")
    assert rule_positions(sources_differ_missing, cards, source_texts_for(cards)) == []


def test_silent_without_grounding(make_cards):
    assert rule_positions(sources_differ_missing, make_cards("sources-differ-missing.yaml")) == []


def test_a_source_the_extra_names_with_its_own_figure_is_cited_for_that_contrast(make_cards):
    # The first card credits 1 cm to Publisher A in its extra: source A is cited for the contrast, not for the
    # answer's 2 cm. The second names no one, so its two sources look like they disagree on the answer.
    cards = make_cards("sources-differ-contrast.yaml", sources="sources-with-files.yaml")
    assert rule_positions(sources_differ_missing, cards, source_texts_for(cards)) == [
        ("W703", "sources-differ-contrast.yaml", 10, 9)]
