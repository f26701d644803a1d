import json

from builder import pipeline
from builder.lock.lockfile import FORMAT, dump_lock, read_lock

from ..conftest import positions

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
    assert lock.cards["valid-cloze"].placement.topics == ("margins",)


def test_layout_is_json_with_one_line_per_card_sorted(make_cards, tmp_path):
    text = built(make_cards, tmp_path).read_text()
    data = json.loads(text)
    assert data["format"] == FORMAT
    assert list(data)[:4] == ["note", "format", "namespace", "created"]
    card_lines = [line.strip().split('"')[1] for line in text.splitlines() if line.startswith('    "valid-')]
    assert card_lines == sorted(card_lines) == ["valid-basic", "valid-cloze", "valid-reversed"]


def spelled_out(path):
    """The lock at ``path`` in the layout of formats 1 and 2: every value spelled out."""
    lock, _ = read_lock(path, "deck.lock")
    data = json.loads(path.read_text())
    for section in ("cards", "retired"):
        for card_id, card in data[section].items():
            card.setdefault("notetype", "basic")
            card.setdefault("added", data["created"])
            card.setdefault("changed", card["added"])
            card["hashes"] = dict(sorted(getattr(lock, section)[card_id].hashes.items()))
            topics, scope, sources = card["placed"]
            card["placed"] = {"topics": topics, "scope": scope, "sources": sources}
    for entry in data["history"]:
        entry["titles"] = dict(lock.history[data["history"].index(entry)].titles)
    return data


def test_a_format_2_lock_is_read_as_the_same_lock_and_rewritten_smaller(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    compact = path.read_text()
    data = spelled_out(path)
    data["format"] = 2
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    old, problems = read_lock(path, "deck.lock")
    assert problems == [] and old.read_format == 2
    (tmp_path / "compact.lock").write_text(compact)
    assert old == read_lock(tmp_path / "compact.lock", "compact.lock")[0]
    assert len(compact) < len(path.read_text())
    result = pipeline.build(path.parent, tmp_path / "out2", now=NOW + 60)
    assert result.lock_written and not result.changes  # a format change, not a content change
    assert path.read_text() == compact


def test_a_damaged_compact_entry_is_refused(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    data = json.loads(path.read_text())
    for damage, code in ((lambda card: card.update(hashes="abc def"), "E006"),
                         (lambda card: card.update(placed=["margins", None]), "E006"),
                         (lambda card: card.update(placed=[["margins"], 7, []]), "E006")):
        changed = json.loads(json.dumps(data))
        damage(changed["cards"]["valid-basic"])
        path.write_text(json.dumps(changed, indent=1))
        lock, problems = read_lock(path, "deck.lock")
        assert lock is None and [p.code for p in problems] == [code]


def test_a_format_1_yaml_lock_is_read_and_rewritten_as_json(make_cards, tmp_path):
    import yaml

    path = built(make_cards, tmp_path)
    data = spelled_out(path)
    del data["note"]
    data["format"] = 1
    path.write_text("# deck.lock: written by `deckbuilder build`.\n" + yaml.safe_dump(data, sort_keys=False))
    lock, problems = read_lock(path, "deck.lock")
    assert problems == [] and dump_lock(lock) != path.read_text()
    result = pipeline.build(path.parent, tmp_path / "out2", now=NOW + 60)
    assert result.lock_written and not result.changes  # a format change, not a content change
    assert json.loads(path.read_text())["format"] == FORMAT


def test_a_hand_written_format_1_lock(tmp_path):
    (tmp_path / "deck.lock").write_text(LEGACY_LOCK)
    lock, problems = read_lock(tmp_path / "deck.lock", "deck.lock")
    assert problems == [] and lock.cards["valid-basic"].guid == "legacy-guid"


def test_missing_lock_is_not_an_error(tmp_path):
    assert read_lock(tmp_path / "deck.lock", "deck.lock") == (None, [])


def test_damaged_lock_is_reported_at_the_cards_line(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    text = path.read_text().replace('"notetype": "cloze"', '"notetype": ["cloze"]', 1)
    path.write_text(text)
    lock, problems = read_lock(path, "deck.lock")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith('    "valid-cloze"'))
    assert lock is None
    assert positions(problems) == [("E006", "deck.lock", line, 5)]


def test_invalid_json_is_reported_where_it_breaks(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    lines = path.read_text().splitlines()
    lines[3] = lines[3].rstrip(",")  # a missing comma
    path.write_text("\n".join(lines))
    lock, problems = read_lock(path, "deck.lock")
    assert lock is None and positions(problems) == [("E006", "deck.lock", 5, 3)]


def test_merge_conflict_markers_get_one_clear_message(make_cards, tmp_path):
    path = built(make_cards, tmp_path)
    lines = path.read_text().splitlines()
    lines[10:10] = ["<<<<<<< HEAD", '    "extra": {},', "=======", '    "other": {},', ">>>>>>> branch"]
    path.write_text("\n".join(lines))
    lock, problems = read_lock(path, "deck.lock")
    assert lock is None
    assert positions(problems) == [("E006", "deck.lock", 11, 1)]
    assert "merge conflict" in problems[0].message


LEGACY_LOCK = """\
# deck.lock: written by `deckbuilder build`.
format: 1
namespace: testdeck
created: '2026-09-21T14:13:20Z'
notetypes: {}
cards:
  valid-basic:
    guid: legacy-guid
    notetype: basic
    added: '2026-09-21T14:13:20Z'
    changed: '2026-09-21T14:13:20Z'
    question: What cell shape is typical?
    hashes: {Front: x}
retired: {}
purged: {}
renamed: {}
history: []
"""


def test_the_quick_reading_of_a_card_gives_what_the_careful_one_gives(monkeypatch):
    """lockread._card_fast reads the entries build writes; anything else falls to _card_from's checks."""
    from builder.lock import lockfile, lockread

    from ..conftest import REPO

    text = (REPO / "cards" / "deck.lock").read_text()
    quick, _ = lockfile.parse_lock(text.encode(), "deck.lock")
    monkeypatch.setattr(lockread, "_card_fast", lambda *args: None)
    careful, _ = lockfile.parse_lock(text.encode(), "deck.lock")
    assert quick == careful and quick.cards and quick.retired
    assert all(quick.cards[k].placement == careful.cards[k].placement for k in quick.cards)
