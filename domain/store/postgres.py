"""The event store on PostgreSQL: the library's, with inserts sent without pipeline mode.

eventsourcing 9.5 sends an application's insert (lock, notify, the events, the ids back) in
psycopg's pipeline mode. With a large insert (a reorganisation decision of ~700 units in one
act: megabytes in one parameter) over a Unix socket — the embedded server's — the client can
stop sending the rest of the statement while it waits for results, and the server waits for
the rest: both wait for ever (psycopg issue #685; seen here in `.ci/wheel-check`). The same
statements in the same order, in one transaction without the pipeline, cost two more round
trips per write and cannot deadlock. Everything else is the library's (``Factory`` is found
by the ``PERSISTENCE_MODULE`` topic, web/database.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import retry


class ApplicationRecorder(PostgresApplicationRecorder):
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction(), \
                conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(curs, stored_events, **kwargs)  # lock, notify, insert
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)


class Factory(PostgresFactory):
    application_recorder_class = ApplicationRecorder
