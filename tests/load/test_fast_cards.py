"""The quick reading of a card file (load/fastcards.py) gives exactly what the careful one gives, or steps aside.

Every comparison is of whole CardFiles (cards, diagnostics, completeness) and of
each card's positions in order: the diagnostics later rules make (code, file,
line, column, message) are made from them.
"""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.load import yamlsource
from builder.load.cardfile import careful_card_file, load_card_file
from builder.load.fastcards import fast_cards
from builder.load.positions import encode as encode_positions

from ..conftest import DATA

DISPLAY = "cards/part.yaml"

VALID = """\
- id: basic-one
  front: "What is the margin?"
  back: 1 cm
  extra: Context *here*.
  topics: [margins, histology]
  scope: cutaneous
  sources:
    - id: who-2020
      section: Margins
    - esmo-2021
  tags: [exam, 'hard']
  fact: margin-size
- id: cloze-one
  type: cloze
  text: "The margin is {{c1::1 cm}}."
  topics:
    - margins
  sources: [who-2020]
- id: reversed-one
  type: reversed
  front: |
    Term
  back: >
    Definition
    folded
  topics: [histology]
  sources: [{id: who-2020}]
  sources_differ: They disagree.
"""

# Edits of VALID, each something a file can hold: what the careful path reports, treats in a way of its own,
# or accepts as the fast path does.
EDITS = [
    ("front: \"What is the margin?\"", "front: \"\""),  # empty
    ("front: \"What is the margin?\"", "front:"),  # null
    ("front: \"What is the margin?\"", "front: ~"),
    ("front: \"What is the margin?\"", "front: !!str 14"),  # explicit tags
    ("front: \"What is the margin?\"", "front: !!int 14"),
    ("front: \"What is the margin?\"", "front: !!null ''"),
    ("front: \"What is the margin?\"", "front: [a, b]"),
    ("front: \"What is the margin?\"", "front: {a: b}"),
    ("front: \"What is the margin?\"", "front: \"bell \\a here\""),  # a control character, escaped
    ("front: \"What is the margin?\"", "front: \"line\\u2028break\""),  # escaped hidden break: kept
    ("front: \"What is the margin?\"", "front: \"   \""),  # blank once stripped
    ("front: \"What is the margin?\"", "front: \"  padded  \""),
    ("back: 1 cm", "back: 1 cm\n  back: 2 cm"),  # duplicate key
    ("back: 1 cm", "back: 1 cm\n  colour: red"),  # unknown field
    ("back: 1 cm", "back: 1 cm\n  text: not here"),  # another type's field
    ("back: 1 cm", "back: 1 cm\n  <<: {front: x}"),  # a merge key
    ("back: 1 cm", "back: 1 cm\n  ~: null key"),
    ("back: 1 cm", "back: 1 cm\n  !!int 5: tagged key"),
    ("back: 1 cm", "back: 1 cm\n  [a]: list key"),
    ("back: 1 cm\n", ""),  # a required field missing
    ("- id: basic-one\n", "- front: x\n"),
    ("id: basic-one", "id: Basic One"),  # a bad id is a rule's to report, not the loader's
    ("type: cloze", "type: Cloze"),  # not a type
    ("type: cloze", "type: basic"),
    ("type: cloze", "type: [cloze]"),
    ("topics: [margins, histology]", "topics: []"),  # empty list
    ("topics: [margins, histology]", "topics:"),  # null list
    ("topics: [margins, histology]", "topics: margins"),  # not a list
    ("topics: [margins, histology]", "topics: [margins, '']"),  # an empty item
    ("topics: [margins, histology]", "topics: [margins, [x]]"),
    ("topics: [margins, histology]", "topics: [margins, ~]"),
    ("topics: [margins, histology]", "topics: &t [margins, histology]"),  # anchors and aliases
    ("topics: [histology]", "topics: *t"),
    ("scope: cutaneous", "scope: &s cutaneous"),
    ("- margins\n", "- *s\n"),
    ("- esmo-2021", "- {id: esmo-2021, section: ''}"),
    ("- esmo-2021", "- {id: esmo-2021, page: 3}"),
    ("- esmo-2021", "- {section: 3}"),
    ("- esmo-2021", "- [esmo-2021]"),
    ("- esmo-2021", "- ''"),
    ("sources: [who-2020]", "sources: []"),
    ("sources: [who-2020]", "sources: who-2020"),
    ("sources: [{id: who-2020}]", "sources: [{id: who-2020, id: esmo}]"),
    ("fact: margin-size", "fact: margin-size\n\tbad: tab"),  # a syntax error
    ("fact: margin-size", "fact: 'unclosed"),
    ("fact: margin-size", "fact: margin-size\n---\n- id: x"),  # two documents
    ("tags: [exam, 'hard']", "tags: [exam, 'hard']\n  extra: again"),
]


