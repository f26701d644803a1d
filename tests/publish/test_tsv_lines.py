"""The .tsv's rows are written without csv's per-character loop: the lines must be csv's, to the byte."""

from __future__ import annotations

import csv
import io
import shutil

from hypothesis import given, settings, strategies as st

from builder import pipeline
from builder.compile import select
from builder.publish.exports import _row, _TabLine

from ..conftest import REPO, V1_TIME, V2_TIME, edit_bundled_cards_to_v2
from .test_media_updates import RED


def _csv_line(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow(row)
    return buffer.getvalue()


# Fields full of what quoting is about: tabs, quotes, both line ends, and an empty field now and then.
_FIELD = st.text(alphabet=st.sampled_from(['"', "\t", "\r", "\n", " ", "a", "<", "=", "é", "\x00"]) | st.characters())


@settings(max_examples=500, deadline=None)
@given(st.lists(_FIELD, min_size=1, max_size=6))
def test_a_line_is_the_line_csv_writes(row):
    assert _TabLine()(row) == _csv_line(row)


def test_lone_and_empty_fields_are_quoted_as_csv_quotes_them():
    line = _TabLine()
    for row in ([""], ["", ""], ['"'], ["a\tb", ""], ["", "\r"], ['say "hi"', "x"]):
        assert line(row) == _csv_line(row), row


def _as_csv_wrote_it(selection, adoption) -> str:
    """The export as it was written before: every row through csv.writer."""
    return "".join(_csv_line(_row(placed.note.content, placed.note.guid, placed.deck_name, adoption))
                   for placed in selection.notes)


def _assert_exports_are_csvs(cards, now, folder) -> None:
    built = pipeline.build(cards, folder / "out", now=now)
    assert built.package is not None, built.diagnostics
    deck = built.check.card_set.deck
    for shipped in built.built:
        selection = select(built.plan, shipped.selection.definition, deck.namespace, deck.topics)
        written = (folder / "out" / f"{selection.file_stem}.tsv").read_text()
        header, rows = written[:written.index("Tags\n") + len("Tags\n")], written[written.index("Tags\n") + 5:]
        assert header.startswith("#separator:tab\n")
        assert rows == _as_csv_wrote_it(selection, deck.adopted), selection.file_stem


def test_the_bundled_exports_focused_and_after_edits_and_retirements_are_csvs(tmp_path):
    cards = shutil.copytree(REPO / "cards", tmp_path / "cards", ignore=shutil.ignore_patterns(".cache"))
    _assert_exports_are_csvs(cards, V1_TIME, tmp_path)
    edit_bundled_cards_to_v2(cards)
    (cards / "genetics.yaml").unlink()  # tombstones
    _assert_exports_are_csvs(cards, V2_TIME, tmp_path)


def test_an_export_with_pictures_is_csvs(make_cards, tmp_path):
    cards = make_cards("with-media.yaml", "lifecycle.yaml")
    (cards / "media").mkdir()
    (cards / "media" / "spindle-cells.png").write_bytes(RED)  # <img src="..."> fields: quoted
    _assert_exports_are_csvs(cards, V1_TIME, tmp_path)
    assert '""' in (tmp_path / "out" / "testdeck.tsv").read_text()


def test_an_adopted_decks_export_is_csvs(tmp_path):
    from builder.cli.importing import import_deck

    from ..cli.test_importing import outside_deck

    result = import_deck(outside_deck(tmp_path), tmp_path / "imported")
    _assert_exports_are_csvs(result.cards_dir, pipeline.build_time(), tmp_path)
