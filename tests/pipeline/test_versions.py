"""The record of versions tells the truth (issue 14): released versions never change, later changes
are unreleased until a new version, and each version lists every card once, in the list that is true.

Driven through the CLI as a maintainer would; the changelog and `diff` text are asserted.
"""

import json
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner

from builder.cli import main

DAY = 86_400
T0 = 1_790_000_000


@pytest.fixture
def deck(make_cards, tmp_path):
    return Maintainer(make_cards("lifecycle.yaml"), tmp_path / "output")


class Maintainer:
    def __init__(self, cards, output):
        self.cards, self.output, self.day = cards, output, 0

    def run(self, *args):
        result = CliRunner().invoke(main, [*args, "--cards", str(self.cards)] if args[0] != "build" else
                                    [*args, "--cards", str(self.cards), "--output", str(self.output)],
                                    env={"SOURCE_DATE_EPOCH": str(T0 + self.day * DAY)}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    def build(self):
        output = self.run("build")
        self.day += 1
        return output

    def edit(self, old, new, name="lifecycle.yaml"):
        path = self.cards / name
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new))

    def version(self, version):
        path = self.cards / "deck.yaml"
        text = path.read_text()
        current = next(line for line in text.splitlines() if line.startswith("version:"))
        path.write_text(text.replace(current, f"version: {version}"))

    def remove(self, card_id):
        text = (self.cards / "lifecycle.yaml").read_text()
        start = text.index(f"- id: {card_id}\n")
        end = text.find("\n- id:", start + 1)
        block = text[start:] if end < 0 else text[start:end + 1]
        (self.cards / "lifecycle.yaml").write_text(text.replace(block, ""))
        return block

    def changelog(self):
        return (self.output / "CHANGELOG.md").read_text()

    def sections(self):
        """Heading -> the section's text (heading included)."""
        parts = self.changelog().split("\n## ")[1:]
        return {"## " + part.split("\n", 1)[0]: "## " + part.rstrip("\n") for part in parts}

    def shipped_versions(self):
        """The version the manifest, the student README and Anki's deck description give."""
        manifest = json.loads((self.output / "manifest.json").read_text())["deck"]["version"]
        readme = (self.output / "README.md").read_text().split("\n", 1)[0]
        with zipfile.ZipFile(self.output / "testdeck.apkg") as package:
            (self.output / "col.anki2").write_bytes(package.read("collection.anki2"))
        connection = sqlite3.connect(self.output / "col.anki2")
        decks = json.loads(connection.execute("select decks from col").fetchone()[0])
        connection.close()
        description = next(d["desc"] for d in decks.values() if d["name"] == "Test Deck")
        return manifest, readme, description


def test_edits_after_a_release_are_unreleased_until_a_new_version(deck):
    assert "Released version 1.0.0" in deck.build()
    released = deck.sections()["## Version 1.0.0 (2026-09-21)"]

    deck.edit("back: First answer", "back: First answer, corrected")
    deck.remove("life-three")
    out = deck.build()
    assert "Version 1.0.0 was already released (2026-09-21)" in out and "1.0.0+unreleased" in out
    sections = deck.sections()
    assert list(sections) == ["## Version 1.0.0+unreleased (not released yet)", "## Version 1.0.0 (2026-09-21)"]
    assert sections["## Version 1.0.0 (2026-09-21)"] == released  # byte for byte
    unreleased = sections["## Version 1.0.0+unreleased (not released yet)"]
    assert "- `life-one` (answer): First question?\n  - answer: was “First answer”, now “First answer, " \
           "corrected”" in unreleased
    assert "Retired 1 card." in unreleased and "- `life-three`: Third question?" in unreleased
    manifest, readme, description = deck.shipped_versions()
    assert manifest == "1.0.0+unreleased" and readme.endswith("version 1.0.0+unreleased")
    assert "<b>Version</b> 1.0.0+unreleased" in description
    assert "New in this version:</b> 1 card corrected, 1 retired" in description

    deck.version("1.1.0")  # bumping after that build releases what was waiting
    assert "Released version 1.1.0" in deck.build()
    sections = deck.sections()
    assert list(sections) == ["## Version 1.1.0 (2026-09-23)", "## Version 1.0.0 (2026-09-21)"]
    assert sections["## Version 1.0.0 (2026-09-21)"] == released
    assert sections["## Version 1.1.0 (2026-09-23)"] == unreleased.replace(
        "## Version 1.0.0+unreleased (not released yet)", "## Version 1.1.0 (2026-09-23)")
    assert deck.shipped_versions()[0] == "1.1.0"
    release_1_1 = sections["## Version 1.1.0 (2026-09-23)"]
    # The tombstone tells students the version it left in: the release, not the build that removed it.
    from builder.lock.lockfile import read_lock

    assert read_lock(deck.cards / "deck.lock", "deck.lock")[0].retired["life-three"].retired_in == "1.1.0"

    assert "No changes to the deck" in deck.build()  # nothing more: the record stays
    assert deck.sections()["## Version 1.1.0 (2026-09-23)"] == release_1_1
    deck.version("1.1.1")
    deck.build()
    assert deck.sections()["## Version 1.1.1 (2026-09-25)"] == "## Version 1.1.1 (2026-09-25)\n\n" \
                                                                "No card changes in this version."


