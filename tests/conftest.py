"""Root fixtures: the app on a throwaway instance, and real PostgreSQL and Redis.

PostgreSQL: $TEST_DATABASE_URL, else a server on 127.0.0.1:5432 (trust auth), else a
private server started here (initdb + pg_ctl). Each test session works in its own
throwaway database, and each test starts from an empty schema.

Redis: $TEST_REDIS_URL, else 127.0.0.1:6379, else a private ``redis-server``. The session
claims a database number of its own; each test starts and ends with it flushed.

When no server can be found or started, the tests that need one fail with a message
saying what was tried; they are never skipped.
"""

from __future__ import annotations

import contextlib
import getpass
import glob
import io
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from gatekeeper.config import ENV_NAMES

PG_PORT = 5432
REDIS_PORT = 6379
LOCAL = "127.0.0.1"


@dataclass
class Server:
    """A server the tests use: its URL, or why there is none, and how to stop it."""

    url: str | None
    tried: list[str] = field(default_factory=list)
    stop: Callable[[], None] = lambda: None

    def require(self, what: str) -> str:
        """Return the URL or fail the calling test with everything that was tried."""
        if self.url is None:
            pytest.fail(f"no {what} available; tried:\n  " + "\n  ".join(self.tried), False)
        return self.url


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOCAL, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unused_port() -> int:
    """Return a local TCP port nothing listens on (for "service is down" tests)."""
    return free_port()


def _listening(port: int, host: str = LOCAL) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


# --- PostgreSQL -----------------------------------------------------------------------


