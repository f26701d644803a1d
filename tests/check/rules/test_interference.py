from builder.check.rules import interference

from .helpers import rule_positions


def test_reports_cards_that_cue_each_other(make_cards):
    assert rule_positions(interference, make_cards("interference.yaml")) == [
        ("W811", "interference.yaml", 9, 9),     # a second question answered "Surgery"
        ("W811", "interference.yaml", 20, 10),   # stomach / ileum: one word apart, different answers
    ]                                            # (dermal / all tumours: different scopes, a contrast set)


def test_how_short_a_generic_answer_is_an_option(make_cards):
    cards = make_cards("interference.yaml")
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text() + "  W811: {max_answer_words: 0}\n")
    assert rule_positions(interference, cards) == [("W811", "interference.yaml", 20, 10)]


def test_valid_cards_pass(make_cards):
    assert rule_positions(interference, make_cards("valid.yaml")) == []


def test_signatures_that_share_a_key_never_make_partners(make_cards, monkeypatch):
    """Which cards take part is decided by keys: with every key the same, every card takes part, and still only
    real signatures match."""
    cards = make_cards("interference.yaml", "valid.yaml")
    honest = rule_positions(interference, cards)
    assert honest
    monkeypatch.setattr(interference, "signature_keys", lambda question, _digests: [0] * len(question))
    monkeypatch.setattr(interference, "answer_key", lambda _answer, _digests: 0)
    assert rule_positions(interference, cards) == honest


def test_started_on_the_second_core_it_finds_what_it_finds_inline(make_cards, monkeypatch):
    from builder import pipeline
    from builder.check import rules as checks
    from builder.load.cache import ParseCache

    cards = make_cards("interference.yaml", "valid.yaml")
    inline = pipeline.check(cards, cache=ParseCache(None)).diagnostics
    monkeypatch.setattr(checks, "PARALLEL_MIN_CARDS", 0)
    started = []
    monkeypatch.setattr(interference, "Background",
                        lambda function, *args: started.append(1) or _Done(function(*args)))
    assert pipeline.check(cards, cache=ParseCache(None)).diagnostics == inline
    assert started == [1]


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


# ---------------------------------------------------------------- the keyed path (a fresh check after an edit)

import json  # noqa: E402
import random  # noqa: E402

from builder import pipeline  # noqa: E402
from builder.load.cache import ParseCache  # noqa: E402
from builder.load.derived import DERIVED_DIR  # noqa: E402
from builder.load.loader import load_card_set  # noqa: E402

_WORDS = "tumour stomach ileum colon skin uterus margin survival recurrence share age spread grade".split()
_ANSWERS = ["Surgery", "Radiation", "About half", "Rarely", "Surgery first", "In 10%", "Often", "Margins"]


def _write_deck(cards, seed: int, files: int = 4, per_file: int = 40) -> None:
    """Questions from a tiny vocabulary (many one word apart, more than a bucket holds under some signatures),
    answers from a handful (many shared and generic), a few ids given twice and a few scopes."""
    rng = random.Random(seed)
    for number in range(files):
        lines = []
        for index in range(per_file):
            card_id = f"c{number}-{index}" if rng.random() > 0.05 else "twice"
            question = " ".join(rng.choice(_WORDS) for _ in range(rng.choice([2, 3, 4, 4, 5])))
            answer = rng.choice(_ANSWERS) if rng.random() < 0.4 else " ".join(rng.sample(_WORDS, 3)).capitalize()
            lines += [f"- id: {card_id}", f"  front: What is the {question}?", f"  back: {answer}",
                      "  topics: [histology]", "  sources: [src-a]"]
            if rng.random() < 0.2:
                lines.append(f"  scope: {rng.choice(['general', 'cutaneous'])}")
        (cards / f"part-{number}.yaml").write_text("\n".join(lines) + "\n")


def _definition(cards, limit=2):
    card_set = load_card_set(cards, ParseCache(None)).card_set
    return list(interference._findings(card_set.cards, limit))


def _keyed(cards, limit=2):
    from builder.load.cache import disk_cache

    return interference.findings(load_card_set(cards, disk_cache(cards)).card_set, limit)


def _entries(cards):
    return sorted((cards / ".cache" / DERIVED_DIR).glob(f"{interference_snapshot.KIND}-*.json"))


def test_the_cards_that_share_a_key_report_what_every_card_does(make_cards, monkeypatch):
    cards = make_cards()
    for seed in range(6):
        _write_deck(cards, seed)
        expected = _definition(cards)
        assert len(expected) > 10, "the deck should give both kinds of finding"
        assert any("differs by one word" in f.message for f in expected)
        for limit in (0, 2, 5):
            assert _keyed(cards, limit) == _definition(cards, limit)  # computes every key, keeps a snapshot
            assert _keyed(cards, limit) == _definition(cards, limit)  # from the snapshot
            with monkeypatch.context() as patch:  # counted in full, the unchanged files' keys from the snapshot
                patch.setattr(interference_snapshot, "MAX_CHANGED", -1)
                assert _keyed(cards, limit) == _definition(cards, limit)
        assert _entries(cards)


