"""Run every benchmark and print its figures: ``python -m bench [name ...]``."""

from __future__ import annotations

import sys

from bench import e2e, engine, screen_ics, webhook

BENCHMARKS = {
    "engine": engine.main,
    "screen": screen_ics.main,
    "e2e": e2e.main,
    "webhook": webhook.main,
}


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default)."""
    names = argv or list(BENCHMARKS)
    for name in names:
        if name not in BENCHMARKS:
            print(
                f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr
            )
            return 2
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
