from builder.check.rules import namespace_changed

from .helpers import built_lock, rule_positions


def test_reports_a_namespace_that_differs_from_the_release(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    lock = built_lock(cards, tmp_path / "out")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text().replace("namespace: testdeck", "namespace: renamed-deck"))
    assert rule_positions(namespace_changed, cards, lock=lock) == [("E204", "deck.yaml", 3, 12)]


def test_valid_cards_pass(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    assert rule_positions(namespace_changed, cards, lock=built_lock(cards, tmp_path / "out")) == []
