"""Failed logins are rate-limited per source address and per token, across all workers.

Each 401 adds one to a per-minute counter in PostgreSQL for the address and for the token
presented; once either reaches the limit, requests from it get 429 with Retry-After until the
minute is over. Successful requests cost one indexed read.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, current_app, request

from web.errors import respond

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


def install(app: Flask) -> None:
    @app.before_request
    def limited() -> Response | None:
        if request.endpoint is None or request.endpoint.startswith(("health.", "api-docs.")):
            return None
        services = current_app.extensions["thidua"]
        limit = services.settings.auth_failure_limit
        with services.reads.connection() as conn:
            row = conn.execute(
                "SELECT max(failures), ceil(extract(epoch FROM date_trunc('minute', now()) "
                "+ interval '1 minute' - now())) FROM public.thidua_auth_failures "
                "WHERE subject = ANY(%s) AND window_start = date_trunc('minute', now())",
                (subjects(),)).fetchone()
        if row and row[0] is not None and row[0] >= limit:
            return respond(429, "Too many failed logins from here or with this token; wait "
                           "and try again.", headers={"Retry-After": str(int(row[1] or 60))},
                           rule="failed_login_limit")
        return None

    @app.after_request
    def count_failure(response: Response) -> Response:
        if response.status_code == 401:
            pool = current_app.extensions["thidua"].reads
            with pool.connection() as conn, conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO public.thidua_auth_failures (subject, window_start, failures) "
                    "VALUES (%s, date_trunc('minute', now()), 1) ON CONFLICT (subject, "
                    "window_start) DO UPDATE SET failures = thidua_auth_failures.failures + 1",
                    [(s,) for s in subjects()])
                cur.execute("DELETE FROM public.thidua_auth_failures WHERE window_start < "
                             "now() - interval '10 minutes'")
        return response
