import shutil

from builder.check.rules import card_kind_changed

from ...conftest import DATA
from .helpers import built_lock, rule_positions


def test_reports_a_switch_between_basic_and_cloze(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    lock = built_lock(cards, tmp_path / "out")
    (cards / "valid.yaml").unlink()
    shutil.copy(DATA / "cards" / "card-kind-changed.yaml", cards)
    # valid-basic became cloze (reported); valid-reversed became basic (same note type: fine).
    assert rule_positions(card_kind_changed, cards, lock=lock) == [("E206", "card-kind-changed.yaml", 2, 9)]


def test_valid_cards_pass(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    assert rule_positions(card_kind_changed, cards, lock=built_lock(cards, tmp_path / "out")) == []
