"""deck.yaml's `checks:` and `accepted:` sections, read into a CheckConfig.

    checks:
      W804: off                      # disable a warning
      W801: error                    # make a warning fail the build
      W802: {max_items: 5}           # change a rule's options
      W403: {level: error, min_similarity: 0.7}
    accepted:
      - code: W605
        card: classification-code-c49-9
        reason: The official code title must stay verbatim.

Only warnings can be switched off, re-levelled or accepted: errors protect
students (duplicate ids, unsafe HTML, a cloze with no card...) and the build.
"""

from __future__ import annotations

from typing import Any

from ..model import Acceptance, CODES, CheckConfig, Diagnostic, RULE_OPTIONS, Severity, diagnostic
from .schema import FieldSpec, Kind, read_fields
from .yamlsource import Mapping, Node, Scalar, Sequence

LEVELS = ("off", "warning", "error")
ACCEPTANCE_FIELDS = {
    spec.name: spec for spec in (
        FieldSpec("code", Kind.TEXT, required=True),
        FieldSpec("card", Kind.TEXT),
        FieldSpec("source", Kind.TEXT),
        FieldSpec("topic", Kind.TEXT),
        FieldSpec("reason", Kind.TEXT, required=True),
    )
}


def rule_options() -> dict[str, dict[str, Any]]:
    """Each rule's options with their defaults (the rules read theirs from the same table)."""
    return {code: dict(options) for code, options in RULE_OPTIONS.items()}


def read_check_config(checks: Node | None, accepted: Node | None, problems: list[Diagnostic]) -> CheckConfig:
    levels, options = _read_checks(checks, problems) if checks is not None else ({}, {})
    acceptances = _read_accepted(accepted, levels, problems) if accepted is not None else ()
    return CheckConfig(levels, options, acceptances)


def _is_warning(code: str) -> bool:
    return CODES[code].severity is Severity.WARNING


def _read_checks(node: Node, problems: list[Diagnostic]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    if not isinstance(node, Mapping):
        problems.append(diagnostic("E102", node.location, f"'checks' should be a mapping of codes, not {node.kind}"))
        return {}, {}
    known = rule_options()
    levels: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for code, value in node.entries.items():
        where = value.key_location or value.location
        if code not in CODES:
            problems.append(diagnostic("E105", where, f"'{code}' is not a diagnostic code (see `deckbuilder check --list`)"))
            continue
        if code not in known:
            problems.append(diagnostic("E105", where, f"{code} is reported while reading files and cannot be configured"))
            continue
        settings = _settings(code, value, known[code], problems)
        if settings is None:
            continue
        level, chosen = settings
        if level is not None:
            if not _is_warning(code) and level != "error":
                problems.append(diagnostic(
                    "E105", value.location, f"{code} is an error and stays one: errors protect students and the build"))
                continue
            levels[code] = level
        if chosen:
            options[code] = chosen
    return levels, options


def _settings(code: str, node: Node, defaults: dict[str, Any], problems: list[Diagnostic]):
    """'off' / 'error' / 'warning', or a mapping of level and options."""
    if isinstance(node, Scalar):
        level = node.text.strip()
        if node.is_null or level not in LEVELS:
            problems.append(diagnostic("E105", node.location, f"{code}: expected one of {', '.join(LEVELS)} or a "
                                                              "mapping of options"))
            return None
        return level, {}
    if not isinstance(node, Mapping):
        problems.append(diagnostic("E102", node.location, f"{code}: expected a level or a mapping, not {node.kind}"))
        return None
    level = None
    chosen: dict[str, Any] = {}
    for name, value in node.entries.items():
        where = value.key_location or value.location
        if name == "level":
            text = value.text.strip() if isinstance(value, Scalar) else ""
            if text not in LEVELS:
                problems.append(diagnostic("E105", value.location, f"level: expected one of {', '.join(LEVELS)}"))
                return None
            level = text
        elif name not in defaults:
            choices = ", ".join(defaults) or "none"
            problems.append(diagnostic("E103", where, f"{code} has no option '{name}' (options: {choices})"))
        else:
            parsed = _number_like(value, defaults[name])
            if parsed is None:
                problems.append(diagnostic(
                    "E102", value.location, f"{code} option '{name}' should be a {type(defaults[name]).__name__} "
                                            f"like {defaults[name]}"))
            else:
                chosen[name] = parsed
    return level, chosen


def _number_like(node: Node, default: Any) -> Any:
    if not isinstance(node, Scalar) or node.is_null:
        return None
    try:
        value = type(default)(node.text)
    except ValueError:
        return None
    return value if value >= 0 else None


def _read_accepted(node: Node, levels: dict[str, str], problems: list[Diagnostic]) -> tuple[Acceptance, ...]:
    if not isinstance(node, Sequence):
        problems.append(diagnostic("E102", node.location, f"'accepted' should be a list, not {node.kind}"))
        return ()
    acceptances = []
    for item in node.items:
        if not isinstance(item, Mapping):
            problems.append(diagnostic("E004", item.location, f"an accepted entry must be a mapping, not {item.kind}"))
            continue
        fields = read_fields(item, ACCEPTANCE_FIELDS, "accepted entry", problems)
        if not fields.complete:
            continue
        code = fields.values["code"]
        subjects = [fields.values[k] for k in ("card", "source", "topic") if k in fields.values]
        if code not in CODES:
            problems.append(diagnostic("E105", fields.positions["code"], f"'{code}' is not a diagnostic code"))
        elif levels.get(code, CODES[code].severity.value) == "error":
            problems.append(diagnostic("E105", fields.positions["code"],
                                       f"{code} is an error here; only warnings can be accepted"))
        elif len(subjects) != 1:
            problems.append(diagnostic("E101", item.location, "an accepted entry names exactly one of "
                                                              "'card', 'source' or 'topic'"))
        else:
            acceptances.append(Acceptance(code, subjects[0], fields.values["reason"], item.location, fields.positions))
    return tuple(acceptances)

