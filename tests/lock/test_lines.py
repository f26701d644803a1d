"""A lock this code wrote, read as its lines (lock/lines.py, lock/sections.py), is the lock read in full: the
same entries, briefs that say what the entries say, the same line numbers, and written again byte for byte. A
text laid out any other way is not read as lines; and a build that reads its lock as lines writes exactly what
a build that reads it in full writes."""

from __future__ import annotations

import json
import shutil
import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.lock import HistoryEntry, Lock, LockedCard, dump_lock, parse_lock
from builder.lock import lines as lines_module
from builder.lock import summary as summary_module
from builder.lock.hashes import EMPTY_HASH
from builder.lock.lockdata import _hash_order, derived_titles
from builder.lock.sections import Brief, LockEntries, brief, briefs, line_title, question
from builder.model import Placement
from builder.text import plain

from ..pipeline.test_versions import DAY, T0, Maintainer

# Texts that would fool a reader that looked for member names carelessly, beside ordinary ones.
TRICKY = ['", "question": "', ', "placed": [', '"digest": "', ', "answer": ', "\\", '"', "}", "{", "\n", "é…",
          "null", "true", '", "changed": "2099-01-01T00:00:00Z']
texts = st.one_of(st.text(max_size=30), st.sampled_from(TRICKY),
                  st.lists(st.sampled_from(TRICKY + ["a", " "]), max_size=6).map("".join))
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
times = st.integers(min_value=0, max_value=4_000_000_000)
short_hashes = st.one_of(st.just(EMPTY_HASH), st.text(alphabet="0123456789abcdef", min_size=10, max_size=10))


@st.composite
def locked_cards(draw, created: int) -> LockedCard:
    notetype = draw(st.sampled_from(["basic", "cloze"]))
    added = draw(st.one_of(st.just(created), times))
    retired = draw(st.one_of(st.none(), times))
    return LockedCard(
        guid=draw(st.one_of(st.text(alphabet=string.ascii_letters + "#!@>", min_size=10, max_size=10), texts)),
        notetype=notetype, added=added, changed=draw(st.one_of(st.just(added), times)),
        # The writer writes a mapping for hashes that are not exactly the note type's (a lock of an older
        # format, read and written again); and a digest is any text in a lock the full reader accepts.
        hashes={**{name: draw(short_hashes) for name in _hash_order(notetype)},
                **draw(st.dictionaries(st.sampled_from(["x", "placed", "digest", "hashes"]), texts, max_size=2))},
        question=draw(texts), reverse=draw(st.booleans()), retired=retired,
        retired_in=draw(st.one_of(st.none(), texts)) if retired is not None else None,
        placement=Placement(tuple(draw(st.lists(texts, max_size=3))), draw(st.one_of(st.none(), texts)),
                            tuple(draw(st.lists(texts, max_size=3)))),
        digest=draw(st.one_of(st.text(alphabet="0123456789abcdef", min_size=16, max_size=16), texts)),
        answer=draw(texts),
        restoring=draw(st.booleans()), adopted=draw(st.one_of(st.just(""), texts)),
    )


@st.composite
def locks(draw) -> Lock:
    created = draw(times)
    ids = draw(st.lists(slugs, unique=True, max_size=8))
    split = draw(st.integers(min_value=0, max_value=len(ids)))
    cards = {card_id: draw(locked_cards(created)) for card_id in ids[:split]}
    retired = {card_id: draw(locked_cards(created)) for card_id in ids[split:]}
    history = (HistoryEntry("1.0.0", created, added=tuple(sorted(ids))),) if ids and draw(st.booleans()) else ()
    return Lock(namespace="deck", created=created, cards=cards, retired=retired, history=history,
                purged={"gone": "guid"} if draw(st.booleans()) else {})


def _brief_of(card: LockedCard) -> Brief:
    return Brief(card.guid, card.notetype, card.added, card.changed, card.retired, card.retired_in, card.restoring,
                 card.adopted, card.digest, card.placement, card.answered)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(locks())
