"""``deckbuilder new``: a teacher's first deck checks clean, builds at once and carries nothing of ours."""

import json
import re

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main
from builder.load.loader import load_card_set
from builder.cli.scaffold import new_deck

from ..anki_client import import_package
from ..conftest import REPO


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def cardiology(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "cardiology")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "cardiology")
    return tmp_path / "cardiology"


def bundled_words() -> set[str]:
    """Words that only the bundled deck would bring: its namespace, topic ids and card ids."""
    deck = load_card_set(REPO / "cards").card_set
    return {deck.deck.namespace, *deck.deck.topics, *(c.id for c in deck.cards)}


def test_a_new_deck_checks_clean_in_strict_mode_and_builds(cardiology):
    checked = run("check", "--strict", "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["diagnostics"] == []
    built = run("build", "--strict")
    assert built.exit_code == 0, built.output
    assert (cardiology / "output" / "cardiology.apkg").is_file()
    assert (cardiology / "cards" / "deck.lock").is_file()


def test_the_new_deck_has_one_card_of_each_type_and_media(cardiology):
    card_set = load_card_set(cardiology / "cards").card_set
    assert sorted(card.type.value for card in card_set.cards) == ["basic", "cloze", "reversed"]
    assert (cardiology / "cards" / "media").is_dir()
    assert "cards/.cache/" in (cardiology / ".gitignore").read_text().splitlines()


def test_nothing_of_the_bundled_deck_reaches_another_decks_outputs(cardiology, collection):
    assert run("build").exit_code == 0
    output = cardiology / "output"
    text = "\n".join(path.read_text(errors="replace") for path in output.iterdir() if path.suffix != ".apkg")
    import_package(collection, output / "cardiology.apkg")
    notes = [collection.get_note(nid) for nid in collection.find_notes("")]
    text += "\n".join(field for note in notes for field in note.fields)
    text += "\n".join(d.name + "\n" + collection.decks.get(d.id)["desc"]
                      for d in collection.decks.all_names_and_ids())
    text += json.dumps(collection.models.all(), default=str)
    assert len(notes) == 3
    found = {word for word in bundled_words() if re.search(rf"\b{re.escape(word)}\b", text)}
    assert found == set()
    assert "clinical decisions" not in text
    assert "check anything important against the cited sources" in collection.decks.by_name("Cardiology")["desc"]
    assert "tag:cardiology::topic::writing" in (output / "README.md").read_text()


def test_every_file_names_the_installed_schema_and_validates_against_it(cardiology):
    for path in sorted((cardiology / "cards").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=file://(\S+)", first)
        assert match, first
        schema = json.loads(open(match.group(1)).read())
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text())))
        assert [e.message for e in errors] == [], path.name


def test_name_and_namespace_can_be_chosen(tmp_path):
    made = new_deck(tmp_path / "deck", name='Renal "physiology"', namespace="renal-phys")
    deck = load_card_set(made.cards).card_set.deck
    assert (deck.name, deck.namespace) == ('Renal "physiology"', "renal-phys")


@pytest.mark.parametrize("args, message", [
    (("new", "taken"), "already exists and is not an empty folder"),
    (("new", "fresh", "--namespace", "Not A Slug"), "--namespace"),
])
def test_bad_requests_end_in_one_line_and_write_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "fresh").exists()
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"
