"""Exports have their own bounded capacity (429 beyond it), and a full pool is our own queue,
not a database outage: 503 'busy' without tripping the breaker, and /health still says the
database is ok."""

from __future__ import annotations

import eventsourcing.persistence
import psycopg
import psycopg_pool
import pytest

from web.extensions.breaker import DatabaseUnavailable, is_outage


def test_exports_beyond_the_limits_are_refused_until_one_ends(api):
    api.user("kiem.toan", ["auditor"])
    api.user("thanh.tra", ["inspector"])
    assert (api.services.settings.export_limit, api.services.settings.export_user_limit) == (2, 1)
    first = api.get("/audit/events?format=jsonl")  # started, not yet read: it holds its slot
    assert first.status_code == 200 and first.headers["Content-Length"]

    again = api.get("/audit/events?format=csv")
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    body = again.get_json()
    assert body["code"] == 429 and body["rule"] == "export_capacity" and body["message"]

    other = api.get("/audit/events?format=csv", who="kiem.toan")  # another user: a free slot
    assert other.status_code == 200
    full = api.get("/audit/events?format=jsonl", who="thanh.tra")  # the process is full
    assert full.status_code == 429 and full.get_json()["rule"] == "export_capacity"

    assert len(first.data) == int(first.headers["Content-Length"])  # read to the end: freed
    assert api.get("/audit/events?format=jsonl", who="thanh.tra").status_code == 200
    assert other.data  # and this one
    assert api.get("/audit/events?format=csv").status_code == 200


def test_a_full_pool_is_busy_not_a_database_outage(api, services):
    held = [services.reads.getconn() for _ in range(services.reads.max_size)]
    try:
        r = api.get("/units")
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert r.get_json()["rule"] == "server_busy", r.get_json()
        assert not services.breaker.open.is_set(), "our own queue does not trip the breaker"
        health = api.client.get("/health")
        assert health.status_code == 200 and health.get_json()["database"] == "ok"
    finally:
        for conn in held:
            services.reads.putconn(conn)
    assert api.get("/units").status_code == 200


@pytest.mark.parametrize(("error", "outage"), [
    (psycopg_pool.PoolTimeout("couldn't get a connection after 2.00 sec"), False),
    (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), False),
    (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
    (psycopg.OperationalError("connection failed: Connection refused"), True),
    (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
    (psycopg.errors.TooManyConnections("sorry, too many clients already"), True),
    (DatabaseUnavailable("the database is unavailable"), True),
])
def test_what_trips_the_breaker(error, outage):
    assert is_outage(error) is outage
    try:  # the event store wraps psycopg's errors in its own
        raise eventsourcing.persistence.OperationalError(str(error)) from error
    except eventsourcing.persistence.OperationalError as wrapped:
        assert is_outage(wrapped) is outage
