from builder.check.rules import population_mismatch

from .helpers import rule_positions, source_texts_for


def test_reports_figures_the_source_states_for_another_population(make_cards):
    cards = make_cards("population-mismatch.yaml", deck="population-scopes.yaml", sources="sources-in-context.yaml")
    assert rule_positions(population_mismatch, cards, source_texts_for(cards)) == [
        ("W608", "population-mismatch.yaml", 3, 9),    # a deep tumours' figure on a dermal card
        ("W608", "population-mismatch.yaml", 11, 9),   # an all-sarcoma figure on a card about the tumour
    ]                                                  # (deep, skin (contains deep), share of sarcomas: fine)


def test_the_correct_deck_passes(make_cards):
    cards = make_cards("grounded-in-context.yaml", sources="sources-in-context.yaml")
    assert rule_positions(population_mismatch, cards, source_texts_for(cards)) == []


def test_does_nothing_without_source_texts(make_cards):
    cards = make_cards("population-mismatch.yaml", deck="population-scopes.yaml")
    assert rule_positions(population_mismatch, cards) == []


def test_scope_words_leave_out_what_several_titles_share():
    from builder.check.rules.population_mismatch import scope_words

    words = scope_words({"general": "LMS in general", "cutaneous-dermal": "Dermal cutaneous LMS",
                         "hlrcc": "People with HLRCC"}, 4)
    assert words == {"general": frozenset(), "cutaneous-dermal": {"cutan", "derma"}, "hlrcc": {"hlrcc"}}


def test_the_disease_and_its_broader_class_come_from_the_deck(make_cards):
    from builder.check.rules.population_mismatch import broader_class, disease_words
    from builder.load.loader import load_card_set

    from ...conftest import REPO

    names = disease_words(load_card_set(REPO / "cards").card_set.deck)
    assert names == {"leiomyosarcoma", "lms"}
    assert broader_class("About 15,000 people receive a soft tissue sarcoma diagnosis.", names) == "sarcoma"
    assert broader_class("LMS accounts for 10% of soft tissue sarcomas.", names) is None       # names the disease
    assert broader_class("These make up 3% of all soft tissue sarcomas.", names) is None       # the whole, not the subject


def test_two_groups_named_together_are_everyone_not_one_population():
    from builder.check.rules.population_mismatch import inclusive_stems
    from builder.check.passages import stem

    assert inclusive_stems("LMS accounts for 7 to 11 percent of all soft tissue sarcomas among adults and "
                           "children.") == {stem("adults"), stem("children")}
    assert inclusive_stems("It is seen in both men and women.") == {stem("men"), stem("women")}
    assert inclusive_stems("LMS accounts for 7 percent of sarcomas among children.") == set()


def test_a_share_among_adults_and_children_is_not_a_childrens_figure():
    from dataclasses import replace

    import pytest

    from builder.check import load_source_texts
    from builder.check.rules import CheckContext, run_checks
    from builder.load import load_card_set

    from ...conftest import REPO

    SHARED_SOURCES = REPO.parent / "shared" / "sources"
    if not SHARED_SOURCES.is_dir():
        pytest.skip("the shared source texts are not here (CI has them)")
    card_set = load_card_set(REPO / "cards").card_set
    texts, _ = load_source_texts(card_set, SHARED_SOURCES)

    card = next(c for c in card_set.cards if c.id == "epidemiology-which-population-sts-share")
    # The 7-11% "among adults and children" on a card set against LMS in general: no children's figure.
    mutant = replace(card, scope="cutaneous-vs-general")
    ctx = CheckContext(replace(card_set, cards=(mutant,)), texts)
    assert run_checks(ctx, rules=[population_mismatch]) == []

