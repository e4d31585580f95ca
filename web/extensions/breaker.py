"""A circuit breaker on the database: while it is unreachable, answer 503 at once.

Without it a request made during an outage waits for the pool and the store's retries
(seconds each) before failing. A thread in each process probes the database with a fresh
connection once a second; a failed request trips the breaker at once, and the probe closes it
as soon as the database answers again, so the API recovers without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from psycopg_pool import PoolTimeout

log = logging.getLogger(__name__)


class Breaker:
    def __init__(self, url: str, interval: float = 1.0) -> None:
        self.url = url
        self.interval = interval
        self.open = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def probe(self) -> bool:
        try:
            psycopg.connect(self.url, connect_timeout=2).close()
        except psycopg.Error:
            if not self.open.is_set():
                log.warning("database unreachable: answering 503 until it is back")
            self.open.set()
            return False
        if self.open.is_set():
            log.warning("database reachable again")
        self.open.clear()
        return True

    def trip(self) -> None:
        self.open.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="db-breaker", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.probe()
            self._stop.wait(self.interval / 2 if self.open.is_set() else self.interval)

    def stop(self) -> None:
        self._stop.set()


class DatabaseUnavailable(PersistenceError):
    """Raised instead of waiting on the pool while the breaker is open (not retried)."""


# SQLSTATEs of a server that is not there for us: a connection exception (class 08), shutting
# down or starting up (57P01-57P03), no connection slot left (53300). A client-side connection
# failure has no SQLSTATE.
OUTAGE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (trip the breaker), rather than
    that one of our own queues is full: a pool's wait, the insert lock's (busy, retry)."""
    found: BaseException | None = error
    while found is not None:
        if isinstance(found, PoolTimeout):
            return False
        if isinstance(found, DatabaseUnavailable):
            return True
        if isinstance(found, psycopg.OperationalError):
            state = found.sqlstate
            return state is None or state.startswith(OUTAGE_STATES)
        found = found.__cause__ or found.__context__
    return True


def guard(datastore: Any, breaker: Breaker) -> None:
    """Make ``datastore`` fail at once while ``breaker`` is open, instead of waiting on its
    pool and the store's retries (seconds each) while the database is down."""
    original = datastore.get_connection

    @contextmanager
    def get_connection() -> Iterator[Any]:
        if breaker.open.is_set():
            raise DatabaseUnavailable("the database is unavailable")
        with original() as conn:
            yield conn

    datastore.get_connection = get_connection
