"""deckbuilder import: a deck made elsewhere, studied in a real Anki, imported, built and re-imported.

The contract (README "Importing an Anki deck"): the first build of an imported deck adds no note,
duplicates none, keeps every review and note type, and changes no field; an edited card then arrives
as an in-place update. Real parts throughout: genanki writes the outside deck, the `anki` package
imports, schedules and exports it.
"""

from __future__ import annotations

import re
import sqlite3
import time
import zipfile
from pathlib import Path

import genanki
import pytest

from builder import pipeline
from builder.cli.importing import import_deck
from builder.cli.importing.packages import ImportFailed

from ..anki_client import DEFAULT_IMPORTER, import_package, study
from ..conftest import positions

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def outside_deck(folder: Path) -> Path:
    """A deck built outside deckbuilder: genanki's own model ids and GUIDs, three note types, tags, a picture."""
    basic = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                                      "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'}], css=".card{color:navy}")
    reverse = genanki.Model(1607392320, "Two Way", fields=[{"name": "Front"}, {"name": "Back"}], templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}])
    cloze = genanki.Model(1607392321, "My Cloze", fields=[{"name": "Text"}, {"name": "Back Extra"}],
                          templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                                      "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}], model_type=genanki.Model.CLOZE)
    deck = genanki.Deck(2059400110, "Outside Deck")
    for model, fields, tags in (
        (basic, ["What is the capital of <b>France</b>?", "Paris"], ["geo", "topic::capitals"]),
        (basic, ['Which organ is this? <img src="heart.png">', "The heart &amp; 2 &lt; 3"], ["anatomy"]),
        (basic, ["Largest artery?", "The <i>aorta</i>"], ["anatomy", "topic::vessels"]),
        (reverse, ["Cor", "Heart"], ["latin"]),
        (cloze, ["The {{c1::mitral}} valve has {{c2::two}} cusps", "Also called bicuspid"], ["topic::valves"]),
    ):
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags))
    (folder / "heart.png").write_bytes(PNG)
    package = genanki.Package(deck)
    package.media_files = [str(folder / "heart.png")]
    path = folder / "outside.apkg"
    package.write_to_file(str(path))
    return path


def snapshot(col) -> dict:
    """Everything a re-import must leave as it is."""
    return {
        "notes": col.db.scalar("select count() from notes"),
        "cards": col.db.scalar("select count() from cards"),
        "revlog": col.db.scalar("select count() from revlog"),
        "notetypes": sorted(col.db.list("select id from notetypes")),
        "fields": dict(col.db.all("select guid, flds from notes")),
        "schedule": col.db.all("select id, nid, ivl, due, reps, lapses, queue, type, factor from cards order by id"),
    }


