"""The dependency direction of STYLE.md, checked on the source: pure core, adapters outside."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gatekeeper"

PURE = ("gatekeeper.domain", "gatekeeper.errors", "gatekeeper.screening", "gatekeeper.alternatives")
# What each layer may import besides the standard library.
ALLOWED: dict[str, tuple[str, ...]] = {
    "domain.py": (),
    "errors.py": (),
    # Two pure text parsers (no I/O): YAML rule files, RTF invite bodies.
    "screening": (*PURE, "yaml", "striprtf"),
    "alternatives": PURE,
    "reports/deepwork.py": PURE,
}
# What adapters and storage must never import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "calendars": (
        "flask",
        "sqlalchemy",
        "rq",
        "redis",
        "gatekeeper.web",
        "gatekeeper.store",
        "gatekeeper.jobs",
    ),
    "store": ("flask", "rq", "gatekeeper.web", "gatekeeper.jobs"),
    "mail": ("flask", "sqlalchemy", "rq", "gatekeeper.web", "gatekeeper.jobs"),
}


def imports_of(path: Path) -> set[str]:
    """Return every absolute module name imported anywhere in ``path``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names - {"__future__"}


def files_of(part: str) -> list[Path]:
    target = PACKAGE / part
    return sorted(target.rglob("*.py")) if target.is_dir() else [target]


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_the_pure_core_imports_only_the_standard_library_and_itself(part: str) -> None:
    files = files_of(part)
    assert files, part
    for path in files:
        for name in imports_of(path):
            stdlib = name.split(".")[0] in sys.stdlib_module_names
            assert stdlib or _matches(name, ALLOWED[part]), (
                f"{path.relative_to(ROOT)} imports {name}"
            )


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_adapters_and_storage_never_import_the_web_or_jobs(part: str) -> None:
    files = files_of(part)
    assert files, part
    for path in files:
        for name in imports_of(path):
            assert not _matches(name, FORBIDDEN[part]), f"{path.relative_to(ROOT)} imports {name}"


def test_nothing_connects_at_import_time() -> None:
    """Import every module with network connections refused; none may try to connect."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__main__.py"
    )
    script = (
        "import socket, importlib, sys\n"
        "def refuse(self, *a, **k):\n"
        "    raise SystemExit('connect at import time: ' + repr(a))\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(len(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
