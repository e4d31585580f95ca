"""The composition root: builds the event store, the views and the runner once, and hands
them to the Flask app, the CLI and the benchmark. Nothing is built at import time."""

from __future__ import annotations

import atexit
import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from domain.application import Thidua
from projections.audit import AuditProjection
from projections.base import BatchProjection, View, ViewDatastore
from projections.district import DistrictProjection
from projections.elections import ElectionsProjection
from projections.evaluation import EvaluationProjection
from projections.group_documents import GroupDocumentsProjection
from projections.judging import JudgingProjection
from projections.registry import RegistryProjection
from projections.runner import Runner
from web.database import (
    database_url,
    eventsourcing_env,
    migrate,
    schema_lock,
    with_search_path,
)
from web.extensions.breaker import Breaker, guard
from web.extensions.exports import ExportSlots
from web.extensions.idempotency import create_table as create_idempotency_table
from web.extensions.ratelimit import create_table as create_auth_failures_table
from web.resources.audit import install as install_audit
from web.settings import Settings

log = logging.getLogger(__name__)

PROJECTIONS: tuple[type[BatchProjection], ...] = (  # one line per projection
    RegistryProjection,
    ElectionsProjection,
    EvaluationProjection,
    DistrictProjection,
    JudgingProjection,
    GroupDocumentsProjection,
    AuditProjection,
)


@dataclass
class Services:
    settings: Settings
    url: str
    app: Thidua
    projections: dict[str, BatchProjection]
    runner: Runner
    reads: ConnectionPool
    breaker: Breaker
    exports: ConnectionPool  # audit exports only: never the pool other reads wait on
    export_slots: ExportSlots
    health: ConnectionPool  # /health only: it answers while the other pools are busy
    embedded: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def close(self, *, stop_embedded: bool = False) -> None:
        self.breaker.stop()
        self.runner.stop()
        for pool in (self.reads, self.exports, self.health):
            pool.close()
        for p in self.projections.values():
            p.view.datastore.close()
        self.app.close()
        if stop_embedded and self.embedded is not None:
            # cleanup(), not stop(): it also tells the atexit hook the server is stopped, so
            # it does not try again ("Failed to stop server; killing it instead")
            self.embedded.cleanup()


def build_projections(url: str, schema: str, *, pool_size: int = 2,
                      pool_overflow: int = 4) -> dict[str, BatchProjection]:
    """One view datastore for all projections, on ``schema``; tracking tables created."""
    info = conninfo_to_dict(url)
    store = ViewDatastore(
        dbname=str(info.get("dbname") or "postgres"), host=str(info.get("host") or "127.0.0.1"),
        port=str(info.get("port") or 5432), user=str(info.get("user") or "postgres"),
        password=str(info.get("password") or ""), schema=schema, pool_size=pool_size,
        max_overflow=pool_overflow, connect_timeout=5, pre_ping=True)
    result = {}
    for cls in PROJECTIONS:
        view = View(store, tracking_table_name=f"{cls.name}_tracking")
        view.create_table()
        result[cls.name] = cls(view=view)
    return result


def bootstrap(settings: Settings, *, start_projections: bool | None = None,
              url: str | None = None) -> Services:
    """Connect (starting the embedded server if no DATABASE_URL), migrate, and wire up. Should
    the database fail midway, whatever was opened is closed again before the error is raised
    (a process that starts while the database is away tries again: web/extensions/startup.py)."""
    server = None
    if url is None:
        url, server = database_url(settings.database_url, settings.data_dir)
    with ExitStack() as opened:
        with schema_lock(url):  # the tables, created by one process at a time
            migrate(url, settings.views_schema)
            app = Thidua(env=eventsourcing_env(url, pool_size=settings.pool_size,
                                               pool_overflow=settings.pool_overflow,
                                               lock_timeout=settings.lock_timeout,
                                               cache_size=settings.aggregate_cache_size))
            opened.callback(app.close)
            projections = build_projections(url, settings.views_schema)
            for p in projections.values():
                opened.callback(p.view.datastore.close)
        breaker = Breaker(url)
        guard(app.recorder.datastore, breaker)  # type: ignore[attr-defined]
        runner = Runner(app, list(projections.values()), listen_url=url,
                        batch_size=settings.projection_batch,
                        retry_max=settings.projection_retry_max)
        views_url = with_search_path(url, settings.views_schema)
        reads = ConnectionPool(views_url, min_size=1, max_size=settings.pool_size + 2,
                               open=True, timeout=2,
                               kwargs={"autocommit": True, "connect_timeout": 5},
                               check=ConnectionPool.check_connection)
        opened.callback(reads.close)
        exports = ConnectionPool(views_url, min_size=0, max_size=settings.export_limit,
                                 open=True, timeout=5, name="exports",
                                 kwargs={"autocommit": True, "connect_timeout": 5},
                                 check=ConnectionPool.check_connection)
        opened.callback(exports.close)
        health = ConnectionPool(views_url, min_size=0, max_size=2, open=True, timeout=2,
                                name="health", kwargs={"autocommit": True, "connect_timeout": 2},
                                check=ConnectionPool.check_connection)
        opened.callback(health.close)
        with schema_lock(url):
            create_idempotency_table(reads)
            create_auth_failures_table(reads)
        services = Services(settings=settings, url=url, app=app, projections=projections,
                            runner=runner, reads=reads, breaker=breaker, exports=exports,
                            export_slots=ExportSlots(settings.export_limit,
                                                     settings.export_user_limit),
                            health=health, embedded=server)
        services.extra["last_checkpoint"] = install_audit(services)  # signer, daily checkpoints
        opened.pop_all()  # all is open: the services close it
    if server is not None:  # atexit runs last-in first: the breaker stops before the server
        atexit.register(breaker.stop)
    if start_projections if start_projections is not None else settings.run_projections:
        runner.start()
    return services
