"""Write docs/codes.md, the table of every diagnostic code (``python -m builder.check.codes_doc``)."""

from __future__ import annotations

from pathlib import Path

from .rules import RULES_BY_CODE
from ..model import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "codes.md"


def render() -> str:
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from `builder/model/codes.py` by `python -m builder.check.codes_doc`; a test keeps it current.",
        "`deckbuilder check --explain CODE` shows the full explanation with a failing and a passing example.",
        "",
        "The letter is the default level (E error, W warning). Warnings can be turned off, made errors, tuned",
        "or accepted per card in deck.yaml (`checks:` and `accepted:`); errors cannot.",
        "",
        "| code | name | level | options | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for code in CODES.values():
        options = ", ".join(f"`{k}` {v}" for k, v in getattr(RULES_BY_CODE.get(code.code), "OPTIONS", {}).items())
        summary = code.summary.replace("|", "\\|")
        lines.append(f"| {code.code} | {code.name} | {code.severity.value} | {options} | {summary} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render())
    print(f"wrote {DOC}")
