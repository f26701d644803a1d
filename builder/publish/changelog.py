"""output/CHANGELOG.md: what changed in each deck version, written for students.

Rendered from the history in deck.lock, so it is the same on every machine
and survives a fresh clone (output/ is not committed). Each released version
is rendered from its own record only (the questions it lists are kept in the
record), so a later edit of a card never rewrites what an earlier version
said. Changes built after the last release come first, under the label the
deck ships with (``1.0.0+unreleased``), until deck.yaml names a new version.

Every card appears once per version, in the list that is true for the deck
that version ships. Cloze answers stay hidden: a cloze question shows its
blanks, and a corrected cloze shows its old and new text only inside a
collapsed "show the correction" block.
"""

from __future__ import annotations

from typing import Iterator, Mapping

from ..text import counted, mdtext, plain, without_open_deletion
from ..compile import retired_tag
from ..lock import CardChange, HistoryEntry, Lock, LockQuestions, to_iso
from ..text.plaintext import _CLOZE  # the cloze pattern plain() hides answers with; _revealed shows them

# Field names as a student would say them.
FIELD_LABELS = {
    "Front": "question", "Text": "text", "Back": "answer", "Extra": "extra notes",
    "SourcesDiffer": "sources-differ note", "Scope": "scope", "Sources": "sources",
    "CardId": "card id", "Notice": "notice", "AddReverse": "reverse card", "tags": "tags",
}

def _revealed(text: str) -> str:
    """A cloze text with its answers in brackets: what the correction block shows."""
    if text.endswith("…"):
        text = without_open_deletion(text[:-1]).rstrip() + "…"
    return _CLOZE.sub(r"[\1]", text)


def render_changelog(lock: Lock, deck_name: str, unreleased_label: str | None = None) -> str:
    """The whole changelog: unreleased changes (if any) first, then every released version, newest first."""
    return "".join(changelog_chunks(lock, deck_name, unreleased_label))


def changelog_chunks(lock: Lock, deck_name: str, unreleased_label: str | None = None) -> Iterator[str]:
    """``render_changelog``'s text as its lines, each with its line end: what a build writes, which never
    holds the whole text (10 MB at 50,000 cards, twice more encoded, at the build's peak of memory)."""
    tag = retired_tag(lock.namespace)
    # A question is looked up only for an item whose record kept no title (every record this builder writes
    # keeps them), and read from the lock's line only then (lock.sections).
    fallback = LockQuestions(lock.cards, lock.retired)
    lines = [f"# {mdtext.text(deck_name)}: changes", "",
             "Newest first. Each card shows its id; quote it when you report an error.", ""]
    if lock.unreleased and unreleased_label:
        lines += version_section(lock.unreleased, unreleased_heading(unreleased_label), tag, fallback)
    for entry in reversed(lock.history):
        lines += version_section(entry, f"## Version {mdtext.text(entry.version)} ({to_iso(entry.date)[:10]})", tag, fallback)
    return _ended(lines)


def _ended(lines: list[str]) -> Iterator[str]:
    """``"\n".join(lines).rstrip() + "\n"`` in chunks, one per line (tested against that definition)."""
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[-1] = lines[-1].rstrip()
    return (f"{line}\n" for line in lines or [""])


def unreleased_heading(label: str) -> str:
    return f"## Version {mdtext.text(label)} (not released yet)"


