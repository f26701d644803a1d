"""Media are content: each file ships under a name made from its bytes.

Anki matches an incoming media file by name, and what it does with a name it
already holds depends on the client (read in Anki's importers and measured
with a real collection, tests/publish/test_media_updates.py):

* the current importer (rslib ``import_export/package/apkg/import/media.rs``)
  copies a file only when a note it imports or updates uses it; if the name
  exists with other bytes, it stores the new bytes as ``name-<sha1>.ext`` and
  rewrites the updated note to that name. A note that is not updated never
  sees the new file: the old picture stays.
* the legacy Python importer (``anki.importing.anki2._mungeMedia``, which
  AnkiDroid and older desktops mirrored) writes the new bytes once as
  ``name_<notetype id>.ext`` and from then on points every import at that
  file, even when a later version changes the bytes again.

A name that changes whenever the bytes change sidesteps all of it: no client
ever holds the new name, so every one copies the file, and the note's field
text changes with it, so the note's digest and mtime change (reconcile.py) and
the update is imported. The author keeps writing ``<img src="slide.png">``;
only what ships is renamed (``slide-<16 hex of sha256>.png``).
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import Mapping


DIGEST_CHARS = 16  # 64 bits of sha256: names differ for different bytes in any real deck
MAX_NAME_BYTES = 120  # Anki's limit on a media file name, as check/rules/media.py enforces on the author's name


def file_digest(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()


def published_name(name: str, digest: str) -> str:
    """``slide.png`` with bytes of sha256 ``digest`` -> ``slide-<digest[:16]>.png`` (within Anki's name limit)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    suffix = f"-{digest[:DIGEST_CHARS]}" + (f".{ext}" if ext else "")
    while len((stem + suffix).encode()) > MAX_NAME_BYTES and stem:
        stem = stem[:-1]
    return stem + suffix


_PUBLISHED = re.compile(r"^(.*)-[0-9a-f]{%d}(\.[^.]*)?$" % DIGEST_CHARS)


def author_name(published: str) -> str:
    """``slide-<digest>.png`` -> ``slide.png``: the name the author knows (a shortened stem stays short)."""
    found = _PUBLISHED.match(published)
    return found.group(1) + (found.group(2) or "") if found else published


def published_names(files: Mapping[str, Path]) -> dict[str, str]:
    """Author's file name -> the name it ships under."""
    return {name: published_name(name, file_digest(path)) for name, path in files.items()}


# nh3 writes every attribute double-quoted and escaped; [sound:...] is Anki's own tag.
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
_SOUND = re.compile(r"\[sound:([^\]]*)\]")


def rename_references(field: str, names: Mapping[str, str]) -> str:
    """A field's HTML with each media reference pointing at the file's published name."""
    if not names or ("<img" not in field and "[sound:" not in field):
        return field

    def image(match: re.Match) -> str:
        name = html.unescape(match.group(2))
        if name not in names:
            return match.group(0)
        return match.group(1) + html.escape(names[name], quote=True) + match.group(3)

    def sound(match: re.Match) -> str:
        name = match.group(1)
        if name not in names:
            name = html.unescape(name)
        return f"[sound:{html.escape(names[name], quote=False)}]" if name in names else match.group(0)

    return _SOUND.sub(sound, _IMG_SRC.sub(image, field))


def publish(contents: list, files: Mapping[str, Path]) -> tuple[list, dict[str, Path]]:
    """The notes with media references renamed to published names, and published name -> file.

    Only files some note refers to are hashed (a media folder may hold more).
    """
    from dataclasses import replace

    from .htmlscan import media_references

    used = {name for content in contents for value in content.fields for name in media_references(value)}
    names = published_names({name: files[name] for name in sorted(used) if name in files})
    if not names:
        return contents, {}
    renamed = [replace(content, fields=tuple(rename_references(value, names) for value in content.fields))
               for content in contents]
    return renamed, {names[name]: files[name] for name in names}
