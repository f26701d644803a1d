"""The --explain examples of the grounding and card-writing rules are true: the failing one is reported, the passing one is not."""

import shutil

import pytest

from builder.check.rules import RULES_BY_CODE, CheckContext
from builder.check.grounding import load_source_texts
from builder.load.loader import load_card_set

from ..conftest import REPO

SHARED_SOURCES = REPO.parent / "shared" / "sources"
CODES = ["W604", "W606", "W607", "W608", "W808", "W809", "W810", "W811", "W812"]


def findings(tmp_path, code, example):
    rule = RULES_BY_CODE[code]
    cards = tmp_path / "cards"
    cards.mkdir()
    for name in ("deck.yaml", "sources.yaml"):
        shutil.copy(REPO / "cards" / name, cards / name)
    (cards / "example.yaml").write_text(example)
    card_set = load_card_set(cards).card_set
    texts = None
    if "sources" in getattr(rule, "NEEDS", ()):
        if not SHARED_SOURCES.is_dir():
            pytest.skip("the shared source texts are not here (CI has them)")
        texts, problems = load_source_texts(card_set, SHARED_SOURCES)
        assert problems == []
    ctx = CheckContext(card_set, texts, options=dict(getattr(rule, "OPTIONS", {})))
    found = list(rule.check(ctx)) if hasattr(rule, "check") else []
    if hasattr(rule, "check_cards"):
        found += list(rule.check_cards(ctx, card_set.cards))
    return [f for f in found if f.subject in {c.id for c in card_set.cards}]


@pytest.mark.parametrize("code", CODES)
def test_the_failing_example_is_reported(tmp_path, code):
    assert findings(tmp_path, code, RULES_BY_CODE[code].FAILING)


@pytest.mark.parametrize("code", CODES)
def test_the_passing_example_is_not(tmp_path, code):
    assert findings(tmp_path, code, RULES_BY_CODE[code].PASSING) == []