def version_section(entry: HistoryEntry, heading: str, tag: str,
                    fallback: Mapping[str, str] | None = None) -> list[str]:
    """One version's section: its heading, then each list that is not empty (``fallback``: card id -> the
    question to name a card by when the record kept no title for it)."""
    fallback = {} if fallback is None else fallback

    def title(card_id: str) -> str:
        return entry.titles.get(card_id) or plain(fallback.get(card_id, ""))

    def item(card_id: str, label: str | None = None) -> str:
        # plain() un-escapes the question's HTML: escaped again here, or "<img onerror=...>" shown as code
        # on the card would be a live tag in the changelog.
        question = mdtext.text(title(card_id))
        label = label or mdtext.code(card_id)
        return f"- {label}: {question}" if question else f"- {label}"

    lines = [heading, ""]
    if not entry:
        return lines + ["No card changes in this version.", ""]
    if entry.added:
        lines += [f"Added {counted(len(entry.added), 'card')}:", ""]
        lines += [item(card_id) for card_id in sorted(entry.added)] + [""]
    changed = {card_id: change for card_id, change in entry.changed.items() if card_id not in entry.renamed}
    if changed:
        lines += [f"Changed {counted(len(changed), 'card')} (updated in place; your progress is kept):", ""]
        for card_id, change in sorted(changed.items()):
            lines += _changed_item(item(card_id, f"{mdtext.code(card_id)} ({mdtext.text(_fields(change))})"), change)
        lines.append("")
    if entry.renamed:
        lines += [f"Renamed {counted(len(entry.renamed), 'card')} (the same card under a new id; your progress is "
                  "kept):", ""]
        for new, old in sorted(entry.renamed.items()):
            change = entry.changed.get(new)
            label = f"{mdtext.code(old)} -> {mdtext.code(new)}" + (
                f" (also changed: {mdtext.text(_fields(change))})" if change else "")
            lines += _changed_item(item(new, label), change)
        lines.append("")
    if entry.restored:
        lines += [f"Restored {counted(len(entry.restored), 'card')} retired earlier (back in the deck: the "
                  "retired notice and tag are gone, your progress is kept; if you deleted it, it comes back "
                  "as a new card):", ""]
        lines += [item(card_id) for card_id in sorted(entry.restored)] + [""]
    if entry.retired:
        lines += [f"Retired {counted(len(entry.retired), 'card')}. They now carry the tag {mdtext.code(tag)} and a "
                  f"notice; delete them (Browse, search {mdtext.code('tag:' + tag)}, select all, delete):", ""]
        lines += [item(card_id) for card_id in sorted(entry.retired)] + [""]
    if entry.purged:
        lines += [f"No longer shipped: {counted(len(entry.purged), 'card')} retired in an earlier version "
                  "(nothing changes in your collection; their ids are never reused):", ""]
        lines += [item(card_id) for card_id in sorted(entry.purged)] + [""]
    if entry.notetypes:
        lines += ["The look of the cards was updated.", ""]
    return lines


def _fields(change: CardChange) -> str:
    return ", ".join(FIELD_LABELS.get(name, name) for name in change.fields)


def _quoted(text: str) -> str:
    return f"“{mdtext.text(text)}”" if text else "(empty)"


def _changed_item(line: str, change: CardChange | None) -> list[str]:
    """The item, then what its question or answer was and is now (a cloze text behind a spoiler)."""
    if change is None:
        return [line]
    lines = [line]
    for name in ("question", "answer"):
        if name in change.after and change.before.get(name) != change.after[name]:
            was = f"was {_quoted(change.before[name])}, " if name in change.before else ""
            lines.append(f"  - {name}: {was}now {_quoted(change.after[name])}")
    if "media" in change.after:
        lines.append(f"  - picture or sound replaced: {mdtext.code(change.after['media'])}")
    if "text" in change.after:
        lines += ["  <details><summary>Show the correction (reveals the answer)</summary>", ""]
        if "text" in change.before:
            lines.append(f"  Before: {mdtext.text(_revealed(change.before['text']))}")
            lines.append("")
        lines += [f"  Now: {mdtext.text(_revealed(change.after['text']))}", "", "  </details>"]
    return lines


def summary(entry: HistoryEntry, tag: str) -> str:
    """One sentence of what a version changes (for the deck description in Anki)."""
    parts = []
    corrected = sum(1 for card_id in entry.changed if card_id not in entry.renamed)
    for count, word in ((len(entry.added), "added"), (corrected, "corrected"),
                        (len(entry.renamed), "renamed"), (len(entry.restored), "restored"),
                        (len(entry.retired), "retired")):
        if count:
            parts.append(f"{counted(count, 'card')} {word}" if not parts else f"{count} {word}")
    if not parts:
        text = "no card changes"
    else:
        text = ", ".join(parts)
    if entry.retired:
        text += f" (find retired cards with the search tag:{tag} and delete them)"
    if entry.notetypes:
        text += "; the look of the cards was updated"
    return text
