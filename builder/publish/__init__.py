"""Stage 4, publish: what students receive beside the .apkg: plain-text and study-sheet
exports, manifest.json and README, CHANGELOG.md, and the preview gallery.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .changelog import changelog_chunks, render_changelog, summary, unreleased_heading, version_section
from .exports import plain_text_export, study_sheet_html, study_sheet_markdown
from .manifest import BuiltDeck, checksums, manifest, student_readme
from .preview import faces, serve, write_preview

__all__ = [
    "BuiltDeck", "changelog_chunks", "checksums", "faces", "manifest", "plain_text_export", "render_changelog", "serve",
    "student_readme", "study_sheet_html", "study_sheet_markdown", "summary", "unreleased_heading", "version_section",
    "write_preview",
]
