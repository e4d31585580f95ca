"""Starting while the database is away: the process serves 503 until it can connect.

gunicorn stops altogether when a worker fails to start, and a worker replaced during an
outage (killed for a timeout, or after ``max_requests``) would fail: building the services
connects, migrates and creates tables. Instead the app starts without them, answers 503 with
``Retry-After`` (``/health`` says the database is down), and tries again at most every
``retry`` seconds, on the next request; once it connects, it serves as if started then.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from eventsourcing.persistence import OperationalError as StoreOperationalError
from flask import Flask, Response, current_app, jsonify, request
from psycopg_pool import PoolTimeout

from web.extensions.breaker import OUTAGE_STATES, DatabaseUnavailable

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0


def unreachable(error: BaseException) -> bool:
    """Whether starting failed because the database could not be reached (anything else,
    a migration that fails say, is a fault to show, not to wait out)."""
    found: BaseException | None = error
    while found is not None:
        if isinstance(found, psycopg.OperationalError):
            return found.sqlstate is None or found.sqlstate.startswith(OUTAGE_STATES)
        if isinstance(found, PoolTimeout | DatabaseUnavailable | StoreOperationalError):
            return True
        found = found.__cause__ or found.__context__
    return False


class Pending:
    """The services still to build: tried again on a request, at most every ``retry`` s."""

    def __init__(self, build: Callable[[], Any], bind: Callable[[Any], Any],
                 retry: float = RETRY_SECONDS) -> None:
        self.build, self.bind, self.retry = build, bind, retry
        self.error: BaseException | None = None
        self.next_try = 0.0
        self.lock = threading.Lock()

    def attempt(self) -> Any | None:
        """The services if they could be built now (bound to the app), else None."""
        if time.monotonic() < self.next_try or not self.lock.acquire(blocking=False):
            return None
        try:
            if time.monotonic() < self.next_try:
                return None
            try:
                services = self.build()
            except Exception as e:
                if not unreachable(e):
                    log.exception("could not start: retrying in %.0fs", self.retry)
                self.error = e
                self.next_try = time.monotonic() + self.retry
                return None
            self.error = None
            log.warning("database reachable: serving")
            return self.bind(services)
        finally:
            self.lock.release()


def start_pending(app: Flask, pending: Pending, error: BaseException) -> None:
    """Serve ``app`` without its services until ``pending`` builds them."""
    log.warning("database unreachable at start (%s): answering 503 until it is back", error)
    pending.error = error
    pending.next_try = time.monotonic() + pending.retry
    app.extensions["thidua_pending"] = pending


def install(app: Flask) -> None:
    """First of the request hooks: no other runs before the services exist."""

    @app.before_request
    def services_started() -> Response | None:
        if current_app.extensions.get("thidua") is not None or (
                request.endpoint or "").startswith(("api-docs.", "docs_assets.")):
            return None  # the API's document and its page need no database
        pending = current_app.extensions.get("thidua_pending")
        if pending is not None and pending.attempt() is not None:
            return None
        if (request.endpoint or "").startswith("health."):
            body = jsonify({"status": "degraded", "database": "down", "head": None,
                            "projections": {}, "views": {}, "last_checkpoint": None})
            body.status_code = 503
            body.headers["Retry-After"] = str(int(RETRY_SECONDS))
            return body
        from web.extensions.errors import respond

        return respond(503, "The database is unavailable; retry shortly.",
                       headers={"Retry-After": str(int(RETRY_SECONDS))},
                       rule="database_available")


def services_of(app: Flask) -> Any:
    """The app's services; while they are pending, one attempt now, else DatabaseUnavailable
    (a command run while the database is away says so instead of failing on a missing key)."""
    found = app.extensions.get("thidua")
    pending = app.extensions.get("thidua_pending")
    if found is None and pending is not None:
        pending.next_try = 0.0  # a command tries at once
        found = pending.attempt()
    if found is None:
        raise DatabaseUnavailable("The database is unreachable"
                                  + (f": {pending.error}" if pending is not None else "."))
    return found
