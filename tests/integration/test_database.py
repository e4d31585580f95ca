"""Migrating leaves no connection behind (each process migrates at start)."""

from __future__ import annotations

import uuid

import psycopg
from psycopg.sql import SQL, Identifier

from tests.support.core import with_db as _with_db
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


def test_the_event_store_ignores_library_variables_in_the_environment(db_url, monkeypatch):
    """The library would take THIDUA_POSTGRES_DBNAME (and any other prefixed key) from
    os.environ over what DATABASE_URL said; the Application reads only what it is given."""
    from psycopg.conninfo import conninfo_to_dict

    from domain.application import Thidua
    from tests.support.core import ROOT
    from web.database import eventsourcing_env

    monkeypatch.setenv("THIDUA_POSTGRES_DBNAME", "no_such_database")
    monkeypatch.setenv("POSTGRES_DBNAME", "no_such_database")
    monkeypatch.setenv("THIDUA_PERSISTENCE_MODULE", "eventsourcing.popo")
    app = Thidua(env=eventsourcing_env(db_url, pool_size=2, pool_overflow=1))
    try:
        app.register_unit(ROOT, code="P01", name="BHXH tỉnh Một", level="province",
                          parent_code=None, effective="2020-01-01")
        dbname = conninfo_to_dict(db_url)["dbname"]
        with psycopg.connect(db_url) as conn:
            stored = conn.execute("SELECT count(*) FROM thidua_events").fetchone()
        assert stored == (1,), f"the unit went to {dbname}, the database DATABASE_URL names"
    finally:
        app.close()


def test_processes_starting_together_build_the_tables_once(server_url, tmp_path):
    """The API's workers and the projection worker start at once: each creates the tables it
    needs if they are missing, one process at a time (an advisory lock), so none fails with
    'tuple concurrently updated' from two CREATE ... IF NOT EXISTS of one table."""
    import threading

    from web.bootstrap import bootstrap
    from web.settings import Settings

    name = f"thidua_s_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(SQL("CREATE DATABASE {}").format(Identifier(name)))
    url = _with_db(server_url, name)
    started, failed = [], []
    go = threading.Barrier(6)

    def start(i: int) -> None:
        go.wait()
        try:
            started.append(bootstrap(Settings(database_url=url, data_dir=tmp_path / str(i),
                                              pool_size=1, pool_overflow=1),
                                     start_projections=False))
        except Exception as e:  # what a worker that failed to start would have raised
            failed.append(e)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(6)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert failed == [] and len(started) == 6
    finally:
        for s in started:
            s.close()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(Identifier(name)))
