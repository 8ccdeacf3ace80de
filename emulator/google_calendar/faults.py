"""Faults and latency queued per method and path, consumed by the next matching requests."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

from emulator.google_calendar.errors import ApiError

_MESSAGES = {
    "rateLimitExceeded": "Rate Limit Exceeded",
    "userRateLimitExceeded": "User Rate Limit Exceeded",
    "quotaExceeded": "Calendar usage limits exceeded.",
    "backendError": "Backend Error",
    "fullSyncRequired": "Sync token is no longer valid, a full sync is required.",
    "authError": "Invalid Credentials",
}
_DEFAULT_REASONS = {
    401: "authError",
    403: "rateLimitExceeded",
    410: "fullSyncRequired",
    429: "rateLimitExceeded",
}


@dataclass
class Fault:
    """An error answered to the next ``remaining`` requests matching method and path."""

    method: str
    path: str
    status: int
    reason: str
    retry_after: float | None = None
    remaining: int = 1

    def matches(self, method: str, path: str) -> bool:
        """Return whether the fault applies to a request (``path`` is a glob)."""
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)

    def error(self) -> ApiError:
        """Return the answer in Google's error shape."""
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = f"{self.retry_after:g}"
        domain = "usageLimits" if "Limit" in self.reason or "quota" in self.reason else "global"
        message = _MESSAGES.get(self.reason, f"Injected {self.status} {self.reason}")
        return ApiError(self.status, self.reason, message, domain=domain, headers=headers)


@dataclass
class Delay:
    """Latency added to the next ``remaining`` matching requests (None: all of them)."""

    method: str
    path: str
    seconds: float
    remaining: int | None = None


@dataclass
class Faults:
    """The queue of injected faults and delays."""

    faults: list[Fault] = field(default_factory=list)
    delays: list[Delay] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        status: int,
        *,
        method: str = "*",
        path: str = "*",
        times: int = 1,
        reason: str | None = None,
        retry_after: float | None = None,
    ) -> Fault:
        """Queue ``times`` answers of ``status`` for requests matching method and path."""
        reason = reason or _DEFAULT_REASONS.get(status, "backendError")
        fault = Fault(method.upper(), path, status, reason, retry_after, times)
        with self.lock:
            self.faults.append(fault)
        return fault

    def add_delay(
        self, seconds: float, *, method: str = "*", path: str = "*", times: int | None = None
    ) -> None:
        """Delay matching requests by ``seconds`` (``times`` of them, or all)."""
        with self.lock:
            self.delays.append(Delay(method.upper(), path, seconds, times))

    def take(self, method: str, path: str) -> Fault | None:
        """Consume and return the first fault matching the request, if any."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def delay(self, method: str, path: str) -> float:
        """Consume and return the latency for the request (0 when none)."""
        with self.lock:
            for delay in self.delays:
                if delay.method in ("*", method) and fnmatch.fnmatchcase(path, delay.path):
                    if delay.remaining is not None:
                        delay.remaining -= 1
                        if delay.remaining <= 0:
                            self.delays.remove(delay)
                    return delay.seconds
        return 0.0

    def clear(self) -> None:
        """Drop every queued fault and delay."""
        with self.lock:
            self.faults.clear()
            self.delays.clear()
