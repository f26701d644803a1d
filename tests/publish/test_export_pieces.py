"""The exports joined from kept pieces (publish/pieces.py) are the exports made in full, byte for byte.

Each step builds twice at the same clock: once as a build runs (the derived cache warm from the steps
before), once from a copy of the cards with the kept pieces out of reach (every piece made afresh).
Every file written must be the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from builder import pipeline

from ..conftest import REPO, V1_TIME, edit_bundled_cards_to_v2
from .test_media_updates import BLUE, RED

STEP = 1  # a second: the bundled lock is recent, and no build may be after the real clock (E208)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _made_afresh(cards: Path, now: int, folder: Path, monkeypatch) -> dict[str, bytes]:
    """The outputs with no piece kept: what the exports were before pieces.py."""
    import builder.load

    copy = folder / "reference" / "cards"
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(cards, copy, ignore=shutil.ignore_patterns(".cache"))
    with monkeypatch.context() as patch:
        patch.setattr(builder.load, "for_card_set", lambda card_set: None)
        built = pipeline.build(copy, copy.parent / "out", now=now)
    assert built.package is not None, built.diagnostics
    return _outputs(copy.parent / "out")


def _assert_same_as_made_afresh(cards: Path, now: int, folder: Path, monkeypatch) -> dict[str, bytes]:
    out = folder / "out"
    built = pipeline.build(cards, out, now=now)
    assert built.package is not None, built.diagnostics
    written = _outputs(out)
    reference = _made_afresh(cards, now, folder, monkeypatch)
    assert written.keys() == reference.keys()
    for name in written:
        assert written[name] == reference[name], name
    return written


def _kept(cards: Path, kind: str) -> list[Path]:
    return sorted((cards / ".cache" / "derived").glob(f"{kind}-*.json"))


def test_pieces_across_edits_additions_renames_and_retirements_of_focused_decks(tmp_path, monkeypatch):
    from builder.cli.rename import rename_card

    cards = shutil.copytree(REPO / "cards", tmp_path / "cards", ignore=shutil.ignore_patterns(".cache"))
    now = V1_TIME
    first = _assert_same_as_made_afresh(cards, now, tmp_path, monkeypatch)  # kept pieces made
    assert _kept(cards, "tsv") and _kept(cards, "sheet-html")
    assert {name for name in first if name.endswith(".tsv")} == {
        "leiomyosarcoma.tsv", "leiomyosarcoma-cutaneous.tsv", "leiomyosarcoma-pathology.tsv"}
    assert _assert_same_as_made_afresh(cards, now, tmp_path, monkeypatch) == first  # kept pieces used

    edit_bundled_cards_to_v2(cards)  # an answer edited, a card added
    now += STEP
    second = _assert_same_as_made_afresh(cards, now, tmp_path, monkeypatch)
    assert "Wide local excision" in second["leiomyosarcoma.tsv"].decode()
    assert "margins-aim-clear" in second["leiomyosarcoma.html"].decode()

    rename_card(cards, "margins-aim-clear", "margins-clear-aim")
    now += STEP
    renamed = _assert_same_as_made_afresh(cards, now, tmp_path, monkeypatch)
    assert "margins-clear-aim" in renamed["leiomyosarcoma.tsv"].decode()

    (cards / "margins.yaml").unlink()  # its cards retire: tombstones in the .tsv, gone from the sheets
    now += STEP
    retired = _assert_same_as_made_afresh(cards, now, tmp_path, monkeypatch)
    assert "margins-clear-aim" in retired["leiomyosarcoma.tsv"].decode()
    assert "margins-clear-aim" not in retired["leiomyosarcoma.html"].decode()


@pytest.mark.parametrize("damage", ["garbage", "swapped", "stale digest", "wrong length"])
def test_a_damaged_or_planted_piece_is_made_again(damage, tmp_path, monkeypatch):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards", ignore=shutil.ignore_patterns(".cache"))
    first = _assert_same_as_made_afresh(cards, V1_TIME, tmp_path, monkeypatch)
    for kind in ("tsv", "sheet-html"):
        entries = _kept(cards, kind)
        assert len(entries) > 1
        if damage == "garbage":
            for entry in entries:
                entry.write_bytes(b"\x00{not json")
        elif damage == "swapped":  # another file's entry, valid in itself, under this file's name
            a, b = entries[0].read_bytes(), entries[1].read_bytes()
            entries[0].write_bytes(b)
            entries[1].write_bytes(a)
        else:
            for entry in entries:
                found = json.loads(entry.read_text())
                texts = found["results"]["texts"]
                if damage == "stale digest":  # a piece of some other note, behind a digest that is not this one's
                    found["results"]["texts"] = ["0123456789abcdef\x00<b>planted</b>" for _ in texts]
                else:
                    found["results"]["texts"] = texts[:-1]
                entry.write_text(json.dumps(found))
    assert _assert_same_as_made_afresh(cards, V1_TIME, tmp_path, monkeypatch) == first


def test_pieces_follow_a_changed_picture(make_cards, tmp_path, monkeypatch):
    cards = make_cards("with-media.yaml", "lifecycle.yaml")
    (cards / "media").mkdir()
    (cards / "media" / "spindle-cells.png").write_bytes(RED)
    first = _assert_same_as_made_afresh(cards, V1_TIME, tmp_path, monkeypatch)
    (cards / "media" / "spindle-cells.png").write_bytes(BLUE)  # a new published name in every export
    second = _assert_same_as_made_afresh(cards, V1_TIME + STEP, tmp_path, monkeypatch)
    assert first["testdeck.tsv"] != second["testdeck.tsv"] and first["testdeck.html"] != second["testdeck.html"]


def test_pieces_of_an_adopted_deck(tmp_path, monkeypatch):
    from builder.cli.importing import import_deck

    from ..cli.test_importing import outside_deck

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    now = pipeline.build_time()
    first = _assert_same_as_made_afresh(result.cards_dir, now, tmp_path, monkeypatch)
    assert "Simple Model" in first["outside-deck.tsv"].decode() if "outside-deck.tsv" in first else True
    assert _assert_same_as_made_afresh(result.cards_dir, now, tmp_path, monkeypatch) == first


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text(), st.text(min_size=1))
def test_a_rows_head_is_quoted_as_csv_quotes_the_whole_row(notetype, deck_name, guid, rest):
    """The .tsv joins a row from its head and its kept tail: the same line csv writes for the whole row."""
    import csv
    import io

    from builder.publish.exports import _Heads, _Lines

    lines = _Lines()
    whole = io.StringIO()
    csv.writer(whole, delimiter="\t", lineterminator="\n").writerow([notetype, deck_name, guid, rest])
    assert _Heads(lines)(notetype, deck_name, guid) + lines([rest]) == whole.getvalue()
