"""Mail fixtures: real SMTP servers on loopback (plain, STARTTLS, SMTPS) and a TLS certificate."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gatekeeper.config import Config
from tests.mail.smtp_server import RunningSmtp, SmtpServerState, start_smtp


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1, and contexts for each side."""

    pem: bytes
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        """Return the context a TLS server presents this certificate with."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        """Return a verifying client context that trusts only this certificate."""
        return ssl.create_default_context(cadata=self.pem.decode("ascii"))


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Make a self-signed certificate for the IP address 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(pem, folder / "cert.pem", folder / "key.pem")


@pytest.fixture
def smtp_server() -> Iterator[RunningSmtp]:
    """Yield a plain SMTP server without authentication."""
    running = start_smtp()
    yield running
    running.stop()


@pytest.fixture
def starttls_server(certificate: Certificate) -> Iterator[RunningSmtp]:
    """Yield an SMTP server that offers STARTTLS and requires a login."""
    state = SmtpServerState(
        users={"gate@example.com": "p@ss:w/rd"}, tls_context=certificate.server_context()
    )
    running = start_smtp(state)
    yield running
    running.stop()


@pytest.fixture
def smtps_server(certificate: Certificate) -> Iterator[RunningSmtp]:
    """Yield an SMTPS server (TLS from the first byte) that requires a login."""
    state = SmtpServerState(users={"gate": "secret"})
    running = start_smtp(state, implicit_tls=certificate.server_context())
    yield running
    running.stop()


@pytest.fixture
def mail_config(tmp_path: Path) -> Config:
    """Return settings without SMTP_URL (mail goes to the outbox) and a known sender."""
    return Config.from_env(
        {
            "MAIL_FROM": "gatekeeper@example.org",
            "PUBLIC_BASE_URL": "https://gate.example.org",
            "GATEKEEPER_INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
