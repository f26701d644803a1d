import sqlite3
import stat
import zipfile
import zlib

import genanki
import pytest

from builder import pipeline
from builder.compile.package import COMPRESS_LEVEL, ZIP_TIME

V1_TIME = 1_790_000_000


@pytest.fixture
def package(make_cards, tmp_path):
    return pipeline.build(make_cards("valid.yaml"), tmp_path / "out", now=V1_TIME).package


def test_archive_is_compressed_with_fixed_entry_times(package):
    with zipfile.ZipFile(package) as archive:
        entries = archive.infolist()
    assert [e.filename for e in entries] == ["collection.anki2", "media"]
    assert all(e.compress_type == zipfile.ZIP_DEFLATED for e in entries)
    assert all(e.date_time == ZIP_TIME for e in entries)
    assert entries[0].compress_size < entries[0].file_size


def test_every_entry_is_deflated_at_the_fixed_level(package):
    # The level is part of the bytes: if an entry fell back to zlib's default, builds would still be
    # reproducible but slower, and this is where that would show.
    with zipfile.ZipFile(package) as archive:
        for entry in archive.infolist():
            data = archive.read(entry)
            deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
            assert entry.compress_size == len(deflate.compress(data) + deflate.flush()), entry.filename


def test_notes_and_cards_carry_fixed_ids_and_their_own_mtimes(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    try:
        notes = db.execute("select id, mod from notes order by id").fetchall()
        cards = db.execute("select id, nid, mod, due from cards order by id").fetchall()
    finally:
        db.close()
    base = V1_TIME * 1000
    assert notes == [(base, V1_TIME), (base + 1, V1_TIME), (base + 2, V1_TIME)]
    assert [c[0] for c in cards] == [base + i for i in range(5)]
    assert {c[2] for c in cards} == {V1_TIME}
    assert [c[3] for c in cards] == [1, 2, 2, 3, 3]  # new cards come in YAML order


def test_package_is_shareable_and_leaves_no_temp_file(package):
    assert stat.S_IMODE(package.stat().st_mode) & 0o044 == 0o044
    assert sorted(p.name for p in package.parent.iterdir()) == [
        "CHANGELOG.md", "README.md", "manifest.json", "testdeck.apkg", "testdeck.html", "testdeck.md", "testdeck.tsv"]


def test_failed_write_keeps_the_previous_deck_and_leaves_no_temp_file(make_cards, tmp_path, monkeypatch):
    import os

    cards = make_cards("valid.yaml")
    output = tmp_path / "out"
    output.mkdir()
    (output / "testdeck.apkg").write_bytes(b"previous deck")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(Exception, match="No space left on device"):
        pipeline.build(cards, output, now=V1_TIME)
    assert (output / "testdeck.apkg").read_bytes() == b"previous deck"
    assert [p.name for p in output.iterdir()] == ["testdeck.apkg"]
    assert not (cards / "deck.lock").exists()


def test_card_counts_match_what_genanki_generates(tmp_path):
    import shutil

    from builder import pipeline
    from builder.compile.notes import compile_notes
    from builder.load.loader import load_card_set
    from builder.compile.notetypes import note_types
    from builder.compile.package import card_count

    from ..conftest import REPO

    cards = shutil.copytree(REPO / "cards", tmp_path / "cards")
    contents = compile_notes(load_card_set(cards).card_set)
    types = note_types("leiomyosarcoma")
    for content in contents:
        note = genanki.Note(model=getattr(types, content.notetype), fields=list(content.fields))
        assert card_count(content) == len(note.cards), content.card_id
    from ..conftest import V1_TIME as BUNDLED_BUILD_TIME  # after the bundled lock's times

    # The package holds the live notes and the tombstones of retired cards (the second edition retired some).
    built = pipeline.build(cards, tmp_path / "out", now=BUNDLED_BUILD_TIME).built[0]
    tombstones = [placed.note.content for placed in built.selection.notes if placed.note.retired]
    for content in tombstones:
        note = genanki.Note(model=getattr(types, content.notetype), fields=list(content.fields))
        assert card_count(content) == len(note.cards), content.card_id
    assert built.card_count == sum(map(card_count, contents)) + sum(map(card_count, tombstones))


# Texts about tags and what is not one: genanki warns of a "<" that starts no HTML tag.
_HTML_PIECES = ["<", ">", "<=", "<p>", "</p>", "<b", "a", " ", "\n", "<!--", "-->", "<![CDATA[", "/", "<3", "x=1", "é"]


def _warnings_of(note: genanki.Note) -> list[str]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        note._check_invalid_html_tags_in_fields()
    return [str(w.message) for w in caught]


def test_the_html_check_asked_only_of_fields_with_a_tag_warns_as_genanki_does():
    from hypothesis import given, settings, strategies as st

    from builder.compile.package import _PlacedNote

    field = st.lists(st.sampled_from(_HTML_PIECES), max_size=6).map("".join)

    @settings(max_examples=1500, deadline=None)
    @given(st.lists(field, min_size=1, max_size=5))
    def check(fields):
        ours = _PlacedNote(ids=[1], mtime=0, model=genanki.BASIC_MODEL, fields=list(fields), tags=[], guid="g", due=1)
        plain = genanki.Note(model=genanki.BASIC_MODEL, fields=list(fields), guid="g")
        assert _warnings_of(ours) == _warnings_of(plain)

    check()
    assert _warnings_of(_PlacedNote(ids=[1], mtime=0, model=genanki.BASIC_MODEL, fields=["a <= b > c", "ok"], tags=[],
                                    guid="g", due=1))  # the check still warns