def _libpq(url: str) -> str:
    """Return a SQLAlchemy URL as a libpq connection URI (for psycopg)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlalchemy_pg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _pg_answers(url: str) -> str | None:
    """Return None when we can connect to ``url``, else the reason."""
    import psycopg

    try:
        with psycopg.connect(_libpq(url), connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def _find_postgres() -> Server:
    tried: list[str] = []
    if os.environ.get("TEST_DATABASE_URL"):
        url = _sqlalchemy_pg(os.environ["TEST_DATABASE_URL"])
        problem = _pg_answers(url)
        if problem is None:
            return Server(url)
        tried.append(f"$TEST_DATABASE_URL: {problem}")
        return Server(None, tried)
    if _listening(PG_PORT):
        for user in dict.fromkeys(("postgres", getpass.getuser())):
            url = f"postgresql+psycopg://{user}@{LOCAL}:{PG_PORT}/test"
            problem = _pg_answers(url)
            if problem is None:
                return Server(url)
            tried.append(f"{url}: {problem}")
    else:
        tried.append(f"{LOCAL}:{PG_PORT}: nothing listens")
    return _start_postgres(tried)


def _start_postgres(tried: list[str]) -> Server:
    """Start a private PostgreSQL in a temporary directory, as the postgres user when root."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)
    bindirs = [d for d in bindirs if os.path.exists(os.path.join(d, "initdb"))]
    if not bindirs:
        tried.append("a private server: no initdb under /usr/lib/postgresql/*/bin")
        return Server(None, tried)
    bindir = bindirs[-1]
    root = tempfile.mkdtemp(prefix="gk-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root.
        shutil.chown(root, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = os.path.join(root, "data"), os.path.join(root, "server.log"), free_port()
    options = f"-p {port} -k {root} -c listen_addresses={LOCAL} -c fsync=off"
    commands = [
        [f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        [f"{bindir}/pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "30", "start"],
    ]
    for command in commands:
        done = subprocess.run(as_user + command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            tried.append(f"a private server ({command[0]}): {detail[-1] if detail else '?'}")
            shutil.rmtree(root, ignore_errors=True)
            return Server(None, tried)

    def stop() -> None:
        stop_command = [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
        subprocess.run(as_user + stop_command, capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)

    url = f"postgresql+psycopg://postgres@{LOCAL}:{port}/postgres"
    problem = _pg_answers(url)
    if problem is not None:
        stop()
        tried.append(f"a private server on port {port}: {problem}")
        return Server(None, tried)
    return Server(url, tried, stop)


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """Find or start a PostgreSQL server for the whole session."""
    server = _find_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server: Server) -> Iterator[str]:
    """Create this session's throwaway database and drop it at the end."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = postgres_server.require("PostgreSQL server")
    name = f"gk_test_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    """Return the session database's URL with an empty schema."""
    import psycopg

    with psycopg.connect(_libpq(postgres_database), autocommit=True) as connection:
        # A test that leaked an open transaction would block this forever; fail instead.
        connection.execute("SET lock_timeout = '10s'")
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    return postgres_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of an SQLite file in this test's temporary directory."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> str:
    """Return an empty database's URL; tests using it run on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


# --- Redis ----------------------------------------------------------------------------


def _redis_answers(url: str) -> str | None:
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except RedisError as exc:
        return str(exc)
    finally:
        client.close()
    return None


def _find_redis() -> Server:
    tried: list[str] = []
    if os.environ.get("TEST_REDIS_URL"):
        url = os.environ["TEST_REDIS_URL"]
        problem = _redis_answers(url)
        if problem is None:
            return Server(url)
        return Server(None, [f"$TEST_REDIS_URL: {problem}"])
    local = f"redis://{LOCAL}:{REDIS_PORT}/0"
    problem = _redis_answers(local) if _listening(REDIS_PORT) else "nothing listens"
    if problem is None:
        return _claim_database(local, tried)
    tried.append(f"{local}: {problem}")
    return _start_redis(tried)


def _start_redis(tried: list[str]) -> Server:
    """Start a private redis-server that keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        tried.append("a private server: redis-server is not on PATH")
        return Server(None, tried)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", LOCAL, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://{LOCAL}:{port}/1"

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    deadline = time.monotonic() + 10
    while (problem := _redis_answers(url)) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    if problem is not None:
        stop()
        tried.append(f"a private redis-server on port {port}: {problem}")
        return Server(None, tried)
    return Server(url, tried, stop)


def _claim_database(url: str, tried: list[str]) -> Server:
    """Claim a Redis database number no other test session on this server uses."""
    from redis import Redis

    client = Redis.from_url(url)
    token = secrets.token_hex(8)
    for number in range(1, 16):
        key = f"gatekeeper-test:db:{number}"
        if client.set(key, token, nx=True, ex=6 * 3600):

            def release(key: str = key) -> None:
                if client.get(key) == token.encode():
                    client.delete(key)
                client.close()

            return Server(url.rsplit("/", 1)[0] + f"/{number}", tried, release)
    client.close()
    tried.append(f"{url}: databases 1-15 are all claimed by other test sessions")
    return Server(None, tried)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Server]:
    """Find or start Redis for the whole session, with a database number of our own."""
    server = _find_redis()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: Server) -> Iterator[str]:
    """Return the session's Redis URL, flushed before and after the test."""
    from redis import Redis

    url = redis_server.require("Redis server")
    client = Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


# --- the app --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def encryption_key() -> str:
    """Return a Fernet key shared by the session's apps."""
    return Fernet.generate_key().decode("ascii")


@pytest.fixture
def app_env(tmp_path: Path, encryption_key: str) -> dict[str, str]:
    """Return the environment of the test app: every variable set, nothing from the shell.

    Override this fixture (or copy and extend its result) to point the app elsewhere.
    """
    instance = tmp_path / "instance"
    env = dict.fromkeys(ENV_NAMES, "")
    env.update(
        GATEKEEPER_ENV="testing",
        GATEKEEPER_INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'gatekeeper.sqlite3'}",
        SECRET_KEY="test-secret-key",
        GATEKEEPER_ENCRYPTION_KEY=encryption_key,
    )
    return env


@pytest.fixture
def app(app_env: dict[str, str]) -> Iterator[Any]:
    """Return an app on a fresh SQLite database in a temporary instance directory."""
    from gatekeeper import create_app, get_db, get_queue

    application = create_app({**app_env, "TESTING": True})
    yield application
    get_db(application).dispose()
    get_queue(application).close()


@pytest.fixture
def client(app: Any) -> Any:
    """Return a test client for the app."""
    return app.test_client()


@dataclass(frozen=True)
class CliResult:
    """What one command printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


class CliRunner:
    """Run ``python -m gatekeeper ...`` in-process with the test app's environment."""

    def __init__(self, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.env = env
        self.monkeypatch = monkeypatch

    def invoke(self, *args: str) -> CliResult:
        """Run one command and capture its exit code and output."""
        from gatekeeper.cli import main

        for name, value in self.env.items():
            self.monkeypatch.setenv(name, value)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def runner(app: Any, app_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Return a runner for CLI commands that see the same database as ``app``."""
    return CliRunner(app_env, monkeypatch)
