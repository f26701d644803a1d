from builder.check.rules import section_not_found

from .helpers import rule_positions, source_texts_for


def test_reports_sections_the_source_text_lacks(make_cards):
    cards = make_cards("section-not-found.yaml", sources="sources-with-files-and-c.yaml")
    assert rule_positions(section_not_found, cards, source_texts_for(cards)) == [
        ("W607", "section-not-found.yaml", 6, 7),    # "Presentations": the heading is "Presentation"
        ("W607", "section-not-found.yaml", 15, 7),   # a locator, not a heading (its second source)
    ]                                                # ("how common is it": case and punctuation ignored)


def test_suggests_the_closest_heading(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    cards = make_cards("section-not-found.yaml", sources="sources-with-files-and-c.yaml")
    found = run_checks(CheckContext(load_card_set(cards).card_set, source_texts_for(cards)), rules=[section_not_found])
    assert "'Presentation'" in found[0].message


def test_does_nothing_without_source_texts(make_cards):
    assert rule_positions(section_not_found, make_cards("section-not-found.yaml")) == []