def _same(data: bytes, display: str = DISPLAY) -> None:
    quick, careful = load_card_file(data, display), careful_card_file(data, display)
    assert quick == careful
    for a, b in zip(quick.cards, careful.cards):
        assert list(a.positions.items()) == list(b.positions.items())
        assert a.location == b.location
        assert encode_positions(a.positions) == encode_positions(b.positions)  # what the parse cache keeps


def test_a_valid_file_is_read_the_quick_way_with_the_careful_result():
    assert fast_cards(VALID.encode(), DISPLAY) is not None
    _same(VALID.encode())


@pytest.mark.parametrize("old, new", EDITS)
def test_an_edited_file_reads_as_the_careful_path_reads_it(old, new):
    assert old in VALID
    _same(VALID.replace(old, new, 1).encode())


@pytest.mark.parametrize("text", [
    "", "\n", "# only a comment\n", "~\n", "[]\n", "{}\n", "- \n", "- x\n", "a: b\n", "- - x\n", "- id: a\n",
    "\ufeff" + VALID, VALID.replace("\n", "\r\n"), VALID.replace("\n", "\r"), VALID + "\u2028",
    VALID.replace("margins", "marg\x85ins", 1), VALID + "- id: x\n  front: \x07\n",
    "- " * 3000 + "x\n", "[" * 3000 + "]" * 3000, "- id: a\n  front: " + "x" * 100_001 + "\n  back: b\n",
])
def test_hostile_files_read_as_the_careful_path_reads_them(text):
    _same(text.encode("utf-8", errors="surrogatepass"))


def test_bytes_that_are_not_utf8_read_as_the_careful_path_reads_them():
    _same(VALID.encode()[:40] + b"\xff\xfe" + VALID.encode()[40:])


def test_every_card_file_of_the_test_data_reads_as_the_careful_path_reads_it():
    paths = sorted((DATA / "cards").glob("*.y*ml"))
    assert len(paths) > 40
    quick = 0
    for path in paths:
        data = path.read_bytes()
        _same(data, f"cards/{path.name}")
        quick += fast_cards(data, f"cards/{path.name}") is not None
    assert quick > len(paths) // 2  # most are read the quick way, and so compared with it