def exported(col, kind: str, folder: Path) -> Path:
    """The collection's deck as Anki itself exports it: a modern .apkg, a .colpkg or a text export with GUIDs."""
    try:
        from anki.collection import ExportAnkiPackageOptions
    except ImportError:  # 2.1.54
        pytest.skip("this Anki cannot export packages with options from Python")

    if kind == "modern":
        path = folder / "modern.apkg"
        col.export_anki_package(out_path=str(path), options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=True, legacy=False), limit=None)
        assert "collection.anki21b" in zipfile.ZipFile(path).namelist()
    elif kind == "legacy-export":  # "Support older Anki versions": collection.anki21, JSON media list
        path = folder / "legacy.apkg"
        col.export_anki_package(out_path=str(path), options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=True, legacy=True), limit=None)
        assert "collection.anki21" in zipfile.ZipFile(path).namelist()
    elif kind == "colpkg":
        path = folder / "full.colpkg"
        col.export_collection_package(str(path), include_media=True, legacy=False)
        col.reopen()  # exporting a whole collection closes it
    else:
        path = folder / "notes.txt"
        col.export_note_csv(out_path=str(path), limit=None, with_html=True,
                            with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
    return path


def built_fields(package: Path, tmp: Path) -> dict[str, str]:
    with zipfile.ZipFile(package) as archive:
        (tmp / "built.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp / "built.anki2") as db:
        return dict(db.execute("select guid, flds from notes"))


@pytest.mark.parametrize("kind", ["genanki", "modern", "legacy-export", "colpkg"])
def test_round_trip_keeps_every_note_review_and_note_type(kind, tmp_path, collection):
    outside = outside_deck(tmp_path)
    log = import_package(collection, outside)
    assert log.new == 5
    study(collection, "Outside Deck", answers=4)
    source = outside if kind == "genanki" else exported(collection, kind, tmp_path)
    before = snapshot(collection)
    assert before["revlog"] == 4

    result = import_deck(source, tmp_path / "imported")
    assert (result.card_count, result.media_count) == (5, 1)
    assert not [p for p in result.problems if p.is_error]
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    assert built.package is not None, built.diagnostics
    assert not built.changes, "the first build of an imported deck changes nothing"
    assert not built.lock_written  # the lock import wrote is the one the build would write: --locked passes
    # The built notes hold the original fields, the picture under its published (content-named) file name.
    fields = built_fields(built.package, tmp_path)
    published = next(name for name in built.plan.media)
    assert {guid: value.replace(published, "heart.png") for guid, value in fields.items()} == before["fields"]

    log = import_package(collection, built.package)
    after = snapshot(collection)
    assert (log.new, log.conflicting) == (0, 0)
    assert after == before  # note and card counts, reviews, schedule, note type ids, every field

    # (3) An edited card arrives in place, reviews kept.
    cards_file = result.cards_dir / "imported.yaml"
    cards_file.write_text(cards_file.read_text().replace("back: Paris", "back: Paris (since 508)"))
    edited = pipeline.build(result.cards_dir, tmp_path / "out", now=int(time.time()) + 2)
    assert list(edited.changes.changed) == ["what-is-the-capital-of-france"]
    log = import_package(collection, edited.package)
    after = snapshot(collection)
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    assert (after["notes"], after["cards"], after["revlog"], after["notetypes"], after["schedule"]) == (
        before["notes"], before["cards"], before["revlog"], before["notetypes"], before["schedule"])
    changed = {guid for guid in before["fields"] if after["fields"][guid] != before["fields"][guid]}
    assert len(changed) == 1
    assert after["fields"][changed.pop()].endswith("\x1fParis (since 508)")


def test_text_export_keeps_guids_and_fields(tmp_path, collection):
    """A plain-text export names its note types without their ids, fields or times: GUIDs and field
    values are kept, the note types cannot be, and the built deck says so in what it ships."""
    outside = outside_deck(tmp_path)
    import_package(collection, outside)
    if DEFAULT_IMPORTER == "legacy":  # 2.1.54
        pytest.skip("plain-text export and import with GUIDs need Anki 2.1.55 or later")
    study(collection, "Outside Deck", answers=2)
    source = exported(collection, "text", tmp_path)
    before = snapshot(collection)
    result = import_deck(source, tmp_path / "imported")
    assert (result.kind, result.card_count, result.adopted, result.media_count) == ("text", 5, (), 1)
    assert not [p for p in result.problems if p.is_error]
    assert ("W012", "notes.txt", 1, 1) in positions(result.problems)
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    assert built.package is not None, built.diagnostics
    import json

    lock = json.loads((result.cards_dir / "deck.lock").read_text())
    assert {entry["guid"] for entry in lock["cards"].values()} == set(before["fields"])
    log = import_package(collection, built.package)
    after = snapshot(collection)
    assert log.new == 0 and after["revlog"] == before["revlog"] and after["notes"] == before["notes"]
    # Measured: Anki refuses each note as conflicting (another note type) and leaves it, reviews and all.
    assert (log.conflicting, after["fields"], after["schedule"]) == (5, before["fields"], before["schedule"])


TEXT_EXPORT_OUTCOME: dict = {}


# ---------------------------------------------------------------- hostile inputs


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_traversal_in_a_media_name_writes_nothing_outside(tmp_path):
    outside = outside_deck(tmp_path)
    with zipfile.ZipFile(outside) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    collection = members["collection.anki2"]
    (tmp_path / "c.anki2").write_bytes(collection)
    with sqlite3.connect(tmp_path / "c.anki2") as db:
        db.execute("update notes set flds = replace(flds, 'heart.png', '../../escaped.png')")
    members["collection.anki2"] = (tmp_path / "c.anki2").read_bytes()
    members["media"] = b'{"0": "../../escaped.png"}'
    hostile = _zip(tmp_path / "traversal.apkg", members)
    result = import_deck(hostile, tmp_path / "deep" / "imported")
    assert not (tmp_path / "escaped.png").exists() and not (tmp_path / "deep" / "escaped.png").exists()
    assert (result.cards_dir / "media" / "escaped.png").read_bytes() == PNG
    assert ("W013", "traversal.apkg", 1, 1) in positions(result.problems)
    assert 'src="escaped.png"' in (result.cards_dir / "imported.yaml").read_text()


@pytest.mark.parametrize("name, content, words", [
    ("not-a-zip.apkg", b"hello, I am text", "not an Anki package"),
    ("empty-zip.apkg", None, "holds no Anki collection"),
    ("corrupt-sqlite.apkg", {"collection.anki2": b"SQLite format 3\x00" + b"\xff" * 5000}, "collection"),
    ("not-sqlite.apkg", {"collection.anki2": b"garbage" * 100}, "not an SQLite database"),
    ("bad-zstd.apkg", {"meta": b"\x08\x03", "collection.anki21b": b"(\xb5/\xfd garbage"}, "not valid zstd"),
])
def test_bad_input_is_one_error_naming_the_file_and_leaves_no_folder(tmp_path, name, content, words):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        _zip(path, content or {"readme.txt": b"nothing"})
    with pytest.raises(ImportFailed) as failure:
        import_deck(path, tmp_path / "imported")
    message = failure.value.message
    assert positions([failure.value.diagnostic]) == [("E011", name, 1, 1)]
    assert message.startswith(f"{path}: E011 ") or f"{name}: E011 " in message
    assert words in message
    assert not (tmp_path / "imported").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".imported.")]


