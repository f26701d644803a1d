"""Sharing: focused decks, the plain-text export and the manifest, as a student's Anki sees them."""

import hashlib
import json

import pytest

from builder import pipeline

from ..anki_client import import_package, note_by_card_id

NOW = 1_790_000_000


@pytest.fixture
def built(make_cards, tmp_path):
    cards = make_cards("valid.yaml", deck="with-decks.yaml")
    result = pipeline.build(cards, tmp_path / "out", now=NOW)
    assert result.error_count == 0, [str(d) for d in result.diagnostics]
    return {b.selection.definition.id: b for b in result.built}


def deck_of(collection, card_id):
    return collection.decks.name(note_by_card_id(collection, card_id).cards()[0].did)


def note_by_guid(collection, card_id):
    """Notes imported from the text export use stock note types (no CardId field): find them by GUID."""
    from builder.lock.identity import note_guid

    return collection.get_note(collection.db.scalar("select id from notes where guid = ?",
                                                    note_guid("testdeck", card_id)))


def test_one_package_per_deck_named_after_it(built):
    assert {deck_id: b.package.name for deck_id, b in built.items()} == {
        "main": "testdeck.apkg", "margins-only": "testdeck-margins-only.apkg",
        "by-topic": "testdeck-by-topic.apkg", "source-b": "testdeck-source-b.apkg"}


@pytest.mark.parametrize("deck_id, expected", [
    ("main", {"valid-basic": "Test Deck", "valid-reversed": "Test Deck", "valid-cloze": "Test Deck"}),
    ("margins-only", {"valid-cloze": "Test Deck: margins"}),
    ("by-topic", {"valid-basic": "Test Deck: by topic::Histology", "valid-reversed": "Test Deck: by topic::Histology",
                  "valid-cloze": "Test Deck: by topic::Margins"}),
    ("source-b", {"valid-cloze": "Test Deck: source B"}),  # cites src-b and is cutaneous
])
def test_each_deck_holds_its_cards_in_its_decks(built, collection, deck_id, expected):
    log = import_package(collection, built[deck_id].package)
    assert log.new == len(expected) == collection.note_count()
    assert {card_id: deck_of(collection, card_id) for card_id in expected} == expected


def test_split_deck_keeps_its_description_on_the_parent(built, collection):
    import_package(collection, built["by-topic"].package)
    assert "Every card, one subdeck per topic." in collection.decks.by_name("Test Deck: by topic")["desc"]


def test_a_card_in_two_decks_is_the_same_note(built, collection):
    import_package(collection, built["main"].package)
    log = import_package(collection, built["margins-only"].package)
    assert (log.new, log.updated, log.conflicting) == (0, 0, 0)
    assert collection.note_count() == 3
    assert deck_of(collection, "valid-cloze") == "Test Deck"  # Anki never moves a card a student has


def test_a_retired_cards_tombstone_goes_to_the_decks_that_had_it(make_cards, tmp_path):
    cards = make_cards("valid.yaml", deck="with-decks.yaml")
    pipeline.build(cards, tmp_path / "v1", now=NOW)
    text = (cards / "valid.yaml").read_text()
    (cards / "valid.yaml").write_text(text[:text.index("- id: valid-cloze")])
    result = pipeline.build(cards, tmp_path / "v2", now=NOW + 60)
    tombstones = {b.selection.definition.id: b.tombstone_count for b in result.built}
    assert tombstones == {"main": 1, "margins-only": 1, "by-topic": 1, "source-b": 1}
    assert result.built[1].note_count == 1  # the margins deck now holds only the tombstone


def test_plain_text_export_imports_and_updates_in_place(make_cards, tmp_path, collection):
    from anki.import_export_pb2 import ImportCsvRequest

    def import_text(path):
        metadata = collection.get_csv_metadata(path=str(path), delimiter=None)
        return collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log

    cards = make_cards("valid.yaml")
    export = pipeline.build(cards, tmp_path / "v1", now=NOW).built[0].exports[0]
    assert export.name == "testdeck.tsv"
    log = import_text(export)
    assert (len(log.new), collection.note_count(), collection.card_count()) == (3, 3, 5)
    types = {note_by_guid(collection, c).note_type()["name"] for c in ("valid-basic", "valid-reversed", "valid-cloze")}
    assert types == {"Basic", "Basic (and reversed card)", "Cloze"}
    basic = note_by_guid(collection, "valid-basic")
    assert basic["Front"] == "What cell shape is typical?" and basic["Back"].startswith("Spindle")
    assert "Card id: valid-basic" in basic["Back"] and "Publisher A" in basic["Back"]
    assert sorted(basic.tags) == ["testdeck::scope::general", "testdeck::source::src-a", "testdeck::topic::histology"]
    assert collection.decks.name(basic.cards()[0].did) == "Test Deck"
    assert note_by_guid(collection, "valid-cloze")["Text"].startswith("Margins of {{c1::1 cm}}")

    (cards / "valid.yaml").write_text((cards / "valid.yaml").read_text().replace("back: Spindle", "back: Oval"))
    export = pipeline.build(cards, tmp_path / "v2", now=NOW + 60).built[0].exports[0]
    log = import_text(export)
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert collection.note_count() == 3
    assert note_by_guid(collection, "valid-basic")["Back"].startswith("Oval")
    assert len(import_text(export).updated) == 0


def test_manifest_lists_every_file_with_its_checksum(built):
    output = built["main"].package.parent
    manifest = json.loads((output / "manifest.json").read_text())
    assert manifest["deck"] == {"name": "Test Deck", "version": "1.0.0", "released": True, "namespace": "testdeck"}
    assert [p["file"] for p in manifest["packages"]] == [
        "testdeck.apkg", "testdeck-margins-only.apkg", "testdeck-by-topic.apkg", "testdeck-source-b.apkg"]
    assert manifest["packages"][0]["topics"] == {"histology": 2, "margins": 1, "prognosis": 1}
    assert len(manifest["sha256"]) == 4 * 4 + 1  # each deck's .apkg/.tsv/.html/.md, and the changelog
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((output / name).read_bytes()).hexdigest() == digest


def test_student_readme_says_how_to_import_update_and_report(built):
    readme = (built["main"].package.parent / "README.md").read_text()
    for needed in ("File → Import", "Update notes: if newer", "tag:testdeck::retired", "shows its id", "sha256sum",
                   "**Test Deck: margins**: `testdeck-margins-only.apkg`, 1 note (2 cards)"):
        assert needed in readme, needed


def test_outputs_are_reproducible(make_cards, tmp_path):
    cards = make_cards("valid.yaml", deck="with-decks.yaml")
    pipeline.build(cards, tmp_path / "a", now=NOW)
    pipeline.build(cards, tmp_path / "b", now=NOW + 3600)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_student_readme_counts_live_and_retired_notes_and_cards_apart(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "v1", now=NOW)
    deck_file = cards / "valid.yaml"
    text = deck_file.read_text()
    start, end = text.index("- id: valid-reversed"), text.index("- id: valid-cloze")
    deck_file.write_text(text[:start] + text[end:])  # retire the reversed card: one note, two cards
    output = pipeline.build(cards, tmp_path / "v2", now=NOW + 60).built[0].package.parent
    readme = (output / "README.md").read_text()
    assert ("`testdeck.apkg`, 2 notes (3 cards); plus 1 retired note (2 cards) that only flag copies of earlier "
            "versions.") in readme
