"""``python -m emulator`` runs the emulator standalone."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator.__main__ import main
from emulator.testing import send

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_bad_user_spec_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--user", "no-token-here"])
    assert stopped.value.code == 2
    assert "EMAIL:REFRESH_TOKEN" in capsys.readouterr().err


def test_standalone_emulator_serves_the_token_endpoint() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), "--user", "ann@example.com:r1"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        assert f"127.0.0.1:{port}" in banner
        form = {"grant_type": "refresh_token", "refresh_token": "r1"}
        deadline = time.monotonic() + 5
        answer = send(f"http://127.0.0.1:{port}/token", "POST", form=form)
        while answer.status != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
            answer = send(f"http://127.0.0.1:{port}/token", "POST", form=form)
        assert answer.status == 200
        assert answer.body["access_token"].startswith("ya29.")
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stderr is not None:
            process.stderr.close()
