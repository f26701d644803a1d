from builder.check.rules import interference

from .helpers import rule_positions


def test_reports_cards_that_cue_each_other(make_cards):
    assert rule_positions(interference, make_cards("interference.yaml")) == [
        ("W811", "interference.yaml", 9, 9),     # a second question answered "Surgery"
        ("W811", "interference.yaml", 20, 10),   # stomach / ileum: one word apart, different answers
    ]                                            # (dermal / all tumours: different scopes, a contrast set)


def test_how_short_a_generic_answer_is_an_option(make_cards):
    cards = make_cards("interference.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W811: {max_answer_words: 0}\n")
    assert rule_positions(interference, cards) == [("W811", "interference.yaml", 20, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(interference, make_cards("valid.yaml")) == []


def test_signatures_that_share_a_hash_never_make_partners(make_cards, monkeypatch):
    """Buckets are keyed by a signature's hash: with every hash the same, only real signatures match."""
    cards = make_cards("interference.yaml", "valid.yaml")
    honest = rule_positions(interference, cards)
    monkeypatch.setattr(interference, "hash", lambda _signature: 0, raising=False)
    assert rule_positions(interference, cards) == honest


def test_started_on_the_second_core_it_finds_what_it_finds_inline(make_cards, monkeypatch):
    from builder import pipeline
    from builder.check import rules as checks
    from builder.load.cache import ParseCache

    cards = make_cards("interference.yaml", "valid.yaml")
    inline = pipeline.check(cards, cache=ParseCache(None)).diagnostics
    monkeypatch.setattr(checks, "PARALLEL_MIN_CARDS", 0)
    started = []
    monkeypatch.setattr(interference, "Background", lambda function: started.append(1) or _Done(function()))
    assert pipeline.check(cards, cache=ParseCache(None)).diagnostics == inline
    assert started == [1]


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value
