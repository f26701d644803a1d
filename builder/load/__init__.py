"""Stage 1, load: a cards folder into a CardSet, with diagnostics for everything wrong.

The content formats are declared once (schema.py) and the JSON Schemas are generated from them
(schema_export.py). Unchanged card files come from a parse cache and many files are parsed on both
cores; callers just call ``load_card_set``.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .adopted import REVERSE_ON, css_problems, read_adoption, template_problems
from .background import Background, Batch, Pending, Token, can_fork, if_taken
from .deferred import write_all as write_deferred
from .cache import ParseCache, disk_cache
from .derived import DerivedCache, code_fingerprint, for_card_set
from .loader import CARD_SUFFIXES, MEDIA_DIR, card_files, display_path, load_card_set, media_files
from .schema import SLUG, SLUG_HELP, shown
from .yamlsource import MAX_FILE_BYTES, too_big_to_compose

__all__ = [
    "REVERSE_ON", "css_problems", "read_adoption", "template_problems", "Background", "Batch", "Pending", "Token", "can_fork", "if_taken", "write_deferred", "CARD_SUFFIXES", "DerivedCache", "code_fingerprint", "for_card_set", "MAX_FILE_BYTES", "MEDIA_DIR", "ParseCache", "SLUG", "SLUG_HELP", "card_files",
    "disk_cache", "display_path", "load_card_set", "media_files", "shown", "too_big_to_compose",
]
