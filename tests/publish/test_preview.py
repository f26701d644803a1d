"""``deckbuilder preview``: the gallery, rendered by headless Chromium as a maintainer would open it."""

import re
import struct
import zlib

import pytest
from click.testing import CliRunner

from builder import pipeline
from builder.cli import main
from builder.compile.notes import compile_notes
from builder.load.loader import load_card_set
from builder.publish.preview import faces, render_cloze

from ..browser import report_from_page

# Acts in the page as the maintainer would, and reports what Chromium computed.
PROBE = """
function contrast(a, b) {
  const lum = c => { const [r, g, bl] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)); return 0.2126*r + 0.7152*g + 0.0722*bl; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05);
}
const face = document.querySelector(".face.front .card");
report.entries = document.querySelectorAll(".entry").length;
report.text = document.body.innerText;
let style = getComputedStyle(face);
report.light = contrast(style.color, style.backgroundColor);
const night = document.getElementById("night"); night.checked = true; night.dispatchEvent(new Event("change"));
style = getComputedStyle(face);
report.night = contrast(style.color, style.backgroundColor);
report.night_background = style.backgroundColor;
const phone = document.getElementById("phone"); phone.checked = true; phone.dispatchEvent(new Event("change"));
report.viewport = document.documentElement.clientWidth;
report.images = Array.from(document.querySelectorAll(".card img")).map(img => {
  const card = img.closest(".card").getBoundingClientRect(), box = img.getBoundingClientRect();
  return {loaded: img.complete && img.naturalWidth, natural: img.naturalWidth, right: box.right,
          card_right: card.right, width: box.width};
});
const search = document.getElementById("search"); search.value = "cloze-card"; search.dispatchEvent(new Event("input"));
report.visible = Array.from(document.querySelectorAll(".entry")).filter(e => !e.hidden).map(e => e.id);
"""


def png(width: int, height: int) -> bytes:
    """A plain grey PNG of the given size (zlib and struct: no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def gallery_deck(make_cards):
    cards = make_cards("valid.yaml")
    (cards / "media").mkdir()
    (cards / "media" / "wide-slide.png").write_bytes(png(1600, 40))
    (cards / "picture.yaml").write_text(
        "- id: picture-card\n"
        "  front: 'Which tissue is shown? <img src=\"wide-slide.png\" alt=\"slide\">'\n"
        "  back: Smooth muscle\n  topics: [histology]\n  sources: [src-a]\n"
        "- id: cloze-card\n  type: cloze\n"
        "  text: Margins of {{c1::1 cm}} for {{c2::dermal}} tumours.\n  topics: [margins]\n  sources: [src-a]\n")
    return cards


def test_the_gallery_shows_every_card_readable_by_day_and_night_and_within_a_phone(gallery_deck, tmp_path):
    result = pipeline.preview(gallery_deck, tmp_path / "preview")
    report = report_from_page(result.page, PROBE, tmp_path / "profile", width=375)
    assert report["entries"] == result.note_count == 5
    for expected in ("What cell shape is typical?", "Spindle", "Which tissue is shown?", "[...]",
                     "Margins of", "valid-cloze"):
        assert expected in report["text"], expected
    assert report["light"] >= 4.5 and report["night"] >= 4.5  # WCAG AA for body text
    assert report["night_background"] != "rgb(255, 255, 255)"
    [image] = report["images"][:1]
    assert image["loaded"] and image["natural"] == 1600
    assert image["right"] <= image["card_right"] + 0.5 and image["right"] <= report["viewport"]
    assert report["visible"] == ["cloze-card"]


def test_cloze_faces_hide_only_their_own_deletion(gallery_deck):
    notes = {n.card_id: n for n in compile_notes(load_card_set(gallery_deck).card_set)}
    made = faces(notes["cloze-card"])
    assert [f.name for f in made] == ["Cloze 1", "Cloze 2"]
    assert '<span class="cloze">[...]</span> for dermal tumours' in made[0].question
    assert 'Margins of 1 cm for <span class="cloze">dermal</span>' in made[1].answer
    assert render_cloze("{{c1::a::hint}} b", 1, False) == '<span class="cloze">[hint]</span> b'


def test_reversed_cards_get_both_faces_and_say_what_is_asked(gallery_deck):
    notes = {n.card_id: n for n in compile_notes(load_card_set(gallery_deck).card_set)}
    reversed_note = next(n for n in notes.values() if n.reverse)
    forward, reverse = faces(reversed_note)
    assert (forward.name, reverse.name) == ("Forward", "Reverse")
    assert "Which term is this?" in reverse.question
    assert len(faces(notes["picture-card"])) == 1


def test_each_card_lists_its_diagnostics_and_the_command_reports_counts(gallery_deck, tmp_path, monkeypatch):
    (gallery_deck / "picture.yaml").write_text(
        (gallery_deck / "picture.yaml").read_text().replace("back: Smooth muscle", "back: Yes"))
    monkeypatch.chdir(gallery_deck.parent)
    run = CliRunner().invoke(main, ["preview", "--output", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    assert re.search(r"preview/index.html: 5 notes, 8 cards, \d+ with diagnostics", run.output)
    page = (tmp_path / "out" / "preview" / "index.html").read_text()
    entry = page[page.index('id="picture-card"'):]
    entry = entry[:entry.index("</section>")]
    assert 'class="diagnostics"' in entry and "W" in entry
    assert (tmp_path / "out" / "preview" / "wide-slide.png").is_file()


def test_a_card_with_errors_is_still_previewed_and_every_problem_is_on_the_page(gallery_deck, tmp_path):
    """An unknown source (E303) used to crash preview (and end watch --preview); a card the loader leaves
    out (E101) vanished from the page without a word."""
    picture = gallery_deck / "picture.yaml"
    picture.write_text(picture.read_text().replace("sources: [src-a]\n", "sources: [src-z]\n", 1)
                       + "- id: no-back\n  front: Where is the answer?\n  topics: [histology]\n  sources: [src-a]\n")
    result = pipeline.preview(gallery_deck, tmp_path / "preview")
    page = result.page.read_text()
    entry = page[page.index('id="picture-card"'):]
    assert "E303" in entry[:entry.index("</section>")]
    not_shown = page[page.index('id="not-shown"'):]
    assert "E101" in not_shown[:not_shown.index("</section>")]
    assert result.note_count == 5
