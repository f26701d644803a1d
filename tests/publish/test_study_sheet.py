"""The printable study sheet, rendered by a real browser and read back from the PDF."""

import re

from pypdf import PdfReader

from builder import pipeline

from ..browser import print_to_pdf, report_from_page

NOW = 1_790_000_000


def pdf_text(pdf) -> str:
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_study_sheet_prints_every_card_with_answers_and_sources(make_cards, tmp_path):
    cards = make_cards("valid.yaml")
    (cards / "deck.yaml").write_text((cards / "deck.yaml").read_text()
                                     + 'disclaimer: "For tests: not a basis for clinical decisions."\n')
    result = pipeline.build(cards, tmp_path / "out", now=NOW)
    html = result.built[0].exports[1]
    assert html.name == "testdeck.html"
    pdf = tmp_path / "sheet.pdf"
    print_to_pdf(html, pdf, tmp_path / "profile")
    text = pdf_text(pdf)
    for expected in (
        "Test Deck", "Version 1.0.0",
        "Histology", "What cell shape is typical?", "Spindle", "Also highly cellular.",
        "HLRCC", "Hereditary leiomyomatosis and renal cell cancer",
        "Margins", "Margins of [", "1 cm", "Sources differ: Source A says 1 cm; source B says 2 cm.",
        "Publisher A, Source A (2020-01-02)", "valid-cloze",
        "not a basis for clinical decisions",
    ):
        assert expected in text, expected
    # Topics come in deck.yaml order, each card under its first topic.
    assert text.index("What cell shape is typical?") < text.index("Margins of [")


def test_markdown_sheet_has_the_same_cards(make_cards, tmp_path):
    result = pipeline.build(make_cards("valid.yaml"), tmp_path / "out", now=NOW)
    markdown = result.built[0].exports[2].read_text()
    assert markdown.startswith("# Test Deck\n")
    assert "## Histology" in markdown and "## Margins" in markdown
    assert "- **What cell shape is typical?**  \n  Spindle  " in markdown
    # The brackets are escaped: Markdown text after a deletion must never become a link.
    assert re.search(r"\*\*Margins of \\\[…\\\] for dermal and \\\[…\\\] for subcutaneous tumours\.\*\*", markdown)
    assert "*Sources differ:* Source A says 1 cm; source B says 2 cm." in markdown
    # Each citation names whose page it is, as the card does, not only the page's title.
    assert "Sources: Publisher A, *Source A* (2020-01-02)" in markdown


def test_the_sheet_has_a_table_of_contents_a_self_test_mode_and_a_page_per_topic(make_cards, tmp_path):
    result = pipeline.build(make_cards("valid.yaml"), tmp_path / "out", now=NOW)
    page = result.built[0].exports[1]
    report = report_from_page(page, """
        report.toc = Array.from(document.querySelectorAll("nav.toc a")).map(a => [a.textContent,
            document.querySelector(a.getAttribute("href")) !== null]);
        const answer = document.querySelector(".card .answer");
        report.before = getComputedStyle(answer).visibility;
        document.getElementById("hide-answers").click();
        report.hidden = getComputedStyle(answer).visibility;
        answer.closest(".card").focus();
        report.focused = getComputedStyle(answer).visibility;
    """, tmp_path / "profile")
    assert report["toc"] == [["Histology", True], ["Margins", True]]
    assert (report["before"], report["hidden"], report["focused"]) == ("visible", "hidden", "visible")
    pdf = tmp_path / "sheet.pdf"
    print_to_pdf(page, pdf, tmp_path / "profile-print")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    assert len(pages) == 2  # one page per topic
    assert "Margins of" not in pages[0] and "Margins of" in pages[1]
