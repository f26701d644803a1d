"""Stage 2, check: every rule over the loaded card set (and the lock, and the source texts
with ``--sources``); the runner applies the deck's levels, options and acceptances. Also: the
source texts rules ground figures in, near-duplicate search, watch's re-check memo, and
``check --explain``.

This module is the stage's interface: what the stages above it use (docs/architecture.md).
"""

from .explain import explain, list_codes, suggest
from .grounding import load_source_texts
from .recheck import RecheckMemo
from .rules import CheckContext, run_checks, start_slow_searches
from .rules.media import is_path, name_problem

__all__ = [
    "CheckContext", "RecheckMemo", "explain", "is_path", "name_problem", "list_codes", "load_source_texts", "run_checks", "start_slow_searches",
    "suggest",
]
