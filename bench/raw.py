"""The raw limits of the database and the machine, measured beside thidua in the same run."""

from __future__ import annotations

import hashlib
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import psycopg


def single_row_transactions(url: str, total: int, threads: int = 16) -> dict[str, float]:
    """`total` single-row INSERT transactions by `threads` threads with psycopg."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_rows")
        conn.execute("CREATE TABLE bench_raw_rows (id bigserial PRIMARY KEY, payload jsonb)")
    per_thread = max(total // threads, 1)
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        mine = []
        with psycopg.connect(url, autocommit=True) as conn:
            barrier.wait()
            for i in range(per_thread):
                started = time.perf_counter()
                conn.execute("INSERT INTO bench_raw_rows (payload) VALUES (%s)",
                             (f'{{"score": "{i}.5", "criterion": "TC{i % 20:02d}"}}',))
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_raw_rows")
    return {"per_second": len(latencies) / elapsed, **percentiles(latencies)}


def read_and_decode(app: Any, batch: int = 5000) -> dict[str, float]:
    """Read every event with the library and decode it, doing nothing else."""
    started = time.perf_counter()
    count, position = 0, 0
    while True:
        rows = app.recorder.select_notifications(start=position + 1, limit=batch)
        if not rows:
            break
        for n in rows:
            app.mapper.to_domain_event(n)
        count += len(rows)
        position = rows[-1].id
    elapsed = time.perf_counter() - started
    return {"events": count, "seconds": elapsed, "per_second": count / elapsed}


def copy_out(url: str, query: str) -> dict[str, float]:
    """COPY (query) TO STDOUT: the fastest way PostgreSQL hands over rows."""
    started = time.perf_counter()
    size = 0
    with psycopg.connect(url) as conn, conn.cursor() as cur, \
            cur.copy(f"COPY ({query}) TO STDOUT") as copy:
        for chunk in copy:
            size += len(chunk)
    elapsed = time.perf_counter() - started
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT count(*) FROM ({query}) q").fetchone()[0]  # type: ignore[index]
    return {"rows": rows, "bytes": size, "seconds": elapsed, "per_second": rows / elapsed}


def sha256sum(path: Path) -> dict[str, float]:
    """`sha256sum` over the file (the coreutils binary if present, else hashlib)."""
    lines = sum(1 for _ in path.open("rb"))
    started = time.perf_counter()
    try:
        subprocess.run(["sha256sum", str(path)], check=True, capture_output=True)
    except FileNotFoundError:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    elapsed = time.perf_counter() - started
    return {"lines": lines, "seconds": elapsed, "per_second": lines / elapsed}


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50_ms": 0.0, "p99_ms": 0.0}
    ordered = sorted(samples)
    return {"p50_ms": 1000 * ordered[len(ordered) // 2],
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]}