def test_zip_bomb_is_refused_before_it_expands(tmp_path):
    import zstandard

    bomb = zstandard.ZstdCompressor().compress(b"\0" * (1 << 20))  # a small taste; the limit is patched down
    path = _zip(tmp_path / "bomb.apkg", {"meta": b"\x08\x03", "collection.anki21b": bomb})
    from builder.cli.importing import packages

    original = packages.MAX_COLLECTION_BYTES
    packages.MAX_COLLECTION_BYTES = 1 << 16
    try:
        with pytest.raises(ImportFailed, match="expands to more than"):
            import_deck(path, tmp_path / "imported")
    finally:
        packages.MAX_COLLECTION_BYTES = original
    assert not (tmp_path / "imported").exists()


def test_unsupported_note_type_is_reported_once_and_the_rest_imported(tmp_path):
    three = genanki.Model(1607392399, "Three Fields", fields=[{"name": "A"}, {"name": "B"}, {"name": "C"}],
                          templates=[{"name": "Card 1", "qfmt": "{{A}}", "afmt": "{{B}}{{C}}"}])
    basic = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}])
    deck = genanki.Deck(2059400111, "Mixed")
    for n in range(3):
        deck.add_note(genanki.Note(model=three, fields=[f"a{n}", "b", "c"]))
    deck.add_note(genanki.Note(model=basic, fields=["Kept question?", "Kept answer"]))
    path = tmp_path / "mixed.apkg"
    genanki.Package(deck).write_to_file(str(path))
    result = import_deck(path, tmp_path / "imported")
    assert result.card_count == 1
    skipped = [p for p in result.problems if p.code == "W012"]
    assert positions(skipped) == [("W012", "mixed.apkg", 1, 1)]
    assert "Three Fields" in skipped[0].message and "Change Note Type" in skipped[0].message


def test_existing_folder_is_refused(tmp_path):
    outside = outside_deck(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    from builder.model.errors import DeckbuilderError

    with pytest.raises(DeckbuilderError, match="already exists"):
        import_deck(outside, tmp_path / "taken")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]


