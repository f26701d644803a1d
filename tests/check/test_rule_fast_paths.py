"""The card-level rules' fast paths answer as the plain computations do (tests/check/plain_rules.py).

A rule may skip a render, a tokenising or a stemming where it cannot change the answer; these tests hold
each rule, on generated cards (Markdown, HTML, cloze markup, Unicode case and letter edge cases), to the
rule as written before its fast paths, finding for finding."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import example, given, settings, strategies as st

from builder.check.rules import (
    answer_in_question, binary_question, cloze_numbering, control_character, empty_render, enumeration,
    extra_repeats_answer, field_markers, give_away, interchangeable_deletions, math_delimiters, media_case,
    media_missing, media_name, media_path, media_underscore, removed_markup, source_in_question,
    too_many_deletions, unsafe_html, yes_no_question,
)
from builder.check.rules.field_markers import forget_markers
from builder.check.rules.media import forget_references
from builder.model import TEXT_FIELDS, Card, CardType, Location, SourceRef, Source

from . import plain_rules

WORDS = ["margin", "margins", "Marginal", "dermal", "skin", "cutaneous", "tumour", "Tumours", "the", "of", "and",
         "or", "before", "after", "neoadjuvant", "adjuvant", "male", "Females", "higher", "lower", "left", "right",
         "Cleveland", "clinic", "Clinic's", "mayo", "non", "uterine", "lms", "years", "year", "cells", "spindle",
         "cm", "1", "31%", "2:1", "it's", "ss", "less", "ſkin", "İnside", "ΣΑΡΚΩΜΑ", "σ", "ß", "Kelvin", "é",
         "naïve", "日本", "x", "a", "²", "①", "٣", "x²", "yes", "No"]
MARKUP = ["*", "**", "_", "`", "```", "~~", "#", "# ", "- ", "+ ", "1. ", "2) ", "> ", "    ", "\t", "\n", "\n\n",
          "\r\n", "---", "===", "|", "-|-", "[", "]", "(", ")", "](x.png)", "![", "[x]: /u", "\\", "\\(", "\\)",
          "\\[", "\\]", "&", "&amp;", "&nbsp;", "&#31;", "&#x1F;", "&#8203;", "<", ">", "<!--", "-->", "<!-- c -->",
          "<b>", "</b>", "<iframe>", "<script>x</script>", "<img src=\"a.png\">", "[sound:a.mp3]", "<br>", "<p>",
          "’", "'s", "'", ",", ";", ".", "?", ":", "::", "{{", "}}", "{{c1::", "{{c2::", " ", "  ", "\x01", "\x0b",
          "\u00a0", "\u200b", "\ufeff", "\ue000"]
TOKENS = WORDS + MARKUP

texts = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
spaced = st.lists(st.sampled_from(TOKENS), max_size=10).map(" ".join)
field_text = st.one_of(texts, spaced, st.text(max_size=20))
# A letter first: the text empty_render no longer renders.
lettered = st.tuples(st.sampled_from([w for w in WORDS if w[0].isalpha()]), field_text).map("".join)


@st.composite
def cloze_text(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(st.one_of(spaced, texts)))
        if draw(st.booleans()):
            number = draw(st.integers(0, 3))
            answer = draw(st.one_of(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), texts))
            hint = draw(st.sampled_from(["", "::hint", "::skin"]))
            parts.append(f"{{{{c{number}::{answer}{hint}}}}}")
    parts.append(draw(st.sampled_from(["", "}}", "{{c1::open", "{{x}}", "."])))
    return draw(st.sampled_from(["", " "])).join(parts)


SOURCES = (
    Source("alpha", "A", publisher="P"), Source("cleveland-clinic", "C", publisher="Cleveland Clinic"),
    Source("mayo", "M", publisher="Mayo Clinic's Staff"), Source("non-uterine-lms", "N"),
    Source("dashes", "D", publisher="----"), Source("stjude", "S", publisher="St. Jude’s"),
)


@st.composite
def cards(draw) -> list[Card]:
    made = []
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(list(CardType)))
        refs = tuple(SourceRef(s) for s in draw(st.lists(st.sampled_from([s.id for s in SOURCES] + ["gone"]),
                                                         max_size=3)))
        common = dict(id=f"c{index}", type=kind, topics=(), sources=refs, location=Location("f.yaml", index + 1),
                      extra=draw(st.one_of(st.just(""), field_text, spaced)),
                      sources_differ=draw(st.one_of(st.none(), st.just(""), field_text)))
        if kind is CardType.CLOZE:
            made.append(Card(text=draw(cloze_text()), **common))
        else:
            made.append(Card(front=draw(st.one_of(field_text, lettered, spaced)),
                             back=draw(st.one_of(field_text, spaced)), **common))
    return made


def _cloze(text: str) -> list[Card]:
    return [Card("c0", CardType.CLOZE, (), (), text=text)]


def _ctx(**options):
    card_set = SimpleNamespace(sources_by_id={s.id: s for s in SOURCES})
    return SimpleNamespace(card_set=card_set, options=options)


@settings(max_examples=600, deadline=None)
@given(st.one_of(field_text, lettered))
@example("a\n===")
@example("a|b\n-|-")
@example("İ*x*")
@example("x<!--")
@example("a\n[x]: /u")
@example("a\\(\\)")
def test_a_field_shows_nothing_as_its_render_says(text):
    assert empty_render.shows_nothing(text) == plain_rules.shows_nothing(text)


@settings(max_examples=300, deadline=None)
@given(cards())
@example([Card("c0", CardType.BASIC, (), (), front="1.", back="2)", extra="<!-- x -->")])
def test_empty_render_finds_what_rendering_every_field_finds(made):
    ctx = _ctx()
    assert list(empty_render.check_cards(ctx, made)) == list(plain_rules.empty_render_cards(ctx, made))


@settings(max_examples=600, deadline=None)
@given(st.one_of(spaced, field_text), st.one_of(spaced, field_text), st.integers(0, 5))
@example("Tumours", "tumour", 4)
@example("ſkin", "skin", 4)
@example("skin", "dermal", 1)
@example("before surgery", "neoadjuvant", 1)
@example("margin²", "margin", 4)
@example("margin 5", "margin", 4)
@example("before", "given neoadjuvant", 1)
@example("skin", "Cutaneous margins", 4)
@example("Margins dermal", "margin of the dermis", 1)
def test_given_away_answers_as_reading_every_word_does(answer, visible, max_words):
    assert give_away.given_away(answer, visible, max_words) == plain_rules.given_away(answer, visible, max_words)


@settings(max_examples=600, deadline=None)
@given(cards(), st.integers(0, 5))
@example(_cloze("{{c1::margin}} and {{c2::wide margin}}"), 4)
@example(_cloze("{{c1::margin}} and {{c1::wide margin}}"), 4)
@example(_cloze("{{c1::before}} surgery (neoadjuvant)"), 4)
@example(_cloze("Skin {{c2::cutaneous}} {{c1::skin}}"), 1)
@example(_cloze("ſkin {{c1::Skins}}"), 4)
def test_give_away_finds_what_the_plain_rule_finds(made, max_words):
    ctx = _ctx(max_answer_words=max_words)
    assert list(give_away.check_cards(ctx, made)) == list(plain_rules.give_away_cards(ctx, made))


@settings(max_examples=600, deadline=None)
@given(st.one_of(spaced, field_text), st.one_of(spaced, field_text), st.integers(0, 6))
@example("Females", "In which sex is it more common?", 5)
@example("the male tumours", "male", 5)
def test_binary_side_answers_as_stemming_the_question_does(answer, question, max_words):
    assert binary_question.binary_side(answer, question, max_words) == plain_rules.binary_side(
        answer, question, max_words)


@settings(max_examples=600, deadline=None)
@given(cards(), st.integers(0, 8))
def test_source_in_question_finds_what_the_plain_rule_finds(made, minimum):
    ctx = _ctx(min_name_length=minimum)
    assert list(source_in_question.check_cards(ctx, made)) == list(plain_rules.source_in_question_cards(ctx, made))


@settings(max_examples=400, deadline=None)
@given(cards())
@example(_cloze("Straße {{c1::strasse}}"))
@example(_cloze("x y {{c1::<b>x</b> y}}"))
@example(_cloze("the Margins {{c1::margins}} {{c2::the}}"))
def test_answer_in_question_finds_what_the_plain_rule_finds(made):
    ctx = _ctx()
    assert list(answer_in_question.check_cards(ctx, made)) == list(plain_rules.answer_in_question_cards(ctx, made))


@settings(max_examples=400, deadline=None)
@given(cards(), st.sampled_from([0.0, 50.0, 90.0, 100.0]))
@example([Card("c0", CardType.BASIC, (), (), front="x", back="spindle cells", extra="{{c1::spindle}}")], 90.0)
@example([Card("c0", CardType.BASIC, (), (), front="x", back="spindle cells", extra="<b>spindle</b>")], 90.0)
def test_extra_repeats_answer_finds_what_the_plain_rule_finds(made, score):
    ctx = _ctx(min_score=score)
    assert list(extra_repeats_answer.check_cards(ctx, made)) == list(
        plain_rules.extra_repeats_answer_cards(ctx, made))


@settings(max_examples=600, deadline=None)
@given(st.one_of(spaced, field_text, st.lists(st.sampled_from(["- a", "* b", "1. c", "x", "", " "]),
                                               max_size=6).map("\n".join)))
@example("AND, OR; and\nor")
@example("a or b OR c or d or e")
@example("a and b AND c and d and e")
def test_most_items_is_never_fewer_than_items(answer):
    assert enumeration.most_items(answer) >= plain_rules.items(answer)


@settings(max_examples=400, deadline=None)
@given(cards(), st.integers(0, 5))
def test_enumeration_finds_what_the_plain_rule_finds(made, limit):
    ctx = _ctx(max_items=limit)
    assert list(enumeration.check_cards(ctx, made)) == list(plain_rules.enumeration_cards(ctx, made))


@settings(max_examples=400, deadline=None)
@given(cards())
@example([Card("c0", CardType.BASIC, (), (), front="IS it?", back="x"),
          Card("c1", CardType.BASIC, (), (), front="Island?", back="x"),
          Card("c2", CardType.BASIC, (), (), front="does1 x", back="x"),
          Card("c3", CardType.BASIC, (), (), front="<b>Can</b> it", back="x")])
def test_yes_no_question_finds_what_the_plain_rule_finds(made):
    ctx = _ctx()
    assert list(yes_no_question.check_cards(ctx, made)) == list(plain_rules.yes_no_question_cards(ctx, made))


MARKED = (control_character, math_delimiters, unsafe_html, removed_markup, media_missing, media_path, media_case,
          media_name, media_underscore)


@settings(max_examples=400, deadline=None)
@given(cards(), st.sampled_from(MARKED))
@example([Card("c0", CardType.BASIC, (), (), front="a\0&", back="#31;")], control_character)
@example([Card("c0", CardType.BASIC, (), (), front="See ![](b.png)", back="[x](y/z.png)")], media_missing)
@example([Card("c0", CardType.BASIC, (), (), front="![](http://x/a.png)", back="x")], unsafe_html)
@example([Card("c0", CardType.BASIC, (), (), front="[a](ftp://x)", back="x")], removed_markup)
def test_a_file_without_a_rules_marker_is_skipped_only_when_it_finds_nothing(made, rule):
    """A tuple of cards (a file's, as the runner passes them) is scanned for markers once; any other iterable
    is not, and the rule looks at every field: both find the same."""
    ctx = SimpleNamespace(options=dict(getattr(rule, "OPTIONS", {})), media_files=frozenset({"a.png"}),
                          media_dir="cards/media", card_set=SimpleNamespace(sources_by_id={}))
    try:
        scanned = list(rule.check_cards(ctx, tuple(made)))
        forget_references()
        forget_markers()
        plain = list(rule.check_cards(ctx, list(made)))
    finally:
        forget_references()
        forget_markers()
    assert scanned == plain


@given(cards())
def test_markers_are_found_in_any_field(made):
    try:
        for marker in field_markers.MARKERS:
            held = any(marker in (getattr(card, field) or "") for card in made for field in TEXT_FIELDS)
            assert field_markers.may_hold(tuple(made), marker) == held
    finally:
        forget_markers()


@settings(max_examples=400, deadline=None)
@given(cards(), st.integers(-1, 4))
@example(_cloze("{{c1::a}}, {{c2::b}} and {{c3::c}}"), 3)
@example(_cloze("{{c1::a}} {{c3::b}}"), 1)
@example(_cloze("{{c2::a}} {{c2::b}}"), 1)
def test_the_cloze_counting_rules_find_what_the_plain_rules_find(made, number):
    ctx = _ctx(max_deletions=number, min_items=number)
    for rule, plain in [(cloze_numbering, plain_rules.cloze_numbering_cards),
                        (too_many_deletions, plain_rules.too_many_deletions_cards),
                        (interchangeable_deletions, plain_rules.interchangeable_deletions_cards)]:
        assert list(rule.check_cards(ctx, made)) == list(plain(ctx, made)), rule.CODE


def test_the_separator_words_letters_match_only_their_own_two_cases():
    """most_items counts 'and' and 'or' in the lower-cased answer: that counts every match of the separator
    (case ignored) only if no other character matches one of their letters, which this checks for all."""
    import re
    import sys

    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert set(re.findall("[andor]", everything, re.IGNORECASE)) == set("andorANDOR")
    assert all(c.lower() in "andor" for c in "andorANDOR")
