"""The printable study sheet, rendered by a real browser and read back from the PDF."""

import re

from pypdf import PdfReader

from builder import pipeline

from .browser import print_to_pdf

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
