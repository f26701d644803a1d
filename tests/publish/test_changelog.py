from builder.publish.changelog import plain, render_changelog, summary, version_section
from builder.lock.lockfile import CardChange, HistoryEntry, Lock, LockedCard

NOW = 1_790_000_000


def card(question):
    return LockedCard(guid="g", notetype="basic", added=NOW, changed=NOW, hashes={}, question=question)


def test_plain_text_of_a_field_hides_cloze_answers():
    assert plain("Five-year survival <b>{{c1::63%::percent}}</b> &amp; more") == "Five-year survival [percent] & more"
    assert plain("Margins of {{c1::1 cm}}") == "Margins of […]"
    assert plain("Margins of {{c1::1 cm}}", cloze=True) == "Margins of {{c1::1 cm}}"
    assert plain("x" * 200, limit=10) == "xxxxxxxxx…"


def test_changelog_lists_versions_newest_first_from_their_own_record():
    lock = Lock(
        namespace="testdeck", created=NOW,
        cards={"a": card("Question A, edited since?"), "b": card("Question B?")},
        retired={"c": card("Question C?")},
        history=(
            HistoryEntry("1.0.0", NOW, added=("a", "c"), titles={"a": "Question A?", "c": "Question C?"}),
            HistoryEntry("1.1.0", NOW + 86_400, added=("b",),
                         changed={"a": CardChange(("Back", "tags"), {"answer": "Old"}, {"answer": "New"})},
                         retired=("c",), notetypes=("basic",),
                         titles={"a": "Question A?", "b": "Question B?", "c": "Question C?"}),
        ),
    )
    text = render_changelog(lock, "Test Deck")
    assert text.index("## Version 1.1.0 (2026-09-22)") < text.index("## Version 1.0.0 (2026-09-21)")
    assert "- `b`: Question B?" in text
    assert "- `a` (answer, tags): Question A?\n  - answer: was “Old”, now “New”" in text
    assert "Retired 1 card. They now carry the tag `testdeck::retired`" in text
    assert "- `c`: Question C?" in text
    assert "The look of the cards was updated." in text
    assert "edited since" not in text  # a released version says what it said


def test_a_corrected_cloze_shows_its_answers_only_behind_a_spoiler():
    entry = HistoryEntry("1.1.0", NOW, changed={"z": CardChange(
        ("Text",), {"text": "Margins of {{c1::1 cm}}"}, {"text": "Margins of {{c1::2 cm}}"})},
        titles={"z": "Margins of […]"})
    lines = version_section(entry, "## Version 1.1.0", "t::retired")
    before_spoiler = "\n".join(lines[:lines.index("  <details><summary>Show the correction (reveals the answer)"
                                                   "</summary>")])
    assert "1 cm" not in before_spoiler and "2 cm" not in before_spoiler
    assert "  Before: Margins of \\[1 cm\\]" in lines and "  Now: Margins of \\[2 cm\\]" in lines  # Markdown for [1 cm]


def test_summary_for_the_deck_description():
    entry = HistoryEntry("1.1.0", NOW, added=("a", "b"), changed={"c": CardChange(("Back",))}, retired=("d",))
    assert summary(entry, "t::retired") == ("2 cards added, 1 corrected, 1 retired (find retired cards with the "
                                            "search tag:t::retired and delete them)")
    assert summary(HistoryEntry("1.0.1", NOW), "t::retired") == "no card changes"


def test_a_shortened_cloze_record_never_ends_inside_a_deletion():
    long_text = "Lesions: " + "word " * 30 + "{{c2::histiocytoma}} and {{c3::neuroma}}."
    shortened = plain(long_text, limit=160, cloze=True)
    assert shortened.endswith("…") and "{{c2::" not in shortened and "histioc" not in shortened
    assert plain("{{c1::a}} " + "b " * 10 + "{{c2::cd}}", limit=28, cloze=True) == "{{c1::a}} b b b b b b b b b…"
    # A record written before the cut was fixed shows no half deletion either (records never change).
    entry = HistoryEntry("1.1.0", NOW, changed={"z": CardChange(
        ("Text",), {"text": "Margins of {{c1::1 cm}}"}, {"text": "Margins of {{c1::2 cm}}, then {{c2::histioc…"})},
        titles={"z": "Margins of […]"})
    lines = version_section(entry, "## Version 1.1.0", "t::retired")
    assert "  Now: Margins of \\[2 cm\\], then…" in lines


def test_a_record_without_titles_shows_the_locked_question_a_live_cards_first():
    lock = Lock(
        namespace="testdeck", created=NOW,
        cards={"a": card("Live <b>A</b>?"), "both": card("The live one")},
        retired={"c": card("Retired C?"), "both": card("The retired one")},
        history=(HistoryEntry("1.0.0", NOW, added=("a", "both", "c", "gone"), titles={"c": ""}),),
    )
    text = render_changelog(lock, "Test Deck")
    assert "- `a`: Live A ?\n- `both`: The live one\n- `c`: Retired C?\n- `gone`\n" in text


def test_the_changelogs_lines_end_as_join_then_rstrip_ends_them():
    from hypothesis import given, settings, strategies as st

    from builder.publish.changelog import _ended

    line = st.lists(st.sampled_from(["", " ", "a", "\n", "\t", "\u3000", "\x1c", "…", "- `x`"]), max_size=4).map("".join)

    @settings(max_examples=1000, deadline=None)
    @given(st.lists(line, max_size=6))
    def check(lines):
        assert "".join(_ended(list(lines))) == "\n".join(lines).rstrip() + "\n"

    check()

