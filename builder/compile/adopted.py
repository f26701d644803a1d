"""The note types a deck adopted from an imported Anki deck, as the build ships them.

``deck.yaml``'s ``adopted:`` section (read by load/adopted.py) keeps each
original note type's id, fields, templates and CSS, so that Anki sees the
same note type and updates the students' notes in place. This module makes
the lock's record of them, the genanki models, and the field values of a
note on one of them.
"""

from __future__ import annotations

import hashlib

import genanki

from ..load import REVERSE_ON
from ..model import Adoption, CardType
from .notetypes import NoteTypeSpec, StampedModel


# ---------------------------------------------------------------- what the build makes of them


def adopted_specs(adoption: Adoption | None) -> dict:
    """deck.lock's record of each adopted note type (identity, schema, style), keyed ``adopted-<card type>``."""
    specs = {}
    for nt in adoption.notetypes if adoption else ():
        style = hashlib.sha256("\x1f".join(
            [nt.name, nt.css] + [f"{name}\x1e{front}\x1e{back}" for name, front, back in nt.templates]
        ).encode()).hexdigest()[:10]
        specs[nt.key] = NoteTypeSpec(nt.id, nt.fields, tuple(t[0] for t in nt.templates), style)
    return specs


def adopted_models(adoption: Adoption | None, mtimes: dict[str, int]) -> dict:
    """The genanki note type of each adopted note type, by key, stamped with its mtime from the lock."""
    models = {}
    for nt in adoption.notetypes if adoption else ():
        model = StampedModel(
            nt.id, nt.name, fields=[{"name": name} for name in nt.fields],
            templates=[{"name": name, "qfmt": front, "afmt": back} for name, front, back in nt.templates],
            css=nt.css, model_type=genanki.Model.CLOZE if nt.card_type is CardType.CLOZE else genanki.Model.FRONT_BACK)
        model.mtime = mtimes.get(nt.key, 0)
        models[nt.key] = model
    return models


def adopted_fields(named: dict[str, str], notetype: str, count: int = 2) -> tuple[str, ...]:
    """A note's field values on an adopted note type of ``count`` fields, from its deckbuilder fields."""
    front, back = (named["Text"], named["Extra"]) if notetype == "cloze" else (named["Front"], named["Back"])
    notice = named.get("Notice")
    if notice:  # a tombstone: two fields have no room for the notice, so it heads both
        shown = f'<div class="notice">{notice}</div>'
        front, back = shown + front, shown + back
    if count == 3:  # Front, Back, and the switch of the reverse card
        return front, back, REVERSE_ON if named.get("AddReverse") else ""
    return front, back
