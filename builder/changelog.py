"""output/CHANGELOG.md: what changed in each deck version, written for students.

Rendered from the history in deck.lock, so it is the same on every machine
and survives a fresh clone (output/ is not committed).
"""

from __future__ import annotations

import html
import re

from . import mdtext
from .compile import retired_tag
from .lockfile import HistoryEntry, Lock, to_iso

# Field names as a student would say them.
FIELD_LABELS = {
    "Front": "question", "Text": "text", "Back": "answer", "Extra": "extra notes",
    "SourcesDiffer": "sources-differ note", "Scope": "scope", "Sources": "sources",
    "CardId": "card id", "Notice": "notice", "AddReverse": "reverse card", "tags": "tags",
}


_TAG = re.compile(r"<[^>]+>")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")


def plain(fragment: str, limit: int = 90) -> str:
    """A field's HTML as one line of plain text, shortened for a list."""
    text = _TAG.sub(" ", fragment) if "<" in fragment else fragment
    text = " ".join((html.unescape(text) if "&" in text else text).split())
    if "{{" in text:
        text = _CLOZE.sub(r"[\1]", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_changelog(lock: Lock, deck_name: str) -> str:
    questions = {card_id: card.question for card_id, card in {**lock.retired, **lock.cards}.items()}
    lines = [f"# {mdtext.text(deck_name)}: changes", "",
             "Newest first. Each card shows its id; quote it when you report an error.", ""]
    for entry in reversed(lock.history):
        lines += _version(entry, questions, retired_tag(lock.namespace))
    return "\n".join(lines).rstrip() + "\n"


def _item(card_id: str, questions: dict[str, str], suffix: str = "") -> str:
    # plain() un-escapes the question's HTML: escaped again here, or "<img onerror=...>" shown as code
    # on the card would be a live tag in the changelog.
    question = mdtext.text(plain(questions.get(card_id, "")))
    shown = f"- {mdtext.code(card_id)}{suffix}"
    return f"{shown}: {question}" if question else shown


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _version(entry: HistoryEntry, questions: dict[str, str], tag: str) -> list[str]:
    lines = [f"## Version {mdtext.text(entry.version)} ({to_iso(entry.date)[:10]})", ""]
    if entry.added:
        lines += [f"Added {_count(len(entry.added), 'card')}:", ""]
        lines += [_item(card_id, questions) for card_id in sorted(entry.added)] + [""]
    if entry.changed:
        lines += [f"Changed {_count(len(entry.changed), 'card')} (updated in place; your progress is kept):", ""]
        for card_id, names in sorted(entry.changed.items()):
            what = mdtext.text(", ".join(FIELD_LABELS.get(name, name) for name in names))
            lines.append(_item(card_id, questions, f" ({what})"))
        lines.append("")
    if entry.retired:
        lines += [f"Retired {_count(len(entry.retired), 'card')}. They now carry the tag {mdtext.code(tag)} and a "
                  f"notice; delete them (Browse, search {mdtext.code('tag:' + tag)}, select all, delete):", ""]
        lines += [_item(card_id, questions) for card_id in sorted(entry.retired)] + [""]
    if entry.notetypes:
        lines += ["The look of the cards was updated.", ""]
    return lines
