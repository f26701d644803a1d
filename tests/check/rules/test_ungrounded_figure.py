from builder.check.rules import ungrounded_figure

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


def test_a_figure_must_be_the_same_quantity_in_the_cited_section(make_cards):
    cards = make_cards("ungrounded-quantity.yaml", sources="sources-in-context.yaml")
    assert rule_positions(ungrounded_figure, cards, source_texts_for(cards)) == [
        ("W604", "ungrounded-quantity.yaml", 4, 9),    # 3 cm: the section has only the range 1-3 cm
        ("W604", "ungrounded-quantity.yaml", 11, 9),   # 1–3 mm: the section says 1-3 cm
        ("W604", "ungrounded-quantity.yaml", 18, 9),   # under 50 years: the source says over 50 years
        ("W604", "ungrounded-quantity.yaml", 25, 9),   # 40%: in the source, but not in the cited section
    ]                                                  # (about two in 100,000, 5 percent: grounded)


def test_the_message_says_what_the_cited_section_gives_instead(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    cards = make_cards("ungrounded-quantity.yaml", sources="sources-in-context.yaml")
    found = run_checks(CheckContext(load_card_set(cards).card_set, source_texts_for(cards)), rules=[ungrounded_figure])
    assert [d.subject for d in found] == ["size-endpoint", "size-other-unit", "bound-reversed", "other-section"]
    assert "1–3 cm" in found[0].message and "Presentation" in found[0].message
