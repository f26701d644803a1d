"""``deckbuilder import FILE``: an Anki deck students already study, as a deckbuilder deck.

The deck it writes builds into a package that updates every student's notes
in place (DESIGN §4): each note keeps its GUID (deck.lock records it as
adopted, which lockcheck accepts), ships on the note type the student has
(deck.yaml ``adopted:``: same id, fields, templates and CSS), and keeps its
modification time while unchanged (the lock's content hash -> mtime), so the
first build touches no note and an edited card arrives as an update.

All or nothing: the deck is written into a temporary folder beside the
target and renamed into place once complete.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ...model import Diagnostic
from ...model import DeckbuilderError
from ...model import CardType
from ...load import SLUG
from .convert import SOURCE_ID, UNTAGGED_TOPIC, Converted, convert
from .packages import ImportFailed, Package, read_package, read_text_export

TEXT_SUFFIXES = (".txt", ".tsv", ".csv")
CARDS_FILE = "imported.yaml"
_ORDER = [CardType.BASIC, CardType.REVERSED, CardType.CLOZE]


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    cards_dir: Path
    namespace: str
    card_count: int
    kind: str  # legacy, modern, text
    adopted: tuple[str, ...]  # names of the note types kept
    problems: tuple[Diagnostic, ...]  # what could not be kept (warnings), and the check's diagnostics
    media_count: int = 0


def import_deck(source: Path, into: Path | None = None, now: int | None = None,
                namespace: str | None = None) -> ImportResult:
    from ...fs import display_path

    display = display_path(source)
    if not source.is_file():
        raise ImportFailed(display, "does not exist or is not a file")
    now = int(time.time()) if now is None else now
    if source.suffix.lower() in TEXT_SUFFIXES:
        package = read_text_export(source, display)
    else:
        package = read_package(source, display)
    converted = convert(package, display)
    if not converted.cards:
        raise ImportFailed(display, "holds no note deckbuilder can keep" + (
            ": " + "; ".join(p.message for p in converted.problems[:3]) if converted.problems else ""))
    # One line of text (deck.yaml's name is; Anki's deck names are): no control characters, no line breaks.
    name = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", converted.deck_name or source.stem).split())
    name = name[:200] or "Imported deck"
    namespace = namespace or _slug(name) or "imported-deck"
    if not SLUG.fullmatch(namespace):
        raise DeckbuilderError(f"--namespace must be a slug (lowercase letters, digits, single hyphens): {namespace!r}")
    folder = into if into is not None else Path(namespace)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DeckbuilderError(f"{display_path(folder)} already exists and is not empty; choose another with --into")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".import.tmp", dir=folder.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would hide the deck from the user's group
        problems = _write_deck(staging, converted, package, name, namespace, display, now)
        # The check ran in the staging folder: name the files where they now are.
        staged, final = display_path(staging), display_path(folder)
        problems = [replace(p, location=p.location._replace(file=final + p.location.file[len(staged):]))
                    if p.location.file.startswith(staged) else p for p in problems]
        if folder.exists():
            folder.rmdir()  # empty (checked above)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ImportResult(folder, folder / "cards", namespace, len(converted.cards), package.kind,
                        tuple(k.notetype.name for k in converted.notetypes) if package.kind != "text" else (),
                        tuple([*converted.problems, *problems]), len(converted.media))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:40].strip("-")


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 20, default_flow_style=False)


def _write_deck(folder: Path, converted: Converted, package: Package, name: str, namespace: str, display: str,
                now: int) -> list[Diagnostic]:
    from ..scaffold import GITIGNORE, _editor_comment

    cards = folder / "cards"
    (cards / "media").mkdir(parents=True)
    adopted = []
    if package.kind != "text":  # a text export holds no note type ids: nothing to adopt
        for kept in sorted(converted.notetypes, key=lambda k: (_ORDER.index(k.card_type), not k.default)):
            nt = kept.notetype
            entry = {"card_type": kept.card_type.value}
            if not kept.default:
                entry["key"] = kept.slug
            entry |= {"id": str(nt.id), "name": nt.name, "fields": list(nt.fields),
                      "templates": [{"name": t[0], "front": t[1], "back": t[2]} for t in nt.templates]}
            if nt.css:
                entry["css"] = nt.css
            if kept.cards:
                entry["cards"] = kept.cards
            adopted.append(entry)
    deck = {
        "name": name,
        "version": "1.0.0",
        "namespace": namespace,
        "description": f"Imported from {Path(display).name} with `deckbuilder import`.",
        "topics": dict(sorted(converted.topics.items())),
    }
    if adopted:
        deck["adopted"] = {"untagged_topic": UNTAGGED_TOPIC, "notetypes": adopted}
    header = ("# Written by `deckbuilder import` (reference: deckbuilder's docs/format.md and README, \"Importing "
              "an Anki deck\").\n# `adopted:` keeps the note types students already have, so that their notes "
              "update in place:\n# edit the CSS and template text freely, never the fields or template names.\n")
    sources = [{"id": SOURCE_ID, "title": f"Imported Anki deck {Path(display).name}",
                "publisher": "deckbuilder import"}]
    written = {
        cards / "deck.yaml": _editor_comment("deck") + header + _dump(deck),
        cards / "sources.yaml": _editor_comment("sources") + _dump(sources),
        cards / CARDS_FILE: _editor_comment("cards") + _dump(converted.cards),
        folder / ".gitignore": GITIGNORE,
    }
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    for media_name, data in converted.media.items():
        (cards / "media" / media_name).write_bytes(data)
    (cards / "media" / ".gitkeep").write_text("")
    return _write_lock(cards, converted, package, now)


def _write_lock(cards: Path, converted: Converted, package: Package, now: int) -> list[Diagnostic]:
    """deck.lock as the first build would write it, with every note's GUID and mtime as Anki has them."""
    from ... import pipeline
    from ...compile import adopted_specs
    from ...lock import LOCK_FILE, Lock, LockedNotetype, write_lock

    from ...load import ParseCache

    checked = pipeline.check(cards, cache=ParseCache(None))  # in memory: no cards/.cache left behind
    if checked.card_set is None:  # our own YAML did not load: a bug, not the user's input
        raise DeckbuilderError("deckbuilder import wrote a deck it cannot read: " +
                               "; ".join(str(d) for d in checked.diagnostics[:3]))
    deck = checked.card_set.deck
    notetypes = {}
    mtimes = {kept.notetype.id: kept.notetype.mtime for kept in converted.notetypes}
    for key, spec in adopted_specs(deck.adopted).items():
        notetypes[key] = LockedNotetype(spec.id, spec.fields, spec.templates, spec.style,
                                        min(mtimes.get(spec.id) or now, now))
    seed = Lock(namespace=deck.namespace, created=now, notetypes=notetypes,
                adopted=dict(sorted(converted.guids.items())))
    planned = pipeline.plan(replace(checked, lock=seed), now)
    entries = {}
    for card_id, entry in planned.lock.cards.items():
        mtime = converted.mtimes.get(card_id) or now
        mtime = min(mtime, now) if package.kind != "text" else now  # a text export carries no times
        entries[card_id] = replace(entry, guid=converted.guids[card_id], changed=mtime,
                                   added=min(converted.added.get(card_id) or mtime, mtime))
    lock = replace(planned.lock, cards=entries)
    write_lock(lock, cards / LOCK_FILE)
    return [d for d in checked.diagnostics if d.is_error]

