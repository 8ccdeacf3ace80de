"""A small real SMTP server for tests (socketserver): EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA.

Enough of RFC 5321 for smtplib: it records every accepted message with its envelope,
the user who logged in and whether the session was encrypted.
"""

from __future__ import annotations

import base64
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_to: tuple[str, ...]
    data: bytes
    user: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        """Return the message parsed with the modern e-mail policy."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServerState:
    """What the server is configured with and what it has received."""

    users: dict[str, str] = field(default_factory=dict)  # empty: no AUTH offered
    tls_context: ssl.SSLContext | None = None  # offers STARTTLS when set
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    received: list[Received] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Wait until ``count`` messages arrived; return them all."""
        with self.lock:
            self.lock.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def setup(self) -> None:
        if self.server.implicit_tls is not None:
            self.request = self.server.implicit_tls.wrap_socket(self.request, server_side=True)
        super().setup()
        self.tls = self.server.implicit_tls is not None
        self.user: str | None = None
        self.reset()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if isinstance(self.request, ssl.SSLSocket):
                # socketserver closes the plain socket it accepted, not the TLS wrapper.
                self.request.close()

    def reset(self) -> None:
        self.mail_from: str | None = None
        self.rcpt: list[str] = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def readline(self) -> str:
        return self.rfile.readline(65536).decode("utf-8", "replace").rstrip("\r\n")

    def handle(self) -> None:
        state = self.server.state
        self.reply("220 test-smtp ready")
        while True:
            line = self.readline()
            if not line:
                return
            verb, _, rest = line.partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                options = ["250-test-smtp", "250-8BITMIME"]
                if state.tls_context is not None and not self.tls:
                    options.append("250-STARTTLS")
                if state.users:
                    options.append("250-AUTH PLAIN LOGIN")
                options.append("250 SMTPUTF8")
                for option in options:
                    self.reply(option)
            elif verb == "STARTTLS" and state.tls_context is not None and not self.tls:
                self.reply("220 go ahead")
                self.rfile.close()
                self.wfile.close()
                self.connection = state.tls_context.wrap_socket(self.request, server_side=True)
                self.request = self.connection
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                self.tls = True
                self.reset()
            elif verb == "AUTH":
                self.auth(rest)
            elif verb == "MAIL":
                if state.users and self.user is None:
                    self.reply("530 authentication required")
                    continue
                self.mail_from = rest.partition(":")[2].split()[0].strip("<>")
                self.reply("250 ok")
            elif verb == "RCPT":
                address = rest.partition(":")[2].split()[0].strip("<>")
                if address in state.refuse:
                    self.reply("550 no such user")
                    continue
                self.rcpt.append(address)
                self.reply("250 ok")
            elif verb == "DATA":
                if self.mail_from is None or not self.rcpt:
                    self.reply("503 need MAIL and RCPT first")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                self.data()
            elif verb == "RSET":
                self.reset()
                self.reply("250 ok")
            elif verb == "NOOP":
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def auth(self, rest: str) -> None:
        state = self.server.state
        mechanism, _, initial = rest.partition(" ")
        if mechanism.upper() == "PLAIN":
            if not initial:
                self.reply("334 ")
                initial = self.readline()
            _, user, password = base64.b64decode(initial).decode().split("\0")
        elif mechanism.upper() == "LOGIN":
            self.reply("334 " + base64.b64encode(b"Username:").decode())
            user = base64.b64decode(self.readline()).decode()
            self.reply("334 " + base64.b64encode(b"Password:").decode())
            password = base64.b64decode(self.readline()).decode()
        else:
            self.reply("504 unknown mechanism")
            return
        if state.users.get(user) == password:
            self.user = user
            self.reply("235 authenticated")
        else:
            self.reply("535 authentication failed")

    def data(self) -> None:
        lines = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if raw in (b".\r\n", b".\n", b""):
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        state = self.server.state
        received = Received(
            self.mail_from or "", tuple(self.rcpt), b"".join(lines), self.user, self.tls
        )
        with state.lock:
            state.received.append(received)
            state.lock.notify_all()
        self.reset()
        self.reply("250 queued")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: SmtpServerState, implicit_tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.implicit_tls = implicit_tls


@dataclass
class RunningSmtp:
    """A started server: its port, state and how to stop it."""

    port: int
    state: SmtpServerState
    server: Any
    thread: threading.Thread

    @property
    def received(self) -> list[Received]:
        """Return the messages accepted so far."""
        with self.state.lock:
            return list(self.state.received)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start_smtp(
    state: SmtpServerState | None = None, *, implicit_tls: ssl.SSLContext | None = None
) -> RunningSmtp:
    """Start a server on 127.0.0.1 and a free port (``implicit_tls``: SMTPS)."""
    state = state or SmtpServerState()
    server = _Server(state, implicit_tls)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return RunningSmtp(server.server_address[1], state, server, thread)
