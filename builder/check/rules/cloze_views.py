"""What a cloze sentence shows with its deletions covered, shared by the rules that read it.

W803 (answer_in_question) and W809 (give_away) both look at a cloze's text with every deletion replaced
by a separator; each made it again for every cloze card. Remembered here by text, which is all it
depends on, and freed by the runner with the other memos keyed by text (``_forget_run_caches``).
"""

from __future__ import annotations

import functools

from ...text import replace_deletions


@functools.lru_cache(maxsize=1 << 16)
def uncovered(text: str) -> str:
    """The cloze sentence with every deletion replaced by a separator."""
    return replace_deletions(text, lambda _deletion: " | ")