def test_a_written_lock_read_as_lines_is_the_lock_read_in_full(lock):
    data = dump_lock(lock).encode()
    full, problems = parse_lock(data, "deck.lock")
    assert full is not None and problems == []
    kept = lines_module.parse_written(data)
    assert kept is not None, "a lock as this code writes it is read as lines"
    assert isinstance(kept.cards, LockEntries) and isinstance(kept.retired, LockEntries)
    assert kept.lines == full.lines
    for section, whole in ((kept.cards, full.cards), (kept.retired, full.retired)):
        for card_id, card in whole.items():  # briefs and questions before anything is decoded
            assert brief(section, card_id) == _brief_of(card)
            assert question(section, card_id) == card.question
            assert line_title(section, card_id) == plain(card.question)
        assert dict(briefs(section)) == {card_id: _brief_of(card) for card_id, card in whole.items()}
    assert kept == full  # every entry decoded, and every other member
    assert dump_lock(kept) == dump_lock(full) == data.decode()
    # With the titles kept from when it was written, the same lock, written again the same.
    titled = lines_module.parse_written(data, derived_titles(full))
    assert titled == full and titled.history == full.history and dump_lock(titled) == data.decode()


def _written(lock: Lock) -> str:
    return dump_lock(lock)


LOCK = Lock(namespace="deck", created=1_700_000_000, cards={
    "one": LockedCard("guid-one", "basic", 1_700_000_000, 1_700_000_100, {n: "0123456789" for n in _hash_order("basic")},
                      "First?", answer="Yes", placement=Placement(("histology",), None, ("src",)),
                      digest="0123456789abcdef"),
    "two": LockedCard("guid-two", "cloze", 1_700_000_000, 1_700_000_000, {n: "0123456789" for n in _hash_order("cloze")},
                      "A {{c1::cloze}}", placement=Placement(("margins",), "general", ("src",)),
                      digest="fedcba9876543210"),
}, retired={}, history=(HistoryEntry("1.0.0", 1_700_000_000, added=("one", "two")),))


# Laid out otherwise, but the same JSON: such bytes are never read as lines (no build of this code wrote them,
# so no summary of a build names them), but were they, they would read as the same lock.
SAME_JSON = [
    lambda text: text.replace('", "question": ', '", "question":  ', 1),  # spaced otherwise
    lambda text: text.replace('{"guid": "guid-one", "changed": "2023-11-14T22:15:00Z", ',
                              '{"changed": "2023-11-14T22:15:00Z", "guid": "guid-one", ', 1),  # another order
    lambda text: text.replace(', "changed": "2023-11-14T22:15:00Z", "question": "First?"',
                              ', "question": "First?", "changed": "2023-11-14T22:15:00Z"', 1),  # after the question
    lambda text: text.replace('"hashes": "0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 '
                              '0123456789 0123456789 0123456789 0123456789"}', '"hashes": {"Front": "1"}}', 1),
]
# Not a lock as this code writes one: never read as lines.
OTHERWISE = [
    lambda text: text.replace('    "two": ', '    "one": ', 1),  # an id twice
    lambda text: text.replace('  "cards": {\n', '  "cards": {\n\n', 1),  # a blank line
    lambda text: text.replace('\n  "retired": {}', '\n  "retyred": {}', 1),  # a section missing
    lambda text: text.replace('"format": 3', '"format": 2', 1),  # another format
    lambda text: text.replace('    "two": {', '    "t\\u0077o": {', 1),  # an escaped id
    lambda text: text + "{}\n",  # trailing data
    lambda text: text.replace(',\n    "two"', '\n    "two"', 1),  # a comma missing
    lambda text: text[:-3],  # cut short
]


@pytest.mark.parametrize("change", SAME_JSON)
def test_the_same_json_laid_out_otherwise_reads_as_the_same_lock(change):
    text = change(_written(LOCK))
    assert text != _written(LOCK)
    full, problems = parse_lock(text.encode(), "deck.lock")
    assert full is not None and problems == []
    kept = lines_module.parse_written(text.encode())
    assert kept is None or (kept == full and all(
        brief(kept.cards, card_id) == _brief_of(card) for card_id, card in full.cards.items()))


@pytest.mark.parametrize("change", OTHERWISE)
def test_a_text_laid_out_otherwise_is_not_read_as_lines(change):
    text = _written(LOCK)
    assert lines_module.parse_written(text.encode()) is not None
    changed = change(text)
    assert changed != text
    assert lines_module.parse_written(changed.encode()) is None


