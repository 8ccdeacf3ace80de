"""The WSGI application: Calendar API v3 routes and the OAuth token endpoint."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from emulator.google_calendar import listing, mutations
from emulator.google_calendar.errors import ApiError
from emulator.google_calendar.push import Channel, resource_id
from emulator.google_calendar.state import RecordedRequest, State
from emulator.google_calendar.store import Calendar
from emulator.google_calendar.timefmt import from_millis, millis

API = "/calendar/v3"
TOKEN_PATH = "/token"
# Google caps a Calendar channel at about a week.
MAX_CHANNEL_TTL = timedelta(days=7)
_KEPT_HEADERS = ("If-Match", "Content-Type", "User-Agent")
SEND_UPDATES = frozenset({"all", "externalOnly", "none"})

_ROUTES = Map(
    [
        Rule(TOKEN_PATH, methods=["POST"], endpoint="token"),
        Rule(f"{API}/calendars/<cal>", methods=["GET"], endpoint="calendar"),
        Rule(f"{API}/calendars/<cal>/events", methods=["GET"], endpoint="list"),
        Rule(f"{API}/calendars/<cal>/events", methods=["POST"], endpoint="insert"),
        Rule(f"{API}/calendars/<cal>/events/watch", methods=["POST"], endpoint="watch"),
        Rule(f"{API}/calendars/<cal>/events/<eid>", methods=["GET"], endpoint="get"),
        Rule(f"{API}/calendars/<cal>/events/<eid>", methods=["PATCH"], endpoint="patch"),
        Rule(f"{API}/calendars/<cal>/events/<eid>", methods=["PUT"], endpoint="update"),
        Rule(f"{API}/calendars/<cal>/events/<eid>", methods=["DELETE"], endpoint="delete"),
        Rule(
            f"{API}/calendars/<cal>/events/<eid>/instances", methods=["GET"], endpoint="instances"
        ),
        Rule(f"{API}/channels/stop", methods=["POST"], endpoint="stop"),
        Rule(f"{API}/freeBusy", methods=["POST"], endpoint="freebusy"),
    ],
    strict_slashes=False,
)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers or {}, mimetype="application/json"
    )


def _check_send_updates(request: Request) -> None:
    """Refuse a sendUpdates value Google does not know (the client sends it verbatim)."""
    value = request.args.get("sendUpdates")
    if value is not None and value not in SEND_UPDATES:
        raise ApiError.bad_request(f"Invalid value for sendUpdates: {value!r}", "sendUpdates")


def _body(request: Request) -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "parseError", "Parse Error") from None


class EmulatorApp:
    """A WSGI app answering like the Google Calendar API v3."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.handlers: dict[str, Callable[..., Response]] = {
            "calendar": self.get_calendar,
            "list": self.list_events,
            "insert": self.insert,
            "watch": self.watch,
            "get": self.get,
            "patch": self.patch,
            "update": self.update,
            "delete": self.delete,
            "instances": self.instances,
            "stop": self.stop,
            "freebusy": self.free_busy,
        }

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def _record(self, request: Request) -> RecordedRequest:
        raw = request.get_data(cache=True)
        body: Any = None
        if request.mimetype == "application/x-www-form-urlencoded":
            body = {
                k: v for k, v in request.form.items() if k not in ("refresh_token", "client_secret")
            }
        elif raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.args.items()),
            body=body,
            headers={k: request.headers[k] for k in _KEPT_HEADERS if k in request.headers},
        )
        with self.state.lock:
            self.state.requests.append(record)
        return record

    def dispatch(self, request: Request) -> Response:
        """Answer one request, applying injected latency and faults first."""
        record = self._record(request)
        try:
            pause = self.state.faults.delay(request.method, request.path)
            if pause:
                time.sleep(pause)
            fault = self.state.faults.take(request.method, request.path)
            if fault is not None:
                raise fault.error()
            endpoint, args = _ROUTES.bind_to_environ(request.environ).match()
            if endpoint == "token":
                status, body = self.state.tokens.grant(request.form, self.state.now())
                response = _json(body, status, {"Cache-Control": "no-store"})
            else:
                user = self.state.tokens.user_for(
                    request.headers.get("Authorization"), self.state.now()
                )
                record.user = user
                _check_send_updates(request)
                with self.state.lock:
                    response = self.handlers[str(endpoint)](request, user, **args)
        except ApiError as exc:
            response = _json(exc.body(), exc.status, exc.headers)
        except NotFound:
            response = _json(ApiError.not_found().body(), 404)
        except MethodNotAllowed:
            response = _json(ApiError(405, "methodNotAllowed", "Method Not Allowed").body(), 405)
        except HTTPException as exc:
            code = exc.code or 400
            response = _json(ApiError(code, "invalid", exc.description or "").body(), code)
        record.status = response.status_code
        return response

    def _calendar(self, user: str, cal: str) -> Calendar:
        """Return the calendar named in the path; only one's own calendar is reachable."""
        owner = user if cal == "primary" else cal.strip().lower()
        if owner != user:
            raise ApiError.not_found()
        return self.state.store.calendar(owner)

    # -- handlers ------------------------------------------------------------------------

    def get_calendar(self, request: Request, user: str, cal: str) -> Response:
        calendar = self._calendar(user, cal)
        return _json(
            {
                "kind": "calendar#calendar",
                "etag": f'"c{calendar.seq}"',
                "id": calendar.owner,
                "summary": calendar.owner,
                "timeZone": calendar.time_zone,
            }
        )

    def list_events(self, request: Request, user: str, cal: str) -> Response:
        calendar = self._calendar(user, cal)
        return _json(listing.list_events(self.state.store, calendar, request.args, base_query=None))

    def instances(self, request: Request, user: str, cal: str, eid: str) -> Response:
        calendar = self._calendar(user, cal)
        return _json(listing.list_instances(self.state.store, calendar, eid, request.args))

    def insert(self, request: Request, user: str, cal: str) -> Response:
        calendar = self._calendar(user, cal)
        return _json(mutations.insert(self.state.store, calendar, _body(request)))

    def get(self, request: Request, user: str, cal: str, eid: str) -> Response:
        calendar = self._calendar(user, cal)
        event, mine = self.state.store.copy_of(calendar, eid)
        return _json(self.state.store.render(calendar, event, mine))

    def _modify(self, request: Request, user: str, cal: str, eid: str, replace: bool) -> Response:
        calendar = self._calendar(user, cal)
        updated = mutations.modify(
            self.state.store,
            calendar,
            eid,
            _body(request),
            replace=replace,
            if_match=request.headers.get("If-Match"),
        )
        return _json(updated)

    def patch(self, request: Request, user: str, cal: str, eid: str) -> Response:
        return self._modify(request, user, cal, eid, replace=False)

    def update(self, request: Request, user: str, cal: str, eid: str) -> Response:
        return self._modify(request, user, cal, eid, replace=True)

    def delete(self, request: Request, user: str, cal: str, eid: str) -> Response:
        calendar = self._calendar(user, cal)
        mutations.delete(self.state.store, calendar, eid, request.headers.get("If-Match"))
        return Response(status=204)

    def watch(self, request: Request, user: str, cal: str) -> Response:
        calendar = self._calendar(user, cal)
        body = _body(request)
        if not isinstance(body, dict):
            raise ApiError.bad_request("The request body must be a JSON object.")
        if body.get("type") not in ("web_hook", "webhook"):
            raise ApiError.bad_request("Invalid channel type; expected web_hook.", "type")
        for name in ("id", "address"):
            if not body.get(name):
                raise ApiError(400, "required", f"Missing channel {name}.", location=name)
        if str(body["id"]) in self.state.notifier.channels:
            raise ApiError(400, "channelIdNotUnique", "Channel id not unique", location="id")
        now = self.state.now()
        expiration = now + MAX_CHANNEL_TTL
        ttl = (body.get("params") or {}).get("ttl")
        if ttl is not None:
            try:
                expiration = now + timedelta(seconds=int(ttl))
            except (TypeError, ValueError):
                raise ApiError.bad_request(f"Invalid ttl {ttl!r}.", "params.ttl") from None
        if body.get("expiration"):
            expiration = from_millis(body["expiration"], "expiration")
        expiration = min(expiration, now + MAX_CHANNEL_TTL)
        channel = Channel(
            id=str(body["id"]),
            resource_id=resource_id(calendar.owner),
            resource_uri=f"{self.state.base_url}{API}/calendars/{calendar.owner}/events?alt=json",
            owner=calendar.owner,
            address=str(body["address"]),
            token=str(body["token"]) if body.get("token") is not None else None,
            expiration=expiration,
        )
        self.state.notifier.watch(channel)
        answer: dict[str, Any] = {
            "kind": "api#channel",
            "id": channel.id,
            "resourceId": channel.resource_id,
            "resourceUri": channel.resource_uri,
            "expiration": millis(channel.expiration),
        }
        if channel.token is not None:
            answer["token"] = channel.token
        return _json(answer)

    def stop(self, request: Request, user: str) -> Response:
        body = _body(request)
        if not isinstance(body, dict) or not body.get("id") or not body.get("resourceId"):
            raise ApiError(400, "required", "Missing channel id or resourceId.", location="id")
        found = self.state.notifier.channels.get(str(body["id"]))
        if found is None or found.owner != user:
            raise ApiError.not_found()
        if not self.state.notifier.stop(str(body["id"]), str(body["resourceId"])):
            raise ApiError.not_found()
        return Response(status=204)

    def free_busy(self, request: Request, user: str) -> Response:
        caller = self.state.store.calendar(user)
        return _json(
            listing.free_busy(self.state.store, caller, _body(request), self.state.can_see)
        )
