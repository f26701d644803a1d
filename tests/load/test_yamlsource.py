from pathlib import Path

import pytest
import yaml

from builder.load import yamlsource
from builder.load.yamlsource import Mapping, Scalar, Sequence, parse_file, parse_text

from ..conftest import positions


def test_libyaml_parser_is_used():
    # The C parser is several times faster on large decks; PyYAML wheels ship it.
    assert yamlsource.USING_LIBYAML
    assert issubclass(yamlsource.Loader, yaml.CSafeLoader)


def test_values_and_keys_keep_one_based_positions():
    root, problems = parse_text("- id: a\n  topics: [x, y]\n", "f.yaml")
    assert problems == []
    card = root.items[0]
    assert (card.location.line, card.location.column) == (1, 3)
    topics = card.entries["topics"]
    assert (topics.key_location.line, topics.key_location.column) == (2, 3)
    assert [(i.location.line, i.location.column) for i in topics.items] == [(2, 12), (2, 15)]


def test_scalars_keep_the_text_the_author_typed():
    root, _ = parse_text("version: 1.0\nanswer: yes\nage: 08\nnothing:\n", "f.yaml")
    values = {key: node for key, node in root.entries.items()}
    assert [values[k].text for k in ("version", "answer", "age")] == ["1.0", "yes", "08"]
    assert values["nothing"].is_null


def test_duplicate_key_is_reported_at_the_second_occurrence_and_first_is_kept():
    root, problems = parse_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert positions(problems) == [("E003", "f.yaml", 3, 1)]
    assert "first at line 1" in problems[0].message
    assert root.entries["a"].text == "1"


def test_syntax_error_has_position():
    root, problems = parse_text("a: [1, 2\nb: 3\n", "f.yaml")
    assert root is None
    assert [p.code for p in problems] == ["E001"]
    assert problems[0].location.line >= 2


def test_tab_indentation_is_a_syntax_error_with_position():
    _, problems = parse_text("a:\n\t- b\n", "f.yaml")
    assert positions(problems) == [("E001", "f.yaml", 2, 1)]


def test_several_documents_in_one_file_are_refused():
    _, problems = parse_text("- a\n---\n- b\n", "f.yaml")
    assert [p.code for p in problems] == ["E001"]
    assert problems[0].location.line == 2


def test_empty_file_has_no_root_and_no_problem():
    assert parse_text("", "f.yaml") == (None, [])
    assert parse_text("# only a comment\n", "f.yaml") == (None, [])


def test_non_text_key_is_reported():
    _, problems = parse_text("? [a, b]\n: 1\n", "f.yaml")
    assert [p.code for p in problems] == ["E004"]


def test_recursive_alias_is_refused_not_followed():
    root, problems = parse_text("a: &x [1, *x]\n", "f.yaml")
    assert root is None
    assert [p.code for p in problems] == ["E004"]


def _alias_bomb(levels: int) -> str:
    """A "billion laughs": each level repeats the one before ten times (10**levels values from a few lines)."""
    return "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(levels - 1)
    )


def test_alias_bomb_stops_at_the_repeat_budget():
    root, problems = parse_text(_alias_bomb(9), "f.yaml")  # a billion values
    assert root is None
    assert [p.code for p in problems] == ["E004"]
    assert problems[0].message.startswith("aliases repeat more than 100,000 values")


def test_aliases_within_the_budgets_are_followed():
    root, problems = parse_text(_alias_bomb(4), "f.yaml")  # 10,000 values, 9,990 of them repeated
    assert problems == []
    assert len(root.entries["d"].items) == 10 and root.entries["d"].items[0] == root.entries["c"]


