"""A build keeps the summary of the lock it wrote (summary.built_summary): exactly the summary a check makes by
reading that lock afresh (read_lock_view), after every kind of change a build records; none when the build
wrote no lock."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from builder.load.cache import machine_secret
from builder.lock import identity, lockdata, read_lock, read_lock_view
from builder.lock import summary as summary_module
from builder.lock.lockcheck import identity_problems, identity_problems_after


from ..pipeline.test_versions import Maintainer

DISPLAY = "cards/deck.lock"
LATER = 1_900_000_000


@pytest.fixture
def deck(make_cards, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # a secret of this test's own
    return Maintainer(make_cards("lifecycle.yaml"), tmp_path / "output")


def _slot(deck):
    return deck.cards / ".cache" / summary_module.SUMMARY_DIR / summary_module.SUMMARY_FILE


def _decoded(deck):
    import json

    data = (deck.cards / "deck.lock").read_bytes()
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    entry = json.loads(_slot(deck).read_text())
    return summary_module._decode(entry, summary_module._key(machine_secret(), DISPLAY, digest), digest)


def assert_built_summary_is_the_read_one(deck):
    built = _decoded(deck)
    assert built is not None, "the build kept no summary of the lock it wrote"
    _slot(deck).unlink()
    view, found = read_lock_view(deck.cards / "deck.lock", DISPLAY, LATER, deck.cards / ".cache", machine_secret())
    read = _decoded(deck)
    assert read is not None and built == read
    assert found == read[1] == []


def test_every_change_a_build_records(deck):
    deck.build()
    assert_built_summary_is_the_read_one(deck)
    deck.edit("back: Second answer", "back: Second answer, corrected")
    deck.build()
    assert_built_summary_is_the_read_one(deck)
    deck.edit("- id: life-one", "- id: life-new\n  front: A new question?\n  back: A new answer\n"
                                "  topics: [histology]\n  sources: [src-a]\n\n- id: life-one")
    deck.build()
    assert_built_summary_is_the_read_one(deck)
    deck.remove("life-three")
    deck.version("1.1.0")
    deck.build()
    assert_built_summary_is_the_read_one(deck)
    deck.run("rename", "life-one", "life-first")
    deck.build()
    assert_built_summary_is_the_read_one(deck)
    deck.run("purge", "life-three")
    deck.build()
    assert_built_summary_is_the_read_one(deck)


def test_a_refused_build_keeps_no_summary(deck, monkeypatch):
    deck.build()
    before = _slot(deck).read_bytes()
    deck.edit("back: Second answer", "back: Second answer, corrected")
    monkeypatch.setattr(lockdata, "MAX_LOCK_BYTES", 100)  # E209: the lock would be past what the reader takes
    from click.testing import CliRunner

    from builder.cli import main

    result = CliRunner().invoke(main, ["build", "--cards", str(deck.cards), "--output", str(deck.output)])
    assert result.exit_code != 0 and "E209" in result.output
    assert _slot(deck).read_bytes() == before


def test_a_lock_with_e208_findings_is_not_built_on(deck):
    deck.build()
    path = deck.cards / "deck.lock"
    lock, _ = read_lock(path, DISPLAY)
    some = sorted(lock.cards)[0]
    from builder.lock import dump_lock

    path.write_text(dump_lock(replace(lock, cards={**lock.cards, some: replace(lock.cards[some], guid="tampered")})))
    from click.testing import CliRunner

    from builder.cli import main

    deck.edit("back: Second answer", "back: Second answer, corrected")
    result = CliRunner().invoke(main, ["build", "--cards", str(deck.cards), "--output", str(deck.output)])
    assert result.exit_code != 0 and "E208" in result.output
    view, found = read_lock_view(path, DISPLAY, LATER, deck.cards / ".cache", machine_secret())
    assert [d.code for d in found] == ["E208"]  # the summary a check made of it, not a built one


def _random_lock(lock, rng):
    """``lock`` with some entries changed as a build (or a tamperer) might: new GUIDs, new ids, renames,
    adoptions, purges, a changed namespace."""
    cards = dict(lock.cards)
    ids = sorted(cards)
    for _ in range(rng.randrange(4)):
        card_id = rng.choice(ids)
        cards[card_id] = replace(cards[card_id], guid=rng.choice(
            ["x", identity.note_guid(lock.namespace, rng.choice(ids)), "Zz!adopted"]))
    for n in range(rng.randrange(3)):
        new = f"brand-new-{n}"
        cards[new] = replace(cards[ids[0]], guid=identity.note_guid(lock.namespace, rng.choice([new, ids[1]])))
    renamed, adopted, purged = dict(lock.renamed), dict(lock.adopted), dict(lock.purged)
    if rng.random() < 0.3:
        renamed[rng.choice(ids)] = rng.choice(ids)
    if rng.random() < 0.3 and renamed:
        renamed.pop(sorted(renamed)[0])
    if rng.random() < 0.3:
        adopted[rng.choice(ids)] = "Zz!adopted"
    if rng.random() < 0.3 and adopted:
        adopted.pop(sorted(adopted)[0])
    if rng.random() < 0.3:
        purged["gone-card"] = rng.choice(["y", identity.note_guid(lock.namespace, "gone-card")])
    namespace = lock.namespace if rng.random() < 0.9 else "another"
    return replace(lock, cards=cards, renamed=renamed, adopted=adopted, purged=purged, namespace=namespace)


def test_identity_after_a_verified_lock_is_identity(deck):
    """identity_problems_after == identity_problems, for locks changed at random from a clean one (also ones
    that drop a rename or an adoption, or change the namespace, where nothing may be taken as known)."""
    deck.build()
    deck.run("rename", "life-one", "life-first")
    deck.build()
    previous, _ = read_lock(deck.cards / "deck.lock", DISPLAY)
    previous = replace(previous, adopted={"life-two": "Zz!adopted"},
                       cards={**previous.cards, "life-two": replace(previous.cards["life-two"], guid="Zz!adopted")})
    assert identity_problems(previous, DISPLAY) == []
    rng = random.Random(811)
    compared = 0
    for _ in range(300):
        lock = _random_lock(previous, rng)
        expected = identity_problems(lock, DISPLAY)
        assert identity_problems_after(lock, DISPLAY, previous) == expected
        compared += bool(expected)
    assert compared > 50  # most changed locks do have findings: the comparison is not of empty lists only


def test_a_failed_write_keeps_no_summary(deck, monkeypatch):
    deck.build()
    before = _slot(deck).read_bytes()
    deck.edit("back: Second answer", "back: Second answer, corrected")
    from builder.fs import files as staging

    def fail(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(staging.StagedFiles, "commit", fail)
    from click.testing import CliRunner

    from builder.cli import main

    result = CliRunner().invoke(main, ["build", "--cards", str(deck.cards), "--output", str(deck.output)])
    assert result.exit_code != 0
    assert _slot(deck).read_bytes() == before


def test_the_ids_a_build_added_are_not_derived_again_in_their_own_namespace_only():
    """identity_problems_after takes the GUIDs of the ids a build added as derived (reconcile derived them)
    only in the namespace they were derived in: a lock of another namespace still has them derived, and
    a wrong one found."""
    guid = identity.note_guid("deck", "life-one")
    lock = lockdata.Lock(namespace="deck", created=LATER, cards={"life-one": lockdata.LockedCard(
        guid, "basic", LATER, LATER, {}, "Q?")})
    assert identity_problems_after(lock, DISPLAY, None, ("deck", ["life-one"])) == []
    planted = replace(lock, cards={"life-one": replace(lock.cards["life-one"], guid="planted#1")})
    assert identity_problems_after(planted, DISPLAY, None, ("deck", ["life-one"])) == []  # taken as derived
    for derived in (("other", ["life-one"]), ("deck", []), ("", ())):
        found = identity_problems_after(planted, DISPLAY, None, derived)
        assert [d.code for d in found] == ["E208"], derived
