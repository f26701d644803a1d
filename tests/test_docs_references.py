"""Every pointer a reader follows lands somewhere: section names quoted after a
document's name, and relative Markdown links with their anchors."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUOTED_SECTION = re.compile(r'\b(README(?:\.md)?|docs/[\w-]+\.md)\s*[,:]?\s+\\?"([^"\\]+)\\?"')
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "*.md", "*.yaml", "*.py", ".ci/*"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in names]


def headings(document: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", document.read_text(), flags=re.DOTALL)
    return [h.replace("`", "").strip() for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)]


def slug(heading: str) -> str:  # GitHub's anchors
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_quoted_section_names_exist():
    found = 0
    for path in tracked_text_files():
        for document, section in QUOTED_SECTION.findall(re.sub(r"\s*\n\s*#?\s*", " ", path.read_text(errors="replace"))):
            target = ROOT / ("README.md" if document.startswith("README") else document)
            found += 1
            assert any(h.startswith(section) for h in headings(target)), (
                f"{path.relative_to(ROOT)} points to {document}, \"{section}\", which has no such section")
    assert found >= 3  # the pattern still matches how we write these pointers


def test_relative_links_and_anchors_resolve():
    for path in tracked_text_files():
        if path.suffix != ".md":
            continue
        for target in LINK.findall(path.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, anchor = target.partition("#")
            document = (path.parent / file_part).resolve() if file_part else path
            assert document.exists(), f"{path.relative_to(ROOT)} links to missing {target}"
            if anchor:
                assert anchor in map(slug, headings(document)), f"{path.relative_to(ROOT)}: no anchor {target}"
