"""The command line: ``python -m gatekeeper COMMAND``; each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes ``register(subparsers)``; its parsers set ``func(args) -> int``.
COMMAND_MODULES = (
    "gatekeeper.cli.screen",
    "gatekeeper.cli.rules",
    "gatekeeper.cli.platform",
    "gatekeeper.cli.demo",
    "gatekeeper.cli.accounts",
    "gatekeeper.cli.sync",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m gatekeeper",
        description="Gatekeeper screens meeting invites by your YAML rules.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
