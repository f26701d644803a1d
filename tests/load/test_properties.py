"""Property-based tests: whatever bytes or YAML arrive, the tool answers with located diagnostics.

Hypothesis generates the inputs (random bytes, YAML-like text, card-shaped
documents with wrong types, damaged lock files) and, when a property fails,
shrinks the input to the smallest that still fails. Every run draws new
inputs; a failure prints the input, and the seed to replay it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import pipeline
from builder.model.diagnostics import Diagnostic, Location, Severity
from builder.load.loader import load_card_file
from builder.lock.lockfile import parse_lock
from builder.cli.report import format_diagnostic

from ..conftest import DATA, REPO

DISPLAY = "cards/fuzz.yaml"
FIELDS = ["id", "type", "front", "back", "text", "extra", "topics", "sources", "scope", "fact", "sources_differ",
          "tags", "section", "<<", ""]

# YAML's own punctuation, whitespace, control characters, and some letters: text that is nearly YAML.
YAMLISH = st.text(st.sampled_from(list("-:?[]{},&*!|>'\"#%@`~\n\t\r \\0aZé\x00\x07\x1b\x85\ufeff\u2028")),
                  max_size=200)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.dates())
DATA_VALUES = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner,
                                                     max_size=4)),
    max_leaves=20)
CARDS = st.lists(st.dictionaries(st.sampled_from(FIELDS), DATA_VALUES, max_size=8), max_size=4)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_located(diagnostics, display: str = DISPLAY) -> None:
    for problem in diagnostics:
        assert isinstance(problem, Diagnostic)
        assert problem.location.file == display
        assert problem.location.line is None or problem.location.line >= 1
        assert problem.message


def _load(data: bytes) -> None:
    loaded = load_card_file(data, DISPLAY)
    _assert_located(loaded.diagnostics)
    if not loaded.complete:
        assert any(p.severity is Severity.ERROR for p in loaded.diagnostics), "a card was dropped silently"


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_load_to_cards_or_located_diagnostics(data):
    _load(data)


@SETTINGS
@given(YAMLISH)
def test_yaml_like_text_loads_to_cards_or_located_diagnostics(text):
    _load(text.encode("utf-8", errors="surrogatepass"))


@SETTINGS
@given(CARDS, st.sampled_from([None, True, False]), st.integers(0, 10_000))
def test_card_shaped_documents_with_wrong_types_load_cleanly(cards, flow_style, damage_at):
    text = yaml.safe_dump(cards, default_flow_style=flow_style, allow_unicode=True)
    _load(text.encode())
    # The same document with a hostile byte spliced in somewhere.
    cut = damage_at % (len(text) + 1)
    for hostile in ("\t", "&a ", "*a", "- ", ": ", "\x00", "{", "]"):
        _load((text[:cut] + hostile + text[cut:]).encode())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(CARDS)
def test_the_whole_check_answers_any_card_file_with_located_diagnostics(tmp_path, cards):
    folder = tmp_path / "cards"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(DATA / "base" / "deck.yaml", folder / "deck.yaml")
    shutil.copy(DATA / "base" / "sources.yaml", folder / "sources.yaml")
    (folder / "fuzz.yaml").write_text(yaml.safe_dump(cards, allow_unicode=True))
    result = pipeline.check(folder)
    for problem in result.diagnostics:
        assert problem.location.file and Path(problem.location.file).name in (
            "fuzz.yaml", "deck.yaml", "sources.yaml", "deck.lock")
    if cards and result.card_count < len(cards):
        assert result.error_count, "a card was dropped without an error"


def _valid_lock() -> dict:
    return json.loads((REPO / "cards" / "deck.lock").read_text())


def _damage(value, choice: int, replacement):
    """``value`` with one part (picked by ``choice``) replaced."""
    if isinstance(value, dict) and value:
        keys = sorted(value, key=str)
        key = keys[choice % len(keys)]
        if choice % 3 == 0:
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: _damage(value[key], choice // 3, replacement)}
    if isinstance(value, list) and value:
        index = choice % len(value)
        return [*value[:index], _damage(value[index], choice // 2, replacement), *value[index + 1:]]
    return replacement


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 1 << 30), DATA_VALUES), min_size=1, max_size=3))
def test_a_damaged_lock_is_refused_with_a_diagnostic_never_a_crash(damages):
    lock = _valid_lock()
    for choice, replacement in damages:
        lock = _damage(lock, choice, replacement)
    read, problems = parse_lock(json.dumps(lock, default=str).encode(), "cards/deck.lock")
    assert (read is None) == bool(problems)
    _assert_located(problems, "cards/deck.lock")


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_as_a_lock_are_refused_or_read(data):
    read, problems = parse_lock(data, "cards/deck.lock")
    assert (read is None) == bool(problems)
    _assert_located(problems, "cards/deck.lock")


@SETTINGS
@given(st.text(), st.text(max_size=40))
def test_a_printed_diagnostic_never_sends_control_characters_to_the_terminal(message, file_name):
    line = format_diagnostic(Diagnostic("E001", Severity.ERROR, Location(file_name, 1, 1), message or "x"))
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in line)
