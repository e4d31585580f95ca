"""Migrating leaves no connection behind (each process migrates at start)."""

from __future__ import annotations

import uuid

import psycopg
from psycopg.sql import SQL, Identifier

from tests.conftest import _with_db
from web.database import migrate


def test_migrating_leaves_no_connection_open(server_url):
    name = f"thidua_m_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    try:
        migrate(_with_db(server_url, name), "views")
        with psycopg.connect(server_url, autocommit=True) as conn:
            left = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                (name,)).fetchone()
        assert left == (0,)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))
