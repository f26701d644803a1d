"""A whole check finds exactly what it finds with every card-level rule on its plain path (plain_rules.py).

test_rule_fast_paths.py holds each fast path to its plain computation on generated cards; this runs the
pipeline (loader, derived cache, runner) twice on a deck of every test card file plus generated hostile
cards, once as shipped and once with the plain rules put in, and compares every diagnostic."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from builder import pipeline
from builder.check.rules import (
    answer_in_question, binary_question, control_character, empty_render, enumeration, extra_repeats_answer,
    give_away, math_delimiters, media, source_in_question, unsafe_html, yes_no_question,
)

from ..conftest import DATA
from . import plain_rules

# Field values that reach the fast paths' edges: vanishing Markdown, markers, cues, side words, lists, names.
VALUES = ["<!-- todo -->", "-", "*", "1.", "2)", "# ", "```py", "[x]: /u", "&nbsp;", "<iframe src=x>", "a<!--", "x &#31; y",
          "Also *x* and <b>y</b>", "&#x85;", 'See <img src="spindle-cells.png">', "[sound:b.mp3]", "![](c.png)",
          "[a](ftp://x)", "\\(x", "x \\) y", "before surgery (neoadjuvant)", "Is it?", "yes", "No", "males",
          "Females", "dermal or subcutaneous", "a, b, c, d, e, f", "a and b or c and d or e",
          "- a\n- b\n- c\n- d\n- e", "İnside ſkin Straße", "x²", "2:1", "According to Src Alpha, what?",
          "Cleveland Clinic's view", "Skin", "the margin", "wide margins of the skin", "spindle cells",
          "Does it recur?", "after", "higher", "Lower risk"]
CLOZES = ["{{c1::before}} surgery (neoadjuvant)", "{{c1::margin}} and {{c2::wide margin}}",
          "{{c1::a}}, {{c2::b}} and {{c3::c}}", "{{c1::skin}} is cutaneous", "{{c2::x²}} {{c1::Skins}} ſkin",
          "{{c1::higher}} or lower", "{{c1::spindle cells}} are spindle-shaped cells"]


def _hostile_cards(count: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        lines.append(f"- id: hostile-{index}")
        if rng.random() < 0.35:
            text = " ".join(rng.choice(VALUES + CLOZES) for _ in range(rng.randint(1, 3)))
            lines += ["  type: cloze", f"  text: {json.dumps(text + ' ' + rng.choice(CLOZES), ensure_ascii=False)}"]
        else:
            lines.append(f"  front: {json.dumps(' '.join(rng.choice(VALUES) for _ in range(rng.randint(1, 3))))}")
            lines.append(f"  back: {json.dumps(rng.choice(VALUES), ensure_ascii=False)}")
        if rng.random() < 0.5:
            lines.append(f"  extra: {json.dumps(rng.choice(VALUES) + ' ' + rng.choice(VALUES), ensure_ascii=False)}")
        lines += ["  topics: [histology]", f"  sources: [{rng.choice(['src-a', 'src-b', 'src-alpha', 'clinic'])}]", ""]
    return "\n".join(lines)


@pytest.fixture
def deck(make_cards):
    cards = make_cards(*sorted(path.name for path in (DATA / "cards").glob("*.yaml")))
    (cards / "media").mkdir()
    for path in (DATA / "media").iterdir():
        shutil.copy(path, cards / "media" / path.name)
    for part in range(3):
        (cards / f"hostile-{part}.yaml").write_text(_hostile_cards(120, part), encoding="utf-8")
    sources = cards / "sources.yaml"
    sources.write_text(sources.read_text() + "- id: src-alpha\n  title: Alpha\n  publisher: Src Alpha\n"
                       "- id: clinic\n  title: Clinic\n  publisher: Cleveland Clinic\n")
    return cards


def _plain(monkeypatch) -> None:
    for module, name, plain in [
        (empty_render, "check_cards", plain_rules.empty_render_cards),
        (give_away, "check_cards", plain_rules.give_away_cards),
        (binary_question, "binary_side", plain_rules.binary_side),
        (source_in_question, "check_cards", plain_rules.source_in_question_cards),
        (answer_in_question, "check_cards", plain_rules.answer_in_question_cards),
        (extra_repeats_answer, "check_cards", plain_rules.extra_repeats_answer_cards),
        (enumeration, "check_cards", plain_rules.enumeration_cards),
        (yes_no_question, "check_cards", plain_rules.yes_no_question_cards),
    ]:
        monkeypatch.setattr(module, name, plain)
    for module in (control_character, math_delimiters, unsafe_html, media):  # every file looked at, field by field
        monkeypatch.setattr(module, "may_hold", lambda cards, *markers: True)


def _cold_check(cards: Path) -> list:
    shutil.rmtree(cards / ".cache", ignore_errors=True)
    return list(pipeline.check(cards).diagnostics)


def test_a_whole_check_finds_what_the_plain_rules_find(deck, monkeypatch):
    fast = _cold_check(deck)
    codes = {d.code for d in fast}
    assert {"E406", "E420", "E901", "E903", "E909", "W802", "W803", "W804", "W806", "W809", "W810", "W812",
            "W902"} <= codes, "the deck should reach every rule with a fast path"
    with monkeypatch.context() as patched:
        _plain(patched)
        plain = _cold_check(deck)
    assert fast == plain
    assert _cold_check(deck) == fast  # (the patches are gone: the shipped rules again)