def test_cli_reports_bad_input_without_traceback(tmp_path):
    from click.testing import CliRunner

    from builder.cli import main

    path = tmp_path / "x.apkg"
    path.write_bytes(b"nope")
    with pytest.raises(ImportFailed) as failure:
        import_deck(path, tmp_path / "d")
    assert positions([failure.value.diagnostic]) == [("E011", "x.apkg", 1, 1)]
    result = CliRunner().invoke(main, ["import", str(path), "--into", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "E011" in result.output and "Traceback" not in result.output


def test_a_retired_card_of_an_imported_deck_reaches_students_on_their_note_type(tmp_path, collection):
    outside = outside_deck(tmp_path)
    import_package(collection, outside)
    result = import_deck(outside, tmp_path / "imported")
    cards_file = result.cards_dir / "imported.yaml"
    text = cards_file.read_text()
    start = text.index("- id: cor\n")
    end = text.index("- id: ", start + 1)
    cards_file.write_text(text[:start] + text[end:])  # the reversed card, deleted
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    assert built.changes.retired == ("cor",)
    before = snapshot(collection)
    log = import_package(collection, built.package)
    after = snapshot(collection)
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    assert (after["notes"], after["notetypes"], after["schedule"]) == (
        before["notes"], before["notetypes"], before["schedule"])
    note = collection.get_note(collection.find_notes("tag:outside-deck::retired")[0])
    assert "Retired card" in note["Front"] and note["Front"].endswith("Cor")


def test_basic_and_reversed_are_two_note_types_in_an_imported_deck(tmp_path):
    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    cards_file = result.cards_dir / "imported.yaml"
    cards_file.write_text(cards_file.read_text().replace("- id: cor\n  type: reversed\n", "- id: cor\n"))
    checked = pipeline.check(result.cards_dir)
    assert [(code, name, line) for code, name, line, _ in positions(checked.diagnostics) if code == "E206"] == [
        ("E206", "imported.yaml", 29)]


def test_the_imported_deck_validates_against_the_shipped_schemas(tmp_path):
    import json

    import jsonschema
    import yaml

    from builder.cli.scaffold import schema_path

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    for kind, name in (("deck", "deck.yaml"), ("sources", "sources.yaml"), ("cards", "imported.yaml")):
        schema = json.loads(schema_path(kind).read_text())
        jsonschema.validate(yaml.safe_load((result.cards_dir / name).read_text()), schema)


# ---------------------------------------------------------------- field text: Markdown only where lossless

@pytest.mark.parametrize("original, text, identical", [
    ("Paris", "Paris", True),
    ("<strong>bold</strong> word", "**bold** word", True),
    ("5 * 3 = 15 and a_b_c", "5 \\* 3 = 15 and a\\_b\\_c", True),
    ("Tom &amp; Jerry", "Tom & Jerry", True),
    ("1. not a list", "1\\. not a list", True),
    ("<b>x</b>", "<b>x</b>", True),  # Markdown's ** gives <strong>: kept as HTML
    ("<div>a</div><div>b</div>", "<div>a</div><div>b</div>", True),
    ("a<br>b", "a<br>b", True),
    ("a&nbsp;b", "a&nbsp;b", True),
    ("{{c1::Paris::city}} and {{c2::Rome}}", "{{c1::Paris::city}} and {{c2::Rome}}", True),
    ('<span style="color:red">x</span>', "<span>x</span>", False),  # the sanitiser drops the style
    ('<img src="a.png" onerror="alert(1)">', '<img src="a.png">', False),
])
def test_field_text_renders_back_to_the_same_html(original, text, identical):
    from builder.cli.importing.convert import field_text
    from builder.text.markup import render, sanitise

    assert field_text(original) == (text, identical)
    assert render(text) == sanitise(original)


def test_protobuf_reader_reads_what_anki_writes_and_refuses_damage():
    from builder.cli.importing import protobuf

    # NotetypeConfig of a cloze type as Anki 26 wrote it: kind = 1 (varint), css = 3 (string), others skipped.
    data = b"\x08\x01\x1a\x10.card{color:red} \xae\xe7\xff\xd5\x07"
    fields = protobuf.message_fields(data)
    assert protobuf.number(fields, 1) == 1 and protobuf.text(fields, 3) == ".card{color:red}"
    for damaged in (b"\x1a\x10short", b"\x08", b"\x0f"):
        with pytest.raises(protobuf.ProtobufError):
            protobuf.message_fields(damaged)


def test_a_field_the_adopted_note_type_cannot_show_is_a_located_warning(tmp_path):
    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    cards_file = result.cards_dir / "imported.yaml"
    cards_file.write_text(cards_file.read_text().replace("  back: Paris\n", "  back: Paris\n  extra: On the Seine\n"))
    checked = pipeline.check(result.cards_dir)
    assert [p for p in positions(checked.diagnostics) if p[0] == "W911"] == [("W911", "imported.yaml", 5, 10)]


def test_scripts_in_templates_are_removed_and_the_note_type_stays_the_same_for_anki(tmp_path, collection):
    scripted = genanki.Model(1607392330, "Scripted", fields=[{"name": "Front"}, {"name": "Back"}], templates=[{
        "name": "Card 1", "qfmt": '{{Front}}<script>fetch("https://evil.example")</script>',
        "afmt": '{{FrontSide}}<hr id=answer><img src="x.png" onerror="alert(1)">{{Back}}'}],
        css=".card{background:url(https://evil.example/t.png)} @import 'https://evil.example/x.css';")
    deck = genanki.Deck(2059400112, "Scripted Deck")
    deck.add_note(genanki.Note(model=scripted, fields=["Question \u2028 with odd\x0b characters?", "Answer"],
                               tags=["odd\x01tag", "fine"]))
    path = tmp_path / "scripted.apkg"
    genanki.Package(deck).write_to_file(str(path))
    import_package(collection, path)
    before = snapshot(collection)
    result = import_deck(path, tmp_path / "imported")
    assert ("W013", "scripted.apkg", 1, 1) in positions(result.problems)
    deck_yaml = (result.cards_dir / "deck.yaml").read_text()
    assert "<script" not in deck_yaml and "onerror" not in deck_yaml and "evil" not in deck_yaml
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    assert built.package is not None, built.diagnostics
    log = import_package(collection, built.package)
    assert (log.new, log.conflicting) == (0, 0)
    assert snapshot(collection)["notetypes"] == before["notetypes"]


def test_an_unsafe_adopted_template_is_refused_where_it_is_written(tmp_path):
    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    deck_yaml = result.cards_dir / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text().replace("front: '{{Question}}'", "front: '{{Question}}<script>x</script>'"))
    checked = pipeline.check(result.cards_dir)
    assert [p for p in positions(checked.diagnostics) if p[0] == "E901"] == [("E901", "deck.yaml", 24, 5)]


def test_content_errors_in_the_imported_cards_are_reported_and_the_deck_kept(tmp_path):
    basic = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}])
    deck = genanki.Deck(2059400113, "Twice")
    deck.add_note(genanki.Note(model=basic, fields=["Same question?", "One"], guid="guid-one"))
    deck.add_note(genanki.Note(model=basic, fields=["Same question?", "Two"], guid="guid-two"))
    path = tmp_path / "twice.apkg"
    genanki.Package(deck).write_to_file(str(path))
    result = import_deck(path, tmp_path / "imported")
    assert [p[:2] for p in positions(result.problems) if p[0].startswith("E")] == [("E402", "imported.yaml")]
    assert str(tmp_path / "imported") in result.problems[0].location.file  # named where it now is
    assert (result.cards_dir / "deck.lock").is_file()


