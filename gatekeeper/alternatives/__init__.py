"""What to offer instead of a meeting: other times (slots) and async alternatives."""

from __future__ import annotations

from gatekeeper.alternatives.slots import find_slots, format_slot, format_slots

__all__ = ["find_slots", "format_slot", "format_slots"]
