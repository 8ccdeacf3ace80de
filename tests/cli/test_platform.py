"""Platform commands and the Procfile: db upgrade/current, serve, worker, gunicorn config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from gatekeeper.store import migrate
from gatekeeper.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a command from the repository root with exactly the test environment."""
    full = {**os.environ, **env}
    return subprocess.run(
        args, cwd=ROOT, env=full, capture_output=True, text=True, timeout=timeout, check=False
    )


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_procfile_declares_release_web_and_worker() -> None:
    assert procfile() == {
        "release": "python -m gatekeeper db upgrade",
        "web": "gunicorn wsgi:app --bind 0.0.0.0:$PORT",
        "worker": "python -m gatekeeper worker",
    }


def test_release_command_upgrades_a_fresh_database(app_env: dict[str, str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'release.sqlite3'}"
    command = procfile()["release"].replace("python", sys.executable, 1).split()
    done = run({**app_env, "DATABASE_URL": url}, *command)
    assert done.returncode == 0, done.stderr
    assert f"is at revision {migrate.head_revision()} (head)" in done.stdout
    db = Database(url)
    try:
        assert migrate.is_at_head(db)
    finally:
        db.dispose()


def test_db_upgrade_then_current(runner: Any, app_env: dict[str, str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner.env = {**app_env, "DATABASE_URL": url}
    before = runner.invoke("db", "current")
    assert before.exit_code == 1 and "revision none" in before.stdout
    upgraded = runner.invoke("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    after = runner.invoke("db", "current")
    assert after.exit_code == 0 and "(up to date)" in after.stdout
    db = Database(url)
    try:
        assert "decisions" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


@pytest.mark.postgres
def test_db_upgrade_on_postgres(runner: Any, app_env: dict[str, str], postgres_url: str) -> None:
    runner.env = {**app_env, "DATABASE_URL": postgres_url}
    result = runner.invoke("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    db = Database(postgres_url)
    try:
        assert migrate.is_at_head(db) and migrate.schema_differences(db) == []
    finally:
        db.dispose()


def test_db_upgrade_on_unreachable_database_is_one_line(
    app_env: dict[str, str], unused_port: int
) -> None:
    url = f"postgres://gk:topsecret@127.0.0.1:{unused_port}/gk"
    done = run(
        {**app_env, "DATABASE_URL": url}, sys.executable, "-m", "gatekeeper", "db", "upgrade"
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: cannot upgrade the database at postgresql+psycopg://gk:***@")
    assert "topsecret" not in done.stderr and "Traceback" not in done.stderr


def test_bad_configuration_is_reported_not_raised(runner: Any, app_env: dict[str, str]) -> None:
    runner.env = {**app_env, "PORT": "abc"}
    result = runner.invoke("db", "upgrade")
    assert result.exit_code == 2
    assert "PORT must be an integer between 1 and 65535, got 'abc'" in result.stderr


def test_worker_without_redis_explains_itself(runner: Any) -> None:
    result = runner.invoke("worker", "--burst")
    assert result.exit_code == 2
    assert "REDIS_URL is not set: jobs run inline" in result.stderr


@pytest.mark.redis
def test_worker_burst_runs_queued_jobs(
    runner: Any, app_env: dict[str, str], redis_url: str
) -> None:
    from rq.job import Job

    from gatekeeper.jobs.queue import RedisQueue

    queue = RedisQueue(redis_url)
    try:
        queue.enqueue("operator.mul", 6, 7, job_id="answer")
        runner.env = {**app_env, "REDIS_URL": redis_url}
        result = runner.invoke("worker", "--burst")
        assert result.exit_code == 0, result.stderr
        assert Job.fetch("answer", connection=queue.connection).return_value() == 42
    finally:
        queue.close()


def test_gunicorn_accepts_the_web_command(app_env: dict[str, str]) -> None:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    done = run({**app_env, "PORT": "8123"}, gunicorn, "--check-config", "wsgi:app",
               "--bind", "0.0.0.0:8123")  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_serve_answers_healthz(app_env: dict[str, str], unused_port: int) -> None:
    env = {**os.environ, **app_env}
    server = subprocess.Popen(
        [sys.executable, "-m", "gatekeeper", "serve", "--port", str(unused_port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == (
            f"Gatekeeper on http://localhost:{unused_port}/ (Ctrl+C to stop)"
        )
        body = _get_json(f"http://localhost:{unused_port}/healthz", deadline=30)
        assert body["status"] == "ok" and body["queue"]["kind"] == "inline"
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def _get_json(url: str, *, deadline: float) -> dict[str, Any]:
    stop = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return dict(json.load(response))
        except OSError:
            if time.monotonic() > stop:
                raise
            time.sleep(0.1)
