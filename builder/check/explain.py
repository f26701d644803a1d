"""``deckbuilder check --list`` and ``--explain CODE``: the documentation of every code.

Rule codes are documented where they are implemented (the rule module's
docstring, FAILING and PASSING examples, OPTIONS). Codes reported while
reading files or building are documented here.
"""

from __future__ import annotations

import re
import textwrap

from .rules import RULES_BY_CODE
from ..model import CODES

# code -> (explanation, failing example, passing example)
NON_RULE_DOCS: dict[str, tuple[str, str, str]] = {
    "E001": ("The file is not valid YAML: a missing quote, a tab used for indentation, a colon followed by a "
             "space inside unquoted text, or two documents (---) in one file.",
             "- id: margins\n  front: Margin: how wide?\n", "- id: margins\n  front: \"Margin: how wide?\"\n"),
    "E002": ("The file cannot be read, is larger than 64 MiB, or is not UTF-8 text (save it as UTF-8); or it is "
             "not a regular file inside the cards folder: a link leading out of it or looping, a link to a "
             "folder, a named pipe, a media file over 100 MiB.",
             "(a card file saved as Latin-1 with an é in it)", "(the same file saved as UTF-8)"),
    "E003": ("A mapping repeats a key. YAML itself would silently keep the last value, losing the first.",
             "- id: margins\n  front: First?\n  front: Second?\n", "- id: margins\n  front: First?\n"),
    "E004": ("The document does not have the shape of its file kind: a card file must be a list of mappings, "
             "deck.yaml a mapping, sources.yaml a list; keys must be plain text. Limits keep a hostile file from "
             "exhausting the machine: 64 levels of nesting, 1,000,000 values per file, 100,000 values repeated "
             "by aliases, 100,000 characters per value.", "id: margins\nfront: A card file must be a list\n",
             "- id: margins\n  front: A list of cards\n"),
    "E005": ("The cards folder, deck.yaml or sources.yaml does not exist.",
             "cards/ without deck.yaml", "cards/deck.yaml, cards/sources.yaml, cards/*.yaml"),
    "E006": ("deck.lock cannot be read: it is damaged, still holds merge-conflict markers, holds one entry "
             "twice (a merge that kept both sides) or names a note type deckbuilder does not write. Restore it "
             "from version control, or take one side of the conflict and build again.",
             "<<<<<<< HEAD\n  changed: ...", "(deck.lock as the build wrote it)"),
    "E011": ("deckbuilder import: the file is not an Anki package or text export that can be read safely: not a "
             "zip, a damaged zip, no collection in it, a damaged or non-SQLite collection, invalid zstd data, more "
             "than the limits (2 GiB file, 1 GiB collection, 100 MiB per media file, 4 GiB decompressed in all: a "
             "zip bomb stops here), or a text export without its GUID or note type column. Nothing is written.",
             "deckbuilder import notes.zip   # a zip of something else", "deckbuilder import deck.apkg   # as Anki exported it"),
    "W012": ("deckbuilder import left notes out: their note type has another shape than Anki's Basic, Basic (and "
             "reversed card) or Cloze (two fields; one template, two, or cloze; the deletions in the first field), "
             "its templates run code that cannot be removed, or the note itself cannot be a card (an empty front or back, a damaged "
             "GUID). One warning per note type or reason. Students keep those notes as they are. To bring them in, "
             "change them in Anki (Browse, Notes, Change Note Type), export and import again. Also reported for a "
             "plain-text export, whose note types cannot be kept at all.",
             "(a note type with fields Front, Back, Source)", "(a note type with fields Front, Back)"),
    "W013": ("deckbuilder import kept the notes, but some fields hold markup the sanitiser removes (styles, "
             "scripts, unknown tags) or white space at an edge, or some media names were unsafe and were renamed: "
             "those fields will not be identical in the built deck. Students' notes stay as they are until the "
             "card is edited.", '<span style="color:red">red</span>', "<b>bold</b>"),
    "W008": ("An entry under `accepted:` in deck.yaml matches no warning any more. Stale acceptances could hide "
             "a future problem on the same card: remove them.",
             "accepted:\n  - {code: W801, card: fixed-card, reason: ...}   # the answer was shortened since",
             "(only entries that still match a warning)"),
    "E101": ("A required field is missing: id, and front/back (basic, reversed) or text (cloze); name, version, "
             "namespace, description and topics in deck.yaml; id and title in sources.yaml.",
             "- id: margins\n  front: What margin?\n", "- id: margins\n  front: What margin?\n  back: 1 cm\n"),
    "E102": ("A field holds the wrong kind of value: a list where text belongs, or text where a list belongs.",
             "- id: margins\n  topics: margins\n", "- id: margins\n  topics: [margins]\n"),
    "E103": ("A field the format does not define. A typo would otherwise vanish silently; the message suggests "
             "the closest field name.", "- id: margins\n  topcs: [margins]\n", "- id: margins\n  topics: [margins]\n"),
    "E104": ("A field is present but empty.", "- id: margins\n  back:\n", "- id: margins\n  back: 1 cm\n"),
    "E105": ("A value is not one of the allowed values or forms: a card type, a date (YYYY-MM-DD), a sha256, "
             "a URL, a namespace, or a setting under `checks:`/`accepted:`.",
             "- id: margins\n  type: flashcard\n", "- id: margins\n  type: basic\n"),
    "E205": ("A note type's fields or card templates changed since the last release. Anki would treat the next "
             "import as a different note type: students get a copy named with '+', and edits to their existing "
             "cards stop arriving. Build with --accept-notetype-change only if that is really intended.",
             "(a field added to the basic note type in builder/compile/notetypes.py)", "(CSS or template text changes only)"),
    "E207": ("`build --locked` (CI): deck.lock does not describe the cards exactly, usually because someone "
             "edited cards without committing the rebuilt lock.",
             "git commit cards/margins.yaml   # without cards/deck.lock",
             "deckbuilder build && git commit cards/"),
    "E208": ("deck.lock holds something no build writes, so it was edited by hand, damaged or badly merged: a "
             "card's GUID is not the one derived from its id (and no rename records another), two entries (live, "
             "retired or purged) share a GUID, a time lies after the build's clock (by more than a minute), or an "
             "id is not a slug. Shipped as it is, the lock would give students duplicate notes, overwrite a live "
             "note with a tombstone, or stop every later correction from arriving. Restore deck.lock from version "
             "control; when merging, take one side whole and build again.",
             '"cards": {\n    "margins-dermal": {"guid": "hand-edited", ...}',
             "(deck.lock as `deckbuilder build` wrote it)"),
    "E209": ("The deck.lock this build would write is larger than deckbuilder reads (256 MiB), so every later "
             "run would stop at it: the build writes nothing. A lock entry keeps at most about a thousand "
             "characters of a card's texts (README, Limits), so only a very large deck gets here: split it into "
             "several decks, each with its own cards folder.",
             "(a deck of some hundreds of thousands of cards)", "(the same cards split into several decks)"),
    "W210": ("`build --locked` (CI): deck.lock matches the cards, but it holds changes made after deck.yaml's "
             "version was released, so the deck would ship as 'VERSION+unreleased': students would get changes "
             "that no version number names and no release record lists. Set a new `version` in deck.yaml, build, "
             "and commit deck.lock; with --strict (as CI runs it) this stops the build.",
             "version: 2.3.4   # already released; cards edited since",
             "version: 2.3.5   # names the edits, and the build releases it"),
    "E601": ("With --sources: the text file named by a source's `file` cannot be read from the folder given.",
             "--sources ../shared/sources   # and the file is not there", "(the file exists under that name)"),
    "E602": ("With --sources: the source text's sha256 differs from sources.yaml (or no sha256 is given). The "
             "cards would be checked against a text other than the one they were written from; review the cards, "
             "then update the sha256 (the message shows the current one).",
             "sha256: 0000...   # not the text's", "sha256: 71974bf1...   # `sha256sum FILE`"),
}


