"""The near-duplicate snapshot (rules/pair_snapshot.py): after edits, the pairs it gives are the full search's."""

import json
import random

import pytest

from builder import pipeline
from builder.check.rules import pair_snapshot, pairs
from builder.check.similarity import STOP_WORDS, similar_pairs_exhaustively
from builder.load.cache import ParseCache, disk_cache
from builder.load.derived import DERIVED_DIR
from builder.load.loader import load_card_set

_WORDS = [f"{a}{b}" for a in ("derm", "leio", "myo", "angio", "gastro", "neo", "fibro", "hist", "onc", "sar")
          for b in ("al", "oma", "itis", "oid", "ic", "ous", "osis", "ia", "ar", "ine", "um", "ema")]
THRESHOLDS = (0.6, 70.0)
_ASKED: list[list[str]] = []  # questions so far: a third of the new ones are an old one a word apart


def _question(rng):
    if _ASKED and rng.random() < 0.5:
        words = list(rng.choice(_ASKED))
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
        if rng.random() < 0.3:
            words.append(rng.choice(_WORDS))
    else:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 8))]
    _ASKED.append(words)
    return "What is the " + " ".join(words) + "?"


def _write(cards, name, rng, count, scoped=True):
    lines = []
    for index in range(count):
        lines += [f"- id: {name}-{index}", f"  front: {_question(rng)}", f"  back: Answer {index}",
                  "  topics: [histology]", "  sources: [src-a]"]
        if scoped and rng.random() < 0.3:
            lines.append(f"  scope: {rng.choice(['general', 'cutaneous'])}")
    (cards / f"{name}.yaml").write_text("\n".join(lines) + "\n")


def _by_snapshot(cards):
    """The pairs as a fresh check finds them (the snapshot if it can), and whether the snapshot gave them."""
    card_set = load_card_set(cards, disk_cache(cards)).card_set
    used = pair_snapshot.update(card_set, *THRESHOLDS, pairs.MAX_PAIRS, pairs.MAX_COMPARISONS) is not None
    return pairs._search(card_set, *THRESHOLDS), used


def _definition(cards):
    """Every pair compared (similarity.similar_pairs_exhaustively), with the search's scopes and rule."""
    cards_ = load_card_set(cards, ParseCache(None)).card_set.cards
    normals = [pair_snapshot.normal(card.question) for card in cards_]
    found = similar_pairs_exhaustively([card.question for card in cards_], *THRESHOLDS,
                                       lambda i, j: normals[i] != normals[j], groups=[c.scope for c in cards_])
    return [(p.first, p.second, p.jaccard, p.score) for p in found], None


def _edit(cards, rng):
    """One of the edits a maintainer makes: a question reworded, a card added, removed or re-scoped, a file
    added or deleted."""
    files = sorted(cards.glob("part-*.yaml"))
    path = rng.choice(files)
    lines = path.read_text().splitlines()
    kind = rng.choice(["reword", "reword", "reword", "add", "add", "remove", "scope", "new file", "delete file"])
    fronts = [i for i, line in enumerate(lines) if line.startswith("  front:")]
    if kind == "reword":
        lines[rng.choice(fronts)] = f"  front: {_question(rng)}"
    elif kind == "add":
        lines += [f"- id: added-{rng.randrange(10**9)}", f"  front: {_question(rng)}", "  back: New",
                  "  topics: [histology]", "  sources: [src-a]"]
    elif kind == "remove":
        start = rng.choice(fronts) - 1
        del lines[start:start + 5]
        while start < len(lines) and lines[start].startswith("  "):
            del lines[start]  # its scope
    elif kind == "scope":
        lines.insert(rng.choice(fronts) + 1, "  scope: cutaneous")
    elif kind == "new file":
        _write(cards, f"part-new-{rng.randrange(10**9)}", rng, 5)
        return kind
    elif len(files) > 3:
        path.unlink()
        return kind
    path.write_text("\n".join(lines) + "\n")
    return kind


@pytest.mark.parametrize("seed", range(4))
def test_after_each_edit_the_pairs_are_every_pair_compared(make_cards, seed):
    rng = random.Random(seed)
    _ASKED.clear()
    cards = make_cards()
    for number in range(6):
        _write(cards, f"part-{number}", rng, 40, scoped=seed % 2 == 0)
    first, used = _by_snapshot(cards)
    assert not used and first == _definition(cards) and first[0], "a deck with pairs, searched in full"
    snapshots = 0
    for _ in range(30):
        kind = _edit(cards, rng)
        found, used = _by_snapshot(cards)
        assert found == _definition(cards), kind
        snapshots += used
    assert snapshots >= 15, "most edits should be answered from the snapshot"


def test_a_fresh_check_after_an_edit_reports_what_a_check_without_cache_does(make_cards, monkeypatch):
    from builder.check import rules as checks

    monkeypatch.setattr(checks, "PARALLEL_MIN_CARDS", 0)
    rng = random.Random(7)
    cards = make_cards()
    for number in range(5):
        _write(cards, f"part-{number}", rng, 40)
    pipeline.check(cards)
    for _ in range(5):
        _edit(cards, rng)
        direct = [d for d in pipeline.check(cards, cache=ParseCache(None)).diagnostics if d.code in ("W403", "W702")]
        assert [d for d in pipeline.check(cards).diagnostics if d.code in ("W403", "W702")] == direct


def _snapshot_file(cards):
    (path,) = (cards / ".cache" / DERIVED_DIR).glob(f"{pair_snapshot.KIND}-*.json")
    return path


