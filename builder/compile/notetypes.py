"""The two Anki note types every deck uses: basic (with an optional reverse) and cloze.

Field lists are a permanent contract (DESIGN §4.5): adding, removing,
renaming or reordering a field makes Anki treat the next import as a
different note type, and students stop receiving edits. Templates and CSS
may change freely. "Reversed" is not a note type of its own: it is the basic
type with the AddReverse field filled, as in Anki's own "Basic (optional
reversed card)", so turning a card's reverse on or off never changes its type.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import genanki

from ..lock import stable_id

from ..model import BASIC_FIELDS, CLOZE_FIELDS  # declared with the data: deck.lock stores hashes in this order

_NOTICE = "{{#Notice}}<div class=\"notice\">{{Notice}}</div>{{/Notice}}\n"

# Shown under every answer: context first, provenance last.
_DETAILS = """
{{#Extra}}<div class="extra"><span class="label">Extra</span> {{Extra}}</div>{{/Extra}}
{{#SourcesDiffer}}<div class="differ"><span class="label">Sources differ</span> {{SourcesDiffer}}</div>{{/SourcesDiffer}}
<div class="meta">
{{#Scope}}<div class="scope"><span class="label">Applies to</span> {{Scope}}</div>{{/Scope}}
<div class="sources"><span class="label">Sources</span> {{Sources}}</div>
<div class="card-id">Card id: {{CardId}}</div>
</div>"""

BASIC_TEMPLATES = (
    {
        "name": "Forward",
        "qfmt": _NOTICE + "<div class=\"question\">{{Front}}</div>",
        "afmt": "{{FrontSide}}\n<hr id=\"answer\">\n<div class=\"answer\">{{Back}}</div>" + _DETAILS,
    },
    {
        # Generated only when AddReverse is non-empty (Anki skips empty fronts).
        "name": "Reverse",
        # The prompt says what is asked: the back alone reads like an answer, not a question.
        "qfmt": "{{#AddReverse}}" + _NOTICE + "<div class=\"prompt\">Which term is this?</div>"
                "<div class=\"question\">{{Back}}</div>{{/AddReverse}}",
        "afmt": "{{FrontSide}}\n<hr id=\"answer\">\n<div class=\"answer\">{{Front}}</div>" + _DETAILS,
    },
)

CLOZE_TEMPLATES = (
    {
        "name": "Cloze",
        "qfmt": _NOTICE + "<div class=\"question\">{{cloze:Text}}</div>",
        "afmt": _NOTICE + "<div class=\"question\">{{cloze:Text}}</div>" + _DETAILS,
    },
)

# Colours come from variables so night mode (Anki adds .nightMode to the card)
# swaps one palette; sizes are relative so phones and desktops both read well.
CSS = """\
.card {
  --bg: #ffffff; --text: #1d2330; --muted: #5d6675; --rule: #d5dbe3; --accent: #1f5f99;
  --notice-bg: #fff1c2; --notice-text: #5c4300; --differ-bg: #f1ecfb; --differ-rule: #8a6fc9;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; color: var(--text); background: var(--bg);
  text-align: left; max-width: 38em; margin: 0 auto; padding: 0.5em 0.9em;
}
.card.nightMode, .night_mode .card {
  --bg: #1c2027; --text: #e4e8ee; --muted: #a3acb9; --rule: #3d4552; --accent: #7fb6ea;
  --notice-bg: #4a3b0c; --notice-text: #ffe7a3; --differ-bg: #2c2540; --differ-rule: #a58ee0;
}
.question { font-size: 1.1em; }
.prompt { font-size: 0.8em; color: var(--muted); margin-bottom: 0.3em; }
.answer { font-weight: 600; }
.cloze { font-weight: 700; color: var(--accent); }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 1em 0; }
.extra { margin-top: 0.9em; font-size: 0.85em; }
.differ {
  margin-top: 0.9em; padding: 0.5em 0.7em; background: var(--differ-bg);
  border-left: 4px solid var(--differ-rule); border-radius: 4px;
}
.notice {
  margin-bottom: 0.9em; padding: 0.5em 0.7em; background: var(--notice-bg);
  color: var(--notice-text); border-radius: 4px; font-weight: 600;
}
.label {
  font-size: 0.72em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted); margin-right: 0.4em;
}
.meta { margin-top: 1.2em; font-size: 0.75em; color: var(--muted); }
.meta > div { margin-top: 0.3em; }
.meta ul { margin: 0.2em 0 0 0; padding-left: 1.2em; }
.card-id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
.card a { color: var(--accent); }
.card img { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
td, th { border: 1px solid var(--rule); padding: 0.2em 0.5em; }
@media (max-width: 480px) {
  .card { font-size: 18px; padding: 0.3em 0.5em; }
}
"""


class StampedModel(genanki.Model):
    """A genanki note type that carries its own mtime.

    genanki stamps every note type with the build's timestamp; Anki updates a
    student's note type only when the incoming one is newer, so the mtime must
    be the time its style last changed (kept in the lock), not the build time.
    """

    mtime = 0

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        return super().to_json(self.mtime, deck_id)


@dataclass(frozen=True)
class NoteTypes:
    basic: genanki.Model
    cloze: genanki.Model

    def __iter__(self):
        return iter((self.basic, self.cloze))


@dataclass(frozen=True)
class NoteTypeSpec:
    """What the lock records of a note type: identity, schema and style."""

    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    style: str  # hash of the name, CSS and template text


def note_type_specs(namespace: str) -> dict[str, NoteTypeSpec]:
    specs = {}
    types = note_types(namespace)
    for kind, model in (("basic", types.basic), ("cloze", types.cloze)):
        style = hashlib.sha256(
            "\x1f".join([model.name, model.css] + [f"{t['name']}\x1e{t['qfmt']}\x1e{t['afmt']}"
                                                    for t in model.templates]).encode()
        ).hexdigest()[:10]
        specs[kind] = NoteTypeSpec(
            model.model_id, tuple(f["name"] for f in model.fields), tuple(t["name"] for t in model.templates), style)
    return specs


def note_types(namespace: str, mtimes: dict[str, int] | None = None) -> NoteTypes:
    """Build the deck's note types; ids depend only on the namespace."""
    types = NoteTypes(
        _model(namespace, "basic", BASIC_FIELDS, BASIC_TEMPLATES, genanki.Model.FRONT_BACK),
        _model(namespace, "cloze", CLOZE_FIELDS, CLOZE_TEMPLATES, genanki.Model.CLOZE),
    )
    for kind, mtime in (mtimes or {}).items():
        getattr(types, kind).mtime = mtime
    return types


def _model(namespace: str, kind: str, fields: tuple[str, ...], templates: tuple[dict, ...],
           model_type: int) -> StampedModel:
    return StampedModel(
        stable_id(namespace, "notetype", kind),
        f"{namespace} {kind}",
        fields=[{"name": name} for name in fields],
        # Copies: genanki annotates templates in place when it writes them.
        templates=[dict(t) for t in templates],
        css=CSS,
        model_type=model_type,
    )
