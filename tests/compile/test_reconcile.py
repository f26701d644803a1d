from dataclasses import replace

from builder.compile.notes import compile_notes
from builder.model.diagnostics import Location
from builder.load.loader import load_card_set
from builder.compile.notetypes import note_type_specs
from builder.compile.reconcile import reconcile

NOW = 1_790_000_000
HOUR = 3600


def plan_for(cards_dir, lock, now, **kwargs):
    card_set = load_card_set(cards_dir).card_set
    return reconcile(card_set, compile_notes(card_set), lock, note_type_specs("testdeck"), now,
                     lock_location=Location("cards/deck.lock"), **kwargs)


def edit(cards, old, new, name="valid.yaml"):
    path = cards / name
    path.write_text(path.read_text().replace(old, new))


def test_first_build_adds_everything_at_now(make_cards):
    plan = plan_for(make_cards("valid.yaml"), None, NOW)
    assert plan.changes.added == ("valid-basic", "valid-reversed", "valid-cloze")
    assert plan.lock.created == NOW
    assert {n.mtime for n in plan.notes} == {NOW}
    assert dict(plan.notetype_mtimes) == {"basic": NOW, "cloze": NOW}
    assert [e.version for e in plan.lock.history] == ["1.0.0"]


def test_unchanged_cards_keep_their_mtime_and_the_lock_is_unchanged(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert not second.changes
    assert second.lock == first.lock
    assert [n.mtime for n in second.notes] == [NOW] * 3


def test_an_edit_bumps_only_that_note_and_names_the_field(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    edit(cards, "back: Spindle", "back: Spindle-shaped")
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert dict(second.changes.changed) == {"valid-basic": ("Back",)}
    assert [n.mtime for n in second.notes] == [NOW + HOUR, NOW, NOW]


def test_an_edit_is_strictly_newer_even_within_the_same_second(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    edit(cards, "back: Spindle", "back: Round")
    second = plan_for(cards, first.lock, NOW)  # same second, or a clock behind
    assert second.notes[0].mtime == NOW + 1
    edit(cards, "back: Round", "back: Oval")
    third = plan_for(cards, second.lock, NOW - 50)
    assert third.notes[0].mtime == NOW + 2


def test_a_removed_card_ships_as_a_tombstone_until_purged(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    edit(cards, "- id: valid-basic", "- id: valid-other")
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert second.changes.retired == ("valid-basic",)
    stone = next(n for n in second.notes if n.retired)
    assert stone.guid == first.lock.cards["valid-basic"].guid
    assert stone.mtime == NOW + HOUR
    assert stone.content.tags == ("testdeck::retired",)
    third = plan_for(cards, second.lock, NOW + 2 * HOUR)
    assert not third.changes
    assert next(n for n in third.notes if n.retired).mtime == NOW + HOUR


def test_a_released_version_is_never_rewritten_and_later_changes_wait_unreleased(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    assert first.release.releasing and first.release.label == "1.0.0"
    released = first.lock.history
    edit(cards, "back: Spindle", "back: Round")
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert second.lock.history == released  # 1.0.0 was built: its record stays as it was
    assert (second.release.releasing, second.release.label) == (False, "1.0.0+unreleased")
    assert list(second.lock.unreleased.changed) == ["valid-basic"]
    edit(cards, "version: 1.0.0", "version: 1.1.0", name="deck.yaml")
    edit(cards, "back: Round", "back: Oval")
    third = plan_for(cards, second.lock, NOW + 2 * HOUR)
    assert third.lock.history[0] == released[0] and third.lock.unreleased is None
    latest = third.lock.history[-1]
    assert (latest.version, latest.date, third.release.label) == ("1.1.0", NOW + 2 * HOUR, "1.1.0")
    change = latest.changed["valid-basic"]
    assert (change.fields, change.before, change.after) == (("Back",), {"answer": "Spindle"}, {"answer": "Oval"})


def test_a_version_bump_alone_is_recorded(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    edit(cards, "version: 1.0.0", "version: 1.0.1", name="deck.yaml")
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert [e.version for e in second.lock.history] == ["1.0.0", "1.0.1"]
    assert not second.lock.history[-1] and not second.changes


def test_a_card_added_and_removed_before_a_release_leaves_no_history(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    (cards / "extra.yaml").write_text("- id: brief\n  front: Brief?\n  back: Yes\n  topics: [histology]\n"
                                      "  sources: [src-a]\n")
    second = plan_for(cards, first.lock, NOW + HOUR)
    assert second.lock.unreleased.added == ("brief",)
    (cards / "extra.yaml").unlink()
    third = plan_for(cards, second.lock, NOW + 2 * HOUR)
    assert third.lock.unreleased is None and third.release.label == "1.0.0"
    assert "brief" in third.lock.retired  # still shipped as a tombstone: someone may have imported it


def test_merging_a_version_keeps_each_card_in_one_list():
    """What merge_entries does with a first build's additions after earlier unreleased changes
    (its cost is measured in bench/bench.py, 'first build')."""
    from builder.lock.lockfile import CardChange, HistoryEntry
    from builder.compile.reconcile import merge_entries

    pending = HistoryEntry("", 0, added=("gone", "kept"), changed={"edited": CardChange(("Back",))},
                           retired=("back",), renamed={"new": "old"})
    built = HistoryEntry("", 0, added=tuple(f"card-{i:05}" for i in range(20_000)), retired=("gone", "edited"),
                         restored=("back",), renamed={"newer": "new"},
                         changed={"kept": CardChange(("Front",)), "newer": CardChange(("Back",))})
    merged = merge_entries(pending, built)
    assert len(merged.added) == 20_001 and "kept" in merged.added and "gone" not in merged.added
    assert merged.retired == ("edited",) and merged.restored == () and dict(merged.renamed) == {"newer": "old"}
    assert list(merged.changed) == ["newer"]
    lists = [*merged.added, *merged.changed, *merged.retired, *merged.restored]
    assert len(lists) == len(set(lists))


def test_a_style_change_bumps_the_note_type(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    old = replace(first.lock, notetypes={k: replace(v, style="0000000000") for k, v in first.lock.notetypes.items()})
    second = plan_for(cards, old, NOW + HOUR)
    assert second.changes.notetypes == ("basic", "cloze")
    assert dict(second.notetype_mtimes) == {"basic": NOW + HOUR, "cloze": NOW + HOUR}
    assert not second.problems


def test_a_schema_change_is_refused_unless_accepted(make_cards):
    cards = make_cards("valid.yaml")
    first = plan_for(cards, None, NOW)
    basic = first.lock.notetypes["basic"]
    old = replace(first.lock, notetypes={**first.lock.notetypes, "basic": replace(basic, fields=basic.fields[:-1])})
    refused = plan_for(cards, old, NOW + HOUR)
    assert [p.code for p in refused.problems] == ["E205"]
    assert "'+'" in refused.problems[0].message and "--accept-notetype-change" in refused.problems[0].message
    accepted = plan_for(cards, old, NOW + HOUR, accept_notetype_change=True)
    assert not accepted.problems
    assert accepted.lock.notetypes["basic"].fields == basic.fields
