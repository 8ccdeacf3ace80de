"""YAML focus blocks made real on Google: one recurring event per block, kept in sync."""

from __future__ import annotations
