"""A card's field hashes as deck.lock (format 3) holds them: one string, decoded only when asked.

A lock of 50,000 cards held half a million small strings in 50,000 dictionaries, built on every read
although a build compares nearly every card by its one digest and never looks at its field hashes.
FieldHashes keeps the written string and is the same Mapping (field name -> short hash) on demand.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Mapping

EMPTY_HASH = "e3b0c44298"  # the short hash of an empty field (compile._short_hash(""))


class FieldHashes(Mapping[str, str]):
    """``text``: the hashes in the order of ``names``, separated by spaces, "-" for an empty field.

    Made only from a text that lockfile's reader checked holds one non-empty hash per name.
    """

    __slots__ = ("names", "text", "_decoded")

    def __init__(self, names: tuple[str, ...], text: str):
        self.names = names
        self.text = text
        self._decoded: dict[str, str] | None = None

    def decoded(self) -> dict[str, str]:
        if self._decoded is None:
            self._decoded = {name: EMPTY_HASH if value == "-" else value
                             for name, value in zip(self.names, self.text.split(" "))}
        return self._decoded

    @property
    def written(self) -> str | None:
        """``text`` when the writer would write exactly it for these hashes (it writes "-" for an empty
        field's hash, so a text spelling that hash out is not its form); None when unsure."""
        return None if EMPTY_HASH in self.text else self.text

    def __getitem__(self, name: str) -> str:
        return self.decoded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FieldHashes) and other.names == self.names and other.text == self.text:
            return True
        if not isinstance(other, Mapping):
            return NotImplemented
        return self.decoded() == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # a mapping, as the dict it stands for

    def __repr__(self) -> str:
        return f"FieldHashes({self.decoded()!r})"


def made_hashes(names: tuple[str, ...], hashes: Iterable[str]) -> FieldHashes:
    """FieldHashes of hashes a build just made, one per name in order (short hex digests: never empty, never
    a space or "-"), in the form the writer writes (``written``), so that it writes them as they are."""
    return FieldHashes(names, " ".join(["-" if value == EMPTY_HASH else value for value in hashes]))
