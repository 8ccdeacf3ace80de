"""The decision log pages: listing, pagination, search, validation, escaping, who sees what."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gatekeeper import create_app, get_db, get_queue
from gatekeeper.domain import Action, Decision, Interval, Mode
from gatekeeper.store import migrate
from gatekeeper.store.accounts import add_account
from gatekeeper.store.decisions import record_decision
from gatekeeper.web.log import PAGE_SIZE

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def add_person(app: Any, email: str, *, provider: str = "google", tz: str | None = None) -> int:
    """Create an account and return its id."""
    with get_db(app).session() as session:
        return add_account(session, email, provider=provider, timezone=tz).id


def decide(
    app: Any,
    account_id: int,
    summary: str = "Weekly sync",
    *,
    decided_at: datetime = MONDAY,
    action: Action = Action.NONE,
    rule: str | None = None,
    reasons: tuple[str, ...] = ("no rule matched",),
    organizer: str = "lena@acme.example",
    message: str | None = None,
    alternatives: tuple[Interval, ...] = (),
    focus_conflict: bool = False,
    cost: float = 50.0,
    mode: Mode = Mode.DRY_RUN,
    executed: bool = False,
    outcome: str | None = None,
) -> int:
    """Write one decision to an account's log and return its id."""
    start = decided_at + timedelta(days=1)
    decision = Decision(
        uid=f"{summary}-{decided_at.isoformat()}@test",
        recurrence_id=None,
        summary=summary,
        start=start,
        end=start + timedelta(minutes=30),
        action=action,
        rule=rule,
        reasons=reasons,
        focus_conflict=focus_conflict,
        cost=cost,
        message=message,
        alternatives=alternatives,
        organizer=organizer,
    )
    with get_db(app).session() as session:
        return record_decision(
            session,
            decision,
            account_id=account_id,
            mode=mode,
            executed=executed,
            outcome=outcome,
            event_version="1",
            decided_at=decided_at,
        )


def sign_in(client: Any, account_id: int, email: str = "someone@example.com") -> None:
    with client.session_transaction() as session:
        session["account_id"] = account_id
        session["email"] = email


def shown_ids(page: str) -> list[int]:
    """Return the ids of the decisions listed on a log page, top to bottom."""
    return [int(found) for found in re.findall(r'<tbody class="decision" id="d(\d+)">', page)]


def get_log(client: Any, query: str = "") -> tuple[int, str]:
    response = client.get("/log" + query)
    return response.status_code, response.get_data(as_text=True)


@pytest.fixture
def maya(app: Any, client: Any) -> int:
    """Return the id of a signed-in account in Berlin time."""
    account_id = add_person(app, "maya@example.com", tz="Europe/Berlin")
    sign_in(client, account_id, "maya@example.com")
    return account_id


@pytest.fixture
def db_app(app_env: dict[str, str], database_url: str) -> Iterator[Any]:
    """Return an app on SQLite and on PostgreSQL, with the schema at head."""
    application = create_app({**app_env, "DATABASE_URL": database_url, "TESTING": True})
    migrate.upgrade(get_db(application))
    yield application
    get_db(application).dispose()
    get_queue(application).close()


# --- listing and pagination -------------------------------------------------------------


def test_log_lists_decisions_newest_first(app: Any, client: Any, maya: int) -> None:
    middle = decide(app, maya, "Middle", decided_at=MONDAY)
    oldest = decide(app, maya, "Oldest", decided_at=MONDAY - timedelta(days=3))
    newest = decide(app, maya, "Newest", decided_at=MONDAY + timedelta(hours=2))
    status, page = get_log(client)
    assert status == 200
    assert shown_ids(page) == [newest, middle, oldest]
    assert "Demo account" not in page


