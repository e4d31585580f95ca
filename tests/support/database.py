"""Database chores tests share."""

from __future__ import annotations

import psycopg


def terminate_connections(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                            "datname = current_database() AND pid <> pg_backend_pid()")
        return len(rows.fetchall())
