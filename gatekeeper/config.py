"""Settings from the environment, validated once at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gatekeeper.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
ENVIRONMENTS = ("development", "production", "testing")
GOOGLE_API_BASE_URL = "https://www.googleapis.com/"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"

# Every variable Config reads; create_app(test_config) may override any of them.
ENV_NAMES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "GATEKEEPER_ENCRYPTION_KEY",
    "GATEKEEPER_RULES_DIR",
    "PUBLIC_BASE_URL",
    "GOOGLE_CLIENT_ID",
    "GOOGLE_CLIENT_SECRET",
    "GOOGLE_API_BASE_URL",
    "GOOGLE_TOKEN_URI",
    "SMTP_URL",
    "MAIL_FROM",
    "PORT",
    "GATEKEEPER_ENV",
    "GATEKEEPER_INSTANCE_PATH",
)


def mask_url(url: str | None) -> str | None:
    """Return ``url`` with its password replaced by ``***`` (for logs and reprs)."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"{user}:***@{host}{port}").geturl()


@dataclass(frozen=True)
class Config:
    """Gatekeeper's settings; build it with :meth:`from_env`."""

    env: str
    instance_path: Path
    database_url: str
    redis_url: str | None
    secret_key: str = field(repr=False)
    encryption_key: bytes = field(repr=False)
    rules_dir: Path
    public_base_url: str
    google_client_id: str | None
    google_client_secret: str | None = field(repr=False)
    google_api_base_url: str
    google_token_uri: str
    smtp_url: str | None = field(repr=False)
    mail_from: str
    port: int

    def __repr__(self) -> str:
        shown = {
            "env": self.env,
            "instance_path": str(self.instance_path),
            "database_url": mask_url(self.database_url),
            "redis_url": mask_url(self.redis_url),
            "secret_key": "***",
            "encryption_key": "***",
            "rules_dir": str(self.rules_dir),
            "public_base_url": self.public_base_url,
            "google_client_id": self.google_client_id,
            "google_client_secret": "***" if self.google_client_secret else None,
            "smtp_url": mask_url(self.smtp_url),
            "mail_from": self.mail_from,
            "port": self.port,
        }
        return "Config(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    @property
    def production(self) -> bool:
        """Return True when running with GATEKEEPER_ENV=production."""
        return self.env == "production"

    @property
    def google_enabled(self) -> bool:
        """Return True when an OAuth client is configured."""
        return bool(self.google_client_id and self.google_client_secret)

    @property
    def is_sqlite(self) -> bool:
        """Return True when the database is the embedded SQLite default (or any SQLite)."""
        return self.database_url.startswith("sqlite")

    @property
    def outbox_path(self) -> Path:
        """Return the directory mail is written to when SMTP_URL is unset."""
        return self.instance_path / "outbox"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, instance_path: Path | str | None = None
    ) -> Config:
        """Read and validate every setting; raise ConfigError listing each problem."""
        source = os.environ if environ is None else environ
        env = {name: source.get(name, "").strip() for name in ENV_NAMES}
        problems: list[str] = []

        mode = env["GATEKEEPER_ENV"] or "development"
        if mode not in ENVIRONMENTS:
            problems.append(
                f"GATEKEEPER_ENV must be one of {', '.join(ENVIRONMENTS)}, got {mode!r}"
            )
        production = mode == "production"

        instance = Path(instance_path or env["GATEKEEPER_INSTANCE_PATH"] or DEFAULT_INSTANCE_PATH)
        instance = instance.expanduser().resolve()

        port = _port(env["PORT"], problems)
        database_url = _database_url(env["DATABASE_URL"], instance, problems)
        redis_url = _redis_url(env["REDIS_URL"], problems)
        smtp_url = _smtp_url(env["SMTP_URL"], problems)
        public_base_url = _http_url(
            "PUBLIC_BASE_URL", env["PUBLIC_BASE_URL"] or f"http://localhost:{port}", problems
        ).rstrip("/")
        api_base = _http_url(
            "GOOGLE_API_BASE_URL", env["GOOGLE_API_BASE_URL"] or GOOGLE_API_BASE_URL, problems
        )
        token_uri = _http_url(
            "GOOGLE_TOKEN_URI", env["GOOGLE_TOKEN_URI"] or GOOGLE_TOKEN_URI, problems
        )
        client_id = env["GOOGLE_CLIENT_ID"] or None
        client_secret = env["GOOGLE_CLIENT_SECRET"] or None
        if client_id and not client_secret:
            problems.append("GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set")
        if client_secret and not client_id:
            problems.append("GOOGLE_CLIENT_ID is required when GOOGLE_CLIENT_SECRET is set")
        mail_from = env["MAIL_FROM"] or "gatekeeper@localhost"
        if "@" not in mail_from:
            problems.append(f"MAIL_FROM must be an e-mail address, got {mail_from!r}")

        for name in ("SECRET_KEY", "GATEKEEPER_ENCRYPTION_KEY"):
            if production and not env[name]:
                problems.append(f"{name} is required when GATEKEEPER_ENV=production")
        # Several keys, comma-separated and newest first, allow rotation: the newest
        # encrypts, every key decrypts (``accounts rotate-keys`` re-encrypts with the newest).
        keys = [k.strip() for k in env["GATEKEEPER_ENCRYPTION_KEY"].split(",")]
        if env["GATEKEEPER_ENCRYPTION_KEY"]:
            for position, key in enumerate(keys, start=1):
                if _valid_fernet_key(key):
                    continue
                which = f"key {position} of {len(keys)}" if len(keys) > 1 else "the key"
                problems.append(
                    f"GATEKEEPER_ENCRYPTION_KEY: {which} is not a valid Fernet key "
                    "(32 url-safe base64-encoded bytes; make one with "
                    "`python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'`)"
                )
        if problems:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))

        # Files are created only once everything else is valid, so a typo creates nothing.
        instance.mkdir(parents=True, exist_ok=True)
        secret_key = env["SECRET_KEY"] or _dev_secret(instance / "secret.key", _token)
        fernet_key = ",".join(keys) if env["GATEKEEPER_ENCRYPTION_KEY"] else ""
        if not fernet_key:
            key_file = instance / "encryption.key"
            fernet_key = _dev_secret(key_file, _fernet)
            if not _valid_fernet_key(fernet_key):
                raise ConfigError(
                    f"{key_file}: not a valid Fernet key; restore it or set "
                    "GATEKEEPER_ENCRYPTION_KEY (tokens encrypted with the old key stay unreadable)"
                )
        rules_dir = Path(env["GATEKEEPER_RULES_DIR"] or PROJECT_ROOT / "rules").expanduser()
        return cls(
            env=mode,
            instance_path=instance,
            database_url=database_url,
            redis_url=redis_url,
            secret_key=secret_key,
            encryption_key=fernet_key.encode("ascii"),
            rules_dir=rules_dir.resolve(),
            public_base_url=public_base_url,
            google_client_id=client_id,
            google_client_secret=client_secret,
            google_api_base_url=api_base,
            google_token_uri=token_uri,
            smtp_url=smtp_url,
            mail_from=mail_from,
            port=port,
        )


