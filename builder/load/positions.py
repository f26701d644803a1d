"""A cached card's field positions, turned into Locations only when a rule asks for one.

A card remembers where each of its fields was written (``Card.positions``,
about ten per card). Decoding a parse-cache entry used to build every one of
them: half a million Location tuples at 50,000 cards, half the time of a
fresh ``check``, although a check reads positions only for the few cards it
reports (the per-card rules' findings come from the derived cache). So the
cache hands out this read-only mapping over the encoded string instead.

The string is validated when the entry is decoded (``valid``), never trusted
later: a damaged entry is a miss at reading time, as before, and building the
table afterwards cannot fail.
"""

from __future__ import annotations

import re
from typing import Iterator, Mapping

from ..model import Location

# "name line column name line column ...": names are field names and list items ("topics[0]",
# "sources[1].section"), which hold no space; line and column are 1-based.
_ENCODED = re.compile(r"(?:[^ ]+ [1-9][0-9]* [1-9][0-9]*(?: (?=[^ ])|\Z))*", re.ASCII)


def valid(encoded: object) -> bool:
    """Whether ``encoded`` is what ``encode`` writes."""
    return isinstance(encoded, str) and _ENCODED.fullmatch(encoded) is not None


def encode(positions: Mapping[str, Location]) -> str:
    if type(positions) is LazyPositions:
        return positions._encoded  # (what this would write of the table it decodes to)
    return " ".join(f"{name} {where.line} {where.column}" for name, where in positions.items())


class LazyPositions(Mapping[str, Location]):
    """``{name: Location(file, line, column)}`` of an encoded string checked by ``valid``."""

    __slots__ = ("_file", "_encoded", "_table")

    def __init__(self, file: str, encoded: str):
        self._file = file
        self._encoded = encoded
        self._table: dict[str, Location] | None = None

    def _made(self) -> dict[str, Location]:
        table = self._table
        if table is None:
            parts = self._encoded.split(" ") if self._encoded else []
            file = self._file
            table = self._table = {parts[i]: Location(file, int(parts[i + 1]), int(parts[i + 2]))
                                   for i in range(0, len(parts), 3)}
        return table

    def __getitem__(self, name: str) -> Location:
        return self._made()[name]

    def get(self, name, default=None):
        return self._made().get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._made()

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __repr__(self) -> str:
        return repr(self._made())

    def __reduce__(self):  # a forked search sends cards back as plain data
        return dict, (self._made(),)
