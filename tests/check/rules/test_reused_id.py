import shutil

from builder.check.rules import reused_id

from ...conftest import DATA
from .helpers import built_lock, rule_positions


def test_reports_a_new_card_that_takes_a_retired_id(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    built_lock(cards, tmp_path / "v1")
    (cards / "valid.yaml").unlink()
    (cards / "keep.yaml").write_text("- id: keep\n  front: Q?\n  back: A\n  topics: [histology]\n  sources: [src-a]\n")
    lock = built_lock(cards, tmp_path / "v2")  # retires the three valid-* cards
    shutil.copy(DATA / "cards" / "reused-id.yaml", cards)
    assert rule_positions(reused_id, cards, lock=lock) == [("E203", "reused-id.yaml", 1, 7)]


def test_valid_cards_pass(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    assert rule_positions(reused_id, cards, lock=built_lock(cards, tmp_path / "out")) == []


def test_renamed_and_purged_ids_stay_reserved(make_cards, tmp_path):
    from dataclasses import replace

    cards = make_cards("valid.yaml")
    lock = replace(built_lock(cards, tmp_path / "out"), renamed={"valid-basic": "elsewhere"},
                   purged={"valid-cloze": "guid"})
    assert rule_positions(reused_id, cards, lock=lock) == [
        ("E203", "valid.yaml", 2, 7), ("E203", "valid.yaml", 19, 7)]
