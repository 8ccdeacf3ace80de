"""Focus-block fixtures: a rules directory with YAML blocks, and the emulator-backed app."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from emulator.google_calendar import Running
from tests.sync.support import google_env, person, sync_app  # noqa: F401

SHIPPED_RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """Return a copy of the shipped rules; focus blocks go in its blocks.yaml."""
    target = tmp_path / "rules"
    shutil.copytree(SHIPPED_RULES, target)
    return target


@pytest.fixture
def write_blocks(rules_dir: Path) -> Callable[[list[dict[str, object]]], Path]:
    """Return ``write(blocks)``: (re)write rules/blocks.yaml with these focus blocks."""

    def write(blocks: list[dict[str, object]]) -> Path:
        path = rules_dir / "blocks.yaml"
        path.write_text(yaml.safe_dump({"focus": {"blocks": blocks}}, sort_keys=False))
        return path

    return write


@pytest.fixture
def sync_env(app_env: dict[str, str], google_emulator: Running, rules_dir: Path) -> dict[str, str]:
    """Return the emulator-backed environment (SQLite) with the test's rules directory."""
    env = google_env(app_env, google_emulator, app_env["DATABASE_URL"])
    return {**env, "GATEKEEPER_RULES_DIR": str(rules_dir)}
