"""A student studies, the maintainer edits, the student re-imports: nothing is lost.

Real Anki collections (the `anki` package), real scheduler, Anki's own import
options. This is the contract of DESIGN §4 items 1-5.
"""

import pytest

from builder.compile import notetypes
from builder import pipeline

from ..anki_client import ALWAYS, IF_NEWER, import_with, note_by_card_id, scheduling_state, study

DAY = 86_400
V1_TIME = 1_790_000_000  # a fixed past moment: builds are reproducible given the lock


def edit(cards, old: str, new: str) -> None:
    path = cards / "lifecycle.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def cards(make_cards):
    return make_cards("lifecycle.yaml")


@pytest.mark.parametrize("condition", [IF_NEWER, ALWAYS], ids=["update-if-newer", "update-always"])
def test_reimport_updates_in_place_and_keeps_every_review(cards, tmp_path, collection, condition):
    v1 = pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package
    log = import_with(collection, v1, condition)
    assert (log.new, collection.note_count(), collection.card_count()) == (6, 6, 8)

    studied = study(collection, "Test Deck", answers=4)
    studied_ids = {collection.get_card(c).note()["CardId"] for c in studied}
    assert "life-one" in studied_ids and "life-five" not in studied_ids
    before = scheduling_state(collection, studied)
    note_ids = {cid: note_by_card_id(collection, cid).id for cid in ("life-one", "life-five", "life-three")}

    edit(cards, "First answer", "First answer, corrected")  # a studied card
    edit(cards, "Fifth question?", "Fifth question, reworded?")  # a card not yet studied
    edit(cards, "- id: life-three\n  front: Third question?\n  back: Third answer\n  topics: [margins]\n"
                "  sources: [src-a]\n\n", "")  # deleted
    edit(cards, "- id: life-six", "- id: life-seven\n  front: Seventh question?\n  back: Seventh answer\n"
                "  topics: [histology]\n  sources: [src-a]\n\n- id: life-six")  # added
    v2_result = pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY)
    assert v2_result.changes.added == ("life-seven",)
    assert dict(v2_result.changes.changed) == {"life-one": ("Back",), "life-five": ("Front",)}
    assert v2_result.changes.retired == ("life-three",)

    log = import_with(collection, v2_result.package, condition)
    assert log.conflicting == 0
    # Edited notes: same note ids, new text.
    assert note_by_card_id(collection, "life-one").id == note_ids["life-one"]
    assert note_by_card_id(collection, "life-one")["Back"] == "First answer, corrected"
    assert note_by_card_id(collection, "life-five").id == note_ids["life-five"]
    assert note_by_card_id(collection, "life-five")["Front"] == "Fifth question, reworded?"
    # The new card arrived.
    assert note_by_card_id(collection, "life-seven")["Front"] == "Seventh question?"
    # The deleted card is still there (Anki never deletes on import), marked for deletion.
    retired = note_by_card_id(collection, "life-three")
    assert retired.id == note_ids["life-three"]
    assert retired.tags == ["testdeck::retired"]
    assert "Retired card" in retired["Notice"] and "tag:testdeck::retired" in retired["Notice"]
    assert "Retired card" in retired.cards()[0].question()
    # No duplicates: 6 old notes + 1 new, one note per GUID.
    assert collection.note_count() == 7
    assert collection.db.scalar("select count(distinct guid) from notes") == 7
    # Every studied card kept its scheduling and review history.
    assert scheduling_state(collection, studied) == before
    # Only what changed was updated: 2 edits + 1 tombstone.
    assert log.new == 1 and log.updated == 3

    again = import_with(collection, v2_result.package, condition)
    assert (again.new, again.updated) == (0, 0)
    assert scheduling_state(collection, studied) == before


def test_two_builds_without_changes_are_byte_identical(cards, tmp_path):
    first = pipeline.build(cards, tmp_path / "a", now=V1_TIME).package.read_bytes()
    lock = (cards / "deck.lock").read_bytes()
    second = pipeline.build(cards, tmp_path / "b", now=V1_TIME + DAY).package.read_bytes()
    assert first == second
    assert (cards / "deck.lock").read_bytes() == lock


