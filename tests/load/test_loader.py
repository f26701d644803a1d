import shutil
from pathlib import Path

from builder.model.diagnostics import Location
from builder.load.loader import card_files, load_card_set
from builder.model.cards import CardType, SourceRef

from ..conftest import DATA, positions


def test_valid_cards_load_with_types_fields_and_positions(make_cards):
    result = load_card_set(make_cards("valid.yaml"))
    assert result.diagnostics == ()
    card_set = result.card_set
    assert card_set.complete
    assert [c.id for c in card_set.cards] == ["valid-basic", "valid-reversed", "valid-cloze"]
    basic, reversed_, cloze = card_set.cards
    assert (basic.type, reversed_.type, cloze.type) == (CardType.BASIC, CardType.REVERSED, CardType.CLOZE)
    assert basic.extra == "Also *highly* cellular."
    assert reversed_.sources == (SourceRef("src-b", "Genetics"),)
    assert cloze.fact == "margins-both" and cloze.sources_differ.startswith("Source A")
    assert cloze.location == Location("cards/valid.yaml", 19, 3)
    assert cloze.where("topics", 0) == Location("cards/valid.yaml", 22, 12)


def test_deck_and_sources_load(make_cards):
    card_set = load_card_set(make_cards()).card_set
    assert card_set.deck.namespace == "testdeck"
    assert list(card_set.deck.topics) == ["histology", "margins", "prognosis"]
    assert card_set.deck.required_topics == ("histology",)
    assert card_set.sources_by_id["src-a"].date == "2020-01-02"
    assert card_set.sources_by_id["src-b"].url == "https://example.org/b"


def test_card_files_are_found_recursively_in_a_stable_order(tmp_path: Path):
    cards = tmp_path / "cards"
    (cards / "sub").mkdir(parents=True)
    (cards / ".hidden").mkdir()
    for name in ("deck.yaml", "sources.yaml", "b.yaml", "a.yml", "sub/c.yaml", "notes.txt", ".#b.yaml",
                 ".hidden/d.yaml"):
        (cards / name).write_text("")
    assert [p.relative_to(cards).as_posix() for p in card_files(cards)] == ["a.yml", "b.yaml", "sub/c.yaml"]


def test_missing_cards_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = load_card_set(tmp_path / "nowhere")
    assert result.card_set is None
    assert positions(result.diagnostics) == [("E005", "nowhere", 1, 1)]


def test_missing_deck_file_is_reported_and_cards_still_parsed(make_cards):
    cards = make_cards("yaml-syntax.yaml")
    (cards / "deck.yaml").unlink()
    result = load_card_set(cards)
    assert result.card_set is None
    assert [(code, name) for code, name, *_ in positions(result.diagnostics)] == [
        ("E005", "deck.yaml"), ("E001", "yaml-syntax.yaml")]


def test_deck_without_namespace_is_reported(make_cards):
    result = load_card_set(make_cards("valid.yaml", deck="missing-field.yaml"))
    assert result.card_set is None
    assert positions(result.diagnostics) == [("E101", "deck.yaml", 1, 1)]


def test_card_file_that_is_not_a_list(make_cards):
    result = load_card_set(make_cards("bad-structure.yaml"))
    assert positions(result.diagnostics) == [("E004", "bad-structure.yaml", 1, 1)]
    assert not result.card_set.complete


def test_broken_card_is_left_out_and_the_set_marked_incomplete(make_cards):
    result = load_card_set(make_cards("missing-field.yaml", "valid.yaml"))
    assert [c.id for c in result.card_set.cards] == ["valid-basic", "valid-reversed", "valid-cloze"]
    assert not result.card_set.complete
    assert result.card_count == 3


def test_empty_card_file_is_fine(make_cards):
    cards = make_cards("valid.yaml")
    (cards / "empty.yaml").write_text("# nothing yet\n")
    result = load_card_set(cards)
    assert result.diagnostics == ()
    assert result.card_set.complete


def test_sources_file_must_be_a_list(make_cards):
    cards = make_cards("valid.yaml")
    shutil.copy(DATA / "base" / "deck.yaml", cards / "sources.yaml")
    result = load_card_set(cards)
    assert result.card_set is None
    assert positions(result.diagnostics) == [("E004", "sources.yaml", 1, 1)]
