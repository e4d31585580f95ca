"""Failed logins are rate-limited per source address and per token, across all workers.

Each 401 adds one to a per-minute counter in PostgreSQL for the address and for the token
presented; once either reaches the limit, requests from it get 429 with Retry-After until the
minute is over.

Reading the counters costs a query, so each process remembers for a few seconds (CLEAR_FOR)
which addresses and tokens had no failure recorded at all this minute, and does not ask again
for them meanwhile. Any 401 or 429 answered by this process forgets its address and token at
once, so the next request from them reads the counters again. So in one process the limit
holds exactly; across workers, a worker that still trusts an address lets at most one more
failed login through (one per thread at once) before it reads the counters and answers 429,
however long CLEAR_FOR is; and a request with a good token from an address that other
workers have limited may still be served by this one for up to CLEAR_FOR seconds.
"""

from __future__ import annotations

import hashlib
import threading
import time
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

# How long "no failure recorded for this subject" is trusted without asking the database.
CLEAR_FOR = 5.0
# Forget expired entries when more subjects than this are remembered.
CLEAR_MAX = 10_000


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


class ClearSubjects:
    """Per process: the subjects with no failed login recorded, until when that is trusted."""

    def __init__(self, ttl: float = CLEAR_FOR, most: int = CLEAR_MAX) -> None:
        self.ttl = ttl
        self.most = most
        self.until: dict[str, float] = {}
        self.lock = threading.Lock()
        # Counts the 401s answered here, so a read of the counters that a 401 overtook
        # (answered while the read was under way) is not trusted.
        self.failures_seen = 0

    def all_clear(self, found: list[str]) -> bool:
        now = time.monotonic()
        until = self.until
        return all(until.get(s, 0.0) > now for s in found)

    def mark_clear(self, found: list[str], failures_seen: int) -> None:
        """Trust ``found`` to have no failures for a while: the counters said so when this
        process had answered ``failures_seen`` 401s (and none since)."""
        now = time.monotonic()
        with self.lock:
            if failures_seen != self.failures_seen:
                return
            if len(self.until) >= self.most:
                kept = {s: t for s, t in self.until.items() if t > now}
                self.until = kept if len(kept) < self.most else {}
            for s in found:
                self.until[s] = now + self.ttl

    def forget(self, found: list[str]) -> None:
        with self.lock:
            self.failures_seen += 1
            for s in found:
                self.until.pop(s, None)


def install(app: Flask) -> None:
    clear = ClearSubjects()
    app.extensions["thidua_auth_clear"] = clear

    @app.before_request
    def limited() -> Response | None:
        if request.endpoint is None or request.endpoint.startswith(("health.", "api-docs.")):
            return None
        found = subjects()
        if clear.all_clear(found):
            return None
        services = current_app.extensions["thidua"]
        limit = services.settings.auth_failure_limit
        seen = clear.failures_seen
        with services.reads.connection() as conn:
            row = conn.execute(
                "SELECT max(failures), ceil(extract(epoch FROM date_trunc('minute', now()) "
                "+ interval '1 minute' - now())) FROM public.thidua_auth_failures "
                "WHERE subject = ANY(%s) AND window_start = date_trunc('minute', now())",
                (found,)).fetchone()
        if row and row[0] is not None and row[0] >= limit:
            clear.forget(found)  # one of them is limited: ask again for each of them
            return respond(429, "Too many failed logins from here or with this token; wait "
                           "and try again.", headers={"Retry-After": str(int(row[1] or 60))},
                           rule="failed_login_limit")
        if row is None or row[0] is None:
            clear.mark_clear(found, seen)
        return None

    @app.after_request
    def count_failure(response: Response) -> Response:
        if response.status_code == 401:
            found = subjects()
            clear.forget(found)
            pool = current_app.extensions["thidua"].reads
            with pool.connection() as conn, conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO public.thidua_auth_failures (subject, window_start, failures) "
                    "VALUES (%s, date_trunc('minute', now()), 1) ON CONFLICT (subject, "
                    "window_start) DO UPDATE SET failures = thidua_auth_failures.failures + 1",
                    [(s,) for s in found])
                cur.execute("DELETE FROM public.thidua_auth_failures WHERE window_start < "
                             "now() - interval '10 minutes'")
            clear.forget(found)  # again once counted: a read begun before this is not trusted
        return response