def test_same_yaml_and_lock_give_the_same_bytes_on_another_checkout(cards, tmp_path, make_cards):
    pipeline.build(cards, tmp_path / "a", now=V1_TIME)
    clone = tmp_path / "clone"
    clone.mkdir()
    import shutil

    shutil.copytree(cards, clone / "cards")
    again = pipeline.build(clone / "cards", tmp_path / "b", now=V1_TIME + 5 * DAY).package
    assert again.read_bytes() == (tmp_path / "a" / "testdeck.apkg").read_bytes()


def test_a_css_change_reaches_an_existing_collection(cards, tmp_path, collection, monkeypatch):
    import_with(collection, pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package, IF_NEWER)
    monkeypatch.setattr(notetypes, "CSS", notetypes.CSS + "\n.card { letter-spacing: 0.01em; }\n")
    v2 = pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY)
    assert v2.changes.notetypes == ("basic", "cloze")
    log = import_with(collection, v2.package, IF_NEWER)
    assert (log.updated, log.conflicting) == (0, 0)  # the notes themselves did not change
    path = collection.path
    collection.close()
    from anki.collection import Collection

    reopened = Collection(path)  # note types read through col.models can be stale after an import
    try:
        for model in reopened.models.all():
            if model["name"].startswith("testdeck "):
                assert "letter-spacing: 0.01em" in model["css"], model["name"]
    finally:
        reopened.close()
    collection.reopen()


def test_turning_a_basic_card_into_a_reversed_one_adds_the_reverse_card(cards, tmp_path, collection):
    import_with(collection, pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package, IF_NEWER)
    assert len(note_by_card_id(collection, "life-two").cards()) == 1
    edit(cards, "- id: life-two\n", "- id: life-two\n  type: reversed\n")
    log = import_with(collection, pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY).package, IF_NEWER)
    assert (log.updated, log.conflicting) == (1, 0)
    assert sorted(c.ord for c in note_by_card_id(collection, "life-two").cards()) == [0, 1]


def test_a_renamed_card_keeps_the_students_note_and_reviews(cards, tmp_path, collection):
    from builder.cli.rename import rename_card

    import_with(collection, pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package, IF_NEWER)
    studied = study(collection, "Test Deck", answers=2)
    assert {collection.get_card(c).note()["CardId"] for c in studied} >= {"life-one"}
    before = scheduling_state(collection, studied)
    note_id = note_by_card_id(collection, "life-one").id
    rename_card(cards, "life-one", "life-first")
    log = import_with(collection, pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY).package, IF_NEWER)
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    assert note_by_card_id(collection, "life-first").id == note_id
    assert scheduling_state(collection, studied) == before


def test_an_unretired_card_comes_back_with_its_reviews(cards, tmp_path, collection):
    from builder.cli.retirement import unretire

    import_with(collection, pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package, IF_NEWER)
    studied = study(collection, "Test Deck", answers=1)
    before = scheduling_state(collection, studied)
    text = (cards / "lifecycle.yaml").read_text()
    block = text[text.index("- id: life-one"):text.index("- id: life-two")]
    (cards / "lifecycle.yaml").write_text(text.replace(block, ""))
    import_with(collection, pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY).package, IF_NEWER)
    assert note_by_card_id(collection, "life-one").tags == ["testdeck::retired"]
    unretire(cards, "life-one")
    (cards / "lifecycle.yaml").write_text(text)
    import_with(collection, pipeline.build(cards, tmp_path / "v3", now=V1_TIME + 2 * DAY).package, IF_NEWER)
    restored = note_by_card_id(collection, "life-one")
    assert restored["Notice"] == "" and restored.tags == ["testdeck::source::src-a", "testdeck::topic::histology"]
    assert scheduling_state(collection, studied) == before
