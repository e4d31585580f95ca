"""Database chores tests share."""

from __future__ import annotations

import logging
import queue
import threading

import psycopg
from psycopg.sql import SQL, Identifier

log = logging.getLogger(__name__)


def terminate_connections(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                            "datname = current_database() AND pid <> pg_backend_pid()")
        return len(rows.fetchall())


class Dropper:
    """Drops finished tests' databases on a thread of its own, while the next test runs;
    :meth:`finish` waits for the last."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.names: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="drop-databases", daemon=True)
        self.thread.start()

    def drop(self, name: str) -> None:
        self.names.put(name)

    def finish(self) -> None:
        self.names.put(None)
        self.thread.join()

    def _run(self) -> None:
        while (name := self.names.get()) is not None:
            try:
                with psycopg.connect(self.server_url, autocommit=True) as conn:
                    conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        Identifier(name)))
            except psycopg.Error:  # the next session's server is a new one anyway
                log.warning("could not drop the test database %s", name, exc_info=True)
