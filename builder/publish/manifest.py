"""output/manifest.json and output/README.md: what was built, and how a student uses it.

Both are derived from the built files only (no clock), so they are as
reproducible as the packages.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..text import counted, mdtext
from ..compile import DeckSelection, retired_tag
from ..model import CardSet

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class BuiltDeck:
    selection: DeckSelection
    package: Path
    exports: tuple[Path, ...]  # .tsv, .html, .md
    note_count: int
    card_count: int
    tombstone_count: int
    tombstone_card_count: int = 0  # the cards of the retired notes (a reversed or cloze note has several)

    @functools.cached_property  # asked by the manifest and the README: counted once (50,000 notes)
    def topic_counts(self) -> dict[str, int]:
        counts = Counter(topic for placed in self.selection.notes if not placed.note.retired
                         for topic in placed.note.content.placement.topics)
        return dict(sorted(counts.items()))


def checksums(files: Mapping[str, Path]) -> dict[str, str]:
    """Published name -> sha256 of the file holding its content (read in chunks: packages can be large)."""
    digests = {}
    for name in sorted(files):
        with files[name].open("rb") as data:
            digests[name] = hashlib.file_digest(data, "sha256").hexdigest()
    return digests


def manifest(card_set: CardSet, built: list[BuiltDeck], digests: dict[str, str], release=None) -> str:
    """``release`` (reconcile.Release): the version as the build ships it, and whether it is a release."""
    deck = card_set.deck
    version = release.label if release is not None else deck.version
    released = release is None or version == release.version
    return json.dumps({
        "format": MANIFEST_VERSION,
        "deck": {"name": deck.name, "version": version, "released": released, "namespace": deck.namespace},
        "packages": [
            {
                "id": b.selection.definition.id, "name": b.selection.definition.name, "file": b.package.name,
                "notes": b.note_count, "cards": b.card_count, "retired": b.tombstone_count,
                "topics": b.topic_counts, "exports": [path.name for path in b.exports],
            }
            for b in built
        ],
        "sha256": digests,
    }, indent=2, ensure_ascii=False) + "\n"


def student_readme(card_set: CardSet, built: list[BuiltDeck], digests: dict[str, str],
                   version: str | None = None) -> str:
    deck = card_set.deck
    tag = retired_tag(deck.namespace)
    # Examples come from this deck, so that another subject's README never quotes ours.
    example_topic = next(iter(deck.topics), "TOPIC")
    lines = [
        f"# {mdtext.text(deck.name)}, version {mdtext.text(deck.version if version is None else version)}",
        "",
        "Flashcards for Anki (desktop, AnkiMobile, AnkiDroid). Every card names its source."
        + (f" {mdtext.text(deck.disclaimer)}" if deck.disclaimer else ""),
        "",
        "## The decks",
        "",
    ]
    for b in built:
        # Live and retired counted apart: "112 notes (203 cards, including 41 retired)" mixed notes and cards
        # and could not be checked against the deck a student sees.
        live, live_cards = b.note_count - b.tombstone_count, b.card_count - b.tombstone_card_count
        topics = ", ".join(f"{mdtext.text(deck.topics.get(t, t))} {n}" for t, n in b.topic_counts.items())
        retired = (f"; plus {counted(b.tombstone_count, 'retired note')} ({counted(b.tombstone_card_count, 'card')}) "
                   "that only flag copies of earlier versions" if b.tombstone_count else "")
        lines += [
            f"- **{mdtext.text(b.selection.definition.name)}**: {mdtext.code(b.package.name)}, "
            f"{counted(live, 'note')} ({counted(live_cards, 'card')}){retired}. By topic: {topics}.",
        ]
    lines += [
        "",
        "Beside each `.apkg`: a `.tsv` for Anki's text importer (if you cannot use the `.apkg`), and a printable "
        "study sheet (`.html`, `.md`) with every question, answer and source."
        + (" Pictures are in `media/`: keep that folder beside the sheets; with the `.tsv`, copy its files into "
           "your Anki profile's `collection.media` folder first (the `.apkg` carries them itself)."
           if any(name.startswith("media/") for name in digests) else ""),
        "",
        "## First import",
        "",
        "Anki desktop: **File → Import**, choose the `.apkg`, keep the default options, **Import**. On a phone, "
        "open the file with Anki. The cards appear in the deck named above, tagged by topic "
        f"({mdtext.code(deck.namespace + '::topic::...')}): to study one topic, create a filtered deck with the "
        f"search {mdtext.code('tag:' + deck.namespace + '::topic::' + example_topic)}.",
        "",
        "## Updating to a new version",
        "",
        "Import the new `.apkg` the same way, with the default options (\"Update notes: if newer\"). Corrected "
        "cards are updated in place and keep your progress; new cards are added; nothing is duplicated. "
        "`CHANGELOG.md` lists what changed.",
        "",
        f"Cards removed from the deck are not deleted by the import (Anki never deletes): they get the tag "
        f"{mdtext.code(tag)} and a notice on the card. To remove them, open **Browse**, search "
        f"{mdtext.code('tag:' + tag)}, select all and delete.",
        "",
        "If you edited a card yourself, Anki keeps your copy because it is newer; to take the corrected one, "
        "import with \"Update notes: always\" (this replaces your edits and tags on changed cards only).",
        "",
        "Use either the `.apkg` or the `.tsv`, not both: they share note identities, and Anki will not mix the "
        "two note types.",
        "",
        "## Reporting an error",
        "",
        "Every card shows its id under the answer"
        + (f" (for example {mdtext.code(card_set.cards[0].id)})" if card_set.cards else "")
        + ". Send that id with what is wrong to whoever shared the deck.",
        "",
        "## Checksums",
        "",
        "To confirm a file is the one that was published (`sha256sum FILE`):",
        "",
        "```",
        *(f"{digest}  {name}" for name, digest in digests.items()),
        "```",
        "",
    ]
    return "\n".join(lines)
