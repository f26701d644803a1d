"""An Anki deck's notes as deckbuilder cards: what is kept, what is reported.

* Note types of Anki's three stock shapes (two fields and one template: basic; two fields, two templates:
  reversed; a cloze type with two fields: cloze) become adopted note types (adopted.py); any other is
  reported once (W012), with what to do, and its notes are left out: students keep them as they are.
* Field HTML is sanitised with the project's sanitiser, then written as Markdown only where rendering that
  Markdown gives back the same HTML; otherwise as the HTML itself, which the loader renders unchanged (or
  with its text escaped where Markdown would read it). A field that cannot come out identical is reported
  per note type (W013).
* Tags stay as written; a ``topic::x`` tag makes ``x`` a topic (shipped as ``topic::x`` again).
* Media files get safe names (a ``../`` name cannot write outside the deck); references follow.
"""

from __future__ import annotations

import collections
import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from ...model import diagnostic
from ...model import Diagnostic, Location
from ...text import render, sanitise
from ...load import REVERSE_ON
from ...model import CardType
from ...load import SLUG
from .packages import MAX_FIELD_CHARS, Note, Notetype, Package

UNTAGGED_TOPIC = "imported"
_TAG_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]")
SOURCE_ID = "imported"
TOPIC_TAG = re.compile(r"topic::([a-z0-9]+(?:-[a-z0-9]+)*)", re.IGNORECASE)
# Stock names a plain-text export gives instead of note type definitions.
STOCK_SHAPES = {"basic": CardType.BASIC, "basic (and reversed card)": CardType.REVERSED, "cloze": CardType.CLOZE}


@dataclass
class Kept:
    """A note type whose notes are imported: adopted (deck.yaml `adopted:`) unless it came from a text export."""

    card_type: CardType
    slug: str  # its deck.lock name: adopted-<slug>
    notetype: Notetype
    default: bool  # the first of its card type: carries every card no other lists
    cards: list[str] = field(default_factory=list)  # the card ids it carries (when not the default)

    @property
    def optional_reverse(self) -> bool:
        return len(self.notetype.fields) == 3


@dataclass
class Converted:
    cards: list[dict]  # card mappings in note order, ready for YAML
    guids: dict[str, str]  # card id -> original GUID
    mtimes: dict[str, int]  # card id -> original modification time
    added: dict[str, int]  # card id -> creation time (from the note id)
    notetypes: list[Kept]  # the note types kept, the default of each card type first
    topics: dict[str, str]
    media: dict[str, bytes]  # safe name -> bytes
    deck_name: str
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: int = 0


CLOZE_MARK = re.compile(r"\{\{c\d+::")


def shape(notetype: Notetype, kind: str, notes: list[Note] = ()) -> CardType | None:
    """Which deckbuilder card type a note type can carry as it is, or None."""
    if kind == "text":  # names and field values only: a stock name, or two fields (cloze if it has deletions)
        if notetype.name.lower() in STOCK_SHAPES:
            return STOCK_SHAPES[notetype.name.lower()]
        values = [note.fields for note in notes if note.notetype_id == notetype.id]
        if not values or any(len(v) != 2 for v in values):
            return None
        return CardType.CLOZE if any(CLOZE_MARK.search(v[0]) for v in values) else CardType.BASIC
    if len(notetype.fields) == 3 and not notetype.cloze and len(notetype.templates) == 2:
        # Anki's "Basic (optional reversed card)": the second template shows only when the third field is filled.
        switch = "{{#%s}}" % notetype.fields[2]
        return CardType.REVERSED if switch in notetype.templates[1][1] and len(set(notetype.fields)) == 3 else None
    if len(notetype.fields) != 2 or len(set(notetype.fields)) != 2:
        return None
    if notetype.cloze:  # the deletions in the first field, as in Anki's Cloze (Text, Back Extra)
        wanted = "{{cloze:%s}}" % notetype.fields[0]
        ok = len(notetype.templates) == 1 and wanted in notetype.templates[0][1]
        return CardType.CLOZE if ok else None
    return {1: CardType.BASIC, 2: CardType.REVERSED}.get(len(notetype.templates))


