"""A lock entry's texts are bounded (lock/bounds.py), and no build writes a lock the reader refuses (E209)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from builder import pipeline
from builder.lock import bounds, lockdata
from builder.lock.bounds import MAX_LOCK_TEXT, MAX_TEXT_BYTES, lock_text
from builder.lock.lockfile import LockTooLarge, read_lock, write_lock
from builder.text import TEXT_LIMIT, media_references, plain

from ..conftest import positions

NOW = 1_790_000_000
# (Not more: check/rules/answer_in_question._uncovered grows a cloze text geometrically with its deletions,
# reported separately.)
DELETIONS = 8
NUMBERS = re.compile(r"\{\{c(\d+)::")
LIMIT = 100_000  # characters of one YAML value (load/yamlsource.MAX_TEXT_CHARS)
HOSTILE = 'ä€𝄞 &amp; &lt;b&gt; " \' \\ \x01 '  # non-ASCII, entities, quotes, a backslash, a control character


def _encoded(text: str) -> int:
    return len(json.dumps(text, ensure_ascii=False).encode())


def _rendered(kind: str) -> str:
    """Rendered HTML at the value limit, of every kind of text that costs bytes."""
    if kind == "cloze":
        parts = [f"{{{{c{n}::{HOSTILE * 3}}}}} and" for n in range(1, 400)]
    elif kind == "media":
        parts = [f'<img src="pic-{n}-{"é" * 50}.png"> [sound:s{n}.mp3] {HOSTILE}' for n in range(400)]
    elif kind == "long-deletion":
        parts = ["Start {{c1::" + "x " * 2_000 + "}} then {{c2::two}} " + HOSTILE]
    else:
        parts = [f"<p><b>{HOSTILE}</b> <i>more</i></p>"]
    text = "".join(parts)
    return (text * (LIMIT // len(text) + 1))[:LIMIT] if kind != "long-deletion" else text * 2


@pytest.mark.parametrize("kind", ["plain", "cloze", "media", "long-deletion"])
def test_a_long_text_is_kept_bounded_and_serves_what_the_lock_keeps_it_for(kind):
    rendered = _rendered(kind)
    cloze = kind in ("cloze", "long-deletion")
    kept = lock_text(rendered, cloze=cloze)
    assert len(rendered) > MAX_LOCK_TEXT and _encoded(kept) <= MAX_TEXT_BYTES
    # The changelog's titles (cloze answers hidden) and 'before' texts (a cloze card's with its markup), as
    # from the full text (reconcile.titled, reconcile._card_change).
    if kind != "long-deletion":  # (a deletion longer than the cut is the one case they differ)
        assert plain(kept) == plain(rendered)
        assert plain(kept, TEXT_LIMIT, cloze=cloze) == plain(rendered, TEXT_LIMIT, cloze=cloze)
    # A tombstone made from it: readable text, a card for each card the student has, its pictures.
    if kind == "long-deletion":  # the text up to the deletion the cut fell in, and a blank for each card
        assert plain(kept, 10_000) == "Start… […] […]"
    else:
        assert len(plain(kept, 10_000)) >= min(len(plain(rendered, 10_000)), MAX_LOCK_TEXT // 2)
    if cloze:
        wanted = sorted({int(n) for n in NUMBERS.findall(rendered)})[:bounds.MAX_LOCK_NUMBERS]
        assert set(wanted) <= {int(n) for n in NUMBERS.findall(kept)}
    references = list(dict.fromkeys(media_references(rendered)))[:bounds.MAX_LOCK_MEDIA]
    assert set(references) <= set(media_references(kept))


def test_a_text_within_the_bound_is_kept_as_rendered():
    for text in ("", "<b>x</b>", HOSTILE, "y" * MAX_LOCK_TEXT):
        assert lock_text(text) == text and lock_text(text, cloze=True) == text


def _maximal_deck(make_cards, topics: int = 60, sources: int = 60):
    cards = make_cards("valid.yaml")
    deck = (cards / "deck.yaml").read_text()
    names = "".join(f"  t{n:03}-{'x' * 60}: Topic {n}\n" for n in range(topics))
    (cards / "deck.yaml").write_text(deck.replace("topics:\n", "topics:\n" + names, 1))
    sources_yaml = (cards / "sources.yaml").read_text()
    (cards / "sources.yaml").write_text(sources_yaml + "".join(
        f"- id: s{n:03}-{'y' * 60}\n  title: Source {n}\n  url: https://example.org/{n}\n" for n in range(sources)))
    topic_list = ", ".join(["histology", *(f"t{n:03}-{'x' * 60}" for n in range(topics))])
    source_list = ", ".join(["src-a", *(f"s{n:03}-{'y' * 60}" for n in range(sources))])
    value = ("ä€𝄞 **bold** & <i>x</i> \" ' \\\\ " * 4_000)[:LIMIT - 10]
    deletions = " ".join(f"{{{{c{n}::ä€ {n}}}}}" for n in range(1, DELETIONS + 1))
    cloze = (deletions + " " + value)[:LIMIT - 10]
    def yaml_value(text: str) -> str:  # a JSON string is a YAML double-quoted scalar
        return json.dumps(text, ensure_ascii=False)
    (cards / "big.yaml").write_text(
        f"- id: {'b' * 80}\n  front: {yaml_value(value)}\n  back: {yaml_value(value)}\n"
        f"  extra: {yaml_value(value)}\n  topics: [{topic_list}]\n  scope: general\n  sources: [{source_list}]\n"
        f"- id: {'c' * 80}\n  type: cloze\n  text: {yaml_value(cloze)}\n  extra: {yaml_value(value)}\n"
        f"  topics: [{topic_list}]\n  scope: general\n  sources: [{source_list}]\n")
    return cards


def _entry_lines(path):
    return {line.split('"')[1]: line for line in path.read_text().splitlines() if line.startswith('    "')
            and '"guid"' in line}


def test_a_maximal_cards_lock_entry_is_bounded_and_its_tombstone_readable(make_cards, tmp_path):
    cards = _maximal_deck(make_cards)
    result = pipeline.build(cards, tmp_path / "out", now=NOW)
    assert result.package is not None, [str(d) for d in result.diagnostics if d.is_error]
    lock, _ = read_lock(cards / "deck.lock", "deck.lock")
    lines = _entry_lines(cards / "deck.lock")
    for card_id, card in lock.cards.items():
        assert _encoded(card.question) <= MAX_TEXT_BYTES and _encoded(card.answer) <= MAX_TEXT_BYTES
        placement = _encoded(json.dumps([list(card.placement.topics), card.placement.scope,
                                         list(card.placement.sources)], ensure_ascii=False))
        # The rest of an entry: id, GUID, times, digest, hashes, names: well under 2,000 bytes.
        assert len(lines[card_id].encode()) <= 2 * MAX_TEXT_BYTES + placement + 2_000
    (cards / "big.yaml").unlink()
    retired = pipeline.build(cards, tmp_path / "out", now=NOW + 60)
    stones = {note.content.card_id: note.content for note in retired.plan.notes if note.retired}
    cloze = stones["c" * 80].named_fields["Text"]
    assert set(range(1, DELETIONS + 1)) <= {int(n) for n in NUMBERS.findall(cloze)}
    assert plain(stones["b" * 80].named_fields["Front"]).startswith("ä€𝄞 bold & x")


def test_an_entry_already_in_the_lock_keeps_what_it_holds(make_cards, tmp_path, monkeypatch):
    """A lock written before the bound keeps its long texts: no tombstone, no mtime changes."""
    cards = _maximal_deck(make_cards, topics=2, sources=2)
    monkeypatch.setattr(bounds, "MAX_LOCK_TEXT", 10 * LIMIT)
    pipeline.build(cards, tmp_path / "out", now=NOW)
    before = (cards / "deck.lock").read_bytes()
    monkeypatch.setattr(bounds, "MAX_LOCK_TEXT", MAX_LOCK_TEXT)
    again = pipeline.build(cards, tmp_path / "out", now=NOW + 60)
    assert not again.lock_written and (cards / "deck.lock").read_bytes() == before
    (cards / "big.yaml").unlink()
    pipeline.build(cards, tmp_path / "out", now=NOW + 120)
    lock, _ = read_lock(cards / "deck.lock", "deck.lock")
    assert len(lock.retired["b" * 80].question) > MAX_LOCK_TEXT  # the tombstone shows what it showed


def test_no_build_writes_a_lock_the_reader_refuses(make_cards, tmp_path, monkeypatch):
    cards = make_cards("valid.yaml")
    monkeypatch.setattr(lockdata, "MAX_LOCK_BYTES", 1_000)  # this deck's lock takes about 2,000
    result = pipeline.build(cards, tmp_path / "out", now=NOW)
    assert result.package is None and not result.lock_written
    assert positions(d for d in result.diagnostics if d.is_error) == [("E209", "deck.lock", 1, 1)]
    assert not (cards / "deck.lock").exists() and not (tmp_path / "out" / "CHANGELOG.md").exists()
    assert not [p for p in cards.iterdir() if p.name.startswith(".deck.lock")]  # no temporary file left
    from builder.check import RecheckMemo

    watched = pipeline.build_checked(pipeline.check(cards), cards, tmp_path / "out", now=NOW, memo=RecheckMemo())
    assert [d.code for d in watched.diagnostics if d.is_error] == ["E209"] and not (cards / "deck.lock").exists()
    monkeypatch.setattr(lockdata, "MAX_LOCK_BYTES", 10_000_000)
    assert pipeline.build(cards, tmp_path / "out", now=NOW).lock_written


def test_write_lock_refuses_a_lock_the_reader_refuses(make_cards, tmp_path, monkeypatch):
    cards = make_cards("valid.yaml")
    pipeline.build(cards, tmp_path / "out", now=NOW)
    lock, _ = read_lock(cards / "deck.lock", "deck.lock")
    monkeypatch.setattr(lockdata, "MAX_LOCK_BYTES", len((cards / "deck.lock").read_bytes()) - 1)
    with pytest.raises(LockTooLarge, match="split the deck"):
        write_lock(replace(lock), cards / "deck.lock")
    monkeypatch.setattr(lockdata, "MAX_LOCK_BYTES", len((cards / "deck.lock").read_bytes()))
    before = (cards / "deck.lock").read_bytes()
    write_lock(lock, cards / "deck.lock")
    assert (cards / "deck.lock").read_bytes() == before