def test_log_pages_hold_fifty_with_older_and_newer_links(app: Any, client: Any, maya: int) -> None:
    ids = [
        decide(app, maya, f"Meeting {n}", decided_at=MONDAY + timedelta(minutes=n))
        for n in range(120)
    ]
    expected = list(reversed(ids))

    _, first = get_log(client)
    assert shown_ids(first) == expected[:PAGE_SIZE]
    assert 'rel="next" href="/log?page=2"' in first and 'rel="prev"' not in first

    _, second = get_log(client, "?page=2")
    assert shown_ids(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    assert 'rel="prev" href="/log"' in second and 'href="/log?page=3"' in second
    assert "decisions 51–100" in second

    _, third = get_log(client, "?page=3")
    assert shown_ids(third) == expected[2 * PAGE_SIZE :]
    assert 'rel="next"' not in third and 'rel="prev" href="/log?page=2"' in third


def test_pagination_links_keep_the_search(app: Any, client: Any, maya: int) -> None:
    for n in range(PAGE_SIZE + 1):
        decide(app, maya, f"Design review {n}", decided_at=MONDAY + timedelta(minutes=n))
    decide(app, maya, "Lunch", decided_at=MONDAY)
    _, page = get_log(client, "?q=design&action=none&from=2026-11-23")
    assert 'href="/log?q=design&amp;action=none&amp;from=2026-11-23&amp;page=2"' in page
    _, second = get_log(client, "?q=design&action=none&from=2026-11-23&page=2")
    assert len(shown_ids(second)) == 1 and "Lunch" not in second


def test_a_page_past_the_end_says_so(app: Any, client: Any, maya: int) -> None:
    decide(app, maya)
    status, page = get_log(client, "?page=7")
    assert status == 200 and shown_ids(page) == []
    assert "No decisions on this page" in page and 'href="/log"' in page


def test_a_row_shows_every_column_and_expands_to_why_message_and_alternatives(
    app: Any, client: Any, maya: int
) -> None:
    slot = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    decide(
        app,
        maya,
        "Roadmap sync",
        action=Action.DECLINE,
        rule="focus-protection",
        reasons=("overlaps focus block 'Deep work'", "no pre-read"),
        message="Hi Lena,\nthis collides with a focus block.",
        alternatives=(Interval(slot, slot + timedelta(minutes=30)),),
        focus_conflict=True,
        cost=137.5,
        mode=Mode.ENFORCE,
        executed=True,
        outcome="declined on Google Calendar",
    )
    _, page = get_log(client)
    assert "2026-11-23 10:00" in page  # decided, in Berlin time
    assert "Tue 24 Nov 2026, 10:00–10:30" in page  # the event, in Berlin time
    assert "lena@acme.example" in page
    assert '<span class="badge badge-decline" title="action: decline">declined</span>' in page
    assert "<code>focus-protection</code>" in page
    assert "enforce" in page and "carried out" in page
    assert "declined on Google Calendar" in page
    assert "137.50 EUR" in page
    details = page[page.index("<details>") : page.index("</details>")]
    assert "overlaps focus block &#39;Deep work&#39;" in details and "no pre-read" in details
    assert "Message sent" in details
    assert "Hi Lena,\nthis collides with a focus block." in details
    assert "Wed 25 Nov 2026, 09:00–09:30" in details


def test_a_decision_not_carried_out_shows_the_message_that_would_be_sent(
    app: Any, client: Any, maya: int
) -> None:
    decide(app, maya, action=Action.DECLINE, message="Please add an agenda.")
    _, page = get_log(client)
    assert "Message that would be sent" in page and "not carried out" in page


# --- search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("quarterly", ["Quarterly planning"]),
        ("QUARTERLY", ["Quarterly planning"]),
        ("rafael@", ["Budget talk"]),
        ("large-without", ["All hands"]),
        ("nothing to read", ["All hands"]),
        ("Müller", ["Kick-off"]),
        ('"draft"', ["Kick-off"]),
        ("50%", ["Sale review"]),
        ("a_b", []),
        ("   ", ["Sale review", "Kick-off", "All hands", "Budget talk", "Quarterly planning"]),
    ],
)
def test_text_search_covers_summary_organizer_rule_and_reasons(
    db_app: Any, query: str, expected: list[str]
) -> None:
    client = db_app.test_client()
    account = add_person(db_app, "maya@example.com")
    sign_in(client, account)
    decide(db_app, account, "Quarterly planning", decided_at=MONDAY)
    decide(
        db_app,
        account,
        "Budget talk",
        organizer="rafael@acme.example",
        decided_at=MONDAY + timedelta(hours=1),
    )
    decide(
        db_app,
        account,
        "All hands",
        rule="large-without-preread",
        reasons=("more than 8 attendees and nothing to read beforehand",),
        decided_at=MONDAY + timedelta(hours=2),
    )
    decide(
        db_app,
        account,
        "Kick-off",
        reasons=('agenda by Jörg Müller, marked "draft"',),
        decided_at=MONDAY + timedelta(hours=3),
    )
    decide(
        db_app, account, "Sale review", reasons=("50% off",), decided_at=MONDAY + timedelta(hours=4)
    )
    response = client.get("/log", query_string={"q": query})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    shown = re.findall(r'<a href="/log/\d+">([^<]*)</a>', page)
    assert shown == expected


def test_action_filter_shows_only_that_action(app: Any, client: Any, maya: int) -> None:
    decline = decide(app, maya, "A", action=Action.DECLINE, decided_at=MONDAY)
    decide(app, maya, "B", action=Action.FLAG, decided_at=MONDAY + timedelta(hours=1))
    decide(app, maya, "C", action=Action.NONE, decided_at=MONDAY + timedelta(hours=2))
    later_decline = decide(
        app, maya, "D", action=Action.DECLINE, decided_at=MONDAY + timedelta(hours=3)
    )
    _, page = get_log(client, "?action=decline")
    assert shown_ids(page) == [later_decline, decline]
    assert '<option value="decline" selected>' in page
    _, page = get_log(client, "?action=accept")
    assert shown_ids(page) == [] and "No decision matches this search." in page


