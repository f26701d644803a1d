"""The checker: every rule is a module with a CODE and a ``check`` generator.

Rules yield ``(location, message)``; the runner, not the rule, attaches the
code and severity, so configuration (severity overrides, disabled codes) can
live in one place. A rule never prints and never raises for content problems.
"""

from __future__ import annotations

from types import ModuleType
from typing import Iterable

from ..codes import diagnostic
from ..diagnostics import Diagnostic
from .context import CheckContext
from . import (
    card_kind_changed,
    cloze_deletion,
    copied_wording,
    duplicate_id,
    duplicate_question,
    id_format,
    missing_source,
    missing_topic,
    namespace_changed,
    required_topic,
    reused_id,
    ungrounded_figure,
    unknown_scope,
    unknown_source,
    unknown_topic,
)

RULES: tuple[ModuleType, ...] = (
    duplicate_id,
    id_format,
    reused_id,
    namespace_changed,
    card_kind_changed,
    unknown_topic,
    missing_topic,
    unknown_source,
    missing_source,
    unknown_scope,
    cloze_deletion,
    duplicate_question,
    required_topic,
    ungrounded_figure,
    copied_wording,
)


def run_checks(ctx: CheckContext, rules: Iterable[ModuleType] = RULES) -> list[Diagnostic]:
    return [
        diagnostic(rule.CODE, location, message)
        for rule in rules
        for location, message in rule.check(ctx)
    ]
