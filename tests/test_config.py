"""Config: defaults, normalisation, and one clear message per bad variable."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from gatekeeper.config import Config, mask_url
from gatekeeper.errors import ConfigError


def load(tmp_path: Path, **env: str) -> Config:
    return Config.from_env(env, instance_path=tmp_path / "instance")


def problem(tmp_path: Path, **env: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, **env)
    return str(caught.value)


def test_defaults_use_sqlite_in_instance_and_inline_jobs(tmp_path: Path) -> None:
    config = load(tmp_path)
    instance = (tmp_path / "instance").resolve()
    assert config.database_url == f"sqlite:///{instance / 'gatekeeper.sqlite3'}"
    assert config.redis_url is None
    assert config.port == 8000
    assert config.public_base_url == "http://localhost:8000"
    assert config.mail_from == "gatekeeper@localhost"
    assert config.env == "development"
    assert not config.google_enabled
    assert config.rules_dir.name == "rules"
    assert instance.is_dir()


def test_generated_keys_are_stored_private_and_reused(tmp_path: Path) -> None:
    first = load(tmp_path)
    key_file = tmp_path / "instance" / "encryption.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "instance" / "secret.key").stat().st_mode) == 0o600
    Fernet(first.encryption_key)  # a usable key
    second = load(tmp_path)
    assert second.encryption_key == first.encryption_key
    assert second.secret_key == first.secret_key


def test_corrupt_key_file_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "encryption.key").write_text("not-a-key\n")
    assert "encryption.key: not a valid Fernet key" in problem(tmp_path)


def test_port_sets_public_base_url_default(tmp_path: Path) -> None:
    config = load(tmp_path, PORT="5050")
    assert config.port == 5050
    assert config.public_base_url == "http://localhost:5050"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "abc"}, "PORT must be an integer between 1 and 65535, got 'abc'"),
        ({"PORT": "70000"}, "PORT must be an integer between 1 and 65535, got '70000'"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL: not a valid SQLAlchemy URL"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL: unsupported database 'mysql'"),
        (
            {"GATEKEEPER_ENCRYPTION_KEY": "short"},
            "GATEKEEPER_ENCRYPTION_KEY: the key is not a valid Fernet key",
        ),
        (
            {"GATEKEEPER_ENCRYPTION_KEY": "K5pOvdxzU8VP7jzx-Uu9xd1K5pOvdxzU8VP7jzx-Uu8=,short"},
            "GATEKEEPER_ENCRYPTION_KEY: key 2 of 2 is not a valid Fernet key",
        ),
        ({"SMTP_URL": "mail.example.com:25"}, "SMTP_URL must start with smtp:// or smtps://"),
        ({"SMTP_URL": "smtp://"}, "SMTP_URL must name a host"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"GATEKEEPER_ENV": "prod"}, "GATEKEEPER_ENV must be one of"),
        ({"PUBLIC_BASE_URL": "example.com"}, "PUBLIC_BASE_URL must be an http:// or https://"),
        ({"GOOGLE_TOKEN_URI": "ftp://x"}, "GOOGLE_TOKEN_URI must be an http:// or https://"),
        ({"GOOGLE_CLIENT_ID": "abc"}, "GOOGLE_CLIENT_SECRET is required"),
        ({"GOOGLE_CLIENT_SECRET": "abc"}, "GOOGLE_CLIENT_ID is required"),
        ({"MAIL_FROM": "gatekeeper"}, "MAIL_FROM must be an e-mail address"),
    ],
)
def test_bad_variable_is_named_in_the_error(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    assert message in problem(tmp_path, **env)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = problem(tmp_path, PORT="x", SMTP_URL="http://mail", REDIS_URL="nope")
    assert "PORT" in text and "SMTP_URL" in text and "REDIS_URL" in text


def test_invalid_values_create_no_files(tmp_path: Path) -> None:
    problem(tmp_path, PORT="x")
    assert not (tmp_path / "instance").exists()


def test_production_requires_both_keys(tmp_path: Path) -> None:
    text = problem(tmp_path, GATEKEEPER_ENV="production")
    assert "SECRET_KEY is required when GATEKEEPER_ENV=production" in text
    assert "GATEKEEPER_ENCRYPTION_KEY is required when GATEKEEPER_ENV=production" in text
    key = Fernet.generate_key().decode()
    config = load(tmp_path, GATEKEEPER_ENV="production", SECRET_KEY="s3cr3t",
                  GATEKEEPER_ENCRYPTION_KEY=key)  # fmt: skip
    assert config.production
    assert config.encryption_key == key.encode()
    assert not (tmp_path / "instance" / "encryption.key").exists()


@pytest.mark.parametrize(
    "url",
    ["postgres://u:p@db.example.com:5432/gk", "postgresql://u:p@db.example.com:5432/gk"],
)
def test_postgres_urls_use_psycopg3(tmp_path: Path, url: str) -> None:
    config = load(tmp_path, DATABASE_URL=url)
    assert config.database_url == "postgresql+psycopg://u:p@db.example.com:5432/gk"
    assert not config.is_sqlite


def test_explicit_driver_is_kept(tmp_path: Path) -> None:
    url = "postgresql+psycopg://u@h/db"
    assert load(tmp_path, DATABASE_URL=url).database_url == url


def test_empty_variables_mean_unset(tmp_path: Path) -> None:
    config = load(tmp_path, REDIS_URL="", SMTP_URL="  ", PORT="")
    assert config.redis_url is None and config.smtp_url is None and config.port == 8000


def test_secrets_never_appear_in_repr_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = Fernet.generate_key().decode()
    config = load(
        tmp_path,
        DATABASE_URL="postgres://gk:db-password@db.example.com/gk",
        REDIS_URL="redis://:redis-password@cache.example.com:6379/0",
        SECRET_KEY="flask-secret",
        GATEKEEPER_ENCRYPTION_KEY=key,
        GOOGLE_CLIENT_ID="client-id",
        GOOGLE_CLIENT_SECRET="google-secret",
        SMTP_URL="smtp://mailer:smtp-password@mail.example.com:587",
    )
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("config %s / %r", config, config)
    for text in (repr(config), str(config), caplog.text):
        for secret in ("db-password", "redis-password", "flask-secret", key, "google-secret",
                       "smtp-password"):  # fmt: skip
            assert secret not in text
    assert "gk:***@db.example.com" in repr(config)


def test_mask_url_keeps_everything_but_the_password() -> None:
    masked = mask_url("postgresql+psycopg://user:p%40ss@host:5433/db?sslmode=require")
    assert masked == "postgresql+psycopg://user:***@host:5433/db?sslmode=require"
    assert mask_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert mask_url(None) is None