def test_alias_expansion_stops_at_the_node_budget(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_NODES_PER_FILE", 1000)
    root, problems = parse_text(_alias_bomb(4), "f.yaml")
    assert root is None
    assert [p.message for p in problems] == ["document expands to more than 1,000 values"]


DEEP_FILES = {
    "flow lists": ("[" * 100_000 + "]" * 100_000, (1, 65)),
    "block lists on one line": ("- " * 100_000 + "x", (1, 129)),
    "flow mappings": ("{a: " * 100_000 + "}" * 100_000, (1, 257)),
    "indented mappings": ("".join(" " * i + f"k{i}:\n" for i in range(1000)), (65, 65)),
    "indented mappings, CR line breaks": ("".join(" " * i + f"k{i}:\r" for i in range(1000)), (65, 65)),
    "1,001 flow levels (PyYAML 6.0.4's own limit is 1,000)": ("[" * 1001 + "]" * 1001, (1, 65)),
    "999 flow levels": ("[" * 999 + "]" * 999, (1, 65)),
    "400 flow levels (composed, under the scan's bound)": ("[" * 400 + "]" * 400, (1, 65)),
    "unclosed": ("[" * 50_000, (1, 65)),
}


@pytest.mark.parametrize("loader", [yamlsource.Loader, yamlsource.PureLoader], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("name", DEEP_FILES)
def test_nesting_too_deep_is_refused_with_our_diagnostic_under_every_parser(monkeypatch, loader, name):
    """libyaml's composer overflows the C stack (a segfault) past about 20,000 levels, and
    PyYAML 6.0.4's scanner refuses 1,000 with words of its own: the verdict must be ours,
    at the same place, whatever the release (CI repeats this module with the oldest PyYAML)."""
    monkeypatch.setattr(yamlsource, "Loader", loader)
    text, (line, column) = DEEP_FILES[name]
    root, problems = parse_text(text, "f.yaml")
    assert root is None
    assert [(p.code, p.location.line, p.location.column, p.message) for p in problems] == [
        ("E004", line, column, "nesting is deeper than 64 levels")]


def test_a_file_of_millions_of_tiny_values_is_refused_without_building_them():
    root, problems = parse_text("[" + "a," * 3_000_000 + "]", "f.yaml")
    assert root is None
    assert [(p.code, p.location.line) for p in problems] == [("E004", 1)]
    assert problems[0].message.startswith("the file holds more than 1,000,000 values")


def test_a_value_longer_than_the_limit_is_refused():
    root, problems = parse_text("- id: a\n  front: " + "x" * 100_001 + "\n", "f.yaml")
    assert root is None
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("E004", 2, 10)]
    assert problems[0].message == "a value of 100,001 characters; the limit is 100,000"


def test_nesting_deeper_than_the_limit_is_refused():
    deep = "[" * (yamlsource.MAX_DEPTH + 5) + "]" * (yamlsource.MAX_DEPTH + 5)
    root, problems = parse_text(deep, "f.yaml")
    assert root is None
    assert [p.code for p in problems] == ["E004"]


def test_invalid_utf8_is_reported_at_the_bad_byte(tmp_path: Path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"- id: a\n  front: Caf\xe9\n")
    parsed = parse_file(path, "f.yaml")
    assert parsed.root is None
    assert positions(parsed.diagnostics) == [("E002", "f.yaml", 2, 13)]


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeff- id: a\n".encode())
    parsed = parse_file(path, "f.yaml")
    assert parsed.diagnostics == ()
    assert parsed.root.items[0].entries["id"].text == "a"


def test_unreadable_path_is_a_diagnostic(tmp_path: Path):
    parsed = parse_file(tmp_path / "missing.yaml", "missing.yaml")
    assert positions(parsed.diagnostics) == [("E002", "missing.yaml", 1, 1)]


def test_pure_python_fallback_gives_the_same_tree(monkeypatch):
    text = "- id: a\n  topics: [x, y]\n  back: |\n    multi\n    line\n"
    fast, _ = parse_text(text, "f.yaml")
    monkeypatch.setattr(yamlsource, "Loader", type("PureLoader", (yamlsource._TextResolving, yaml.SafeLoader), {}))
    slow, _ = parse_text(text, "f.yaml")
    assert fast == slow
    assert isinstance(slow, Sequence) and isinstance(slow.items[0], Mapping)
    assert isinstance(slow.items[0].entries["back"], Scalar)


def test_control_character_is_reported_at_its_position():
    _, problems = parse_text('- id: x\n  front: "a\x00"\n', "f.yaml")
    assert positions(problems) == [("E001", "f.yaml", 2, 12)]
    assert "U+0000" in problems[0].message


def test_only_null_is_told_apart_from_text():
    root, _ = parse_text("a: 1.0\nb: yes\nc: 2018-10-29\nd: ~\ne: ''\n", "f.yaml")
    tags = {key: node.tag for key, node in root.entries.items()}
    assert tags == {"a": yamlsource.STR_TAG, "b": yamlsource.STR_TAG, "c": yamlsource.STR_TAG,
                    "d": yamlsource.NULL_TAG, "e": yamlsource.STR_TAG}


@pytest.mark.parametrize("loader", [yamlsource.Loader, yamlsource.PureLoader], ids=["libyaml", "pure-python"])
def test_the_composed_path_and_the_event_scan_agree_on_the_limit(monkeypatch, loader):
    """64 levels are accepted and the 65th is refused, whether or not a file is scanned first."""
    monkeypatch.setattr(yamlsource, "Loader", loader)
    limit = yamlsource.MAX_DEPTH
    short = "[" * limit + "x" + "]" * limit  # composed directly
    padded = short + "\n" + " " * yamlsource.SAFE_NESTING + "\n"  # same value; the event scan reads it first
    for text in (short, padded):
        assert parse_text(text, "f.yaml")[1] == []
        deeper = "[" + text.replace("\n", "]\n", 1) if "\n" in text else "[" + text + "]"
        assert [(p.code, p.location.column) for p in parse_text(deeper, "f.yaml")[1]] == [("E004", limit + 1)]


DATA_CARDS = Path(__file__).parent.parent / "data" / "cards"


def test_a_forbidden_character_is_located_in_characters_after_multibyte_text():
    # libyaml gives the offset in bytes of UTF-8: before, the column counted é, —, μ and 🧪 as 2-4 each.
    path = DATA_CARDS / "forbidden-character-after-multibyte.yaml"
    assert positions(parse_file(path, path.name).diagnostics) == [
        ("E001", "forbidden-character-after-multibyte.yaml", 3, 23)]


def test_a_line_break_yaml_hides_is_an_error_not_a_silent_change():
    # Before: "id: hidden\u2029" loaded as the id "hidden", with no diagnostic.
    path = DATA_CARDS / "hidden-line-break.yaml"
    assert positions(parse_file(path, path.name).diagnostics) == [("E001", "hidden-line-break.yaml", 8, 13)]
    for character in ("\u2028", "\x85"):
        assert positions(parse_text(f"a: b{character}\n", "f.yaml")[1]) == [("E001", "f.yaml", 1, 5)]
    root, problems = parse_text('a: "b\\u2029"\n', "f.yaml")  # written as an escape, it is kept
    assert problems == [] and root.entries["a"].text == "b\u2029"