def test_a_line_that_is_not_json_stops_the_reading_when_it_is_decoded():
    """Lines are decoded when asked for: only bytes this code wrote are read so (summary.py; a damaged line
    would need a sha256 collision), but even such a line is a clear error, never an entry made up."""
    from builder.model import DeckbuilderError

    from dataclasses import replace

    damage = ('"digest": "0123456789abcdef", ', '"digest": "0123456789abcdef" ')
    # With a history, its titles are read from every line at once: the lock is then read in full, and that
    # reading says where it is damaged (E006).
    text = _written(LOCK).replace(*damage, 1)
    assert lines_module.parse_written(text.encode()) is None
    assert [d.code for d in parse_lock(text.encode(), "deck.lock")[1]] == ["E006"]
    text = _written(replace(LOCK, history=())).replace(*damage, 1)
    kept = lines_module.parse_written(text.encode())
    assert kept is not None and kept.cards["two"] == LOCK.cards["two"]
    for ask in (lambda: kept.cards["one"], lambda: brief(kept.cards, "one"), lambda: question(kept.cards, "one")):
        with pytest.raises(DeckbuilderError, match="does not read as the summary in cards/.cache/lock says"):
            ask()


@pytest.mark.parametrize("damage", [
    ('"guid": "guid-one", ', '"guid": "guid-one", "added": null, '),
    ('"placed": [["histology"], null, ["src"]]', '"placed": ["histology", null, "src"]'),
    ('"placed": [["histology"], null, ["src"]]', '"placed": [["histology"], 3, ["src"]]'),
    ('"guid": "guid-one"', '"guid": 1'),
])
def test_a_line_no_build_writes_is_a_clear_error_never_a_field_made_up(damage):
    """Bytes a summary wrongly calls written (the full reader refuses them: E006): what is asked of such a
    line either comes from the entry itself or stops with a clear error, never a value read wrongly."""
    from dataclasses import replace

    from builder.model import DeckbuilderError

    text = _written(replace(LOCK, history=())).replace(*damage, 1)
    assert [d.code for d in parse_lock(text.encode(), "deck.lock")[1]] == ["E006"]
    kept = lines_module.parse_written(text.encode())
    assert kept is not None and brief(kept.cards, "two") == _brief_of(LOCK.cards["two"])
    for ask in (lambda: kept.cards["one"], lambda: brief(kept.cards, "one")):
        with pytest.raises(DeckbuilderError, match="does not read as the summary"):
            ask()


def test_bytes_that_are_not_text_are_not_read_as_lines():
    data = _written(LOCK).encode().replace(b"First?", b"First\xff?")
    assert lines_module.parse_written(data) is None
    assert parse_lock(data, "deck.lock")[0] is None  # and the full reader says why (E002)


# ---------------------------------------------------------------- builds


