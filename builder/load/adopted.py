"""deck.yaml ``adopted:``: the note types a deck imported from Anki keeps (``deckbuilder import`` writes it).

Anki updates a student's note in place only when the incoming note has the
note type the student already has: same id, same field names, same card
template names (DESIGN §4.5; the legacy importer compares a hash of exactly
those, the current one the id and then the same schema). A deck that came from
Anki must therefore ship its cards on the original note types, with their
names, templates and CSS, not on deckbuilder's own. deck.yaml says which:

    adopted:
      untagged_topic: imported     # the topic of notes that had no topic tag; ships no tag
      notetypes:
        - card_type: basic         # basic (1 template), reversed (2 templates) or cloze
          id: 1607392319           # (a second basic note type would add `key: <slug>` and `cards: [ids]`)
          name: Basic
          fields: [Front, Back]    # the first holds front (cloze: text), the second back (cloze: extra);
                                   # reversed: a third may switch the reverse card on (carries basic cards too)
          templates:
            - {name: Card 1, front: "{{Front}}", back: "{{FrontSide}}<hr id=answer>{{Back}}"}
          css: ".card { ... }"

It is read like every other input: located diagnostics for anything else.
"""

from __future__ import annotations

import re

from ..model import Adoption, AdoptedNotetype, CardType, Diagnostic, diagnostic
from ..text import scan
from .schema import SLUG, FieldSpec, Kind, read_fields
from .yamlsource import Mapping, Node, Sequence

ADOPTION_FIELDS = {s.name: s for s in (
    FieldSpec("notetypes", Kind.NODE, required=True, help="The note types students already have."),
    FieldSpec("untagged_topic", Kind.TEXT, pattern=SLUG, help="The topic of notes that had no topic tag."),
)}
NOTETYPE_FIELDS = {s.name: s for s in (
    FieldSpec("card_type", Kind.TEXT, required=True, choices=tuple(t.value for t in CardType)),
    FieldSpec("key", Kind.TEXT, pattern=SLUG, pattern_help="a slug",
              help="Its name in deck.lock (adopted-<key>); default: the card type. Needed from the second note "
                   "type of a card type on."),
    FieldSpec("cards", Kind.TEXT_LIST, form=SLUG,
              help="The card ids it carries; the first note type of each card type carries every other card."),
    FieldSpec("id", Kind.TEXT, required=True, pattern=re.compile(r"[1-9][0-9]{0,17}"),
              pattern_help="the note type's numeric id in Anki"),
    FieldSpec("name", Kind.TEXT, required=True),
    FieldSpec("fields", Kind.TEXT_LIST, required=True),
    FieldSpec("templates", Kind.NODE, required=True),
    FieldSpec("css", Kind.TEXT),
)}
TEMPLATE_FIELDS = {s.name: s for s in (
    FieldSpec("name", Kind.TEXT, required=True),
    FieldSpec("front", Kind.TEXT, required=True),
    FieldSpec("back", Kind.TEXT, required=True),
)}
# How many templates each card type's note type has (Anki makes one card per template).
TEMPLATE_COUNT = {CardType.BASIC: 1, CardType.REVERSED: 2, CardType.CLOZE: 1}
MAX_ID = (1 << 63) - 1


def read_adoption(node: Node | None, problems: list[Diagnostic]) -> Adoption | None:
    if node is None:
        return None
    if not isinstance(node, Mapping):
        problems.append(diagnostic("E102", node.location, f"'adopted' should be a mapping, not {node.kind}"))
        return None
    values = read_fields(node, ADOPTION_FIELDS, "'adopted'", problems)
    if not values.complete:
        return None
    listed = values.values["notetypes"]
    if not isinstance(listed, Sequence):
        problems.append(diagnostic("E102", listed.location, f"'notetypes' should be a list, not {listed.kind}"))
        return None
    notetypes: list[AdoptedNotetype] = []
    for item in listed.items:
        notetype = _notetype(item, problems)
        if notetype is None:
            continue
        if any(other.slug == notetype.slug for other in notetypes):
            problems.append(diagnostic("E201", item.location, (
                f"two adopted note types are called '{notetype.slug}' in deck.lock: give the second of a card type "
                "a `key:` of its own")))
            continue
        if any(other.id == notetype.id for other in notetypes):
            problems.append(diagnostic("E201", item.location, f"two adopted note types have id {notetype.id}"))
            continue
        twice = sorted(set(notetype.cards) & {card_id for other in notetypes for card_id in other.cards})
        if twice:
            problems.append(diagnostic("E201", item.location, (
                f"card '{twice[0]}' is listed by two adopted note types; a note has one note type")))
            continue
        notetypes.append(notetype)
    return Adoption(tuple(notetypes), values.values.get("untagged_topic"))