def test_cli_imports_and_says_what_to_do_next(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from builder.cli import main

    outside = outside_deck(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", "outside.apkg"])
    assert result.exit_code == 0, result.output
    assert "Imported 5 cards and 1 media files into outside-deck/cards (namespace 'outside-deck')" in result.output
    assert "Next: cd outside-deck && deckbuilder build" in result.output
    monkeypatch.chdir(tmp_path / "outside-deck")
    built = CliRunner().invoke(main, ["build", "--locked", "--strict"])
    assert built.exit_code == 0, built.output
    assert outside.exists()


def test_the_plain_text_export_of_an_imported_deck_updates_in_place_too(tmp_path, collection):
    if DEFAULT_IMPORTER == "legacy":  # 2.1.54
        pytest.skip("plain-text import with GUIDs needs Anki 2.1.55 or later")
    from anki.import_export_pb2 import ImportCsvRequest

    outside = outside_deck(tmp_path)
    import_package(collection, outside)
    study(collection, "Outside Deck", answers=3)
    result = import_deck(outside, tmp_path / "imported")
    cards_file = result.cards_dir / "imported.yaml"
    cards_file.write_text(cards_file.read_text().replace("back: Paris", "back: Paris (since 508)"))
    before = snapshot(collection)
    export = pipeline.build(result.cards_dir, tmp_path / "out").built[0].exports[0]
    assert export.suffix == ".tsv" and "Simple Model" in export.read_text()
    metadata = collection.get_csv_metadata(path=str(export), delimiter=None)
    log = collection.import_csv(ImportCsvRequest(path=str(export), metadata=metadata)).log
    after = snapshot(collection)
    # A text import compares contents, not times: the edited note, and the picture's note, whose field now
    # names the file under its published (content) name, as every .tsv does (the file is in output/media/).
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 2, 0)
    assert (after["notes"], after["revlog"], after["notetypes"], after["schedule"]) == (
        before["notes"], before["revlog"], before["notetypes"], before["schedule"])
    changed = {guid: after["fields"][guid] for guid in before["fields"] if after["fields"][guid] != before["fields"][guid]}
    assert sorted(value.endswith("\x1fParis (since 508)") for value in changed.values()) == [False, True]
    published = next(value for value in changed.values() if "Paris" not in value)
    assert re.sub(r"heart-[0-9a-f]{16}\.png", "heart.png", published) in before["fields"].values()


def _modern_package(tmp_path: Path, collection, edit) -> Path:
    """The modern package Anki exports, its collection changed by ``edit(sqlite connection)``."""
    import zstandard

    import_package(collection, outside_deck(tmp_path))
    source = exported(collection, "modern", tmp_path)
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    database = tmp_path / "modern.sqlite"
    database.write_bytes(zstandard.ZstdDecompressor().decompressobj().decompress(members["collection.anki21b"]))
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode = DELETE")  # Anki's file is in WAL mode: write the edit into the file itself
    db.create_collation("unicase", lambda a, b: (a > b) - (a < b))
    edit(db)
    db.commit()
    db.close()
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(database.read_bytes())
    return _zip(tmp_path / "damaged-modern.apkg", members)


@pytest.mark.parametrize("edit, words", [
    (lambda db: db.execute("update notetypes set config = x'0a05ff'"), "is damaged"),  # protobuf cut short
    (lambda db: db.execute("update notes set mid = 'not a number'"), "wrong kind"),
    (lambda db: db.execute("update notes set flds = x'00ff'"), "not text"),
])
def test_damage_inside_a_modern_collection_is_one_error(tmp_path, collection, edit, words):
    path = _modern_package(tmp_path, collection, edit)
    with pytest.raises(ImportFailed, match=words):
        import_deck(path, tmp_path / "imported")
    assert not (tmp_path / "imported").exists()


def test_a_failure_while_writing_leaves_no_folder(tmp_path, monkeypatch):
    from builder.cli import importing

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importing, "_write_lock", fail)
    with pytest.raises(OSError):
        import_deck(outside_deck(tmp_path), tmp_path / "imported")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heart.png", "outside.apkg"]


