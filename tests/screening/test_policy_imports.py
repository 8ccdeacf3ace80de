"""The rule-language modules stay pure: standard library, domain, errors, screening and yaml."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SCREENING = Path(__file__).resolve().parents[2] / "gatekeeper" / "screening"
MODULES = [
    "yamlload",
    "schema",
    "conditions",
    "patterns",
    "placeholders",
    "policy",
    "rulefile",
    "rulesdir",
]
ALLOWED_PREFIXES = ("gatekeeper.domain", "gatekeeper.errors", "gatekeeper.screening.", "yaml")


def imported_modules(path: Path) -> set[str]:
    """Return every module name imported anywhere in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", MODULES)
def test_rule_language_imports_only_allowed_modules(module: str) -> None:
    for name in imported_modules(SCREENING / f"{module}.py"):
        top = name.split(".")[0]
        allowed = top in sys.stdlib_module_names or name.startswith(ALLOWED_PREFIXES)
        assert allowed, f"gatekeeper/screening/{module}.py imports {name}"
