from builder.changelog import plain, render_changelog
from builder.lockfile import HistoryEntry, Lock, LockedCard

NOW = 1_790_000_000


def card(question):
    return LockedCard(guid="g", notetype="basic", added=NOW, changed=NOW, hashes={}, question=question)


def test_plain_text_of_a_field():
    assert plain("Five-year survival <b>{{c1::63%::percent}}</b> &amp; more") == "Five-year survival [63%] & more"
    assert plain("x" * 200, limit=10) == "xxxxxxxxx…"


def test_changelog_lists_versions_newest_first_with_what_changed():
    lock = Lock(
        namespace="testdeck", created=NOW,
        cards={"a": card("Question A?"), "b": card("Question B?")},
        retired={"c": card("Question C?")},
        history=(
            HistoryEntry("1.0.0", NOW, added=("a", "c")),
            HistoryEntry("1.1.0", NOW + 86_400, added=("b",), changed={"a": ("Back", "tags")}, retired=("c",),
                         notetypes=("basic",)),
        ),
    )
    text = render_changelog(lock, "Test Deck")
    assert text.index("## Version 1.1.0 (2026-09-22)") < text.index("## Version 1.0.0 (2026-09-21)")
    assert "- `b`: Question B?" in text
    assert "- `a` (answer, tags): Question A?" in text
    assert "Retired 1 card. They now carry the tag `testdeck::retired`" in text
    assert "- `c`: Question C?" in text
    assert "The look of the cards was updated." in text
