"""Load a cards folder into a CardSet, with diagnostics for everything wrong.

Layout: ``deck.yaml`` and ``sources.yaml`` at the top of the folder; every
other ``*.yaml``/``*.yml`` file below it is a list of cards. A card whose
required fields are broken is reported and left out of the model (so later
checks do not pile more messages on the same mistake); the build refuses to
run while any error exists, so nothing is ever dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checkconfig import read_check_config
from ..model import CardSet, DeckDefinition, DeckSpec, Diagnostic, Location, Source, diagnostic
from ..fs import display_path, link_problem, reason, status_problem
from .schema import DECK_DEFINITION_FIELDS, DECK_FIELDS, SOURCE_FIELDS, read_fields
from .yamlsource import Mapping, Node, ParsedFile, Sequence, parse_file
from .cardfile import CardFile, load_card_file  # noqa: F401  (the loader's interface: callers need not know the split)

if TYPE_CHECKING:
    from .cache import ParseCache

DECK_FILE = "deck.yaml"
SOURCES_FILE = "sources.yaml"
MEDIA_DIR = "media"  # pictures and sounds the cards refer to by name
CARD_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadResult:
    card_set: CardSet | None  # None when deck.yaml or sources.yaml is unusable
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...] = ()  # every file read, as displayed
    card_count: int = 0  # cards that loaded


def card_files(cards_dir: Path) -> list[Path]:
    """Every card file under ``cards_dir``, in a stable order.

    Hidden files and folders are skipped: editors keep lock and backup files
    there (emacs' ``.#histology.yaml``), and they are not cards.
    """
    return _walk(cards_dir)[0]


def _walk(cards_dir: Path) -> tuple[list[Path], list[Path]]:
    """The card files, and the links to folders (which are not followed: a link loop would never end)."""
    found, linked_folders = [], []
    for path in cards_dir.rglob("*"):
        relative = path.relative_to(cards_dir)
        if any(part.startswith(".") for part in relative.parts) or relative.parts[0] == MEDIA_DIR:
            continue
        if path.suffix not in CARD_SUFFIXES:
            if path.is_symlink() and path.is_dir():
                linked_folders.append(path)
            continue
        if path.parent == cards_dir and path.name in (DECK_FILE, SOURCES_FILE):
            continue
        found.append(path)
    in_order = sorted(found, key=lambda p: p.relative_to(cards_dir).as_posix())
    return in_order, sorted(linked_folders)


# A picture or sound larger than this is a mistake (a video, a scan at full resolution).
MAX_MEDIA_BYTES = 100 * 1024 * 1024


def media_files(cards_dir: Path) -> dict[str, Path]:
    """The usable files in the media folder, by name (sub-folders are not media: Anki's folder is flat)."""
    return {path.name: path for path, problem in _media_entries(cards_dir) if problem is None}


def media_problems(cards_dir: Path) -> list[Diagnostic]:
    """Why some files of the media folder cannot be shipped: links out of the cards folder, pipes, giants."""
    return [diagnostic("E002", Location(display_path(path)), problem)
            for path, problem in _media_entries(cards_dir) if problem is not None]


def _media_entries(cards_dir: Path) -> list[tuple[Path, str | None]]:
    folder = cards_dir / MEDIA_DIR
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        entries.append((path, _media_problem(path, cards_dir)))
    return entries


def _media_problem(path: Path, cards_dir: Path) -> str | None:
    problem = link_problem(path, cards_dir)
    if problem is not None:
        return f"{problem}; a media file is shipped to every student, so it must be in the cards folder"
    try:
        return status_problem(path.stat(), MAX_MEDIA_BYTES)
    except OSError as exc:
        return f"cannot be read: {reason(exc)}"


def load_card_set(cards_dir: Path, cache: ParseCache | None = None) -> LoadResult:
    """Load deck.yaml, sources.yaml and every card file; ``cache`` skips files parsed before."""
    if not cards_dir.is_dir():
        where = Location(display_path(cards_dir))
        return LoadResult(None, (diagnostic("E005", where, "cards folder does not exist"),))

    problems: list[Diagnostic] = []
    deck = _load_deck(cards_dir / DECK_FILE, problems)
    sources = _load_sources(cards_dir / SOURCES_FILE, problems)
    cards: list[Card] = []
    files = [display_path(cards_dir / DECK_FILE), display_path(cards_dir / SOURCES_FILE)]
    complete = True
    problems.extend(media_problems(cards_dir))
    paths, linked_folders = _walk(cards_dir)
    problems.extend(
        diagnostic("E002", Location(display_path(folder)),
                   "is a link to a folder, and links to folders are not followed: move or copy its card files "
                   "into the cards folder")
        for folder in linked_folders)
    card_files = load_card_files(paths, cache, cards_dir)
    for card_file in card_files:
        files.append(card_file.display)
        problems.extend(card_file.diagnostics)
        cards.extend(card_file.cards)
        complete = complete and card_file.complete

    card_set = None
    if deck is not None and sources is not None:
        card_set = CardSet(deck, tuple(sources), tuple(cards), complete, _derived_cache(cache, card_files))
    return LoadResult(card_set, tuple(problems), tuple(files), len(cards))


def _derived_cache(cache: ParseCache | None, card_files: list[CardFile]):
    """Where check and compile keep what they derive from each file (with a disk cache only)."""
    if cache is None or cache.folder is None:
        return None
    from .derived import DERIVED_DIR, DerivedCache

    return DerivedCache(cache.folder / DERIVED_DIR, cache.secret,
                        [(cf.display, cache.file_keys[cf.display], cf.cards) for cf in card_files
                         if cf.display in cache.file_keys], cache.deferred)


def load_card_files(paths: list[Path], cache: ParseCache | None, cards_dir: Path) -> list[CardFile]:
    """Every card file, from the cache when its bytes are unchanged, else parsed (on both cores if many)."""
    from .cache import ParseCache, parse_all

    return parse_all(paths, cache if cache is not None else ParseCache(None), cards_dir)


def _parse(path: Path, problems: list[Diagnostic]) -> ParsedFile:
    parsed = parse_file(path, display_path(path), path.parent)
    problems.extend(parsed.diagnostics)
    return parsed


def _required_file(path: Path, problems: list[Diagnostic]) -> ParsedFile | None:
    if not path.exists() and not path.is_symlink():
        problems.append(diagnostic("E005", Location(display_path(path)), f"{path.name} is missing"))
        return None
    parsed = _parse(path, problems)
    if parsed.diagnostics and parsed.root is None:
        return None
    return parsed


def _load_deck(path: Path, problems: list[Diagnostic]) -> DeckSpec | None:
    parsed = _required_file(path, problems)
    if parsed is None:
        return None
    root = parsed.root
    if not isinstance(root, Mapping):
        problems.append(diagnostic("E004", _where(root, parsed), "deck.yaml must be a mapping of fields (name: ...)"))
        return None
    fields = read_fields(root, DECK_FIELDS, "deck.yaml", problems)
    if not fields.complete:
        return None
    v = fields.values
    checks = read_check_config(v.get("checks"), v.get("accepted"), problems)
    decks = _deck_definitions(v.get("decks"), problems)
    from .adopted import read_adoption

    adopted = read_adoption(v.get("adopted"), problems)
    return DeckSpec(
        name=v["name"],
        version=v["version"],
        namespace=v["namespace"],
        description=v["description"],
        topics=v["topics"],
        required_topics=v.get("required_topics", ()),
        disclaimer=v.get("disclaimer", ""),
        scopes=v.get("scopes", {}),
        checks=checks,
        split_by_topic=v.get("split_by_topic", False),
        decks=decks,
        adopted=adopted,
        location=root.location,
        positions=fields.positions,
    )


def _deck_definitions(node: Node | None, problems: list[Diagnostic]) -> tuple[DeckDefinition, ...]:
    """deck.yaml `decks:`: focused decks cut from the same cards."""
    if node is None:
        return ()
    if not isinstance(node, Sequence):
        problems.append(diagnostic("E102", node.location, f"'decks' should be a list of decks, not {node.kind}"))
        return ()
    definitions = []
    for item in node.items:
        if not isinstance(item, Mapping):
            problems.append(diagnostic("E004", item.location, f"a deck must be a mapping of fields, not {item.kind}"))
            continue
        fields = read_fields(item, DECK_DEFINITION_FIELDS, "deck", problems)
        if fields.complete:
            v = fields.values
            definitions.append(DeckDefinition(
                id=v["id"], name=v["name"], description=v.get("description"), topics=v.get("topics", ()),
                scopes=v.get("scopes", ()), sources=v.get("sources", ()),
                split_by_topic=v.get("split_by_topic", False), location=item.location, positions=fields.positions,
            ))
    return tuple(definitions)


def _load_sources(path: Path, problems: list[Diagnostic]) -> list[Source] | None:
    parsed = _required_file(path, problems)
    if parsed is None:
        return None
    root = parsed.root
    if root is None:
        return []
    if not isinstance(root, Sequence):
        problems.append(diagnostic("E004", root.location, "sources.yaml must be a list of sources (- id: ...)"))
        return None
    sources = []
    for item in root.items:
        if not isinstance(item, Mapping):
            problems.append(diagnostic("E004", item.location, f"a source must be a mapping of fields, not {item.kind}"))
            continue
        fields = read_fields(item, SOURCE_FIELDS, "source", problems)
        if fields.complete:
            v = fields.values
            sources.append(Source(
                id=v["id"], title=v["title"], publisher=v.get("publisher"), date=v.get("date"),
                url=v.get("url"), file=v.get("file"), sha256=v.get("sha256"),
                location=item.location, positions=fields.positions,
            ))
    return sources


def _where(root: Node | None, parsed: ParsedFile) -> Location:
    return root.location if root is not None else Location(parsed.display)
