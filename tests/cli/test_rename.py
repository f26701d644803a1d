import pytest

from builder import pipeline
from builder.model.errors import DeckbuilderError
from builder.lock.lockfile import read_lock
from builder.cli.rename import rename_card

NOW = 1_790_000_000


def lock_of(cards):
    return read_lock(cards / "deck.lock", "deck.lock")[0]


@pytest.mark.parametrize("old, new, line, before, after", [
    ("plain-id", "plain-renamed", 2, "- id: plain-id   # trailing comment", "- id: plain-renamed   # trailing comment"),
    ("quoted-id", "quoted-renamed", 10, "  id: 'quoted-id'", "  id: 'quoted-renamed'"),
    ("flow-id", "flow-renamed", 14, '- {id: "flow-id", front:', '- {id: "flow-renamed", front:'),
])
def test_only_the_id_changes_on_its_one_line(make_cards, old, new, line, before, after):
    cards = make_cards("rename-layouts.yaml")
    path = cards / "rename-layouts.yaml"
    original = path.read_text().splitlines()
    assert original[line - 1].startswith(before)
    result = rename_card(cards, old, new)
    edited = path.read_text().splitlines()
    assert (result.file, result.line) == ("cards/rename-layouts.yaml", line)
    assert edited[line - 1].startswith(after)
    assert [l for i, l in enumerate(edited) if i != line - 1] == [l for i, l in enumerate(original) if i != line - 1]


def test_the_lock_keeps_the_guid_under_the_new_id(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=NOW)
    guid = lock_of(cards).cards["valid-basic"].guid
    assert rename_card(cards, "valid-basic", "valid-renamed").lock_updated
    lock = lock_of(cards)
    assert lock.cards["valid-renamed"].guid == guid and "valid-basic" not in lock.cards
    assert lock.renamed == {"valid-basic": "valid-renamed"}
    result = pipeline.build(cards, tmp_path / "out2", now=NOW + 60)
    assert dict(result.changes.changed) == {"valid-renamed": ("CardId",)}
    assert not result.changes.added and not result.changes.retired


def test_renaming_back_frees_the_old_id(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=NOW)
    rename_card(cards, "valid-basic", "valid-renamed")
    rename_card(cards, "valid-renamed", "valid-basic")
    assert lock_of(cards).renamed == {"valid-renamed": "valid-basic"}


def test_a_card_never_built_is_renamed_in_yaml_only(make_cards):
    cards = make_cards("valid.yaml")
    assert not rename_card(cards, "valid-basic", "valid-renamed").lock_updated
    assert not (cards / "deck.lock").exists()


@pytest.mark.parametrize("old, new, message", [
    ("no-such-card", "x", "there is no card with id 'no-such-card'"),
    ("valid-basic", "Not A Slug", "is not a valid id"),
    ("valid-basic", "valid-cloze", "already exists"),
])
def test_refusals_change_nothing(make_cards, old, new, message):
    cards = make_cards("valid.yaml")
    before = (cards / "valid.yaml").read_bytes()
    with pytest.raises(DeckbuilderError, match=message):
        rename_card(cards, old, new)
    assert (cards / "valid.yaml").read_bytes() == before


def test_a_renamed_away_id_cannot_be_taken_by_another_card(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=NOW)
    rename_card(cards, "valid-basic", "valid-renamed")
    with pytest.raises(DeckbuilderError, match="was renamed, and ids are never reused"):
        rename_card(cards, "valid-cloze", "valid-basic")


def test_an_edit_that_does_not_read_back_is_undone(make_cards, monkeypatch):
    from builder.cli import rename

    cards = make_cards("valid.yaml")
    before = (cards / "valid.yaml").read_bytes()
    real = rename._replace_id
    monkeypatch.setattr(rename, "_replace_id",
                        lambda data, *args: real(data, *args).replace(b"back: Spindle", b"back: Broken"))
    with pytest.raises(DeckbuilderError, match="restored"):
        rename_card(cards, "valid-basic", "valid-renamed")
    assert (cards / "valid.yaml").read_bytes() == before
