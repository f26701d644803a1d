"""``deckbuilder new DIR``: a small working deck to start from.

The example cards teach how deckbuilder cards work, so they fit any subject
and can simply be deleted once the teacher has written their own. Every file
names the JSON Schema that ships inside this package, so an editor with the
YAML language server completes and checks fields outside this repository too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..model import DeckbuilderError
from ..load import SLUG

SCHEMA_KINDS = ("deck", "sources", "cards")


def schema_path(kind: str) -> Path:
    """Where the installed package keeps the JSON Schema of a file kind (deck, sources, cards)."""
    return Path(str(resources.files("builder") / "schemas" / f"{kind}.schema.json"))


def _editor_comment(kind: str) -> str:
    return f"# yaml-language-server: $schema={schema_path(kind).as_uri()}\n"


def slug_of(name: str) -> str:
    """A folder name as a namespace: lowercase words joined by single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


@dataclass(frozen=True)
class NewDeck:
    folder: Path
    cards: Path
    files: tuple[Path, ...]
    namespace: str


def _deck_yaml(name: str, namespace: str) -> str:
    return _editor_comment("deck") + f"""\
# The deck's identity and vocabulary (reference: deckbuilder's docs/format.md).
name: {_quoted(name)}
version: 0.1.0
# Permanent: every note's identity derives from it. Never change it once
# students have the deck, or every one of their notes would be duplicated.
namespace: {namespace}
description: |
  What this deck teaches, in a sentence or two (Markdown). Anki shows it
  on the deck's overview screen.
# Shown with the deck, on its study sheets and in the students' README; delete
# the line if your subject needs none.
disclaimer: "For self-study: check anything important against the cited sources."
# Topic ids (slugs) and their titles: every card names at least one. They
# become tags (<namespace>::topic::<id>) that students filter by.
topics:
  writing: Writing cards
  updating: Updating a deck
"""


def _sources_yaml() -> str:
    return _editor_comment("sources") + """\
# Every source a card may cite. With `file` and `sha256`, `deckbuilder check
# --sources DIR` checks each card's figures and wording against that text.
- id: deckbuilder-guide
  title: deckbuilder README
  publisher: deckbuilder
"""


def _cards_yaml() -> str:
    return _editor_comment("cards") + """\
# Example cards, one of each type. Replace them with your own; a card's id is
# permanent (students' progress is tied to it), so choose it with care.

- id: writing-permanent-id
  front: Which field of a card must never change once students study it?
  back: Its `id`
  extra: Editing the text updates the student's card in place; a new id would make a new card.
  topics: [writing]
  sources: [deckbuilder-guide]

- id: updating-lock-file
  type: reversed
  front: deck.lock
  back: Note identities and change times
  extra: Commit it with the cards; every build reads and updates it.
  topics: [updating]
  sources: [deckbuilder-guide]

- id: writing-cloze-syntax
  type: cloze
  text: In a cloze card, the hidden words are written as {{c1::double braces}}.
  topics: [writing]
  sources: [deckbuilder-guide]
"""


GITIGNORE = """\
# Rebuilt from cards/ by `deckbuilder build`.
output/
# The parse cache: safe to delete at any time.
cards/.cache/
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_deck(folder: Path, name: str | None = None, namespace: str | None = None) -> NewDeck:
    """Write a working deck into ``folder`` (new or empty): cards/, its files, media/ and a .gitignore."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DeckbuilderError(f"{folder} already exists and is not an empty folder; choose a new one")
    name = name or folder.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "My deck"
    namespace = namespace or slug_of(name)
    if not SLUG.fullmatch(namespace or ""):
        raise DeckbuilderError(f"cannot make a namespace from {name!r}; give one with --namespace "
                               "(lowercase letters, digits and single hyphens)")
    cards = folder / "cards"
    (cards / "media").mkdir(parents=True)
    written = {
        cards / "deck.yaml": _deck_yaml(name, namespace),
        cards / "sources.yaml": _sources_yaml(),
        cards / "example.yaml": _cards_yaml(),
        cards / "media" / ".gitkeep": "",
        folder / ".gitignore": GITIGNORE,
    }
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    return NewDeck(folder, cards, tuple(written), namespace)