def test_a_full_bucket_is_full_on_both_paths(make_cards):
    """More than BUCKET_LIMIT questions one word apart: which cards still find partners depends on order."""
    cards = make_cards()
    lines = []
    for index in range(2 * interference.BUCKET_LIMIT + 5):
        lines += [f"- id: card-{index}", f"  front: What share of tumours arise in the organ{index}?",
                  f"  back: Answer number {index}", "  topics: [histology]", "  sources: [src-a]"]
    (cards / "many.yaml").write_text("\n".join(lines) + "\n")
    expected = _definition(cards)
    assert 0 < len(expected) < 2 * interference.BUCKET_LIMIT + 4
    assert _keyed(cards) == expected and _keyed(cards) == expected


def test_after_edits_a_fresh_check_reports_what_a_check_without_cache_does(make_cards, monkeypatch):
    from builder.check import rules as checks

    monkeypatch.setattr(checks, "PARALLEL_MIN_CARDS", 0)  # the path a large deck takes: on the second core
    cards = make_cards()
    _write_deck(cards, 11)
    pipeline.check(cards)
    rng = random.Random(3)
    for _ in range(8):
        path = cards / f"part-{rng.randrange(4)}.yaml"
        lines = path.read_text().splitlines()
        fronts = [i for i, line in enumerate(lines) if line.startswith("  front:")]
        backs = [i for i, line in enumerate(lines) if line.startswith("  back:")]
        lines[rng.choice(fronts)] = f"  front: What is the {' '.join(rng.sample(_WORDS, 3))}?"
        lines[rng.choice(backs)] = f"  back: {rng.choice(_ANSWERS)}"
        path.write_text("\n".join(lines) + "\n")
        direct = [d for d in pipeline.check(cards, cache=ParseCache(None)).diagnostics if d.code == "W811"]
        assert [d for d in pipeline.check(cards).diagnostics if d.code == "W811"] == direct


def test_a_damaged_or_hostile_line_is_a_miss_for_its_file(make_cards, monkeypatch):
    """Counted in full (too much changed for the snapshot's counts), the unchanged files' keys are read from the
    snapshot's lines: a line it does not write is made again (its file's), a snapshot of another shape is none."""
    from builder.load.cache import disk_cache

    monkeypatch.setattr(interference_snapshot, "MAX_CHANGED", -1)
    cards = make_cards()
    _write_deck(cards, 5)
    expected = _definition(cards)
    _keyed(cards)
    (slot,) = _entries(cards)
    good = json.loads(slot.read_text())
    lines = good["results"]["lines"].split("\n")
    keyed = [i for i, line in enumerate(lines) if line != "x"]
    damages = [
        lambda: lines,  # (undamaged: no card's keys are made again)
        lambda: [*lines[:keyed[0]], lines[keyed[0]] + "\n" + lines[keyed[0]], *lines[keyed[0] + 1:]],  # two lines
        lambda: [line.upper() + " " for line in lines],  # keys of the wrong shape
        lambda: [line.replace("|", "") for line in lines],
        lambda: [line if i not in keyed[::3] else line + "0" for i, line in enumerate(lines)],  # a key too long
        lambda: lines[:-1],  # one line short
    ]
    for number, damage in enumerate(damages):
        slot.write_text(json.dumps({**good, "results": {**good["results"], "lines": "\n".join(damage())}}))
        card_set = load_card_set(cards, disk_cache(cards)).card_set
        made = []
        record = interference._record
        monkeypatch.setattr(interference, "_record", lambda card, limit: made.append(card) or record(card, limit))
        assert interference.findings(card_set, 2) == expected, number
        monkeypatch.setattr(interference, "_record", record)
        assert bool(made) == (number > 0), "the damaged lines' files are counted again, and only they"
    # Another key (another secret, or another version): every card made to share nothing is not believed.
    slot.write_text(json.dumps({**good, "key": "0" * 64, "results": {**good["results"], "lines": "\n".join(
        "x" for _ in lines)}}))
    assert _keyed(cards) == expected
    assert _keyed(cards) == expected  # and rewritten good


# ---------------------------------------------------------------- the snapshot of the last full count

from builder.check.rules import interference_snapshot  # noqa: E402
from builder.load import for_card_set  # noqa: E402


def _fresh(cards):
    from builder.load.cache import disk_cache

    return load_card_set(cards, disk_cache(cards)).card_set