@pytest.mark.parametrize("damage", ["not json", "bad question", "line too many", "line missing", "bad scope code",
                                    "bad scope", "pair out of range", "counts off", "other key", "bound",
                                    "file twice"])
def test_a_damaged_or_hostile_snapshot_is_never_believed(make_cards, damage):
    rng = random.Random(3)
    cards = make_cards()
    for number in range(5):
        _write(cards, f"part-{number}", rng, 40)
    _by_snapshot(cards)
    path = _snapshot_file(cards)
    data = json.loads(path.read_text())
    snapshot = data["results"]
    first = snapshot["files"][0]
    if damage == "not json":
        path.write_text("{not json")
    else:
        if damage == "bad question":  # not what similarity.words makes: a capital, and punctuation
            first[3] = first[3].replace("what is the", "What is the?", 1)
        elif damage == "line too many":
            first[3] = first[3] + "\nwhat is the zzz"
        elif damage == "line missing":
            first[3] = first[3].rpartition("\n")[0]
        elif damage == "bad scope code":
            first[4] = first[4][:-1] + "g"
        elif damage == "bad scope":
            first[4] = "~" * len(first[4])
        elif damage == "pair out of range":
            snapshot["pairs"].append([0, 10**6, 90.0, 90.0])
        elif damage == "counts off":  # the file's words said to be common: its cards say they are rare
            snapshot["common"] = sorted({word for line in first[3].split("\n") for word in line.split()} - STOP_WORDS)
        elif damage == "other key":
            data["key"] = "0" * 64
            snapshot["pairs"] = []
        elif damage == "bound":
            snapshot["bound"] = "small"
        elif damage == "file twice":  # the first file's entry again, for the second file: its cards lost
            snapshot["files"][1] = [*first[:2], *snapshot["files"][1][2:]]
        path.write_text(json.dumps(data))
    # An edit in the file the damage is about, so that the damaged parts are read: its first card becomes a
    # near-duplicate of its second.
    target = cards / first[0].split("/")[-1]
    lines = target.read_text().splitlines()
    fronts = [i for i, line in enumerate(lines) if line.startswith("  front:")]
    lines[fronts[0]] = lines[fronts[1]][:-1] + " " + _WORDS[0] + "?"
    for i in (fronts[0] + 4, fronts[1] + 4):  # one scope for both, so that they pair
        if i < len(lines) and lines[i].startswith("  scope:"):
            lines[i] = "  scope: general"
    target.write_text("\n".join(lines) + "\n")
    expected = _definition(cards)
    assert any(pair[:2] == (0, 1) or pair[:2] == (1, 0) for pair in expected[0]) or damage == "not json"
    if damage == "file twice":  # (not believed at all: the result above could be right by luck)
        card_set = load_card_set(cards, disk_cache(cards)).card_set
        path.write_text(json.dumps(data))
        assert pair_snapshot.update(card_set, *THRESHOLDS, pairs.MAX_PAIRS, pairs.MAX_COMPARISONS) is None
    assert _by_snapshot(cards)[0] == expected


def _deck(make_cards, seed=5, files=5):
    rng = random.Random(seed)
    _ASKED.clear()
    cards = make_cards()
    for number in range(files):
        _write(cards, f"part-{number}", rng, 40, scoped=False)
    return cards


def _set_front(cards, name, index, question):
    path = cards / name
    lines = path.read_text().splitlines()
    fronts = [i for i, line in enumerate(lines) if line.startswith("  front:")]
    lines[fronts[index]] = f"  front: {question}"
    path.write_text("\n".join(lines) + "\n")


def test_two_new_cards_are_compared_with_each_other(make_cards):
    cards = _deck(make_cards)
    _by_snapshot(cards)
    _set_front(cards, "part-1.yaml", 3, "Which quux frobnicate wibble wobble grommet?")
    _set_front(cards, "part-3.yaml", 7, "Which quux frobnicate wibble wobble grommets?")
    found, used = _by_snapshot(cards)
    assert used and found == _definition(cards)
    assert len(found[0]) == len(_definition(cards)[0]) and any(
        cards_pair == (43, 127) for cards_pair in ((a, b) for a, b, _, _ in found[0]))


def _full(cards):
    """The search with no snapshot at all."""
    card_set = load_card_set(cards, ParseCache(None)).card_set
    return pairs._search(card_set, *THRESHOLDS)


@pytest.mark.parametrize("budget", ["pairs", "comparisons"])
def test_where_the_full_search_would_stop_the_snapshot_is_not_used(make_cards, monkeypatch, budget):
    from builder.check.similarity import Budget, similar_pairs

    cards = _deck(make_cards)
    card_set = load_card_set(cards, ParseCache(None)).card_set
    counted = Budget(10**9, 10**12)
    similar_pairs([c.question for c in card_set.cards], *THRESHOLDS, groups=[c.scope for c in card_set.cards],
                  budget=counted)
    # The budget exactly what the deck uses now: the next near-duplicate is one too many.
    if budget == "pairs":
        monkeypatch.setattr(pairs, "MAX_PAIRS", counted.found)
    else:
        monkeypatch.setattr(pairs, "MAX_COMPARISONS", counted.compared)
    assert _by_snapshot(cards)[0][1] is None  # the snapshot of a search that finished
    with (cards / "part-2.yaml").open("a") as out:  # two new cards, one new pair
        for number, last in enumerate(("grommet", "grommets")):
            out.write(f"- id: new-{number}\n  front: Which quux frobnicate wibble wobble {last}?\n  back: New\n"
                      "  topics: [histology]\n  sources: [src-a]\n")
    expected = _full(cards)
    assert expected[1] is not None, "the full search should now stop"
    assert _by_snapshot(cards)[0] == expected
