from fractions import Fraction

import pytest

from builder.check.quantities import Quantity, grounds, quantities


def read(text, **kw):
    return [(q.value_text(), q.code) for q in quantities(text, **kw)]


@pytest.mark.parametrize("text, figures", [
    ("Size usually ranges from 1-3 cm in diameter", ["1–3 cm"]),
    ("peak incidence between 60-70 years", ["60–70 years"]),
    ("In adults over 50, peaking between 60 and 70", ["more than 50", "60–70"]),
    ("peaking between 70 and 60", ["60–70"]),  # a reversed "between" is the same interval (found by hypothesis)
    ("between 1 and 0", ["0–1"]),
    ("5-year overall survival ~98%", ["5 years", "98%"]),
    ("Wider margins (≥2 cm)", ["at least 2 cm"]),
    ("less than 1 per 100,000 per year", ["less than 1 per 100,000"]),
    ("About 1 in every 100,000 people", ["1 per 100,000"]),
    ("male to female ratio of 2:1", ["2:1"]),
    ("Sixty-three of 100 people, alive five years later", ["63", "100", "63%", "5 years"]),  # the counts too
    ("accounts for 10% to 20% of those cases", ["10–20%"]),
    ("7 to 11 percent of all soft tissue sarcomas", ["7–11%"]),
    ("every {{c1::4–6 months}} for the first {{c2::3–5 years::how long}}", ["4–6 months", "3–5 years"]),
    ("As many as 50%", ["up to 50%"]),
    ("About 15,000 a year", ["15,000"]),
    ("starting at age 8", ["age 8"]),
    ("Last updated 10/29/2018 2:40:50 PM, 2025-03-10", []),
])
def test_figures_are_read_as_quantities(text, figures):
    assert [f for f, _ in read(text)] == figures


def test_digits_inside_names_are_codes():
    assert read("CD117 (c-KIT) and C49.9; 254771006") == [("117", True), ("49.9", True), ("254771006", False)]


def test_on_cards_n_of_100_is_a_percentage_only():
    assert read("63 of 100 live five years", words_need_unit=True) == [("63%", False), ("5 years", False)]


def test_on_cards_a_number_word_is_a_figure_only_with_a_unit():
    assert read("Three subtypes; an experienced one; a five-year survival", words_need_unit=True) == [("5 years", False)]


def q(text):
    return quantities(text)[0]


@pytest.mark.parametrize("stated, card, grounded", [
    ("1-3 cm", "3 cm", False),           # a range does not state its end
    ("1-3 cm", "1–3 cm", True),
    ("1 cm", "1 mm", False),             # other unit
    ("15%", "15 cm", False),
    ("~98%", "about 98%", True),         # approximations do not change a figure
    ("Minimum 1 cm", "1 cm", True),      # a bound and a value: the same figure
    ("≥2 cm", "at least 2 cm", True),
    ("up to 2 cm", "at least 2 cm", False),  # opposite bounds
    ("over 50 years", "over 50", True),   # an age, written without its unit
    ("15,000 people", "about 15,000", True),
    ("15%", "15", False),                 # a bare count is not a percentage
    ("CD 117", "CD117", True),            # a code's digits
])
def test_grounds(stated, card, grounded):
    assert grounds(q(stated), q(card)) is grounded


def test_value_text():
    assert Quantity(Fraction(1), Fraction(3), "cm").value_text() == "1–3 cm"
    assert Quantity(Fraction(1), Fraction(1), "per 100000", "<").value_text() == "less than 1 per 100,000"


from hypothesis import given, settings, strategies as st  # noqa: E402

_FIGURE_TEXT = st.lists(st.sampled_from(list("0123456789,.:-–/% ~≥<>") + [
    " cm", " mm", " years", "-year", " months", " per ", " of ", " in every ", "100,000", " between ", " and ",
    " to ", "about ", "up to ", "at least ", "Sixty-three", " five", "fifth", "{{c1::", "}}", "CD", "age "]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_FIGURE_TEXT)
def test_any_text_reads_without_error_and_every_figure_points_into_it(text):
    from builder.check.passages import Layout

    for words_need_unit in (False, True):
        for found in quantities(text, words_need_unit=words_need_unit):
            assert 0 <= found.start <= found.end <= len(text)
            assert found.low <= found.high or found.unit == "ratio"
    Layout.of(text + "\n\n" + text, [text])