def test_date_filters_are_whole_days_in_the_viewers_time_zone(
    app: Any, client: Any, maya: int
) -> None:
    # 23:30 UTC on Sunday is already 00:30 on Monday in Berlin.
    sunday_night_utc = decide(
        app, maya, "Late", decided_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    )
    monday = decide(app, maya, "Monday", decided_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    tuesday_end = decide(
        app, maya, "Tuesday", decided_at=datetime(2026, 11, 24, 22, 59, tzinfo=UTC)
    )
    wednesday = decide(app, maya, "Wednesday", decided_at=datetime(2026, 11, 24, 23, 0, tzinfo=UTC))
    assert shown_ids(get_log(client, "?from=2026-11-23")[1]) == [
        wednesday,
        tuesday_end,
        monday,
        sunday_night_utc,
    ]
    assert shown_ids(get_log(client, "?until=2026-11-22")[1]) == []
    assert shown_ids(get_log(client, "?from=2026-11-23&until=2026-11-24")[1]) == [
        tuesday_end,
        monday,
        sunday_night_utc,
    ]
    assert shown_ids(get_log(client, "?from=2026-11-25&until=2026-11-25")[1]) == [wednesday]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=yesterday", "From: &#39;yesterday&#39; is not a date; use the form 2026-11-23."),
        ("?until=2026-13-01", "Until: &#39;2026-13-01&#39; is not a date"),
        ("?from=0001-01-01", "From: 0001-01-01 is outside 1970-01-01 to 9998-12-31."),
        ("?until=9999-12-31", "Until: 9999-12-31 is outside"),
        ("?from=2026-11-24&until=2026-11-23", "From (2026-11-24) is after until (2026-11-23)"),
        (
            "?action=maybe",
            "Action: &#39;maybe&#39; is not one of none, flag, decline, tentative, accept",
        ),
        ("?page=0", "Page: &#39;0&#39; is not a page number"),
        ("?page=-1", "Page: &#39;-1&#39; is not a page number"),
        ("?page=" + "9" * 5000, "is not a page number"),
        ("?q=" + "x" * 201, "Search text: at most 200 characters, got 201."),
    ],
)
def test_bad_search_parameters_answer_400_with_a_message(
    app: Any, client: Any, maya: int, query: str, message: str
) -> None:
    decide(app, maya)
    status, page = get_log(client, query)
    assert status == 400
    assert "This search cannot run" in page and message in page
    assert shown_ids(page) == []
    assert '<form class="search"' in page  # the form stays, to fix the value


def test_every_problem_is_listed_at_once(app: Any, client: Any, maya: int) -> None:
    status, page = get_log(client, "?from=x&until=y&action=z")
    assert status == 400
    assert page.count("<li>From:") + page.count("<li>Until:") + page.count("<li>Action:") == 3


def test_a_bad_value_is_kept_in_the_form_escaped(app: Any, client: Any, maya: int) -> None:
    status, page = get_log(client, '?from="><script>x</script>')
    assert status == 400
    assert "<script>x" not in page
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in page


# --- escaping ---------------------------------------------------------------------------