@pytest.fixture
def deck(make_cards, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return Maintainer(make_cards("lifecycle.yaml"), tmp_path / "output")


def _outputs(deck) -> dict[str, bytes]:
    found = {str(path.relative_to(deck.output)): path.read_bytes() for path in deck.output.rglob("*") if path.is_file()}
    return {**found, "deck.lock": (deck.cards / "deck.lock").read_bytes()}


class Spy:
    """Whether each build read its lock as lines; with ``full``, no build may."""

    def __init__(self, monkeypatch):
        self.seen: list[bool] = []
        self.titles: list[bool] = []  # whether each was given the titles kept with the summary
        self.full = False
        real = summary_module.parse_written

        def spy(data, titles=None):
            self.titles.append(titles is not None)
            lock = None if self.full else real(data, titles)
            self.seen.append(lock is not None)
            return lock

        monkeypatch.setattr(summary_module, "parse_written", spy)


def _build_again_in_full(deck, lock_before: bytes, spy: Spy) -> None:
    """The last build again, from the same lock and at the same time, with the lock read in full."""
    (deck.cards / "deck.lock").write_bytes(lock_before)
    shutil.rmtree(deck.cards / ".cache" / summary_module.SUMMARY_DIR)
    shutil.rmtree(deck.output)
    spy.full, spy.seen[:] = True, []
    result = CliRunner().invoke(main, ["build", "--cards", str(deck.cards), "--output", str(deck.output)],
                                env={"SOURCE_DATE_EPOCH": str(T0 + (deck.day - 1) * DAY)}, catch_exceptions=False)
    spy.full = False
    assert result.exit_code == 0, result.output
    assert spy.seen in ([], [False]), "the second build read its lock in full"


# (what, the change; `rename` and `purge` rewrite the lock themselves, so the check of the build after them
# reads it in full, and finds it laid out as this code writes it: the next build reads it as lines)
REWRITTEN = {"a card renamed", "a retired card purged"}
STEPS = [
    ("an answer corrected", lambda deck: deck.edit("back: Second answer", "back: Second answer, corrected")),
    ("a card added", lambda deck: deck.edit("- id: life-one", (
        "- id: life-new\n  front: A new question?\n  back: A new answer\n  topics: [histology]\n  sources: [src-a]"
        "\n\n- id: life-one"))),
    ("a card retired, a version released", lambda deck: (deck.remove("life-three"), deck.version("1.1.0"))),
    ("a card renamed", lambda deck: deck.run("rename", "life-one", "life-first")),
    ("an edit after the rename", lambda deck: deck.edit("corrected", "corrected again")),
    ("a retired card purged", lambda deck: deck.run("purge", "life-three")),
    ("a question changed after the purge", lambda deck: deck.edit("A new question?", "A newer question?")),
    ("a second source cited", lambda deck: deck.edit("  sources: [src-b]\n\n- id: life-six",
                                                      "  sources: [src-b, src-a]\n\n- id: life-six")),
    # The placement the lock records follows the YAML's order.
    ("the sources in another order", lambda deck: deck.edit("[src-b, src-a]", "[src-a, src-b]")),
    ("a card retired between versions", lambda deck: deck.remove("life-two")),
    ("the next version released", lambda deck: deck.version("1.2.0")),  # its tombstone's version is set
    ("nothing", lambda deck: None),
]


def _locked(deck) -> Lock:
    lock, problems = parse_lock((deck.cards / "deck.lock").read_bytes(), "deck.lock")
    assert lock is not None and problems == []
    return lock


# What the lock must say after a step, read in full (both builds above could share a mistake).
AFTER = {
    "the sources in another order": lambda lock: lock.cards["life-five"].placement.sources == ("src-a", "src-b"),
    "a card retired between versions": lambda lock: lock.retired["life-two"].retired_in == "1.1.0+unreleased",
    "the next version released": lambda lock: lock.retired["life-two"].retired_in == "1.2.0",
}


def test_a_build_reading_its_lock_as_lines_writes_what_a_full_read_writes(deck, monkeypatch):
    deck.build()
    spy = Spy(monkeypatch)
    for what, step in STEPS:
        step(deck)
        lock_before = (deck.cards / "deck.lock").read_bytes()
        spy.seen.clear()
        spy.titles.clear()
        deck.build()
        assert spy.seen == ([] if what in REWRITTEN else [True]), what
        assert spy.titles == spy.seen, f"{what}: the titles kept with the summary were not read"
        as_lines = _outputs(deck)
        _build_again_in_full(deck, lock_before, spy)
        assert _outputs(deck) == as_lines, what
        assert AFTER.get(what, lambda lock: True)(_locked(deck)), what


def test_a_lock_laid_out_otherwise_is_read_in_full(deck, monkeypatch):
    """Lines are trusted for their layout only when the bytes are what this code writes for their lock."""
    deck.build()
    data = (deck.cards / "deck.lock").read_bytes()
    (deck.cards / "deck.lock").write_bytes(data.replace(b'{\n  "note"', b'{\n"note"', 1))  # the same JSON
    spy = Spy(monkeypatch)
    deck.run("check")
    deck.edit("back: Second answer", "back: Second answer, corrected")
    deck.build()
    assert spy.seen == [], "a lock laid out otherwise was read as lines"


def test_a_summary_entry_with_a_bad_written_flag_is_a_miss(deck):
    deck.build()
    slot = deck.cards / ".cache" / summary_module.SUMMARY_DIR / summary_module.SUMMARY_FILE
    entry = json.loads(slot.read_text())
    assert entry["lock"]["written"] is True
    for bad in ("yes", 1, None):
        entry["lock"]["written"] = bad
        assert summary_module._decode(entry, entry["key"], "digest") is None


def test_a_fresh_clones_lock_is_read_as_lines_once_a_check_found_it_as_written(deck, monkeypatch):
    """No cache (a fresh clone, a deleted cards/.cache): the check reads the lock in full, finds its bytes
    are what this code writes for it, and the build after it reads it as lines."""
    deck.build()
    shutil.rmtree(deck.cards / ".cache")
    spy = Spy(monkeypatch)
    deck.run("check")
    deck.edit("back: Second answer", "back: Second answer, corrected")
    deck.build()
    assert spy.seen == [True]


def _signed_titles(body: bytes) -> bytes:
    from builder.load.cache import machine_secret

    return b"".join(chunk.encode() for chunk in summary_module._signed(iter([body.decode()]), machine_secret()))


@pytest.mark.parametrize("damage", [
    # The titles changed and the signature kept (a file forged with the key copied from summary.json)...
    lambda body, signed: body.replace(b'"First question?"', b'"FORGED First question?"') + b"\n"
    + signed.rpartition(b"\n")[2],
    lambda body, signed: body + b"\n" + b"0" * 64,  # ...a signature that is not one...
    lambda body, signed: body,  # ...none...
    # ...and, signed with this machine's secret, entries that are not what a build writes.
    lambda body, signed: _signed_titles(json.dumps({**json.loads(body), "key": "another"}).encode()),
    lambda body, signed: _signed_titles(json.dumps({**json.loads(body), "titles": []}).encode()),
    lambda body, signed: _signed_titles(json.dumps({**json.loads(body), "titles": {"life-one": 1}}).encode()),
    lambda body, signed: _signed_titles(json.dumps({**json.loads(body), "titles": {"life-one": ""}}).encode()),
    lambda body, signed: _signed_titles(b"not an entry"),
])
def test_damaged_or_forged_kept_titles_are_worked_out_again(deck, monkeypatch, damage):
    deck.build()
    deck.edit("back: Second answer", "back: Second answer, corrected")
    lock_before = (deck.cards / "deck.lock").read_bytes()
    slot = deck.cards / ".cache" / summary_module.SUMMARY_DIR / summary_module.TITLES_FILE
    signed = slot.read_bytes()
    body = signed.rpartition(b"\n")[0]
    assert b'"First question?"' in body and _signed_titles(body) == signed
    slot.write_bytes(damage(body, signed))
    spy = Spy(monkeypatch)
    deck.build()
    assert spy.seen == [True] and spy.titles == [False]
    as_lines = _outputs(deck)
    _build_again_in_full(deck, lock_before, spy)
    assert _outputs(deck) == as_lines
    assert b"FORGED" not in as_lines["CHANGELOG.md"] + as_lines["deck.lock"]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(texts, texts, max_size=2500), texts)
