from builder import pipeline
from builder.lockfile import dump_lock, read_lock

from .conftest import positions

NOW = 1_790_000_000


def built(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=NOW)
    return cards / "deck.lock"


def test_round_trip_is_exact(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    lock, problems = read_lock(path, "deck.lock")
    assert problems == []
    assert dump_lock(lock) == path.read_text()
    assert set(lock.cards) == {"valid-basic", "valid-reversed", "valid-cloze"}
    assert lock.cards["valid-reversed"].reverse and lock.created == NOW


def test_layout_is_header_first_then_sorted_blocks(make_cards, tmp_path):
    text = built(make_cards, tmp_path).read_text()
    top = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert top == ["format", "namespace", "created", "notetypes", "cards", "retired", "purged", "renamed", "history"]
    card_lines = [line.strip().rstrip(":") for line in text.splitlines() if line.startswith("  valid-")]
    assert card_lines == sorted(card_lines)


def test_missing_lock_is_not_an_error(tmp_path):
    assert read_lock(tmp_path / "deck.lock", "deck.lock") == (None, [])


def test_damaged_lock_is_reported_where_it_is_damaged(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    text = path.read_text().replace("notetype: basic", "notetype: [basic]", 1)
    path.write_text(text)
    lock, problems = read_lock(path, "deck.lock")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "notetype: [basic]" in l)
    assert lock is None
    assert positions(problems) == [("E006", "deck.lock", line, 15)]


def test_merge_conflict_markers_get_one_clear_message(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    lines = path.read_text().splitlines()
    lines[20:20] = ["<<<<<<< HEAD", "  extra: ours", "=======", "  extra: theirs", ">>>>>>> branch"]
    path.write_text("\n".join(lines))
    lock, problems = read_lock(path, "deck.lock")
    assert lock is None
    assert positions(problems) == [("E006", "deck.lock", 21, 1)]
    assert "merge conflict" in problems[0].message


def test_yaml_syntax_error_in_the_lock(tmp_path):
    (tmp_path / "deck.lock").write_text("format: [1\n")
    lock, problems = read_lock(tmp_path / "deck.lock", "deck.lock")
    assert lock is None and [p.code for p in problems] == ["E001"]
