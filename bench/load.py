"""Load over HTTP: a service under gunicorn with thidua's production settings, and concurrent
clients that each work through their share of the items, every request timed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from bench.raw import percentiles

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 4, 4
RETRIES = 3  # a 409 (another request changed the record first) is tried again, as a client would


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path) -> Iterator[str]:
    """``app`` (a gunicorn app spec) served on a free port by WORKERS × THREADS; yields its
    base URL once /health answers."""
    port = free_port()
    bin_dir = Path(sys.executable).parent
    with log.open("wb") as out:
        server = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", str(WORKERS), "--threads",
                                   str(THREADS), "-b", f"127.0.0.1:{port}", app], cwd=ROOT,
                                  env={**os.environ, **env}, stdout=out, stderr=out)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(base + "/health", server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, server: subprocess.Popen[bytes] | None = None,
              timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server stopped before answering {url}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise TimeoutError(url)


class Client:
    """One client's session: ``call`` sends a request, times it, tries a 409 again, and
    answers the JSON body, or None when the request failed (its status recorded)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.latencies: list[float] = []
        self.failures: list[int] = []
        self.retries = 0

    def call(self, method: str, path: str, body: Any, token: str) -> dict[str, Any] | None:
        headers = {"Authorization": f"Bearer {token}"}
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            try:
                r = self.session.request(method, self.base + path, json=body,
                                         headers=headers, timeout=120)
                status = r.status_code
            except requests.RequestException:
                status = 599
            self.latencies.append(time.perf_counter() - started)
            if status == 409 and attempt < RETRIES:
                self.retries += 1
                continue
            if status >= 300:
                self.failures.append(status)
                return None
            return dict(r.json())
        return None


def drive(base: str, work: list[Any], clients: int,
          item: Callable[[Client, Any], None]) -> dict[str, Any]:
    """``clients`` threads, each with its share of ``work`` (dealt round robin), each item
    done by ``item(client, work_item)``; timed from the moment all are ready to the last
    one's end."""
    queues = [work[i::clients] for i in range(clients)]
    barrier = threading.Barrier(clients + 1)
    done: list[Client] = []
    per_item: list[float] = []
    lock = threading.Lock()

    def run(items: list[Any]) -> None:
        c = Client(base)
        times = []
        barrier.wait()
        for x in items:
            started = time.perf_counter()
            failed = len(c.failures)
            item(c, x)
            if len(c.failures) == failed:
                times.append(time.perf_counter() - started)
        with lock:
            done.append(c)
            per_item.extend(times)

    threads = [threading.Thread(target=run, args=(q,)) for q in queues]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies = [x for c in done for x in c.latencies]
    failures = [x for c in done for x in c.failures]
    retries = sum(c.retries for c in done)
    answered = len(latencies) - len(failures) - retries  # requests that did what they asked
    items = {f"item_{k}": v for k, v in percentiles(per_item).items()}
    return {"items": len(work), "items_done": len(per_item), "requests": len(latencies),
            "requests_ok": answered, "failures": len(failures),
            "failure_statuses": sorted(set(failures)), "retries": retries, "seconds": elapsed,
            "per_second": answered / elapsed, "items_per_second": len(per_item) / elapsed,
            **percentiles(latencies), **items}
