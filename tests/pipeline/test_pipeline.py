from builder import pipeline


def test_check_sorts_loader_and_rule_problems_by_position(make_cards):
    result = pipeline.check(make_cards("missing-topic.yaml", "duplicate-key.yaml"))
    assert [(d.code, d.location.line) for d in result.diagnostics] == [
        ("E003", 4), ("E302", 1), ("E302", 9)]
    assert result.error_count == 3 and result.warning_count == 0
    assert result.card_count == 3
    assert len(result.files) == 4


def test_build_writes_the_package_named_after_the_namespace(make_cards, tmp_path):
    result = pipeline.build(make_cards("valid.yaml"), tmp_path / "output")
    assert result.package == tmp_path / "output" / "testdeck.apkg"
    assert result.package.is_file()
    assert (result.note_count, result.card_count) == (3, 5)


def test_build_with_errors_writes_nothing_and_keeps_the_old_deck(make_cards, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "testdeck.apkg").write_bytes(b"last good deck")
    result = pipeline.build(make_cards("valid.yaml", "duplicate-id.yaml"), output)
    assert result.package is None
    assert result.check.error_count == 1
    assert (output / "testdeck.apkg").read_bytes() == b"last good deck"
    assert [p.name for p in output.iterdir()] == ["testdeck.apkg"]


def test_a_build_reports_its_progress_step_by_step(make_cards, tmp_path):
    cards = make_cards("valid.yaml", deck="with-decks.yaml")
    steps = []
    checked = pipeline.check(cards)
    pipeline.build_checked(checked, cards, tmp_path / "out", progress=lambda *step: steps.append(step))
    total = pipeline.build_steps(checked.card_set)
    assert total == 2 + 1 + len(checked.card_set.deck.decks)
    assert [done for _, done, _ in steps] == list(range(total + 1))  # every step, in order, up to all done
    assert {t for _, _, t in steps} == {total}
    assert steps[1][0].startswith("Writing ") and steps[-1][0] == "Done"
