"""Notes made with the per-compile memo of citations, tags and placements (notes._once) equal notes made alone."""

from pathlib import Path

from builder import pipeline
from builder.compile import compile_notes
from builder.compile.notes import _decode_notes, _encode_note, _note
from builder.load.cache import ParseCache

from ..conftest import DATA

REPO_CARDS = Path(__file__).parents[2] / "cards"


def test_shared_parts_give_the_notes_each_card_makes_alone(make_cards):
    bundled = pipeline.check(REPO_CARDS, cache=ParseCache(None)).card_set  # many citations, tags, scopes
    assert compile_notes(bundled) == [_note(card, bundled, bundled.sources_by_id) for card in bundled.cards]
    data = pipeline.check(make_cards(*sorted(p.name for p in (DATA / "cards").glob("*.yaml"))),
                          cache=ParseCache(None)).card_set
    for card_set in (bundled, data):
        sources = card_set.sources_by_id
        cards = [card for card in card_set.cards if all(ref.id in sources for ref in card.sources)]
        alone = [_note(card, card_set, sources) for card in cards]
        assert len({note.fields for note in alone}) > 10 and len({note.tags for note in alone}) > 3
        shared: dict = {}
        both = [_note(card, card_set, sources, shared) for card in cards]
        assert both == alone
        # Decoded from what the derived cache stores, with the same memo: the same notes again.
        assert _decode_notes([_encode_note(n) for n in alone], cards, shared) == alone
