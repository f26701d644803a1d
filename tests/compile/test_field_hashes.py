"""NoteContent.hashes (lock.made_hashes) against the dictionary it replaced, in every use."""

import itertools
import pickle

from builder.compile import compile_notes
from builder.compile.notes import _short_hash, tombstone
from builder.load import load_card_set
from builder.lock.hashes import EMPTY_HASH, FieldHashes
from builder.lock.lockdata import _hash_order


def old_hashes(note):
    hashes = {name: _short_hash(value) for name, value in note.named_fields.items()}
    hashes["tags"] = _short_hash(" ".join(note.tags))
    return hashes


def read_forms(old):
    """What a lock read gives for the same hashes: the one-string form, with "-" or spelled out, and a map."""
    order = tuple(old)
    yield FieldHashes(order, " ".join("-" if old[n] == EMPTY_HASH else old[n] for n in order))
    yield FieldHashes(order, " ".join(old[n] for n in order))
    yield dict(sorted(old.items()))  # an older lock's mapping, in its sorted order


def test_made_hashes_behave_as_the_dictionary(make_cards):
    cards = make_cards("valid.yaml", "give-away.yaml", "media-references.yaml", "long-answer.yaml")
    notes = compile_notes(load_card_set(cards).card_set)
    notes += [tombstone("gone", "basic", "Q?", True, "1.0.0", "testdeck"),
              tombstone("gone-c", "cloze", "{{c1::x}}", False, "1.0.0", "testdeck")]
    for note, other in itertools.product(notes, notes):
        new, old = note.hashes(), old_hashes(note)
        assert list(new) == list(old) and len(new) == len(old) and dict(new) == old
        assert list(new.items()) == list(old.items()) and list(new.values()) == list(old.values())
        assert new.get("nope") is None and new.get("nope", 1) == 1 and "tags" in new and "nope" not in new
        assert pickle.loads(pickle.dumps(new)) == old
        for read in read_forms(old):
            assert (read == new) and (new == read) and not (read != new) and not (new != read)
        o_new, o_old = other.hashes(), old_hashes(other)
        assert (new == o_new) == (old == o_old) and (new != o_new) == (old != o_old)
        for read in read_forms(o_old):
            assert (read == new) == (o_old == old) and (new == read) == (old == o_old)
            # the changed-field names, as reconcile works them out with the lock's hashes as ``old``
            assert ([n for n in new if read.get(n) != new[n]] == [n for n in old if o_old.get(n) != old[n]])
        if note.notetype == other.notetype:
            assert tuple(new) == _hash_order(note.notetype)
