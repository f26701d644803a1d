"""The derived cache: per-file rule findings and notes, reused only for the very content they came from."""

import json
import shutil
from dataclasses import replace

from builder import pipeline
from builder.compile import compile_notes
from builder.load.cache import ParseCache
from builder.load.derived import DERIVED_DIR, for_card_set
from builder.load.loader import load_card_set

from ..conftest import DATA

# Files whose card-level rules find something, so that a stored finding has something to get wrong.
FINDING_FILES = ("valid.yaml", "answer-in-question.yaml", "empty-render.yaml", "give-away.yaml",
                 "binary-question.yaml", "long-answer.yaml", "source-in-question.yaml", "media-references.yaml")


def _cold(cards):
    """The check and notes with no cache at all: what every cached run must equal."""
    checked = pipeline.check(cards, cache=ParseCache(None))
    return checked.diagnostics, compile_notes(checked.card_set)


def _warm(cards):
    checked = pipeline.check(cards)
    return checked.diagnostics, compile_notes(checked.card_set)


def _entries(cards, kind):
    return sorted((cards / ".cache" / DERIVED_DIR).glob(f"{kind}-*.json"))


def test_a_warm_run_finds_and_compiles_what_a_cold_one_does(make_cards):
    cards = make_cards(*FINDING_FILES)
    cold = _cold(cards)
    assert cold[0], "the files should give findings"
    assert _warm(cards) == cold  # fills the cache
    assert _entries(cards, "findings") and _entries(cards, "notes")
    assert _warm(cards) == cold  # from the cache


def test_an_edit_is_never_answered_from_the_entry_of_the_old_content(make_cards):
    cards = make_cards(*FINDING_FILES)
    _warm(cards)
    path = cards / "give-away.yaml"
    path.write_text(path.read_text().replace("front:", "front: Edited,", 1))
    assert _warm(cards) == _cold(cards)
    # And a deck.yaml edit (a scope's title is in every note's Scope field) reaches every file.
    deck = cards / "deck.yaml"
    text = deck.read_text()
    assert "scopes:" in text
    _warm(cards)
    deck.write_text(text.replace("scopes:", "scopes:\n  extra-scope: An extra scope", 1))
    assert _warm(cards) == _cold(cards)


def test_options_of_a_rule_are_part_of_the_key(make_cards):
    cards = make_cards(*FINDING_FILES)
    _warm(cards)
    deck = cards / "deck.yaml"
    deck.write_text(deck.read_text().replace("checks:\n", "checks:\n  W801:\n    max_words: 1\n", 1))
    assert _warm(cards) == _cold(cards)


def test_a_damaged_or_hostile_entry_is_ignored(make_cards):
    cards = make_cards(*FINDING_FILES)
    cold = _cold(cards)
    _warm(cards)
    for number, entry in enumerate(_entries(cards, "findings") + _entries(cards, "notes")):
        data = json.loads(entry.read_text())
        damage = number % 4
        if damage == 0:
            entry.write_text("{not json")
        elif damage == 1:  # the right key, results of the wrong shape
            entry.write_text(json.dumps({"key": data["key"], "results": {
                code: ["[]", [[1, "x", None, 5, 6]]] for code in ("W801", "E406", "W809", "notes")}}))
        elif damage == 2:  # the right key, forged findings and notes
            results = {code: [stored[0], [["cards/valid.yaml", 1, 1, "forged", "valid-basic"]]]
                       for code, stored in data["results"].items() if code != "notes"}
            if "notes" in data["results"]:
                results["notes"] = [[n[0], n[1], ["<script>forged</script>"] * len(n[2]), *n[3:]]
                                    for n in data["results"]["notes"]]
            entry.write_text(json.dumps({"key": "forged" + data["key"][6:], "results": results}))
        else:
            entry.write_text('["__import__(\\"os\\")"]')
    assert _warm(cards) == cold
    assert _warm(cards) == cold  # and rewritten good


def test_an_entry_planted_under_another_secret_is_never_read(make_cards):
    """A contributor could commit cards/.cache/derived/ with forged findings; without this machine's secret
    they cannot name the slot or the key."""
    cards = make_cards("valid.yaml", "give-away.yaml")
    cold = _cold(cards)
    _warm(cards)
    folder = cards / ".cache" / DERIVED_DIR
    saved = {p.name: p.read_text() for p in folder.iterdir()}
    shutil.rmtree(folder)
    for name, text in saved.items():  # the same slots, but entries computed with an empty secret: all misses
        data = json.loads(text)
        data["key"] = "0" * 64
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(data))
    assert _warm(cards) == cold


