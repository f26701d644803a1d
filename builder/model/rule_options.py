"""Every check rule's options and their defaults: what deck.yaml `checks:` may set.

Declared here, below the load stage, because reading deck.yaml validates
`checks:` against them, and load must not import the rules (which sit above
it). Every rule has an entry, in running order (a rule without options has an
empty one): a code without an entry is reported while reading files and
cannot be configured. A rule reads its own defaults from here (``OPTIONS``);
tests/test_architecture.py keeps this table and the rule registry in step.
"""

from __future__ import annotations

from typing import Any

RULE_OPTIONS: dict[str, dict[str, Any]] = {
    "E201": {},
    "E202": {},
    "E203": {},
    "E204": {},
    "E206": {},
    "E301": {},
    "E302": {},
    "E303": {},
    "E304": {},
    "E305": {},
    "E401": {},
    "E402": {},
    "E406": {},
    "E404": {},
    "W405": {},
    "E420": {},
    "E501": {},
    "W502": {"min_cards": 5},
    "W503": {},
    "W504": {},
    "E505": {},
    "W603": {},
    "W604": {},
    "W606": {},
    "W607": {},
    "W608": {"min_word_length": 4},
    "W605": {},
    "E701": {},
    "W703": {},
    "W801": {"max_words": 15},
    "W802": {"max_items": 4},
    "W803": {},
    "W804": {},
    "W805": {"max_deletions": 4},  # DESIGN §5: a list of more than about four items is several cards
    "W806": {"min_score": 90.0},
    "W807": {"max_words": 6},
    "W808": {"min_items": 2},
    "W809": {"max_answer_words": 4},
    "W810": {"max_answer_words": 5},
    "W811": {"max_answer_words": 2},
    "W812": {"min_name_length": 4},
    "E901": {},
    "E909": {},
    "W902": {},
    "E903": {},
    "E904": {},
    "E905": {},
    "E906": {},
    "W907": {},
    "E908": {},
    "E910": {},
    "W911": {},
    "W403": {"min_similarity": 0.6, "min_score": 70.0},
    "W702": {"min_similarity": 0.6, "min_score": 70.0},
}
