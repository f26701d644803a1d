"""W811's keys: a question's signatures (the question with each word left out in turn) and a generic answer, as
32-bit numbers that are the same in every process.

The keys decide only which cards take part (interference.findings): a card
sharing no key with another cannot be reported and cannot change what another
card is reported with, and W811's own definition (interference._findings)
buckets the cards that take part by their signatures themselves. So two
signatures with one key cost a card's taking part, never a finding: the key
need not be a cryptographic digest. It was one (blake2b of each signature,
658,000 of them at 50,000 cards: a third of the rule's time); now each
distinct word is digested once, and a signature's key is the sum of its
words' digests: the question's sum less the word left out (no signature is
built, no digest made per signature).
"""

from __future__ import annotations

import struct
from hashlib import blake2b
from typing import Sequence

KEY_BYTES = 4
KEY_HEX = 2 * KEY_BYTES
_MASK = (1 << 32) - 1


class WordDigests(dict):
    """Each word's 32-bit digest, made on first use (a deck has some thousands of distinct words)."""

    def __missing__(self, word: str) -> int:
        digest = self[word] = int.from_bytes(blake2b(word.encode(), digest_size=KEY_BYTES).digest(), "big")
        return digest


def answer_key(answer: Sequence[str], digests: WordDigests) -> int:
    """The sum of the words' digests (mod 2**32)."""
    return sum(map(digests.__getitem__, answer)) & _MASK


def signature_keys(question: Sequence[str], digests: WordDigests) -> list[int]:
    """The key of the question with word i left out, for each i in order: the sum of the other words' digests
    (mod 2**32), so equal signatures, made by leaving out different words or from different questions, have
    equal keys. (So have the same words in another order: such a card takes part for nothing, rarely.)"""
    found = list(map(digests.__getitem__, question))
    total = sum(found)
    return [(total - digest) & _MASK for digest in found]


def hex_keys(keys: Sequence[int]) -> str:
    """Keys as fixed-width hex separated by single spaces (what interference's stored records hold)."""
    return struct.pack(">%dI" % len(keys), *keys).hex(" ", KEY_BYTES)


def hex_key(key: int) -> str:
    return "%08x" % key