def convert(package: Package, display: str) -> Converted:
    where = Location(display)
    problems: list[Diagnostic] = []
    counts = collections.Counter(note.notetype_id for note in package.notes)
    kept: dict[int, Kept] = {}  # note type id -> how it is kept, most used first
    for ntid, _ in counts.most_common():
        notetype = package.notetypes.get(ntid)
        if notetype is None:
            problems.append(diagnostic("W012", where, (
                f"{counts[ntid]} note(s) use note type id {ntid}, which the package does not define: not imported")))
            continue
        card_type = shape(notetype, package.kind, package.notes)
        if card_type is None:
            problems.append(diagnostic("W012", where, (
                f"note type '{notetype.name}' ({_describe(notetype, package.kind)}) is not one "
                f"deckbuilder can keep: its {counts[ntid]} note(s) were not imported (students keep them as they "
                "are). To bring them in, change them in Anki to one of the stock shapes (Basic, Basic (and "
                "reversed card), Basic (optional reversed card) or Cloze: Browse, Notes, Change Note Type), export "
                "and import again")))
            continue
        safe = notetype if package.kind == "text" else _made_safe(notetype)
        if safe is None:
            problems.append(diagnostic("W012", where, (
                f"note type '{notetype.name}' has card templates that run code or load remote resources and "
                "cannot be made safe, or control characters in its name, field or template names: its "
                f"{counts[ntid]} note(s) were not imported. Fix the note type in Anki (Tools, Manage Note "
                "Types), export and import again")))
            continue
        if safe != notetype:
            problems.append(diagnostic("W013", where, (
                f"note type '{notetype.name}': scripts, event handlers, frames or remote resources were removed "
                "from its card templates or CSS (every student would run them); the cards look the same "
                "otherwise, and the note type stays the same one for Anki (templates are not its schema)")))
        # The most used note type of a card type carries its cards by default; others list theirs.
        first = not any(k.card_type is card_type for k in kept.values())
        slug = card_type.value if first else _unique_slug(notetype.name, {k.slug for k in kept.values()})
        kept[ntid] = Kept(card_type, slug, safe, first)
    if package.kind == "text" and kept:
        problems.append(diagnostic("W012", where, (
            "a plain-text export names its note types without their ids, fields or templates, so they cannot be "
            "kept: the cards keep their GUIDs and text, but ship on deckbuilder's note types, and Anki leaves "
            "students' existing notes as they are (it reports them as conflicting), so edits will not reach "
            "them. To keep the note types, export the deck from Anki as an .apkg and import that")))

    media_names = _safe_media_names(package.media, problems, where)
    seen_guids: set[str] = set()
    ids: set[str] = set()
    cards, guids, mtimes, added = [], {}, {}, {}
    topics: dict[str, str] = {}
    changed_fields: collections.Counter = collections.Counter()
    decks: collections.Counter = collections.Counter()
    skipped: collections.Counter = collections.Counter()
    defaults = _defaults(list(kept.values()))
    for note in package.notes:
        keeping = kept.get(note.notetype_id)
        if keeping is None:
            continue
        card_type = keeping.card_type
        if keeping.optional_reverse and len(note.fields) == 3:
            if note.fields[2].strip() and note.fields[2] != REVERSE_ON:
                changed_fields[keeping.notetype.name] += 1  # the switch ships as "y"
            card_type = CardType.REVERSED if note.fields[2].strip() else CardType.BASIC
            note = replace(note, fields=note.fields[:2])
        problem = _note_problem(note, seen_guids)
        if problem:
            skipped[problem] += 1
            continue
        seen_guids.add(note.guid)
        texts = []
        for value in note.fields[:2]:
            text, identical = field_text(_renamed_media(value, media_names))
            texts.append(text)
            if not identical:
                changed_fields[keeping.notetype.name] += 1
        if card_type is CardType.CLOZE:
            if not texts[0].strip():
                skipped["its cloze text is empty"] += 1
                continue
        elif not texts[0].strip() or not texts[1].strip():
            skipped["its front or back is empty (deckbuilder cards need both)"] += 1
            continue
        card_id = _card_id(texts[0], ids)
        ids.add(card_id)
        card_topics, tags = [], []
        for tag in note.tags:
            tag = _TAG_UNSAFE.sub("", tag)  # Anki drops control characters from tags too
            if not tag:
                continue
            found = TOPIC_TAG.fullmatch(tag)
            if found and found.group(1) == found.group(1).lower():
                card_topics.append(found.group(1))
                topics.setdefault(found.group(1), found.group(1).replace("-", " ").capitalize())
            else:
                tags.append(tag)
        if not card_topics:
            card_topics = [UNTAGGED_TOPIC]
            topics.setdefault(UNTAGGED_TOPIC, "Imported (no topic tag)")
        card: dict = {"id": card_id}
        if card_type is not CardType.BASIC:
            card["type"] = card_type.value
        if card_type is CardType.CLOZE:
            card["text"] = texts[0]
            if texts[1]:
                card["extra"] = texts[1]
        else:
            card["front"], card["back"] = texts
        card["topics"] = list(dict.fromkeys(card_topics))
        card["sources"] = [SOURCE_ID]
        if tags:
            card["tags"] = tags
        cards.append(card)
        if defaults.get(card_type) is not keeping:
            keeping.cards.append(card_id)
        guids[card_id] = note.guid
        mtimes[card_id] = note.mtime
        added[card_id] = min(note.id // 1000, note.mtime) if note.id > 0 else note.mtime
        decks[note.deck] += 1
    for notetype_name, count in sorted(changed_fields.items()):
        problems.append(diagnostic("W013", where, (
            f"{count} field(s) of note type '{notetype_name}' hold markup the sanitiser removes, or white space at "
            "an edge: they will not be identical in the built deck (their notes stay as students have them until "
            "you edit the card)")))
    for reason, count in sorted(skipped.items()):
        problems.append(diagnostic("W012", where, f"{count} note(s) were not imported: {reason}"))
    used = {name for card in cards for key in ("front", "back", "text", "extra") for name in _references(card.get(key, ""))}
    media = {name: data for name, data in media_names.values() if name in used}
    deck_name = decks.most_common(1)[0][0] if decks and decks.most_common(1)[0][0] else ""
    return Converted(cards, guids, mtimes, added, list(kept.values()), topics, media, deck_name, problems,
                     sum(skipped.values()))


_DANGEROUS_BLOCK = re.compile(r"<(script|style|iframe|object|embed|applet|form|template|noscript|svg|math)\b.*?"
                              r"</\1\s*>", re.IGNORECASE | re.DOTALL)
_DANGEROUS_TAG = re.compile(r"</?(?:script|style|iframe|frame|frameset|object|embed|applet|form|input|button|"
                            r"textarea|select|link|meta|base|svg|math|template|noscript|portal)\b[^>]*>", re.IGNORECASE)
_HANDLER = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_CSS_REMOTE_URL = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//)[^)]*\)", re.IGNORECASE)


def _made_safe(notetype: Notetype) -> Notetype | None:
    """The note type with what every student would run or fetch removed from its templates and CSS; None when
    something unsafe is left (the adopted note type would then be refused by the loader, E901)."""
    from dataclasses import replace

    from ...load import css_problems, template_problems
    from ...text import TEXT_CONTROLS

    def clean(text: str) -> str:
        text = TEXT_CONTROLS.sub("", text)
        return _HANDLER.sub("", _DANGEROUS_TAG.sub("", _DANGEROUS_BLOCK.sub("", text)))

    names = (notetype.name, *notetype.fields, *(name for name, _, _ in notetype.templates))
    if any(TEXT_CONTROLS.search(name) or "\n" in name or not name.strip() for name in names):
        return None  # names are the note type's schema for Anki: they cannot be changed, nor written safely
    templates = tuple((name, clean(front), clean(back)) for name, front, back in notetype.templates)
    css = _CSS_REMOTE_URL.sub("none", _CSS_IMPORT.sub("", TEXT_CONTROLS.sub("", notetype.css)))
    if any(template_problems(f + "\n" + b) for _, f, b in templates) or css_problems(css):
        return None
    return replace(notetype, templates=templates, css=css)


def _defaults(kept: list[Kept]) -> dict[CardType, Kept]:
    """The note type carrying each card type's unlisted cards, as model.Adoption.for_type picks it from
    deck.yaml (written default first, then in this order)."""
    defaults: dict[CardType, Kept] = {}
    for card_type in CardType:
        defaults[card_type] = (next((k for k in kept if k.card_type is card_type and k.default), None)
                               or next((k for k in kept if k.optional_reverse and card_type is CardType.BASIC
                                        and k.card_type is CardType.REVERSED), None))
    return {card_type: k for card_type, k in defaults.items() if k is not None}


def _unique_slug(name: str, taken: set[str]) -> str:
    from .. import scaffold

    base = scaffold.slug_of(name) or "notetype"
    slug, number = base, 2
    while slug in taken or slug in {t.value for t in CardType}:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _describe(notetype: Notetype, kind: str) -> str:
    if kind == "text":
        return "a text export names it without its fields"
    return (f"{len(notetype.fields)} fields {list(notetype.fields)[:6]}, {len(notetype.templates)} card "
            f"template(s){', cloze' if notetype.cloze else ''}")


def _note_problem(note: Note, seen: set[str]) -> str | None:
    from ...lock import ADOPTED_GUID

    if len(note.fields) != 2:
        return "it does not have the two fields of its note type (a damaged package?)"
    if not ADOPTED_GUID.fullmatch(note.guid):
        return "its GUID is not one Anki writes"
    if note.guid in seen:
        return "its GUID is another note's (a damaged package?)"
    if any(len(value) > MAX_FIELD_CHARS for value in note.fields):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters"
    return None


def _references(text: str) -> list[str]:
    from ...text import media_references

    return media_references(render(text)) if ("<img" in text or "[sound:" in text) else []


# ---------------------------------------------------------------- media names


def _safe_media_names(media: dict[str, bytes], problems: list[Diagnostic], where: Location) -> dict[str, tuple]:
    """Package name -> (safe name, bytes). A name with a path, forbidden characters or a leading dot is
    renamed, so no file is ever written outside media/ and every reference still finds its file."""
    from ...check import is_path, name_problem

    names: dict[str, tuple] = {}
    taken: set[str] = set()
    renamed = []
    for name in sorted(media):
        safe = unicodedata.normalize("NFC", name)
        if is_path(safe) or name_problem(safe):
            safe = re.split(r"[/\\]", safe)[-1].lstrip(".")
            safe = re.sub(r'[\x00-\x1f\x7f:*?"<>|/\\]', "-", safe)[:100] or "file"
        base, number = safe, 2
        while safe.lower() in taken:
            stem, dot, ext = base.rpartition(".")
            safe = f"{stem}-{number}.{ext}" if dot and stem else f"{base}-{number}"
            number += 1
        taken.add(safe.lower())
        if safe != name:
            renamed.append((name, safe))
        names[name] = (safe, media[name])
    if renamed:
        shown = ", ".join(f"{old!r} -> {new!r}" for old, new in renamed[:5])
        problems.append(diagnostic("W013", where, (
            f"{len(renamed)} media file name(s) were unsafe or not ones Anki keeps, and were renamed ({shown}); "
            "the notes that show them now name the new file")))
    return names


def _renamed_media(value: str, names: dict[str, tuple]) -> str:
    from ...text import rename_references

    return rename_references(value, {old: new for old, (new, _) in names.items() if old != new})


# ---------------------------------------------------------------- field text


def field_text(original: str) -> tuple[str, bool]:
    """A field's HTML as card text, and whether the build will give back exactly ``original``.

    Markdown where that round trip is lossless, else the sanitised HTML (as is, or with its text escaped).
    """
    safe = sanitise(original)
    for candidate in (_markdown(safe), safe, _escaped(safe)):
        if candidate is not None and render(candidate) == safe:
            return candidate, safe == original
    return _escaped(safe), False


# Markdown would read these in text; a backslash before each keeps it literal.
_META = re.compile(r"([\\`*_\[\]!|~#])")
_BLOCK = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def _escape_text(text: str, first: bool) -> str:
    text = _META.sub(r"\\\1", text)
    if first:
        text = _BLOCK.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\" + m.group(2)[-1]), text)
    return text


_ENTITY_LIKE = re.compile(r"&(?=#|[A-Za-z0-9]+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


class _Markdown(HTMLParser):
    """The few HTML forms with a Markdown equivalent; anything else gives up (None)."""

    MARKS = {"strong": "**", "em": "*"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.failed = False

    def handle_starttag(self, tag, attrs):
        if tag in self.MARKS and not attrs:
            self.out.append(self.MARKS[tag])
        else:
            self.failed = True

    def handle_endtag(self, tag):
        if tag in self.MARKS:
            self.out.append(self.MARKS[tag])
        else:
            self.failed = True

    def handle_data(self, data):
        # "&" and "<" only where Markdown would read a character reference or a tag: "Tom & Jerry" stays.
        escaped = _ENTITY_LIKE.sub(r"\\&", _TAG_LIKE.sub(r"\\<", _escape_text(data, not self.out)))
        self.out.append(escaped)


def _markdown(safe: str) -> str | None:
    if "\n" in safe:
        return None
    parser = _Markdown()
    parser.feed(safe)
    parser.close()
    return None if parser.failed else "".join(parser.out)


_TAG = re.compile(r"(<[^>]*>)")


def _escaped(safe: str) -> str:
    """The HTML with Markdown's metacharacters escaped in its text (tags and character references kept)."""
    parts = _TAG.split(safe)
    return "".join(part if part.startswith("<") else _escape_text(part, index == 0)
                   for index, part in enumerate(parts))


# ---------------------------------------------------------------- ids


def _card_id(text: str, taken: set[str]) -> str:
    plain = html.unescape(re.sub(r"<[^>]*>|\{\{c\d+::|\}\}|::[^}]*", " ", text))
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower())
    base = "-".join(words[:6])[:50].strip("-") or "note"
    candidate, number = base, 2
    while candidate in taken or not SLUG.fullmatch(candidate):
        candidate = f"{base}-{number}"
        number += 1
    return candidate
