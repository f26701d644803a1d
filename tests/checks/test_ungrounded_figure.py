from builder.checks import ungrounded_figure

from .helpers import rule_positions, source_texts_for


def test_reports_figures_missing_from_the_cited_sources(make_cards):
    cards = make_cards("ungrounded-figure.yaml", sources="sources-with-files.yaml")
    assert rule_positions(ungrounded_figure, cards, source_texts_for(cards)) == [
        ("W604", "ungrounded-figure.yaml", 9, 9),    # 3 cm: source B says 2 cm
        ("W604", "ungrounded-figure.yaml", 17, 9),   # 2 cm is in source B, but the card cites A
    ]


def test_grounded_cards_pass(make_cards):
    cards = make_cards("valid.yaml", sources="sources-with-files.yaml")
    assert rule_positions(ungrounded_figure, cards, source_texts_for(cards)) == []


def test_does_nothing_without_source_texts(make_cards):
    assert rule_positions(ungrounded_figure, make_cards("ungrounded-figure.yaml")) == []
