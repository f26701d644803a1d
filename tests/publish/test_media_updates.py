"""A corrected picture reaches a student who already has the old one (issue 14).

Anki matches media by file name and keeps what it holds (see builder/text/medianames.py
for what each importer does); the build ships each file under a name made from
its bytes, so a new picture is a new file and the note that shows it is updated.
Real collections, every importer the installed Anki has (tests/anki_client.py).
"""

import re
import struct
import zlib
from pathlib import Path

import pytest

from builder import pipeline

from ..anki_client import IMPORTERS, import_package, note_by_card_id, scheduling_state, study

DAY = 86_400
V1_TIME = 1_790_000_000


def png(rgb: tuple[int, int, int]) -> bytes:
    """A real 2x2 PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + bytes(rgb) * 2) * 2
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


RED, BLUE, GREEN = png((255, 0, 0)), png((0, 0, 255)), png((0, 255, 0))


@pytest.fixture
def cards(make_cards):
    cards = make_cards("with-media.yaml", "lifecycle.yaml")
    (cards / "media").mkdir()
    (cards / "media" / "spindle-cells.png").write_bytes(RED)
    return cards


def shown_image(collection, card_id: str) -> bytes:
    """The bytes of the picture the student's note shows."""
    front = note_by_card_id(collection, card_id)["Front"]
    name = re.search(r'<img src="([^"]+)"', front).group(1)
    return (Path(collection.media.dir()) / name).read_bytes()


def mtimes(collection) -> dict[str, int]:
    return {collection.get_note(nid)["CardId"]: collection.get_note(nid).mod for nid in collection.find_notes("")}


@pytest.mark.parametrize("importer", IMPORTERS)
def test_a_replaced_image_reaches_the_student_and_nothing_else_moves(cards, tmp_path, collection, importer):
    v1 = pipeline.build(cards, tmp_path / "v1", now=V1_TIME).package
    assert import_package(collection, v1, importer).new == 7
    assert shown_image(collection, "media-figure") == RED
    studied = study(collection, "Test Deck", answers=4)
    progress = scheduling_state(collection, studied)

    # Replaced twice under the same name: the legacy importer's own renaming would keep the second picture.
    for number, picture in enumerate((BLUE, GREEN), start=2):
        before = mtimes(collection)
        (cards / "media" / "spindle-cells.png").write_bytes(picture)
        result = pipeline.build(cards, tmp_path / f"v{number}", now=V1_TIME + number * DAY)
        assert dict(result.changes.changed) == {"media-figure": ("Front",)}
        changelog = (tmp_path / f"v{number}" / "CHANGELOG.md").read_text()
        assert ("- `media-figure` (question): Which cell shape does this slide show?\n"
                "  - picture or sound replaced: `spindle-cells.png`\n") in changelog
        log = import_package(collection, result.package, importer)
        assert (log.new, log.updated) == (0, 1)
        assert shown_image(collection, "media-figure") == picture
        after = mtimes(collection)
        assert after["media-figure"] > before["media-figure"]
        assert {k: v for k, v in after.items() if k != "media-figure"} == {
            k: v for k, v in before.items() if k != "media-figure"}
        assert scheduling_state(collection, studied) == progress

        files = sorted(p.name for p in Path(collection.media.dir()).iterdir())
        again = import_package(collection, result.package, importer)
        assert (again.new, again.updated) == (0, 0)
        assert sorted(p.name for p in Path(collection.media.dir()).iterdir()) == files
        assert mtimes(collection) == after


def test_media_bytes_are_part_of_the_note_identity(cards, tmp_path):
    pipeline.build(cards, tmp_path / "v1", now=V1_TIME)
    lock = (cards / "deck.lock").read_text()
    unchanged = pipeline.build(cards, tmp_path / "v2", now=V1_TIME + DAY)
    assert not unchanged.changes
    (cards / "media" / "spindle-cells.png").write_bytes(BLUE)
    changed = pipeline.build(cards, tmp_path / "v3", now=V1_TIME + 2 * DAY)
    assert dict(changed.changes.changed) == {"media-figure": ("Front",)}
    assert (cards / "deck.lock").read_text() != lock


def test_the_sheets_and_the_tsv_show_the_pictures(cards, tmp_path):
    out = tmp_path / "out"
    pipeline.build(cards, out, now=V1_TIME)
    shipped = [p for p in (out / "media").iterdir()]
    assert len(shipped) == 1 and shipped[0].read_bytes() == RED
    name = shipped[0].name
    assert re.fullmatch(r"spindle-cells-[0-9a-f]{16}\.png", name)
    assert f'<img src="media/{name}" alt="slide">' in (out / "testdeck.html").read_text()
    assert f'<img src="media/{name}" alt="slide">' in (out / "testdeck.md").read_text()
    assert f'<img src=""{name}"" alt=""slide"">' in (out / "testdeck.tsv").read_text()  # csv doubles quotes


def test_a_replaced_picture_leaves_only_its_new_copy_beside_the_sheets(cards, tmp_path):
    out = tmp_path / "out"
    pipeline.build(cards, out, now=V1_TIME)
    (cards / "media" / "spindle-cells.png").write_bytes(BLUE)
    pipeline.build(cards, out, now=V1_TIME + DAY)
    assert [p.read_bytes() for p in (out / "media").iterdir()] == [BLUE]


def test_card_css_keeps_pictures_within_the_screen():
    from builder.compile.notetypes import CSS

    assert re.search(r"\.card img \{[^}]*max-width: 100%", CSS)


def test_the_manifest_and_student_readme_carry_every_picture_s_checksum(cards, tmp_path):
    import hashlib
    import json

    result = pipeline.build(cards, tmp_path / "out", now=V1_TIME)
    shipped = sorted((tmp_path / "out" / "media").iterdir())
    assert shipped
    digests = json.loads((tmp_path / "out" / "manifest.json").read_text())["sha256"]
    readme = (tmp_path / "out" / "README.md").read_text()
    for path in shipped:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digests[f"media/{path.name}"] == digest
        assert f"{digest}  media/{path.name}" in readme
    assert "Pictures are in `media/`" in readme and result.package is not None
