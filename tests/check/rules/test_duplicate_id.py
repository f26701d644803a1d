from builder.check.rules import duplicate_id

from .helpers import rule_positions


def test_reports_duplicate_id(make_cards):
    assert rule_positions(duplicate_id, make_cards("duplicate-id.yaml")) == [("E201", "duplicate-id.yaml", 7, 7)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(duplicate_id, make_cards("valid.yaml")) == []


def test_message_points_at_the_first_occurrence(make_cards):
    from builder.check.rules import CheckContext, run_checks
    from builder.load.loader import load_card_set

    card_set = load_card_set(make_cards("duplicate-id.yaml")).card_set
    [problem] = run_checks(CheckContext(card_set), rules=[duplicate_id])
    assert str(problem) == (
        "cards/duplicate-id.yaml:7:7: E201 duplicate card id 'same-id' (first at cards/duplicate-id.yaml:1:7): ids are permanent identities; give the newer one an id of its own"
    )


def test_duplicate_source_ids_are_reported(make_cards):
    cards = make_cards("valid.yaml")
    text = (cards / "sources.yaml").read_text()
    (cards / "sources.yaml").write_text(text + "- id: src-a\n  title: Again\n")
    assert rule_positions(duplicate_id, cards) == [("E201", "sources.yaml", 8, 7)]


def test_duplicate_deck_ids_are_reported(make_cards):
    assert rule_positions(duplicate_id, make_cards("valid.yaml", deck="bad-decks.yaml")) == [
        ("E201", "deck.yaml", 28, 9)]
