"""How much of a card deck.lock keeps: a bounded form of a long question or answer.

A lock entry keeps the card's rendered question (its tombstone shows it, and the changelog's titles
and 'before' texts are made from it) and a basic card's rendered answer (the 'before' text of a
corrected answer, and which pictures it showed). A card field may hold 100,000 characters, and
rendering can multiply them: a valid 50 MB card file once wrote a 72.8 MB lock, past the 64 MiB the
reader accepts, so that every later run stopped. So a text longer than MAX_LOCK_TEXT characters is
kept in a bounded form that serves every use of it:

* its plain text (plaintext.plain, cloze markup kept), cut to MAX_LOCK_TEXT characters with "…"
  and never inside a deletion, HTML-escaped: a tombstone shows it as readable text, and the
  changelog's titles (90 characters) and 'before' texts (TEXT_LIMIT, 200) come out as from the
  full text (unless a cloze deletion longer than the cut begins within them);
* for a cloze question, a blank deletion ``{{cN::…}}`` for each deletion number the cut left out
  (up to MAX_LOCK_NUMBERS): a tombstone keeps a card for every card the student has;
* the media it refers to (up to MAX_LOCK_MEDIA names), as ``<img>`` or ``[sound:]`` references: a
  tombstone still shows its pictures, and a later correction still says which picture it replaced.

Only entries written from a card's content take the bounded form: an entry already in a lock keeps
what it holds (a changed tombstone would push an update to every student). Shorter texts, nearly
every card's, are kept exactly as rendered.
"""

from __future__ import annotations

import html
import re

from ..text import media_references, plain

MAX_LOCK_TEXT = 1_000  # characters of a question or answer kept as rendered
MAX_LOCK_NUMBERS = 100  # cloze numbers a bounded question keeps beyond its text
MAX_LOCK_MEDIA = 10  # media names a bounded text keeps beyond its text
MAX_MEDIA_NAME = 120  # UTF-8 bytes of a kept media name: Anki's limit (E906 refuses a longer one)

# What one kept text can take in deck.lock, JSON-encoded: a character of text takes at most 6 bytes (a
# control character's \u0000; "&" escaped to "&amp;" is 5, and UTF-8 at most 4), a blank deletion
# " {{c9999::…}}" 16, a media reference ' <img src="…">' 14 plus its name, escaped (at most 6 bytes a byte).
MAX_TEXT_BYTES = MAX_LOCK_TEXT * 6 + MAX_LOCK_NUMBERS * 16 + MAX_LOCK_MEDIA * (14 + MAX_MEDIA_NAME * 6)

_NUMBER = re.compile(r"\{\{c(\d{1,4})::")  # Anki's cloze numbers are small; a longer one is not kept


def lock_text(rendered: str, cloze: bool = False) -> str:
    """What a lock entry keeps of a rendered question or answer (``cloze``: a cloze card's question)."""
    if len(rendered) <= MAX_LOCK_TEXT:
        return rendered
    text = plain(rendered, MAX_LOCK_TEXT, cloze=True)
    kept = [html.escape(text, quote=False)]
    if cloze:
        present = set(_NUMBER.findall(text))
        missing = sorted({int(n) for n in _NUMBER.findall(rendered) if n not in present})
        kept += (f" {{{{c{number}::…}}}}" for number in missing[:MAX_LOCK_NUMBERS])
    names = [name for name in dict.fromkeys(media_references(rendered)) if len(name.encode()) <= MAX_MEDIA_NAME]
    for name in names[:MAX_LOCK_MEDIA]:
        sound = f"[sound:{name}]"
        kept.append(f" {sound}" if sound in rendered and "]" not in name else f' <img src="{html.escape(name)}">')
    return "".join(kept)
