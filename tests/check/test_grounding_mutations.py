"""Mutation test of grounding: change one figure on one card, and the check must notice.

The four kinds of wrong figure a student would otherwise learn (issue 15):

* ``unstated``: a number the cited source never states (1 cm -> 47 cm);
* ``other-unit``: the same number in another unit (1 cm -> 1 mm, 15% -> 15 cm);
* ``other-quantity``: a number the source states, but never as this quantity
  (1 cm -> 3 cm where the page only has "1-3 cm"; 98% -> 1%);
* ``something-else``: the figure the source gives for something else, of the
  same unit and shape (dermal survival 98% -> 88%, the subcutaneous figure).

Mutations are generated from these definitions over every figure of every
card, in the bundled deck and in a test deck written for the purpose
(tests/data/cards/grounded-in-context.yaml with source C). Figures are found
and rewritten by this module's own patterns, and whether a mutated figure is
"stated" by a source is decided here by reading the source text literally,
not by the code under test. A mutation the source does state as written is
not wrong, and is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from builder.check.rules import CheckContext, figure_out_of_context, ungrounded_figure
from builder.check.grounding import load_source_texts
from builder.load.loader import load_card_set
from builder.model.cards import TEXT_FIELDS

from ..conftest import DATA, REPO

SHARED_SOURCES = REPO.parent / "shared" / "sources"
KINDS = ("unstated", "other-unit", "other-quantity", "something-else")
REQUIRED = {"unstated": 0.95, "other-unit": 0.95, "other-quantity": 0.95, "something-else": 0.80}
UNITS = {"%": "%", "cm": " cm", "mm": " mm", "months": " months", "years": " years"}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A figure as cards write it: a number or a range, then maybe a unit. Digits inside names (CD117) are codes.
_FIGURE = re.compile(rf"(?<![\w.,/-])(?<!\d:)(?P<low>{_NUM})(?:(?P<dash>\s*[–-]\s*|\s+to\s+)(?P<high>{_NUM}))?"
                     rf"(?P<unit>\s*%|[ -](?:cm|mm|months?|years?)\b)?(?![\w:])")


def _unit(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" -")
    return {"month": "months", "year": "years"}.get(text, text)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _numbers_in(text: str) -> set[float]:
    return {_number(m) for m in re.findall(_NUM, text)}


def _states(text: str, low: str, high: str | None, unit: str | None) -> bool:
    """Whether ``text`` literally states this figure as one value (or this range) with this unit."""
    unit_pattern = {None: "", "%": r"\s*(?:%|percent)", "cm": r"\s*cm", "mm": r"\s*mm",
                    "months": r"[ -]months?", "years": r"[ -]years?"}[unit]
    number = rf"(?<![\d.,–-]){re.escape(low)}"
    if high is not None:
        number += rf"\s*(?:[–-]|to|and)\s*{re.escape(high)}"
    return re.search(number + unit_pattern + r"(?![\d]|\s*[–-]\s*\d)", text, re.IGNORECASE) is not None


def _cited_text(card, texts) -> str:
    return "\n".join(texts[ref.id].text for ref in card.sources if ref.id in texts)


def mutations(card_set, texts):
    """(kind, card, mutated card, in_same_section) for every figure of every grounded card."""
    for card in card_set.cards:
        cited = _cited_text(card, texts)
        if not cited:
            continue
        cited_numbers = sorted(_numbers_in(cited))
        for field in TEXT_FIELDS:
            value = getattr(card, field) or ""
            yield from _ratio_mutations(card, field, value, cited, cited_numbers)
            for m in _FIGURE.finditer(value):
                low, high, unit = m.group("low"), m.group("high"), _unit(m.group("unit"))
                if not _states(cited, low, high, unit) and not (unit is None and _numbers_in(m.group()) <= set(cited_numbers)):
                    continue  # not a figure the source writes this way (a number word, an ordinal): leave it
                dash = m.group("dash") or ""

                def mutated(new_low=low, new_high=high, new_unit=unit):
                    written = new_low + (dash + new_high if new_high else "")
                    written += (UNITS[new_unit] if new_unit in UNITS else m.group("unit") or "") if new_unit else ""
                    new = value[:m.start()] + written + value[m.end():]
                    return replace(card, **{field: new})

                # unstated: a number the cited sources never write
                fresh = next(str(n) for n in (47, 83, 137, 419, 733, 911)
                             if n not in cited_numbers and n != _number(low))
                yield "unstated", card, mutated(new_low=fresh) if high is None else mutated(new_high=fresh), None
                # other-unit: same number, another unit the source does not give it in
                if unit in UNITS:
                    for other in UNITS:
                        if other != unit and not _states(cited, low, high, other):
                            yield "other-unit", card, mutated(new_unit=other), None
                # other-quantity: a number the source states, where it never states this figure
                for number in cited_numbers:
                    text = f"{number:g}"
                    if number == _number(low) or number > 1000 or (high is not None and number >= _number(high)):
                        continue
                    if not _states(cited, text, high, unit):
                        yield "other-quantity", card, mutated(new_low=text), None
                # something-else: a figure of the same unit and shape that the source states on another line
                if unit is None:
                    continue
                lines_with_original = [line for line in cited.splitlines() if _states(line, low, high, unit)]
                for other in _FIGURE.finditer(cited):
                    o_low, o_high, o_unit = other.group("low"), other.group("high"), _unit(other.group("unit"))
                    if o_unit != unit or (o_high is None) != (high is None) or (o_low, o_high) == (low, high):
                        continue
                    if any(_states(line, o_low, o_high, unit) for line in lines_with_original):
                        continue  # given together with the original: the same statement
                    if _states(value, o_low, o_high, unit):
                        continue  # the card already has that figure elsewhere
                    yield "something-else", card, mutated(new_low=o_low, new_high=o_high), _in_section(
                        card, texts, other.start())


_RATIO = re.compile(r"(?<![\w.,/-])(\d+):(\d+)(?![\d:])")


def _ratio_mutations(card, field, value, cited, cited_numbers):
    """A ratio ("2:1") has no other unit, but can take an unstated number or a number stated as something else."""
    for m in _RATIO.finditer(value):
        first, second = m.groups()
        if f"{first}:{second}" not in cited:
            continue

        def mutated(number):
            return replace(card, **{field: value[:m.start()] + f"{number}:{second}" + value[m.end():]})

        fresh = next(n for n in (47, 83, 137, 419) if n not in cited_numbers)
        yield "unstated", card, mutated(fresh), None
        for number in cited_numbers:
            if number != int(first) and number < 1000 and f"{number:g}:{second}" not in cited:
                yield "other-quantity", card, mutated(f"{number:g}"), None


def _in_section(card, texts, offset: int) -> bool:
    """Whether a figure of the cited text stands in the section the card cites (for the in-section rate)."""
    ref = next(ref for ref in card.sources if ref.id in texts)
    text = texts[ref.id]
    line = text.text.count("\n", 0, offset)
    span = text.layout.section(ref.section) if ref.section else None
    return span is not None and any(start <= line < end for start, end in span)


def _caught(card_set, texts, card) -> bool:
    ctx = CheckContext(replace(card_set, cards=(card,)), texts)
    return any(True for rule in (ungrounded_figure, figure_out_of_context) for _ in rule.check(ctx))


def _rates(card_set, texts):
    tried, caught = Counter(), Counter()
    seen = set()
    for kind, _, mutant, in_section in mutations(card_set, texts):
        key = (kind, mutant)
        if key in seen:
            continue
        seen.add(key)
        hit = _caught(card_set, texts, mutant)
        tried[kind] += 1
        caught[kind] += hit
        if in_section:
            tried["something-else (same section)"] += 1
            caught["something-else (same section)"] += hit
    return tried, caught


def _false_alarms(card_set, texts) -> list[str]:
    ctx = CheckContext(card_set, texts)
    return [f"{f.subject}: {f.message}" for rule in (ungrounded_figure, figure_out_of_context) for f in rule.check(ctx)]


def _assert_rates(tried, caught, minimum_mutations: int, kinds=KINDS):
    table = {kind: f"{caught[kind]}/{tried[kind]}" for kind in tried}
    print("catch rates:", table)
    for kind in kinds:
        assert tried[kind] >= minimum_mutations, (kind, table)
        assert caught[kind] / tried[kind] >= REQUIRED[kind], (kind, table)
    if tried["something-else (same section)"]:
        assert caught["something-else (same section)"] / tried["something-else (same section)"] >= 0.80, table


@pytest.fixture(scope="module")
def bundled():
    if not SHARED_SOURCES.is_dir():
        pytest.skip("the shared source texts are not here (CI has them)")
    card_set = load_card_set(REPO / "cards").card_set
    texts, problems = load_source_texts(card_set, SHARED_SOURCES)
    assert problems == []
    return card_set, texts


# Small decks written for the purpose: cards, sources, the kinds that apply and the fewest mutations of
# each. Sources A and B write some figures in words only, which this module's literal reading of a source
# does not mutate, and give no two figures of one unit: only three kinds apply there.
TEST_DECKS = {
    "two-depths-a-table-and-a-list": ("grounded-in-context.yaml", "sources-in-context.yaml", KINDS, 10),
    "two-sources": ("grounded-figures.yaml", "sources-with-files.yaml", KINDS[:3], 2),
}


@pytest.fixture(scope="module", params=sorted(TEST_DECKS))
def test_deck(request, tmp_path_factory):
    import shutil

    card_file, sources, kinds, minimum = TEST_DECKS[request.param]
    cards = tmp_path_factory.mktemp("mutations") / "cards"
    cards.mkdir()
    shutil.copy(DATA / "base" / "deck.yaml", cards / "deck.yaml")
    shutil.copy(DATA / "deck" / sources, cards / "sources.yaml")
    shutil.copy(DATA / "cards" / card_file, cards / card_file)
    card_set = load_card_set(cards).card_set
    texts, problems = load_source_texts(card_set, DATA / "sources")
    assert problems == []
    return card_set, texts, kinds, minimum


def test_the_correct_bundled_deck_raises_no_false_alarm(bundled):
    assert _false_alarms(*bundled) == []


def test_every_kind_of_wrong_figure_is_caught_on_the_bundled_deck(bundled):
    tried, caught = _rates(*bundled)
    _assert_rates(tried, caught, minimum_mutations=10)


def test_the_correct_test_deck_raises_no_false_alarm(test_deck):
    assert _false_alarms(*test_deck[:2]) == []


def test_every_kind_of_wrong_figure_is_caught_on_the_test_deck(test_deck):
    card_set, texts, kinds, minimum = test_deck
    tried, caught = _rates(card_set, texts)
    _assert_rates(tried, caught, minimum_mutations=minimum, kinds=kinds)


def test_the_mutations_are_wrong_figures_and_cover_every_figure(test_deck):
    # Guards the generator itself: each mutant differs from its card in one field, and every
    # figure of the deck with figures in digits is mutated at least once in each kind that applies to it.
    card_set, texts, kinds, _ = test_deck
    mutated_cards = Counter()
    for kind, card, mutant, _ in mutations(card_set, texts):
        changed = [f for f in TEXT_FIELDS if getattr(card, f) != getattr(mutant, f)]
        assert len(changed) == 1, (kind, card.id)
        mutated_cards[kind, card.id] += 1
    assert mutated_cards
    if kinds != KINDS:
        return  # its sources write figures in words, which are not mutated: coverage is asserted on the others
    figure_cards = {card.id for card in card_set.cards}
    assert {cid for k, cid in mutated_cards if k == "something-else"}, "no rival figure was tried"
    for kind in ("unstated", "other-quantity"):
        assert {cid for k, cid in mutated_cards if k == kind} == figure_cards, kind


@pytest.mark.parametrize("card_id, before, after, code", [
    ("margins-dermal-minimum", "1 cm", "47 cm", "W604"),                      # never stated
    ("margins-dermal-minimum", "1 cm", "1 mm", "W604"),                       # other unit
    ("margins-dermal-recurrence-rate", "15%", "15 cm", "W604"),
    ("margins-dermal-minimum", "1 cm", "3 cm", "W604"),                       # only "1-3 cm" on the page
    ("prognosis-dermal-five-year-survival", "98%", "1%", "W604"),             # 1 is stated, not as 1%
    ("prognosis-dermal-five-year-survival", "98%", "88%", "W606"),            # the subcutaneous figure
    ("epidemiology-which-population-sts-share", "3%", "88%", "W604"),         # not in the cited sections
])
def test_the_wrong_figures_of_the_issue_are_caught(bundled, card_id, before, after, code):
    card_set, texts = bundled
    card = next(c for c in card_set.cards if c.id == card_id)
    assert before in card.back
    mutant = replace(card, back=card.back.replace(before, after))
    ctx = CheckContext(replace(card_set, cards=(mutant,)), texts)
    assert [(rule.CODE, f.location) for rule in (ungrounded_figure, figure_out_of_context)
            for f in rule.check(ctx)] == [(code, card.where("back"))]


@pytest.mark.parametrize("card_id, field, before, after", [
    # "Cleveland Clinic gives 10–20%": 7–11% is on the other cited page (the non-uterine LMS page)
    ("epidemiology-which-population-sts-share", "sources_differ", "gives\n10–20%", "gives\n7–11%"),
    # "Cleveland Clinic's 63% five-year survival": 98% is Dr.Oracle's dermal figure
    ("prognosis-dermal-five-year-survival", "extra", "Clinic's\n63%", "Clinic's\n98%"),
])
def test_a_figure_credited_to_a_cited_source_that_does_not_state_it_is_caught(bundled, card_id, field, before,
                                                                              after):
    card_set, texts = bundled
    card = next(c for c in card_set.cards if c.id == card_id)
    value = getattr(card, field)
    assert before.replace("\n", " ") in " ".join(value.split())
    mutant = replace(card, **{field: " ".join(value.split()).replace(before.replace("\n", " "), after.replace("\n", " "))})
    ctx = CheckContext(replace(card_set, cards=(mutant,)), texts)
    assert [(f.location.line, f.message.split(":")[0]) for f in figure_out_of_context.check(ctx)] == [
        (card.where(field).line, f"figure {after.split()[-1]} in '{field}' of card '{card_id}'")]


@pytest.mark.parametrize("text, credited", [
    ("10–20% (Cleveland Clinic) or 7–11% (the non-uterine LMS page)", ["cc", None]),   # each its own parenthesis
    ("Dr.Oracle gives about 98% for dermal and about 88% for subcutaneous tumours.", ["do", "do"]),
    ("Cleveland Clinic gives 10–20%, the non-uterine LMS page 7–11%.", ["cc", None]),  # the claim ends at the comma
    ("This figure (Dr.Oracle, skin disease) stands against Cleveland Clinic's 63% survival.", ["cc"]),
    ("About 63% survive five years.", [None]),
])
def test_whose_figure_a_sentence_says_it_is(text, credited):
    from builder.check.grounding import SourceText, attributed_source
    from builder.check.quantities import quantities

    def named(*names):
        return SourceText("", "", frozenset(), frozenset(), None, names)

    texts = {"cc": named("Cleveland Clinic", "Cleveland"), "nu": named(), "do": named("Dr.Oracle")}
    figures = [q for q in quantities(text, words_need_unit=True) if q.unit == "%"]
    assert [attributed_source(text, q, texts, ["cc", "nu", "do"]) for q in figures] == credited
