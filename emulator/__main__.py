"""Run the Google Calendar emulator standalone: ``python -m emulator --port 8090``."""

from __future__ import annotations

import argparse
import sys

from emulator.google_calendar.server import serve
from emulator.google_calendar.state import State


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; users come from ``--user EMAIL:REFRESH_TOKEN``."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="EMAIL:REFRESH_TOKEN",
        help="register a user and the refresh token that signs in as them (repeatable)",
    )
    parser.add_argument("--time-zone", default="UTC", help="time zone of the users' calendars")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    state = State()
    for spec in args.user:
        email, sep, token = spec.partition(":")
        if not sep or "@" not in email or not token:
            parser.error(f"--user expects EMAIL:REFRESH_TOKEN, got {spec!r}")
        state.add_user(email, refresh_token=token, time_zone=args.time_zone)
    try:
        server = serve(state, args.host, args.port, quiet=not args.verbose)
    except OSError as exc:
        print(f"emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(f"Google Calendar emulator on {state.base_url}", file=sys.stderr)
    print(f"  GOOGLE_API_BASE_URL={state.base_url}", file=sys.stderr)
    print(f"  GOOGLE_TOKEN_URI={state.base_url}/token", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        state.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