def test_two_note_types_of_one_shape_are_both_kept(tmp_path, collection):
    simple = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                           templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}])
    other = genanki.Model(1607392340, "Vocabulary", fields=[{"name": "Word"}, {"name": "Meaning"}],
                          templates=[{"name": "Recall", "qfmt": "{{Word}}", "afmt": "{{Meaning}}"}])
    deck = genanki.Deck(2059400114, "Two Kinds")
    deck.add_note(genanki.Note(model=simple, fields=["First question?", "One"]))
    deck.add_note(genanki.Note(model=simple, fields=["Second question?", "Two"]))
    deck.add_note(genanki.Note(model=other, fields=["cor", "heart"]))
    path = tmp_path / "two-kinds.apkg"
    genanki.Package(deck).write_to_file(str(path))
    import_package(collection, path)
    study(collection, "Two Kinds", answers=2)
    before = snapshot(collection)
    result = import_deck(path, tmp_path / "imported")
    assert result.adopted == ("Simple Model", "Vocabulary") and not result.problems
    deck_yaml = (result.cards_dir / "deck.yaml").read_text()
    assert "key: vocabulary" in deck_yaml and "- cor\n" in deck_yaml
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    log = import_package(collection, built.package)
    assert (log.new, log.conflicting) == (0, 0) and snapshot(collection) == before

    # Moving a card to the other note type would be a note type change Anki refuses: a located error.
    (result.cards_dir / "deck.yaml").write_text(deck_yaml.replace("    - cor\n", "    - first-question\n"))
    checked = pipeline.check(result.cards_dir)
    assert sorted(p[:2] for p in positions(checked.diagnostics) if p[0] == "E206") == [
        ("E206", "imported.yaml"), ("E206", "imported.yaml")]


