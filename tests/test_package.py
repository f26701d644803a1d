import stat
import zipfile

import genanki
import pytest

from builder.compile import compile_card_set
from builder.loader import load_card_set
from builder.package import write_package


@pytest.fixture
def compiled(make_cards):
    return compile_card_set(load_card_set(make_cards("valid.yaml")).card_set)


def test_writes_a_readable_package(compiled, tmp_path):
    target = tmp_path / "out" / "deck.apkg"
    write_package(compiled, target)
    with zipfile.ZipFile(target) as archive:
        assert "collection.anki2" in archive.namelist()
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044  # shareable, not private
    assert [p.name for p in target.parent.iterdir()] == ["deck.apkg"]


def test_failed_write_keeps_the_previous_deck_and_leaves_no_temp_file(compiled, tmp_path, monkeypatch):
    target = tmp_path / "out" / "deck.apkg"
    target.parent.mkdir()
    target.write_bytes(b"previous deck")

    def crash(self, path, timestamp=None):
        with open(path, "wb") as half_written:
            half_written.write(b"PK\x03\x04 truncated")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(genanki.Package, "write_to_file", crash)
    with pytest.raises(OSError):
        write_package(compiled, target)
    assert target.read_bytes() == b"previous deck"
    assert [p.name for p in target.parent.iterdir()] == ["deck.apkg"]
