"""Measured tasks, each run in its own process so its peak memory is its own.

    python -m bench.tasks rebuild URL
    python -m bench.tasks export URL FORMAT FILE
    python -m bench.tasks verify BUNDLE_DIR

Each prints one JSON object: what it did, how long it took, and its peak RSS in MiB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rebuild(url: str) -> dict[str, Any]:
    """Every view rebuilt from the events into an empty schema (what an auditor's replay
    does), with the same migrations, projections and runner as the live views."""
    from domain.application import Thidua
    from projections.runner import Runner
    from web.bootstrap import build_projections
    from web.database import eventsourcing_env, migrate

    schema = f"bench_rebuild_{uuid.uuid4().hex[:8]}"
    app = Thidua(env=eventsourcing_env(url, pool_size=2, pool_overflow=2))
    try:
        migrate(url, schema)
        projections = build_projections(url, schema)
        runner = Runner(app, list(projections.values()), batch_size=1000)
        head = runner.head()
        started = time.perf_counter()
        runner.catch_up()
        elapsed = time.perf_counter() - started
        for p in projections.values():
            p.view.datastore.close()
    finally:
        app.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(schema)))
    return {"events": head, "seconds": elapsed, "per_second": head / elapsed,
            "projections": len(projections), "peak_mib": peak_mib()}


def export(url: str, kind: str, path: str) -> dict[str, Any]:
    """The year's audit trail streamed to a file as JSONL or CSV."""
    from projections.export import csv_chunks, jsonl_chunks
    from projections.queries_audit import iter_entries
    from web.database import with_search_path

    writer = {"jsonl": jsonl_chunks, "csv": csv_chunks}[kind]
    rows = 0
    started = time.perf_counter()
    with psycopg.connect(with_search_path(url, "views")) as conn, open(path, "wb") as out:
        for chunk in writer(counting(iter_entries(conn))):
            out.write(chunk)
        rows = COUNT[0]
    elapsed = time.perf_counter() - started
    return {"rows": rows, "seconds": elapsed, "per_second": rows / elapsed,
            "bytes": Path(path).stat().st_size, "peak_mib": peak_mib()}


COUNT = [0]


def counting(rows: Any) -> Any:
    for row in rows:
        COUNT[0] += 1
        yield row


def verify(bundle: str) -> dict[str, Any]:
    """The bundled offline verifier over the exported JSONL."""
    from projections.verifier import verify_bundle

    started = time.perf_counter()
    result = verify_bundle(Path(bundle))
    elapsed = time.perf_counter() - started
    return {"ok": result.ok, "lines": result.lines, "seconds": elapsed,
            "per_second": result.lines / elapsed, "error": result.error,
            "peak_mib": peak_mib()}


def main(argv: list[str]) -> None:
    task, *args = argv
    tasks: dict[str, Any] = {"rebuild": rebuild, "export": export, "verify": verify}
    result = tasks[task](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