def test_an_invite_titled_script_is_shown_as_text(app: Any, client: Any, maya: int) -> None:
    decision_id = decide(
        app,
        maya,
        "<script>alert('title')</script>",
        organizer="<img src=x onerror=alert(1)>@evil.example",
        rule="<b>rule</b>",
        reasons=("<script>alert('reason')</script>",),
        message="</pre><script>alert('message')</script>",
        action=Action.DECLINE,
    )
    for url in ("/log", f"/log/{decision_id}", "/log?q=%3Cscript%3E"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "<img" not in page and "<b>rule" not in page, url
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page, url
        assert "&lt;script&gt;alert(&#39;reason&#39;)&lt;/script&gt;" in page, url
        assert "&lt;/pre&gt;&lt;script&gt;alert(&#39;message&#39;)" in page, url


# --- who sees what ----------------------------------------------------------------------


def test_each_account_sees_only_its_own_decisions(db_app: Any) -> None:
    first, second = add_person(db_app, "ana@example.com"), add_person(db_app, "ben@example.com")
    demo = add_person(db_app, "maya@acme.example", provider="demo")
    anas = decide(db_app, first, "Ana's secret", action=Action.DECLINE)
    bens = decide(db_app, second, "Ben's secret", action=Action.DECLINE)
    decide(db_app, demo, "Demo meeting", action=Action.DECLINE)
    client = db_app.test_client()
    sign_in(client, first)
    for query in ("", "?q=secret", "?action=decline"):
        status, page = get_log(client, query)
        assert status == 200 and shown_ids(page) == [anas], query
        assert "Ben" not in page and "Demo meeting" not in page
    sign_in(client, second)
    assert shown_ids(get_log(client)[1]) == [bens]


def test_another_accounts_decision_is_not_found(app: Any, client: Any, maya: int) -> None:
    other = add_person(app, "ben@example.com")
    theirs = decide(app, other, "Ben's private meeting")
    mine = decide(app, maya, "My meeting", message="Full text of the reply.")
    response = client.get(f"/log/{theirs}")
    assert response.status_code == 404
    assert "Ben&#39;s private meeting" not in response.get_data(as_text=True)
    own = client.get(f"/log/{mine}")
    assert own.status_code == 200
    assert "<h1>My meeting</h1>" in own.get_data(as_text=True)
    assert "Full text of the reply." in own.get_data(as_text=True)


@pytest.mark.parametrize("decision_id", ["999", str(2**63 + 5)])
def test_a_decision_that_does_not_exist_is_not_found(
    client: Any, maya: int, decision_id: str
) -> None:
    response = client.get(f"/log/{decision_id}")
    assert response.status_code == 404
    assert "Decision not found" in response.get_data(as_text=True)


def test_visitors_see_the_demo_account_with_a_banner(app: Any, client: Any) -> None:
    demo = add_person(app, "maya@acme.example", provider="demo", tz="Europe/Berlin")
    other = add_person(app, "ben@example.com")
    shown = decide(app, demo, "Sample week meeting")
    hidden = decide(app, other, "Ben's meeting")
    status, page = get_log(client)
    assert status == 200
    assert "Demo account (the sample week) — " in page
    assert "sign in with Google to see your own" in page and 'href="/signin?next=/log"' in page
    assert shown_ids(page) == [shown]
    assert client.get(f"/log/{shown}").status_code == 200
    assert client.get(f"/log/{hidden}").status_code == 404


def test_signed_in_people_never_see_the_demo(app: Any, client: Any, maya: int) -> None:
    demo = add_person(app, "maya@acme.example", provider="demo")
    decide(app, demo, "Sample week meeting")
    status, page = get_log(client)
    assert status == 200
    assert "Demo account" not in page and "Sample week meeting" not in page
    assert "No decisions recorded yet" in page


def test_without_demo_account_visitors_learn_how_to_get_data(client: Any) -> None:
    status, page = get_log(client)
    assert status == 200
    assert "No decisions to show yet" in page
    assert "<code>make run</code>" in page and "<code>python -m gatekeeper demo</code>" in page
    assert 'href="/signin"' in page
    assert client.get("/log/1").status_code == 404


def test_a_session_for_a_deleted_account_falls_back_like_a_visitor(app: Any, client: Any) -> None:
    sign_in(client, 4242)
    status, page = get_log(client)
    assert status == 200 and "No decisions to show yet" in page


def test_production_sends_visitors_to_sign_in(app_env: dict[str, str]) -> None:
    application = create_app({**app_env, "GATEKEEPER_ENV": "production", "TESTING": True})
    try:
        demo = add_person(application, "maya@acme.example", provider="demo")
        decision_id = decide(application, demo)
        client = application.test_client()
        for url in ("/log?q=x", f"/log/{decision_id}"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/signin?next=")
        assert "next=/log?q%3Dx" in client.get("/log?q=x").headers["Location"]
        person = add_person(application, "ana@example.com")
        mine = decide(application, person, "Mine")
        sign_in(client, person)
        assert shown_ids(client.get("/log").get_data(as_text=True)) == [mine]
    finally:
        get_db(application).dispose()
        get_queue(application).close()


# --- navigation and the demo end to end -------------------------------------------------


def test_every_page_links_to_the_log_and_to_sign_in(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/log">Decision log</a>' in page
    assert 'href="/signin">Sign in</a>' in page


def test_the_stylesheet_is_served(client: Any) -> None:
    with client.get("/static/log/log.css") as response:
        assert response.status_code == 200 and b".badge-decline" in response.data


def test_the_demo_command_fills_the_log_visitors_see(app: Any, client: Any, runner: Any) -> None:
    done = runner.invoke("demo", "--no-serve")
    assert done.exit_code == 0, done.stderr
    written = int(re.search(r"(\d+) new decisions written", done.stdout).group(1))  # type: ignore[union-attr]
    status, page = get_log(client)
    assert status == 200 and "Demo account (the sample week)" in page
    assert len(shown_ids(page)) == written > 0
    assert "Times in Europe/Berlin" in page
    _, declined = get_log(client, "?action=decline")
    assert 0 < len(shown_ids(declined)) < written