def test_only_the_cards_loaded_use_it(make_cards):
    """A card set made from the loaded one (preview drops unknown sources) computes its own notes."""
    cards = make_cards("valid.yaml")
    from builder.load.cache import disk_cache

    card_set = load_card_set(cards, disk_cache(cards)).card_set
    assert for_card_set(card_set) is not None
    compile_notes(card_set)
    changed = replace(card_set, cards=tuple(replace(card, extra="Changed") for card in card_set.cards))
    assert for_card_set(changed) is None
    assert all(note.named_fields["Extra"] == "Changed" for note in compile_notes(changed))


def test_the_folder_is_safe_to_delete(make_cards):
    cards = make_cards(*FINDING_FILES)
    _warm(cards)
    shutil.rmtree(cards / ".cache")
    assert _warm(cards) == _cold(cards)


def test_the_bundled_deck_is_its_own_witness(tmp_path):
    """On the real deck too, a warm run says what a cold one does."""
    shutil.copytree(DATA.parent.parent / "cards", tmp_path / "cards", ignore=shutil.ignore_patterns(".cache"))
    cards = tmp_path / "cards"
    cold = _cold(cards)
    _warm(cards)
    assert _warm(cards) == cold


def test_a_build_from_the_cache_writes_the_bytes_a_cold_build_writes(make_cards, tmp_path):
    cards = make_cards("valid.yaml", "with-media.yaml")
    media = DATA / "media"
    if media.is_dir():
        shutil.copytree(media, cards / "media")
    now = 1_790_000_000
    cold = pipeline.build(cards, tmp_path / "cold", now=now, cache=ParseCache(None))
    (cards / "deck.lock").unlink(missing_ok=True)
    pipeline.build(cards, tmp_path / "fill", now=now)
    (cards / "deck.lock").unlink(missing_ok=True)
    warm = pipeline.build(cards, tmp_path / "warm", now=now)
    assert cold.built and warm.built and cold.diagnostics == warm.diagnostics
    for path in sorted((tmp_path / "cold").rglob("*")):
        if path.is_file():
            assert (tmp_path / "warm" / path.relative_to(tmp_path / "cold")).read_bytes() == path.read_bytes(), path


def test_a_picture_with_new_bytes_reaches_the_sheets_built_from_the_cache(make_cards, tmp_path):
    """The HTML sheet shows a picture under its published name, made from its bytes: not from the file."""
    cards = make_cards("valid.yaml", "with-media.yaml")
    shutil.copytree(DATA / "media", cards / "media")
    now = 1_790_000_000
    pipeline.build(cards, tmp_path / "fill", now=now)
    picture = next(p for p in (cards / "media").iterdir() if not p.name.startswith("_"))
    picture.write_bytes(picture.read_bytes() + b"\0")
    (cards / "deck.lock").unlink()
    warm = pipeline.build(cards, tmp_path / "warm", now=now)
    (cards / "deck.lock").unlink()
    cold = pipeline.build(cards, tmp_path / "cold", now=now, cache=ParseCache(None))
    assert warm.built and cold.built
    for path in sorted((tmp_path / "cold").rglob("*")):
        if path.is_file():
            assert (tmp_path / "warm" / path.relative_to(tmp_path / "cold")).read_bytes() == path.read_bytes(), path


def test_the_code_fingerprint_covers_the_rules_and_renderers_not_only_the_loader():
    """Results computed by other code are never reused: a rule's source is part of every key."""
    from pathlib import Path

    import builder
    from builder.load import derived

    derived.code_fingerprint.cache_clear()
    try:
        seen = []
        real = Path.read_bytes
        Path.read_bytes = lambda self: seen.append(self) or real(self)
        try:
            derived.code_fingerprint()
        finally:
            Path.read_bytes = real
        root = Path(builder.__file__).resolve().parent
        names = {path.relative_to(root).as_posix() for path in seen}
        assert {"check/rules/interference.py", "compile/notes.py", "load/derived.py"} <= names
    finally:
        derived.code_fingerprint.cache_clear()