def _random_edit(cards, rng) -> None:
    """Questions and answers changed, cards added and removed, a file added or removed."""
    paths = sorted(cards.glob("part-*.yaml"))
    action = rng.random()
    if action < 0.1 and len(paths) > 2:
        rng.choice(paths).unlink()
        return
    if action < 0.2:
        _write_deck_file(cards / f"part-{rng.randrange(10, 1000)}.yaml", rng)
        return
    path = rng.choice(paths)
    blocks = path.read_text().split("- id: ")[1:]
    for _ in range(rng.randrange(1, 4)):
        index = rng.randrange(len(blocks))
        lines = blocks[index].splitlines()
        what = rng.random()
        if what < 0.4:
            lines[1] = f"  front: What is the {' '.join(rng.choice(_WORDS) for _ in range(rng.choice([3, 4])))}?"
        elif what < 0.7:
            lines[2] = f"  back: {rng.choice(_ANSWERS)}"
        elif what < 0.85 and len(blocks) > 1:
            del blocks[index]
            continue
        else:
            lines[0] = f"new-{rng.randrange(10 ** 6)}"
            blocks.append("\n".join(lines) + "\n")
            continue
        blocks[index] = "\n".join(lines) + "\n"
    path.write_text("".join("- id: " + block for block in blocks))


def _write_deck_file(path, rng) -> None:
    lines = []
    for index in range(30):
        question = " ".join(rng.choice(_WORDS) for _ in range(rng.choice([3, 4, 5])))
        lines += [f"- id: {path.stem}-{index}", f"  front: What is the {question}?",
                  f"  back: {rng.choice(_ANSWERS)}", "  topics: [histology]", "  sources: [src-a]"]
    path.write_text("\n".join(lines) + "\n")


def test_from_the_snapshot_after_random_edits_the_count_is_the_full_one(make_cards):
    cards = make_cards()
    used = 0
    for seed in range(6):
        limit = (0, 2, 5)[seed % 3]  # (one snapshot at a time: a deck has one option)
        for path in cards.glob("part-*.yaml"):
            path.unlink()
        _write_deck(cards, 100 + seed)
        interference.findings(_fresh(cards), limit)  # a full count: writes the snapshot
        rng = random.Random(seed)
        for _ in range(15):
            _random_edit(cards, rng)
            card_set = _fresh(cards)
            incremental = interference_snapshot.update(card_set, limit, interference._record)
            assert incremental is not None, seed  # from the snapshot, not a full count
            used += 1
            expected = _definition(cards, limit)
            assert list(interference._findings(incremental, limit)) == expected
            assert interference.findings(_fresh(cards), limit) == expected
    assert used == 90


def test_a_damaged_snapshot_is_a_miss(make_cards):
    cards = make_cards()
    _write_deck(cards, 7)
    interference.findings(_fresh(cards), 2)
    card_set = _fresh(cards)
    slot = for_card_set(card_set)._slot(interference_snapshot.KIND, "")
    good = json.loads(slot.read_text())
    # An edit, so that the keys of the changed cards are looked up in the snapshot.
    path = cards / "part-1.yaml"
    text = path.read_text()
    first_back = text.index("  back: ")
    path.write_text(text[:first_back] + "  back: Surgery\n" + text[text.index("\n", first_back) + 1:])
    card_set = _fresh(cards)
    assert interference_snapshot.update(card_set, 2, interference._record) is not None
    results = good["results"]
    lines = results["lines"].split("\n")
    # The edited card's answer's key.
    surgery = interference.hex_key(interference.answer_key(interference._content("Surgery"),
                                   interference.WordDigests()))
    assert results["answers"][surgery] > 1

    def damaged(change):
        data = json.loads(json.dumps(good))
        change(data["results"])
        return data

    damages = [
        lambda r: r.update(lines="\n".join(lines[:-1])),  # a card's line missing
        # A key too long, in the edited file (lines that are never read cannot change what is reported)
        lambda r: r.update(lines="\n".join([*lines[:40], lines[40] + "0", *lines[41:]])),
        lambda r: r.update(lines=r["lines"].replace("|", " ")),  # no answer marks
        # holders not what the counts say
        lambda r: r.update(lines=r["lines"].replace(surgery, "0" * interference.KEY_HEX)),
        lambda r: r["answers"].update({surgery: r["answers"][surgery] + 1}),
        lambda r: r["answers"].update({key: 1 for key in r["answers"]}),
        lambda r: r.update(taking=list(reversed(r["taking"]))),
        lambda r: r.update(taking=[*r["taking"], len(lines)]),
        lambda r: r["files"][0].__setitem__(2, -1),
        lambda r: r.update(files=r["files"][1:]),  # the lines of a file not said
        lambda r: r["files"].__setitem__(1, [r["files"][0][0], *r["files"][1][1:]]),  # a file said twice
    ]
    for number, change in enumerate(damages):
        slot.write_text(json.dumps(damaged(change)))
        assert interference_snapshot.update(_fresh(cards), 2, interference._record) is None, number
    slot.write_text(json.dumps({**good, "key": "0" * 64}))
    assert interference_snapshot.update(_fresh(cards), 2, interference._record) is None
    slot.write_text("{not json")
    assert interference_snapshot.update(_fresh(cards), 2, interference._record) is None
    assert interference.findings(_fresh(cards), 2) == _definition(cards)  # the full count, and a new snapshot
    assert interference_snapshot.update(_fresh(cards), 2, interference._record) is not None
