"""A build's check may plan on this core while its rules run in a forked child (pipeline.check's
``plan_at``): what it builds, and what it refuses to build, must be what the one-core path gives."""

import hashlib
import os
import shutil

import pytest

from builder import pipeline
from tests.conftest import DATA
from builder.load import can_fork

V1, V2 = 1_790_000_000, 1_790_100_000


def outputs(folder):
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build_both_ways(make_cards, tmp_path, monkeypatch, card_files, edit=None):
    """The same build history run with the plan made meanwhile and without; each side's outputs, lock and
    diagnostics after every build."""
    results = {}
    made = make_cards(*card_files)
    for meanwhile in (True, False):
        monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0 if meanwhile else 10 ** 9)
        root = tmp_path / str(meanwhile)
        cards = root / "cards"
        shutil.copytree(made, cards)
        monkeypatch.chdir(root)
        steps = []
        for now in (V1, V2):
            built = pipeline.build(cards, root / "output", now=now)
            lock = (cards / "deck.lock").read_bytes() if (cards / "deck.lock").exists() else None
            steps.append((outputs(root / "output") if (root / "output").exists() else {}, lock,
                          [(d.code, d.location, d.message) for d in built.diagnostics]))
            if edit is not None:
                edit(cards)
        results[meanwhile] = steps
    return results


def test_a_plan_made_meanwhile_builds_what_the_one_core_path_builds(make_cards, tmp_path, monkeypatch):
    def edit(cards):
        path = cards / "valid.yaml"
        path.write_text(path.read_text().replace("Spindle", "Round"))

    results = build_both_ways(make_cards, tmp_path, monkeypatch, ("valid.yaml",), edit)
    assert results[True] == results[False]
    assert results[True][1][0]  # the builds wrote something to compare


@pytest.mark.parametrize("card_file", ["duplicate-id.yaml", "unknown-source.yaml", "cloze-without-deletion.yaml"])
def test_a_deck_the_rules_refuse_is_not_built_from_the_plan_made_meanwhile(make_cards, tmp_path, monkeypatch,
                                                                           card_file):
    results = build_both_ways(make_cards, tmp_path, monkeypatch, (card_file,))
    assert results[True] == results[False]
    assert all(not files and lock is None and any(code.startswith("E") for code, *_ in found)
               for files, lock, found in results[True])


def test_the_plan_is_made_meanwhile_where_the_machine_can_fork(make_cards, monkeypatch):
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    cards = make_cards("valid.yaml")
    checked = pipeline.check(cards, plan_at=V1)
    assert (checked.speculative is not None) == can_fork()
    assert checked.diagnostics == pipeline.check(cards).diagnostics
    # A build at another time (or with another --accept-notetype-change) plans again rather than use it.
    if checked.speculative is not None:
        assert checked.speculative[:2] == (V1, False)


@pytest.mark.parametrize("card_files", [
    ("interference.yaml", "near-duplicate-question.yaml", "likely-contradiction.yaml", "valid.yaml"),
    ("near-duplicates-without-end.yaml",),
])
def test_searches_sharing_one_child_find_what_the_one_core_path_finds(make_cards, tmp_path, monkeypatch,
                                                                      card_files):
    """Planned meanwhile, the near-duplicate search and W811 run one after the other in one child (the rules
    child's, load.Batch): forced here on a small deck, their findings and the build are the one-core path's."""
    from builder.check import rules

    monkeypatch.setattr(rules, "PARALLEL_MIN_CARDS", 0)  # W811 in a child too, not inline
    results = build_both_ways(make_cards, tmp_path, monkeypatch, card_files)
    assert results[True] == results[False]
    codes = {code for _, _, found in results[True] for code, *_ in found}
    assert {"W403", "W811"} & codes  # the searches found something to compare


def files_under(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("card_file, strict, meanwhile", [
    ("cloze-without-deletion.yaml", False, True),  # an error only the rules find (E401)
    ("near-duplicate-question.yaml", True, True),  # a warning (W403), with --strict
    ("unknown-source.yaml", False, False),  # E303: a card citing no known source cannot even be planned
])
def test_a_deck_the_rules_refuse_is_written_meanwhile_and_nothing_of_it_is_left(make_cards, monkeypatch,
                                                                                card_file, strict, meanwhile):
    """Planned meanwhile, a build stages its files while the rules finish (pipeline.RunningCheck) and commits
    them only if the finished check allows it: refused, no file, temporary file or folder of it remains."""
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    written = []
    real = pipeline._write_outputs
    monkeypatch.setattr(pipeline, "_write_outputs", lambda *args, **kw: written.append(1) or real(*args, **kw))
    cards = make_cards(card_file)
    before = files_under(cards)
    output = cards.parent / "new" / "output"  # two folders the build makes for its files
    built = pipeline.build(cards, output, now=V1, strict=strict)
    assert written == ([1] if can_fork() and meanwhile else [])  # it did write meanwhile, where it can fork
    assert built.package is None and not built.lock_written
    assert (built.error_count if not strict else built.warning_count) > 0
    assert not (cards.parent / "new").exists()
    assert [name for name in files_under(cards) if not name.startswith(".cache")] == \
        [name for name in before if not name.startswith(".cache")]
    assert built.diagnostics == pipeline.check(cards).diagnostics  # reported as a check reports them


def test_a_refused_build_leaves_an_existing_output_folder_as_it_was(make_cards, monkeypatch):
    monkeypatch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
    cards = make_cards("valid.yaml")
    output = cards.parent / "output"
    assert pipeline.build(cards, output, now=V1).package is not None
    before = outputs(output)
    shutil.copy(DATA / "cards" / "cloze-without-deletion.yaml", cards)
    built = pipeline.build(cards, output, now=V2)
    assert built.package is None and built.error_count
    assert outputs(output) == before
    assert sorted(path.name for path in output.iterdir()) == sorted(before)  # no temporary file either


@pytest.mark.parametrize("taker", ["this process", "the package's child"])
def test_the_file_either_process_may_stage_is_the_same_whichever_does(make_cards, tmp_path, monkeypatch,
                                                                        taker):
    """The .tsv is staged by whichever process takes its token first (load.Token): each way, and with
    focused decks, a build writes what the one-process path writes."""
    from builder.load import Token, background

    made = make_cards("valid.yaml", "with-media.yaml", deck="with-decks.yaml")
    (made / "media").mkdir(exist_ok=True)
    shutil.copytree(DATA / "media", made / "media", dirs_exist_ok=True)
    results = {}
    for way in ("one process", taker):
        root = tmp_path / way.replace(" ", "-")
        shutil.copytree(made, root / "cards")
        with monkeypatch.context() as patch:
            patch.setattr(pipeline, "PLAN_MEANWHILE_MIN_CARDS", 0)
            if way == "one process":
                patch.setattr(background, "can_fork", lambda: False)
                patch.setattr(pipeline, "can_fork", lambda: False)
            else:
                parent, real_take = os.getpid(), Token.take

                def take(token, parent=parent, real_take=real_take):
                    real_take(token)  # (which closes this process's end of its pipe)
                    return (os.getpid() == parent) == (taker == "this process")

                patch.setattr(Token, "take", take)
            patch.chdir(root)
            built = pipeline.build(root / "cards", root / "output", now=V1)
        assert built.package is not None, built.diagnostics
        results[way] = outputs(root / "output"), (root / "cards" / "deck.lock").read_bytes()
    assert results[taker] == results["one process"]
    assert len(results[taker][0]) > 8  # three decks' packages and exports, a picture, the changelog...
