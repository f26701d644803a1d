from builder.check.rules import figure_out_of_context

from .helpers import rule_positions, source_texts_for


def test_reports_a_figure_the_section_gives_for_something_else(make_cards):
    cards = make_cards("figure-out-of-context.yaml", sources="sources-in-context.yaml")
    assert rule_positions(figure_out_of_context, cards, source_texts_for(cards)) == [
        ("W606", "figure-out-of-context.yaml", 3, 9),    # 80% is the deep tumours' survival
        ("W606", "figure-out-of-context.yaml", 10, 9),   # early and late swapped: one finding per figure
        ("W606", "figure-out-of-context.yaml", 10, 9),
        ("W606", "figure-out-of-context.yaml", 17, 9),   # the dermal schedule on a deep-tumour card
    ]                                                    # (the right dermal survival: nothing)


def test_the_correct_deck_passes(make_cards):
    cards = make_cards("grounded-in-context.yaml", sources="sources-in-context.yaml")
    assert rule_positions(figure_out_of_context, cards, source_texts_for(cards)) == []


def test_does_nothing_without_source_texts(make_cards):
    assert rule_positions(figure_out_of_context, make_cards("figure-out-of-context.yaml")) == []


def test_the_message_names_what_the_section_gives_and_for_what(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    cards = make_cards("figure-out-of-context.yaml", sources="sources-in-context.yaml")
    found = run_checks(CheckContext(load_card_set(cards).card_set, source_texts_for(cards)), rules=[figure_out_of_context])
    assert "95%" in found[0].message and "dermal" in found[0].message