def _port(raw: str, problems: list[str]) -> int:
    if not raw:
        return 8000
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        problems.append(f"PORT must be an integer between 1 and 65535, got {raw!r}")
        return 8000
    return port


def _database_url(raw: str, instance: Path, problems: list[str]) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not raw:
        return f"sqlite:///{instance / 'gatekeeper.sqlite3'}"
    # Heroku and most hosts hand out postgres:// URLs; psycopg 3 is the installed driver.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    try:
        url = make_url(raw)
    except ArgumentError:
        # The value may hold a password, so it is not echoed back.
        problems.append(
            "DATABASE_URL: not a valid SQLAlchemy URL "
            "(expected e.g. postgresql://user:pass@host:5432/db or sqlite:///path.db)"
        )
        return raw
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        problems.append(
            f"DATABASE_URL: unsupported database {url.get_backend_name()!r} "
            "(use postgresql:// or sqlite:///)"
        )
    return raw


def _redis_url(raw: str, problems: list[str]) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            f"REDIS_URL must start with redis://, rediss:// or unix://, got {mask_url(raw)!r}"
        )
    return raw


def _smtp_url(raw: str, problems: list[str]) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("smtp://", "smtps://")):
        problems.append("SMTP_URL must start with smtp:// or smtps://")
        return raw
    try:
        parts = urlsplit(raw)
        host, _port = parts.hostname, parts.port
    except ValueError:
        host = None
    if not host:
        problems.append("SMTP_URL must name a host, e.g. smtp://user:pass@mail.example.com:587")
    return raw


def _http_url(name: str, raw: str, problems: list[str]) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{name} must be an http:// or https:// URL, got {raw!r}")
    return raw


def _valid_fernet_key(key: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
    return True


def _token() -> str:
    return secrets.token_urlsafe(48)


def _fernet() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def _dev_secret(path: Path, make: Callable[[], str]) -> str:
    """Return the key stored at ``path``, creating it (mode 0600) on first use."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process won the race; use its key so both agree.
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value