def list_codes() -> list[str]:
    lines = []
    for code in CODES.values():
        lines.append(f"{code.code}  {code.severity.value:<7}  {code.name:<24}  {code.summary}")
    return lines


def find_code(code_or_name: str) -> str | None:
    """'W805', 'w805' or 'too-many-deletions' -> 'W805'; None if there is no such code."""
    wanted = code_or_name.strip()
    if wanted.upper() in CODES:
        return wanted.upper()
    by_name = {c.name: c.code for c in CODES.values()}
    return by_name.get(wanted.lower().replace("_", "-").replace(" ", "-"))


def suggest(code_or_name: str) -> str | None:
    """The code or name closest to a misspelt one."""
    import difflib

    choices = list(CODES) + [c.name for c in CODES.values()]
    close = difflib.get_close_matches(code_or_name.strip(), choices, n=1, cutoff=0.6)
    return close[0] if close else None


# Docstrings are written for Sphinx-style readers (``code``, `name`); a terminal shows plain text.
_LITERAL = re.compile(r"``(.+?)``|`([^`\n]+)`")


def plain(text: str) -> str:
    return _LITERAL.sub(lambda m: m.group(1) or m.group(2), text)


def explain(code: str) -> str | None:
    """The documentation of a code (or a rule's name), as plain text; None if there is no such code."""
    code = find_code(code)
    if code is None:
        return None
    info = CODES[code]
    rule = RULES_BY_CODE.get(code)
    if rule is not None:
        _, _, body = rule.__doc__.partition("\n")
        explanation = textwrap.dedent(body).strip() or rule.__doc__.partition(": ")[2].strip()
        failing, passing = rule.FAILING, rule.PASSING
        options = getattr(rule, "OPTIONS", {})
    else:
        explanation, failing, passing = NON_RULE_DOCS[code]
        options = {}
    parts = [f"{info.code} {info.name} ({info.severity.value}): {info.summary}", "", explanation, ""]
    if options:
        settings = ", ".join(f"{name}: {value}" for name, value in options.items())
        parts += [f"Options (deck.yaml `checks: {{{code}: {{...}}}}`): {settings}", ""]
    if rule is not None and info.severity.value == "warning":
        parts += [f"Turn off with `checks: {{{code}: off}}`, or accept one occurrence under `accepted:` with a "
                  "reason.", ""]
    parts = [plain(part) for part in parts]
    parts += ["Reported:", textwrap.indent(failing.rstrip(), "    "), "",
              "Not reported:", textwrap.indent(passing.rstrip(), "    ")]
    return "\n".join(parts)
