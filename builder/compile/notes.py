"""Turn a checked CardSet into note contents: the fields and tags of every note.

Pure transformation: no files, no clocks, no ids. Which GUID and mtime each
note ships with is decided by reconcile.py (against the lock file); how it is
written is package.py's job. Field order follows notetypes.BASIC_FIELDS /
CLOZE_FIELDS exactly.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass
from typing import Mapping

from ..lock import identity, made_hashes
from ..text import render, sanitise
from ..load import for_card_set
from ..model import Card, CardSet, CardType, Placement, Source, SourceRef
from .notetypes import BASIC_FIELDS, CLOZE_FIELDS

NOTETYPE_FIELDS = {"basic": BASIC_FIELDS, "cloze": CLOZE_FIELDS}
_HASH_NAMES = {notetype: (*names, "tags") for notetype, names in NOTETYPE_FIELDS.items()}  # deck.lock's order
_DIGEST_CHARS = 16


@dataclass(frozen=True)
class NoteContent:
    card_id: str
    notetype: str  # "basic" or "cloze"
    fields: tuple[str, ...]  # in the note type's field order
    tags: tuple[str, ...]
    placement: Placement = Placement()
    # The adopted note type it ships on (deck.yaml `adopted:`, "adopted-basic"...), or "" for deckbuilder's own.
    adopted: str = ""

    @property
    def named_fields(self) -> dict[str, str]:
        return dict(zip(NOTETYPE_FIELDS[self.notetype], self.fields))

    @property
    def question(self) -> str:
        return self.fields[0]  # Front or Text

    @property
    def reverse(self) -> bool:
        return self.notetype == "basic" and bool(self.named_fields["AddReverse"])

    def digest(self) -> str:
        """One hash of the whole note: compared first, so unchanged notes are hashed once, not per field."""
        return self._digest

    @functools.cached_property
    def _digest(self) -> str:  # once per note, however often reconcile and the exports ask
        kind = f"{self.notetype}\x1e{self.adopted}" if self.adopted else self.notetype  # moving it is a change
        text = "\x1f".join((kind, *self.fields, " ".join(self.tags)))
        return hashlib.sha256(text.encode()).hexdigest()[:_DIGEST_CHARS]

    def hashes(self) -> Mapping[str, str]:
        """Short hashes of each field and of the tags (what names the fields that changed), by name in the
        note type's order, then "tags": in the form deck.lock writes them (lock.made_hashes), so that a new
        entry is written without checking each hash again, and held as one string, not a dictionary."""
        return made_hashes(_HASH_NAMES[self.notetype],
                           [*map(_short_hash, self.fields), _short_hash(" ".join(self.tags))])


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def id_hash(card_id: str) -> str:
    """The hash of the CardId field a card with this id has (how a rename is recognised in the lock)."""
    return _short_hash(html.escape(card_id))


def compile_notes(card_set: CardSet) -> list[NoteContent]:
    sources = card_set.sources_by_id
    shared: dict = {}
    stored = for_card_set(card_set)
    if stored is None:
        return [_note(card, card_set, sources, shared) for card in card_set.cards]
    # Unchanged files' notes come from the derived cache (load/derived.py); they depend on the file, the deck
    # and the sources (equal ones have equal reprs).
    notes = stored.per_file("notes", repr((card_set.deck, card_set.sources)), "notes",
                            lambda cards: [_note(card, card_set, sources, shared) for card in cards],
                            lambda notes: [_encode_note(note) for note in notes],
                            lambda data, cards: _decode_notes(data, cards, shared))
    stored.flush("notes")
    return notes


def _encode_note(note: NoteContent) -> list:
    placement = note.placement
    # With its digest: reconcile compares every note by it, and hashing 50,000 notes' fields again on every
    # build was half of reconcile's time. It is a function of this entry's own fields, so it is as sound as they.
    return [note.card_id, note.notetype, list(note.fields), list(note.tags),
            list(placement.topics), placement.scope, list(placement.sources), note.adopted, note.digest()]


def _decode_notes(data, cards, shared: dict | None = None) -> list[NoteContent] | None:
    """Stored notes back into NoteContent, or None (a miss) when anything is not what _encode_note writes.

    ``shared``: equal tags and placements decoded once (see _once). Every unchanged note of a build passes
    here (50,000 at the bench's size), so the checks are done at C speed: JSON gives only its own types,
    so ``type(x) is list`` is exact, and joining a list raises TypeError for any item that is not text
    (tests/compile/test_notes_decode.py holds this to the plain, item-by-item reading)."""
    if type(data) is not list or len(data) != len(cards):
        return None
    shared = {} if shared is None else shared
    join = "".join
    try:
        notes = []
        for card, item in zip(cards, data):
            card_id, notetype, fields, tags, topics, scope, sources, adopted, digest = item
            if (card_id != card.id or type(fields) is not list or _FIELD_COUNTS.get(notetype) != len(fields)
                    or type(tags) is not list or type(topics) is not list or type(sources) is not list
                    or not (scope is None or type(scope) is str) or type(adopted) is not str
                    or type(digest) is not str or len(digest) != _DIGEST_CHARS):
                return None
            join(fields), join(tags), join(topics), join(sources)  # TypeError: an item that is not text
            tags, topics, sources = tuple(tags), tuple(topics), tuple(sources)
            # Under _note's key for the same placement: a tuple hashes in C, a Placement through Python code.
            placement = shared.get(("placement", topics, scope, sources))
            if placement is None:
                placement = shared["placement", topics, scope, sources] = Placement(topics, scope, sources)
            note = NoteContent(card_id, notetype, tuple(fields), _once(shared, ("tags", tags), lambda: tags),
                               placement, adopted)
            note.__dict__["_digest"] = digest  # where functools.cached_property keeps it
            notes.append(note)
        return notes
    except (TypeError, ValueError):
        return None


# Only the note types NOTETYPE_FIELDS knows (a stored "__class__" or unhashable type is a miss, not a lookup).
_FIELD_COUNTS = {notetype: len(names) for notetype, names in NOTETYPE_FIELDS.items()}


def deck_description(card_set: CardSet, description: str | None = None, cited: set[str] | None = None,
                     version: str | None = None, news: str | None = None) -> str:
    """The deck overview text in Anki: description, version and what is new in it, the sources its cards
    cite, disclaimer. ``version`` is the label the build ships (``1.0.0+unreleased`` between releases)."""
    spec = card_set.deck
    if cited is None:
        cited = {ref.id for card in card_set.cards for ref in card.sources}
    items = "".join(
        f"<li>{citation(source)}</li>" for source in card_set.sources if source.id in cited
    )
    parts = [
        render(description or spec.description),
        f"<p><b>Version</b> {html.escape(spec.version if version is None else version)}</p>",
        f"<p><b>New in this version:</b> {html.escape(news)}.</p>" if news else "",
        f"<p><b>Sources</b></p><ul>{items}</ul>" if items else "",
        f"<p><i>{html.escape(spec.disclaimer)}</i></p>" if spec.disclaimer else "",
    ]
    return sanitise("\n".join(p for p in parts if p))


def citation(source: Source, section: str | None = None) -> str:
    """One source as HTML: publisher, title (linked when it has a URL), date, section."""
    title = f"<i>{html.escape(source.title)}</i>"
    if source.url:
        title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
    text = f"{html.escape(source.publisher)}, {title}" if source.publisher else title
    if source.date:
        text += f" ({html.escape(source.date)})"
    if section:
        text += f", section “{html.escape(section)}”"
    return text


def _sources_html(refs: tuple[SourceRef, ...], sources: Mapping[str, Source]) -> str:
    return sanitise("; ".join(citation(sources[ref.id], ref.section) for ref in refs))


def tags_for(card: Card, namespace: str, adoption=None) -> tuple[str, ...]:
    if adoption is not None:
        # A deck imported from Anki keeps the tags its students search by: as written, topics as topic::<id>.
        tags = set(card.tags) | {f"topic::{topic}" for topic in card.topics if topic != adoption.untagged_topic}
        return tuple(sorted(tags))
    tags = {identity.topic_tag(namespace, topic) for topic in card.topics}
    tags |= {identity.extra_tag(namespace, tag) for tag in card.tags}
    tags |= {identity.source_tag(namespace, ref.id) for ref in card.sources}
    if card.scope:
        tags.add(identity.scope_tag(namespace, card.scope))
    return tuple(sorted(tags))


def _once(shared: dict, key, make):
    """``make()``, or the equal value made before under ``key`` within this compile.

    Cards repeat their citations, tags and placement: made once and held once (the citations are sanitised,
    a tenth of compiling at 50,000 cards, and every note's own copies were tens of megabytes)."""
    found = shared.get(key)
    if found is None:
        found = shared[key] = make()
    return found


def _note(card: Card, card_set: CardSet, sources: Mapping[str, Source], shared: dict | None = None) -> NoteContent:
    deck = card_set.deck
    shared = {} if shared is None else shared
    values = {
        "Extra": render(card.extra),
        "SourcesDiffer": render(card.sources_differ or ""),
        "Scope": html.escape(deck.scopes.get(card.scope, card.scope)) if card.scope else "",
        "Sources": _once(shared, ("sources", card.sources), lambda: _sources_html(card.sources, sources)),
        "CardId": html.escape(card.id),
        "Notice": "",
    }
    if card.type is CardType.CLOZE:
        notetype = "cloze"
        values["Text"] = render(card.text)
    else:
        notetype = "basic"
        values |= {
            "Front": render(card.front),
            "Back": render(card.back),
            "AddReverse": "y" if card.type is CardType.REVERSED else "",
        }
    names = NOTETYPE_FIELDS[notetype]
    cited = tuple(dict.fromkeys(ref.id for ref in card.sources))
    placement = _once(shared, ("placement", card.topics, card.scope, cited),
                      lambda: Placement(card.topics, card.scope, cited))
    # What tags_for reads of the card (the namespace and adoption are the deck's, the same for every card).
    tags = _once(shared, ("tags", card.topics, card.tags, cited, card.scope),
                 lambda: tags_for(card, deck.namespace, deck.adopted))
    adopted = deck.adopted.for_card(card.id, card.type) if deck.adopted else None
    return NoteContent(card.id, notetype, tuple(values[name] for name in names), tags, placement,
                       adopted.key if adopted else "")


def retired_tag(namespace: str) -> str:
    return f"{namespace}::retired"


def tombstone(card_id: str, notetype: str, question: str, reverse: bool, version: str,
              namespace: str, placement: Placement = Placement()) -> NoteContent:
    """The note that replaces a retired card in students' collections.

    It keeps the question (so the student recognises the card, re-sanitised: deck.lock is not trusted) and the
    reverse flag (so no existing card turns empty), puts a notice on both
    sides, and carries only the retired tag, so it leaves every topic.
    """
    tag = retired_tag(namespace)
    # The question comes from deck.lock, not from reviewed YAML: sanitised again, like any field; one
    # that shows nothing (a lock edited to "<!-- -->") would ship a blank card, so the id stands in.
    question = sanitise(question)
    if not html.unescape(re.sub(r"<[^>]*>", "", question)).strip() and "<img" not in question:
        question = html.escape(card_id)
    notice = (
        f"<b>Retired card.</b> This card was removed from the deck in version {html.escape(version)}. "
        f"Please delete it: in the Browse window, search <code>tag:{html.escape(tag)}</code>, "
        "select the cards and delete them."
    )
    values = {name: "" for name in NOTETYPE_FIELDS[notetype]}
    values |= {"CardId": html.escape(card_id), "Notice": notice}
    if notetype == "cloze":
        values["Text"] = question
    else:
        values |= {"Front": question, "Back": "(retired)", "AddReverse": "y" if reverse else ""}
    return NoteContent(card_id, notetype, tuple(values[n] for n in NOTETYPE_FIELDS[notetype]), (tag,), placement)
