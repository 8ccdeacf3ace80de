"""create_app: wiring, schema on start, start-up logs, /healthz and the index page."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from gatekeeper import create_app, get_db, get_queue
from gatekeeper.store import migrate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_app(app_env: dict[str, str]) -> Any:
    """Return a factory of apps on the test environment plus overrides; disposes them."""
    made: list[Any] = []

    def make(**overrides: str) -> Any:
        application = create_app({**app_env, **overrides, "TESTING": True})
        made.append(application)
        return application

    yield make
    for application in made:
        get_db(application).dispose()
        get_queue(application).close()


def test_sqlite_schema_is_upgraded_on_start(app: Any) -> None:
    database = get_db(app)
    assert database.is_sqlite
    assert {"accounts", "account_settings", "decisions"} <= set(
        inspect(database.engine).get_table_names()
    )
    assert migrate.is_at_head(database)


def test_healthz_on_sqlite_with_inline_jobs(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "sqlite: schema at head" in body["database"]["detail"]
    assert body["queue"] == {
        "ok": True,
        "kind": "inline",
        "detail": "REDIS_URL unset: jobs run inline",
    }


@pytest.mark.redis
def test_healthz_with_a_real_redis(make_app: Any, redis_url: str) -> None:
    body = make_app(REDIS_URL=redis_url).test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["queue"]["ok"] is True and body["queue"]["kind"] == "redis"


def test_healthz_with_redis_down_is_degraded_but_up(make_app: Any, unused_port: int) -> None:
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{unused_port}/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is False and body["queue"]["kind"] == "redis"
    assert str(unused_port) in body["queue"]["detail"]


def test_healthz_without_database_is_503(
    make_app: Any, unused_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql://gk:topsecret@127.0.0.1:{unused_port}/gk"
    with caplog.at_level(logging.WARNING, logger="gatekeeper"):
        app = make_app(DATABASE_URL=url)
    assert "database unreachable at start-up" in caplog.text
    assert "topsecret" not in caplog.text
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"]["ok"] is False
    assert body["database"]["detail"].startswith("postgresql: ")
    assert "topsecret" not in response.get_data(as_text=True)


@pytest.mark.postgres
def test_postgres_schema_is_checked_not_changed_on_start(
    make_app: Any, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="gatekeeper"):
        app = make_app(DATABASE_URL=postgres_url)
    assert "run `python -m gatekeeper db upgrade`" in caplog.text
    assert migrate.current_revision(get_db(app)) is None
    migrate.upgrade(get_db(app))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="gatekeeper"):
        make_app(DATABASE_URL=postgres_url)
    assert "db upgrade" not in caplog.text


def test_start_up_logs_the_database_and_the_queue(
    app_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gatekeeper"):
        app = create_app(app_env)
    get_db(app).dispose()
    assert f"database: sqlite:///{app_env['GATEKEEPER_INSTANCE_PATH']}" in caplog.text
    assert "REDIS_URL unset: jobs run inline in-process" in caplog.text


def test_test_config_reaches_flask_config(app: Any) -> None:
    assert app.config["TESTING"] is True
    assert app.config["SECRET_KEY"] == "test-secret-key"
    assert Path(app.instance_path).name == "instance"


def test_index_page_says_what_gatekeeper_is(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Gatekeeper</h1>" in page
    assert 'href="/healthz"' in page
    assert "GOOGLE_CLIENT_ID" in page  # Google is off in the test environment


def test_importing_gatekeeper_connects_and_imports_nothing() -> None:
    probe = (
        "import sys, gatekeeper, gatekeeper.domain, gatekeeper.screening;"
        "heavy = {'flask', 'sqlalchemy', 'rq', 'redis', 'googleapiclient', 'icalendar'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