def test_kept_titles_are_written_as_json_dumps_writes_them(titles, key):
    assert "".join(summary_module._titles_chunks(key, titles)) == json.dumps({"key": key, "titles": titles},
                                                                              ensure_ascii=False)


def test_a_released_section_reads_its_lines_again():
    """release_kept lets go of what was decoded (a build does once its lock is staged): asked again, the
    section decodes its lines again, to the same entries."""
    from builder.lock import release_kept

    kept = lines_module.parse_written(_written(LOCK).encode())
    before = (dict(kept.cards.items()), dict(briefs(kept.cards)), question(kept.cards, "one"))
    release_kept(kept, None)
    assert kept.cards._briefs is None and kept.cards.reader._cards == {}
    assert (dict(kept.cards.items()), dict(briefs(kept.cards)), question(kept.cards, "one")) == before
    assert dict(kept.cards.items()) == LOCK.cards


def test_an_entry_whose_hashes_the_writer_keeps_as_a_mapping_builds_as_a_full_read_does(deck, monkeypatch):
    """A lock of an older format can hold hashes that are not exactly the note type's: the writer writes them
    as a mapping, and a check finds such a lock laid out as written. Its lines are then read from the entry
    itself, and the build writes what a build that reads the lock in full writes."""
    from dataclasses import replace

    deck.build()
    lock = _locked(deck)
    odd = replace(lock.cards["life-two"], hashes={**lock.cards["life-two"].hashes, "x": "y"})
    (deck.cards / "deck.lock").write_text(dump_lock(replace(lock, cards={**lock.cards, "life-two": odd})))
    assert '"hashes": {' in (deck.cards / "deck.lock").read_text()
    deck.run("check")
    deck.edit("back: Second answer", "back: Second answer, corrected")
    lock_before = (deck.cards / "deck.lock").read_bytes()
    spy = Spy(monkeypatch)
    deck.build()
    assert spy.seen == [True]
    as_lines = _outputs(deck)
    _build_again_in_full(deck, lock_before, spy)
    assert _outputs(deck) == as_lines
