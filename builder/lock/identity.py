"""Stable identities: what lets a re-import update notes instead of duplicating them.

Anki matches notes by GUID across the whole collection, and note types by id.
Both derive here from the deck's permanent namespace and a permanent name,
never from content, so editing a card's text keeps its identity (DESIGN §4.1).
"""

from __future__ import annotations

import hashlib

# Anki ids are signed 64-bit, but its web views read them as JavaScript
# numbers: keep them below 2**53 and clear of small hand-made ids.
_ID_FLOOR = 1 << 31
_ID_CEILING = 1 << 53


def note_guid(namespace: str, card_id: str) -> str:
    """The GUID of a card's note: from the namespace and the card's permanent id."""
    import genanki  # here: a check of an unchanged deck derives no GUID, and genanki takes 16 ms to import

    return genanki.guid_for(namespace, card_id)


def stable_id(namespace: str, kind: str, name: str) -> int:
    """A permanent numeric id for a note type or deck, e.g. (ns, 'notetype', 'basic')."""
    digest = hashlib.sha256(f"{namespace}\x1f{kind}\x1f{name}".encode()).digest()
    return _ID_FLOOR + int.from_bytes(digest[:8], "big") % (_ID_CEILING - _ID_FLOOR)


def topic_tag(namespace: str, topic: str) -> str:
    return f"{namespace}::topic::{topic}"


def scope_tag(namespace: str, scope: str) -> str:
    return f"{namespace}::scope::{scope}"


def source_tag(namespace: str, source_id: str) -> str:
    return f"{namespace}::source::{source_id}"


def extra_tag(namespace: str, tag: str) -> str:
    """A card's own tag (``tags:`` in YAML), kept apart from the topic/scope/source tags."""
    return f"{namespace}::tag::{tag}"
