"""The pipeline's shape, checked on every run (docs/architecture.md).

The stages import only the stages below them (import-linter's layers contract
in pyproject.toml), and there is no import cycle anywhere in ``builder``:
not through a function-level import, not through an import made only for type
checking. A cycle hidden in a function is still a cycle: it decides which
module can be loaded, tested or moved without the others.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp

from builder.check.rules import RULES
from builder.model.rule_options import RULE_OPTIONS

from .conftest import REPO


def test_the_stages_import_only_the_stages_below_them():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    completed = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(REPO / "pyproject.toml")],
        cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_no_module_imports_itself_through_others():
    graph = grimp.build_graph("builder", include_external_packages=False, exclude_type_checking_imports=False,
                              cache_dir=None)
    cycles = [_a_cycle(graph, component) for component in _strongly_connected(graph) if len(component) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


STAGES = ("text", "model", "fs", "load", "lock", "check", "compile", "publish")
# Imports of a stage's own module from another stage, each with why it cannot go through the interface.
PRIVATE_IMPORTS = {
    ("builder.publish.changelog", "builder.text.plaintext"),  # _CLOZE: the pattern plain() hides answers with
}


def test_other_stages_import_a_stage_through_its_interface():
    """``from ..load import load_card_set``, never ``from ..load.loader import ...``: a stage's modules can move."""
    graph = grimp.build_graph("builder", include_external_packages=False, exclude_type_checking_imports=False,
                              cache_dir=None)
    through_a_module = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            stage = _stage(imported)
            if stage not in STAGES or stage == _stage(importer) or (importer, imported) in PRIVATE_IMPORTS:
                continue
            for details in graph.get_import_details(importer=importer, imported=imported):
                line = details["line_contents"]
                if not re.match(rf"from (\.+|builder\.){stage} import ", line):
                    through_a_module.append(f"{importer} (l.{details['line_number']}): {line}")
    assert not through_a_module, "imports past a stage's interface:\n" + "\n".join(through_a_module)


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_rule_declares_its_options_in_the_registry_below_load():
    """deck.yaml's `checks:` is read (at load) against RULE_OPTIONS; the rules run with their OPTIONS."""
    assert list(RULE_OPTIONS) == [rule.CODE for rule in RULES]
    assert {rule.CODE: getattr(rule, "OPTIONS", {}) for rule in RULES} == RULE_OPTIONS


def _strongly_connected(graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a deep import chain must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    components.append(sorted(component))
    return components


def _a_cycle(graph, component: list[str]) -> list[str]:
    """One cycle through the component's first module, with the line of each import, to name in the failure."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other == start:
                return [_with_line(graph, a, b) for a, b in zip(paths[module], paths[module][1:] + [start])] + [start]
            if other in members and other not in paths:
                paths[other] = paths[module] + [other]
                queue.append(other)
    return component


def _with_line(graph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return f"{importer} (l.{details[0]['line_number']})" if details else importer
