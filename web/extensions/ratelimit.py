"""Failed logins are rate-limited per source address and per token, across all workers.

The limit is asked only once a request's token has failed (or is absent), so a valid token
is never refused by it, whoever else shares its address. Each 401 adds one to a per-minute
counter in PostgreSQL for the address and for the token presented (the minute by the
application's clock); once either reaches the limit, a failing request from that address
or with that token gets 429 with Retry-After instead of 401, until the minute is over. The
429 does not say why the token failed (unknown, revoked, expired), so a guesser learns
nothing but "not this one".

The address is the client's as the trusted proxies give it (THIDUA_TRUSTED_PROXIES, see
web/app.py); with none configured, X-Forwarded-For is ignored.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, request

from domain.kernel.errors import Unauthenticated
from web.extensions.errors import respond

TABLE = """
CREATE TABLE IF NOT EXISTS public.thidua_auth_failures (
    subject text NOT NULL,
    window_start timestamptz NOT NULL,
    failures integer NOT NULL,
    PRIMARY KEY (subject, window_start)
)"""


def create_table(pool: Any) -> None:
    with pool.connection() as conn:
        conn.execute(TABLE)


def subjects() -> list[str]:
    found = [f"addr:{request.remote_addr or '?'}"]
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        digest = hashlib.sha256(secret.strip().encode("utf-8", "replace")).hexdigest()[:24]
        found.append(f"token:{digest}")
    return found


def window() -> datetime:
    """The minute failures are counted in, by the application's clock."""
    now: datetime = current_app.extensions["thidua"].app.now()
    return now.astimezone(UTC).replace(second=0, microsecond=0)


class Limited(Exception):
    """A failed login past the limit: answered with its 429 instead of a 401."""

    def __init__(self, response: Response) -> None:
        super().__init__("failed-login limit")
        self.response = response


def refuse_if_limited(failed: Unauthenticated) -> None:
    """For a request whose token failed: raise :class:`Limited` (recording the refusal) when
    its address or its token has failed the limit this minute."""
    services = current_app.extensions["thidua"]
    start = window()
    with services.reads.connection() as conn:
        row = conn.execute(
            "SELECT max(failures) FROM public.thidua_auth_failures "
            "WHERE subject = ANY(%s) AND window_start = %s", (subjects(), start)).fetchone()
    if row is None or row[0] is None or row[0] < services.settings.auth_failure_limit:
        return
    from web.resources.audit import denied

    denied(failed, 429)
    wait = start + timedelta(minutes=1) - services.app.now()
    raise Limited(respond(429, "Too many failed logins from here or with this token; wait and "
                          "try again.", rule="failed_login_limit",
                          headers={"Retry-After": str(max(1, math.ceil(wait.total_seconds())))}))


def install(app: Flask) -> None:
    @app.errorhandler(Limited)
    def limited(e: Limited) -> Response:
        return e.response

    @app.after_request
    def count_failure(response: Response) -> Response:
        if response.status_code == 401:
            start = window()
            pool = current_app.extensions["thidua"].reads
            with pool.connection() as conn, conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO public.thidua_auth_failures (subject, window_start, failures) "
                    "VALUES (%s, %s, 1) ON CONFLICT (subject, window_start) "
                    "DO UPDATE SET failures = thidua_auth_failures.failures + 1",
                    [(s, start) for s in subjects()])
                cur.execute("DELETE FROM public.thidua_auth_failures WHERE window_start < %s",
                            (start - timedelta(minutes=10),))
        return response
