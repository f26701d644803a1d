import hashlib

import pytest

from builder.check.grounding import figures_in, figures_stated, load_source_texts, normalise
from builder.load.loader import load_card_set

from ..conftest import DATA, positions


@pytest.mark.parametrize("numeral, value", [("15,000", "15000"), ("2.50", "2.5"), ("08", "8"), ("0", "0"),
                                             ("49.9", "49.9"), ("100,000", "100000")])
def test_normalise(numeral, value):
    assert normalise(numeral) == value


def test_figures_in_card_text_ignore_cloze_markup():
    assert figures_in("Survival {{c1::63%}} and {{c12::1–3 cm::size}}; ratio 2:1; CD117; C49.9") == [
        "63", "1", "3", "2", "1", "117", "49.9"]


def test_sources_count_number_words_and_ordinals():
    stated = figures_stated("Sixty-three of 100 people; five-year survival; up to the fifth year; 15,000 a year")
    assert {"63", "100", "5", "15000"} <= stated


def test_texts_load_when_checksums_match(make_cards):
    card_set = load_card_set(make_cards("valid.yaml", sources="sources-with-files.yaml")).card_set
    texts, problems = load_source_texts(card_set, DATA / "sources")
    assert problems == []
    assert set(texts) == {"src-a", "src-b"}
    assert {"1", "98", "63", "49.9"} <= texts["src-a"].figures


def test_missing_changed_and_absent_texts_are_reported(make_cards):
    card_set = load_card_set(make_cards("valid.yaml", sources="sources-with-bad-files.yaml")).card_set
    texts, problems = load_source_texts(card_set, DATA / "sources")
    assert texts == {}
    assert positions(problems) == [
        ("E602", "sources.yaml", 4, 11),   # src-a: checksum differs
        ("E601", "sources.yaml", 7, 9),    # src-b: file missing
        ("E602", "sources.yaml", 13, 9),   # src-d: no checksum to verify
    ]                                      # (src-c, with no file at all, is rule W603's)
    expected = hashlib.sha256((DATA / "sources" / "source-b.txt").read_bytes()).hexdigest()
    assert expected in problems[2].message  # tells the maintainer what to paste


def test_a_figure_is_supported_by_the_passage_about_what_the_card_asks():
    from builder.check.grounding import ground_figures
    from builder.check.passages import stem

    from ..conftest import REPO

    shared = REPO.parent / "shared" / "sources"
    if not shared.is_dir():
        pytest.skip("the shared source texts are not here (CI has them)")
    card_set = load_card_set(REPO / "cards").card_set
    texts, _ = load_source_texts(card_set, shared)
    for card_id, about, not_about in [("prognosis-dermal-five-year-survival", "dermal", "subcutaneous"),
                                      ("prognosis-subcutaneous-five-year-survival", "subcutaneous", "dermal")]:
        card = next(c for c in card_set.cards if c.id == card_id)
        percent = next(v for v in ground_figures(card, texts) if v.quantity.unit == "%")
        support = percent.supports[0].passage
        assert stem(about) in support.about and stem(not_about) not in support.about, card_id