def test_unretire_before_and_after_restoring_the_yaml(deck):
    deck.build()
    block = deck.remove("life-two")
    deck.version("1.1.0")
    deck.build()
    retired_in_1_1 = deck.sections()["## Version 1.1.0 (2026-09-22)"]
    assert "- `life-two`: Second question?" in retired_in_1_1 and "delete them" in retired_in_1_1

    deck.run("unretire", "life-two")
    out = deck.build()  # the YAML is not back yet: still a tombstone, nothing recorded twice
    assert "waiting for their YAML" in out and "life-two" in out
    assert deck.changelog().count("`life-two`") == 2  # added in 1.0.0, retired in 1.1.0
    assert "unreleased" not in deck.changelog()

    deck.edit("- id: life-four", block + "\n- id: life-four")
    assert "Restored 1 card: life-two" in deck.build()
    unreleased = deck.sections()["## Version 1.1.0+unreleased (not released yet)"]
    assert "Restored 1 card retired earlier" in unreleased and "- `life-two`: Second question?" in unreleased
    assert unreleased.count("life-two") == 1 and "delete them" not in unreleased and "Changed" not in unreleased
    assert deck.sections()["## Version 1.1.0 (2026-09-22)"] == retired_in_1_1


def test_a_rename_is_one_entry(deck):
    deck.build()
    deck.run("rename", "life-one", "life-first")
    deck.edit("back: First answer", "back: First answer, corrected")
    out = deck.build()
    assert "Renamed: life-one -> life-first" in out
    unreleased = deck.sections()["## Version 1.0.0+unreleased (not released yet)"]
    assert ("Renamed 1 card (the same card under a new id; your progress is kept):\n\n"
            "- `life-one` -> `life-first` (also changed: answer): First question?\n"
            "  - answer: was “First answer”, now “First answer, corrected”") in unreleased
    assert unreleased.count("life-first") == 1 and "Changed" not in unreleased


def test_diff_shows_the_entries_the_build_records_including_purges(deck):
    deck.build()
    deck.remove("life-three")
    deck.version("1.1.0")
    deck.build()
    deck.run("purge", "life-three")
    deck.edit("back: Second answer", "back: Second answer, corrected")
    deck.remove("life-five")
    shown = deck.run("diff")
    assert "Version 1.1.0 was already released" in shown and "would be recorded as unreleased" in shown
    predicted = shown.split("CHANGELOG.md would say:\n\n", 1)[1].rstrip("\n")
    assert "No longer shipped: 1 card retired in an earlier version" in predicted
    assert "- `life-three`: Third question?" in predicted and "- `life-five`: Fifth question?" in predicted
    deck.build()
    assert deck.sections()["## Version 1.1.0+unreleased (not released yet)"] == predicted
    assert "delete them" not in predicted.split("No longer shipped")[1]


def test_a_version_label_never_goes_back(deck):
    deck.build()
    deck.version("1.1.0")
    deck.build()
    deck.version("1.0.0")  # deck.yaml reverted by mistake
    out = deck.build()
    assert "versions never go back, so this build ships as 1.1.0" in out
    assert deck.shipped_versions()[0] == "1.1.0"
    deck.edit("back: First answer", "back: First answer, corrected")
    deck.build()
    assert list(deck.sections())[0] == "## Version 1.1.0+unreleased (not released yet)"
    assert deck.shipped_versions()[0] == "1.1.0+unreleased"
