from builder.check.rules import math_delimiters
from builder.load.loader import load_card_set
from builder.text.markup import render

from .helpers import rule_positions


def test_reports_a_delimiter_that_opens_or_closes_no_formula(make_cards):
    assert rule_positions(math_delimiters, make_cards("math-delimiters.yaml")) == [
        ("E420", "math-delimiters.yaml", 3, 9), ("E420", "math-delimiters.yaml", 8, 9)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(math_delimiters, make_cards("valid.yaml")) == []


def test_formulas_reach_the_field_exactly_as_written(make_cards):
    cards = load_card_set(make_cards("math-delimiters.yaml")).card_set.cards
    balanced = next(card for card in cards if card.id == "math-balanced")
    assert render(balanced.text) == (
        "Capacitance is {{c1::\\(C = \\frac{Q}{V}\\)}}, shown as \\[C = Q/V\\] too.")
    assert render("**Ohm:** \\(V = I \\times R\\) and \\(a_1 < b_2\\)") == (
        "<strong>Ohm:</strong> \\(V = I \\times R\\) and \\(a_1 &lt; b_2\\)")
    assert render("`\\(x\\)`") == "<code>\\(x\\)</code>"  # code stays code


def test_fenced_code_keeps_its_language_and_nothing_else():
    assert render("```python\nprint(1)\n```") == '<pre><code class="language-python">print(1)\n</code></pre>'
    assert render('<code class="x onload">y</code>') == "<code>y</code>"


def test_a_formula_reaches_a_students_anki_untouched(make_cards, tmp_path, collection):
    from builder import pipeline

    from ...anki_client import import_package, note_by_card_id

    cards = make_cards("math-delimiters.yaml")
    (cards / "math-delimiters.yaml").write_text(
        "\n".join((cards / "math-delimiters.yaml").read_text().split("\n")[10:]))  # the balanced card only
    result = pipeline.build(cards, tmp_path / "out", now=1_790_000_000)
    assert result.package is not None, [str(d) for d in result.diagnostics]
    import_package(collection, result.package)
    note = note_by_card_id(collection, "math-balanced")
    assert note["Text"] == "Capacitance is {{c1::\\(C = \\frac{Q}{V}\\)}}, shown as \\[C = Q/V\\] too."
    assert collection.card_count() == 1
