"""Compiled screening modules (``make native``) never shadow newer Python sources."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

SCREENING = Path(__file__).resolve().parents[1] / "gatekeeper" / "screening"
COMPILED = sorted(SCREENING.glob("*.so"))


@pytest.mark.parametrize("extension", COMPILED, ids=[p.name.split(".")[0] for p in COMPILED])
def test_a_compiled_module_is_newer_than_its_source(extension: Path) -> None:
    source = SCREENING / (extension.name.split(".")[0] + ".py")
    assert source.exists(), f"{extension.name} has no source: run `make clean native`"
    assert extension.stat().st_mtime >= source.stat().st_mtime, (
        f"{extension.name} is older than {source.name}: run `make native` (or `make test`)"
    )


def test_modules_load_from_their_compiled_form_when_built() -> None:
    for extension in COMPILED:
        module = importlib.import_module("gatekeeper.screening." + extension.name.split(".")[0])
        assert module.__file__ is not None and module.__file__.endswith(".so")