def _notetype(node: Node, problems: list[Diagnostic]) -> AdoptedNotetype | None:
    if not isinstance(node, Mapping):
        problems.append(diagnostic("E102", node.location, f"an adopted note type should be a mapping, not {node.kind}"))
        return None
    read = read_fields(node, NOTETYPE_FIELDS, "adopted note type", problems)
    if not read.complete:
        return None
    v = read.values
    card_type = CardType(v["card_type"])
    number = int(v["id"])
    if number > MAX_ID:
        problems.append(diagnostic("E105", read.positions["id"], f"note type id {number} is out of Anki's range"))
        return None
    templates = v["templates"]
    if not isinstance(templates, Sequence):
        problems.append(diagnostic("E102", templates.location, f"'templates' should be a list, not {templates.kind}"))
        return None
    read_templates = []
    for item in templates.items:
        if not isinstance(item, Mapping):
            problems.append(diagnostic("E102", item.location, f"a template should be a mapping, not {item.kind}"))
            return None
        template = read_fields(item, TEMPLATE_FIELDS, "template", problems)
        if not template.complete:
            return None
        read_templates.append((template.values["name"], template.values["front"], template.values["back"]))
    fields = tuple(v["fields"])
    where = node.location
    optional = card_type is CardType.REVERSED and len(fields) == 3
    if (len(fields) != 2 and not optional) or len(set(fields)) != len(fields):
        problems.append(diagnostic("E105", read.positions.get("fields", where), (
            "an adopted note type has two distinct fields (front and back, or text and extra), or for reversed "
            f"cards three (front, back and the field that switches the reverse card on), not {list(fields)}")))
        return None
    wanted = TEMPLATE_COUNT[card_type]
    if len(read_templates) != wanted or len({t[0] for t in read_templates}) != wanted:
        problems.append(diagnostic("E105", templates.location, (
            f"an adopted note type for {card_type.value} cards has {wanted} distinctly named template(s), "
            f"not {len(read_templates)}")))
        return None
    css = v.get("css", "")
    unsafe = [f"template '{name}': {problem}" for name, front, back in read_templates
              for problem in template_problems(front + "\n" + back)]
    unsafe += [f"css: {problem}" for problem in css_problems(css)]
    if unsafe:
        problems.append(diagnostic("E901", templates.location, (
            f"adopted note type '{v['name']}' would ship unsafe markup to every student ({'; '.join(unsafe[:3])}); "
            "card templates and CSS may not run code or load remote resources: remove it")))
        return None
    return AdoptedNotetype(card_type, v.get("key", card_type.value), number, v["name"], fields, tuple(read_templates),
                           css, tuple(dict.fromkeys(v.get("cards", ()))), location=where, positions=read.positions)


# Template text is HTML around {{fields}}: judged by the same scanner as card fields, but only what is unsafe
# (scripts, handlers, frames, javascript: URLs, remote resources) counts; layout markup is the template's own.
_REMOTE_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def template_problems(text: str) -> list[str]:
    return [issue.message for issue in scan(text)[0] if issue.unsafe]


def css_problems(css: str) -> list[str]:
    found = _REMOTE_CSS.search(css)
    return [f"{found.group(0)!r} loads a resource from outside the deck"] if found else []


REVERSE_ON = "y"  # what the third field of an optional-reverse note type holds for a reversed card
