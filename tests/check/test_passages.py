from builder.check.passages import Layout, stem

TEXT = """Title of the page

Treatment Recommendations

Primary Treatment

Surgery comes first. It removes the tumour.

  • Margins:
    • 1 cm for dermal tumours
    • 2 cm for deep tumours

Advertisement

What is the survival rate?

Stage
Early
Survival
70%
Late
Survival
25%
"""


def layout(cited=()):
    return Layout.of(TEXT, cited)


def test_a_section_runs_to_the_next_heading_after_some_content():
    found = layout()
    [(start, end)] = found.section("treatment recommendations")   # case and punctuation do not matter
    assert found.lines[start] == "Treatment Recommendations"
    assert found.lines[end] == "What is the survival rate?"   # "Primary Treatment" right under it stays in it
    assert found.section("Survival rate") is None              # not a heading


def test_a_single_word_line_is_a_heading_only_when_a_card_cites_it():
    assert layout().section("Advertisement") is not None       # found as a line, running on to the next heading
    cited = layout(["Advertisement"])
    [(start, end)] = cited.section("Treatment Recommendations")
    assert cited.lines[end] == "Advertisement"


def test_a_repeated_heading_heads_every_copy_of_its_section():
    """A captured page repeats its title (navigation, then above the text): a figure under either copy
    is in the cited section."""
    text = "Cutaneous leiomyosarcoma\n\nMenu Home\n\nCodes\n\nCutaneous leiomyosarcoma\n\nIt is 2:1 male.\n"
    found = Layout.of(text, ["Cutaneous leiomyosarcoma"])
    spans = found.section("Cutaneous leiomyosarcoma")
    assert len(spans) == 2
    assert [found.passages[f.passage].sentence for f in found.figures_in(spans)] == ["It is 2:1 male."]


def test_a_list_item_is_read_with_the_lines_it_hangs_under():
    found = layout()
    passage = next(p for p in found.passages if p.sentence.startswith("2 cm"))
    assert {stem("deep"), stem("margins")} <= set(passage.context)
    assert passage.context[stem("deep")] == 1.0 and passage.context[stem("margins")] == 1.0
    assert stem("dermal") not in passage.context


def test_a_table_cell_is_read_with_the_cells_around_it():
    found = layout()
    early = next(p for p in found.passages if p.sentence == "70%")
    late = next(p for p in found.passages if p.sentence == "25%")
    assert stem("early") in early.context and stem("early") not in late.context
    assert stem("late") in late.context


def test_sentences_of_one_line_are_passages_of_their_own():
    found = layout()
    assert [p.sentence for p in found.passages if p.line == 6] == ["Surgery comes first.", "It removes the tumour."]


def test_rare_words_weigh_more():
    found = layout()
    assert found.idf[stem("deep")] > found.idf[stem("survival")]