def test_optional_reverse_note_type_carries_basic_and_reversed_cards(tmp_path, collection):
    """Anki's "Basic (optional reversed card)": a third field switches the reverse card on."""
    optional = genanki.Model(1607392350, "Basic (optional reversed card)",
                             fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Add Reverse"}], templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
        {"name": "Card 2", "qfmt": "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
         "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}])
    simple = genanki.Model(1607392319, "Simple Model", fields=[{"name": "Question"}, {"name": "Answer"}],
                           templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}])
    deck = genanki.Deck(2059400115, "Optional")
    deck.add_note(genanki.Note(model=optional, fields=["Cor", "Heart", "y"]))
    deck.add_note(genanki.Note(model=optional, fields=["Pulmo", "Lung", ""]))
    deck.add_note(genanki.Note(model=simple, fields=["Plain question?", "Plain answer"]))
    deck.add_note(genanki.Note(model=simple, fields=["Other question?", "Other answer"]))
    path = tmp_path / "optional.apkg"
    genanki.Package(deck).write_to_file(str(path))
    import_package(collection, path)
    study(collection, "Optional", answers=2)
    before = snapshot(collection)
    assert before["cards"] == 5
    result = import_deck(path, tmp_path / "imported")
    assert not result.problems
    text = (result.cards_dir / "imported.yaml").read_text()
    assert "- id: cor\n  type: reversed\n" in text and "- id: pulmo\n  front: Pulmo\n" in text
    assert "cards:\n    - pulmo\n" in (result.cards_dir / "deck.yaml").read_text()
    built = pipeline.build(result.cards_dir, tmp_path / "out")
    assert not built.changes
    log = import_package(collection, built.package)
    assert (log.new, log.conflicting) == (0, 0) and snapshot(collection) == before

    # Turning its reverse card on is no note type change here: the note gains the card, reviews kept.
    cards_file = result.cards_dir / "imported.yaml"
    cards_file.write_text(text.replace("- id: pulmo\n", "- id: pulmo\n  type: reversed\n"))
    edited = pipeline.build(result.cards_dir, tmp_path / "out", now=int(time.time()) + 2)
    assert edited.package is not None, edited.diagnostics
    log = import_package(collection, edited.package)
    after = snapshot(collection)
    assert (log.new, log.updated, log.conflicting) == (0, 1, 0)
    assert (after["notes"], after["cards"], after["revlog"], after["notetypes"]) == (
        before["notes"], before["cards"] + 1, before["revlog"], before["notetypes"])
    assert "Pulmo\x1fLung\x1fy" in after["fields"].values()


def test_an_imported_deck_builds_the_same_from_the_derived_cache(tmp_path):
    # The second build reads its notes from cards/.cache/derived (load/derived.py): each note must keep the
    # adopted note type it ships on, or the package would move it to deckbuilder's own (E206 at best).
    from builder.load.cache import disk_cache

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    first = pipeline.build(result.cards_dir, tmp_path / "a", cache=disk_cache(result.cards_dir))
    assert first.package is not None, first.diagnostics
    assert list((result.cards_dir / ".cache").rglob("notes-*.json")), "the first build stored its notes"
    second = pipeline.build(result.cards_dir, tmp_path / "b", cache=disk_cache(result.cards_dir))
    assert second.package is not None, second.diagnostics
    assert second.package.read_bytes() == first.package.read_bytes()
    assert {note.content.adopted for note in second.plan.notes} == {note.content.adopted for note in first.plan.notes}
    assert all(note.content.adopted for note in second.plan.notes)