def test_a_value_budget_the_careful_path_would_break_makes_the_quick_path_step_aside(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_NODES_PER_FILE", 20)
    assert fast_cards(VALID.encode(), DISPLAY) is None
    _same(VALID.encode())
    monkeypatch.setattr(yamlsource, "MAX_NODES_PER_FILE", 1_000_000)
    monkeypatch.setattr(yamlsource, "MAX_TEXT_CHARS", 5)
    assert fast_cards(VALID.encode(), DISPLAY) is None
    _same(VALID.encode())


# Card-shaped documents: mostly valid fields, sometimes a wrong one.
_WORDS = st.text(st.sampled_from(list("abc -:#*&!'\"{}[]é\t\x07")), min_size=0, max_size=12)
_ID = st.one_of(st.sampled_from(["a", "card-1", "b-2"]), _WORDS)
_LIST = st.one_of(st.lists(st.one_of(st.sampled_from(["margins", "who-2020"]), _WORDS), max_size=3),
                  st.none(), _WORDS)
_REF = st.one_of(st.sampled_from(["who-2020"]), st.fixed_dictionaries(
    {"id": _ID}, optional={"section": st.one_of(_WORDS, st.none(), st.integers())}))
_CARD = st.fixed_dictionaries(
    {"id": _ID},
    optional={"type": st.sampled_from(["basic", "cloze", "reversed", "other"]), "front": _WORDS, "back": _WORDS,
              "text": _WORDS, "extra": _WORDS, "topics": _LIST, "tags": _LIST, "scope": _WORDS,
              "sources": st.one_of(st.lists(_REF, max_size=3), _WORDS), "fact": st.one_of(_WORDS, st.integers()),
              "colour": _WORDS})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CARD, max_size=4), st.sampled_from([None, True, False]))
def test_card_shaped_documents_read_as_the_careful_path_reads_them(cards, flow_style):
    text = yaml.safe_dump(cards, default_flow_style=flow_style, allow_unicode=True)
    _same(text.encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.sampled_from(["\t", "&a ", "*a", "- ", ": ", "\x00", "{", "]", "!!str ", "\n",
                                                 "? ", "|\n", "'", "#", "\u2029", "~"]))
def test_a_valid_file_with_a_hostile_splice_reads_as_the_careful_path_reads_it(at, hostile):
    cut = at % (len(VALID) + 1)
    _same((VALID[:cut] + hostile + VALID[cut:]).encode())


# ---------------------------------------------------------------- the nesting bound's one search


def _longest_prefix_at_least(text: str, length: int) -> bool:  # what too_big_to_compose used to compute
    return max(map(len, yamlsource._BLOCK_PREFIX.findall(text))) >= length


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list(" ?:-x\n\r\x85\u2028\u2029\t")), max_size=60), st.integers(0, 12))
def test_the_block_prefix_search_agrees_with_listing_every_prefix(text, length):
    assert yamlsource._starts_longer_block_prefix(text, length) == _longest_prefix_at_least(text, length)


def test_a_deep_block_prefix_still_sends_a_file_to_the_event_scan():
    deep = "- " * (yamlsource.SAFE_NESTING // 2) + "x\n"
    assert re.match(r"(- )+x", deep)
    assert yamlsource.too_big_to_compose(deep, DISPLAY) is not None  # nested deeper than MAX_DEPTH
    shallow = "a:\n" + "  " * 10 + "- x\n"
    assert yamlsource.too_big_to_compose(shallow, DISPLAY) is None


# ---------------------------------------------------------------- a whole check, both ways


def test_a_check_of_every_test_card_file_reports_the_same_diagnostics_both_ways(make_cards, monkeypatch):
    """Code, file, line, column and message of every diagnostic, the rules' included (they locate their
    findings with the positions the loader kept), with the quick path and without it."""
    from builder import pipeline
    from builder.load import ParseCache
    from builder.load import fastcards

    cards = make_cards()
    for path in sorted((DATA / "cards").glob("*.y*ml")):
        (cards / path.name).write_bytes(path.read_bytes())
    (cards / "hostile.yaml").write_text(VALID.replace("back: 1 cm", "back: 1 cm\n  back: 2 cm") + "- id: x\n")
    quick = pipeline.check(cards, cache=ParseCache(None))
    monkeypatch.setattr(fastcards, "fast_cards", lambda data, display: None)
    careful = pipeline.check(cards, cache=ParseCache(None))
    assert quick.diagnostics == careful.diagnostics and len(quick.diagnostics) > 100
    assert [(d.code, *d.location, d.message) for d in quick.diagnostics] == [
        (d.code, *d.location, d.message) for d in careful.diagnostics]
    assert quick.card_set == careful.card_set
