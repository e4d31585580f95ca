"""A few clients that open audit exports and never read them do not take the API down (a
real gunicorn, 2 workers x 4 threads, as the README runs it): exports beyond the limit get
429, every other endpoint answers, /health says the database is ok, no database connection
is held by a stalled export, and after the write timeout the stalled ones are cut off."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from domain.kernel.actor import acting
from domain.organisation.units import Unit
from projections.base import wait_for
from tests.support.core import ROOT

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]
LIMIT = 2  # exports at once per process (each of the 2 workers)
WRITE_TIMEOUT = 5
UNITS = 6000  # about 6.5 MB of JSONL: far more than the sockets' buffers hold
STALLED = 7


@pytest.fixture
def live_env() -> dict[str, str]:
    return {"THIDUA_EXPORT_LIMIT": str(LIMIT), "THIDUA_EXPORT_USER_LIMIT": str(LIMIT),
            "THIDUA_EXPORT_WRITE_TIMEOUT": str(WRITE_TIMEOUT)}


def until(found: Callable[[], Any], timeout: float = 60) -> Any:
    """Poll ``found`` until it returns something true (bounded; not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = found()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def fill_trail(live: Any) -> None:
    app = live.services.app
    with acting(ROOT):
        for start in range(0, UNITS, 500):
            app.save(*[Unit(code=f"X{i:05d}", name=f"Đơn vị thử nghiệm số {i} — khu vực "
                            f"{i % 97}", level="central", parent_id=None,
                            effective="2020-01-01") for i in range(start, start + 500)])
    audit = live.services.projections["audit"].view
    assert wait_for(audit, app.name, live.services.runner.head(), 120)


class Export:
    """An export request on a raw socket with a tiny receive buffer, read no further than
    its headers."""

    def __init__(self, live: Any) -> None:
        where = urlsplit(live.base)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(30)
        self.sock.connect((where.hostname, where.port))
        self.sock.sendall(f"GET /audit/events?format=jsonl HTTP/1.1\r\nHost: {where.netloc}"
                          f"\r\nAuthorization: Bearer {live.token}\r\n\r\n".encode())
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""

    def read_headers(self) -> None:
        """Read the status and headers; status 0 if none came (the server is starved)."""
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = self.sock.recv(1024)
                assert chunk, "the server closed the connection before answering"
                data += chunk
        except TimeoutError:
            return
        head, _, self.body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}

    def read_to_end(self) -> None:
        self.sock.settimeout(10)
        size = int(self.headers.get("content-length", 0))
        try:
            while len(self.body) < size and (chunk := self.sock.recv(65536)):
                self.body += chunk
        except (ConnectionResetError, TimeoutError):
            pass
        self.sock.close()


def database_now(url: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT clock_timestamp()").fetchone()[0]


def held_since(url: str, mark: Any) -> int:
    """Connections idle in a transaction that began before ``mark``: one an export opened
    before it answered and still holds while its reader stalls. (A transaction of the
    views or of another request that began later and is between two statements right
    now is not one.)"""
    with psycopg.connect(url, autocommit=True) as conn:
        return int(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND state LIKE 'idle in transaction%%' "
                                "AND xact_start < %s", (mark,)).fetchone()[0])


def test_stalled_exports_do_not_take_the_api_down(live_server, tmp_path):
    live = live_server
    fill_trail(live)
    exports = [Export(live) for _ in range(STALLED)]
    for e in exports:
        e.read_headers()
    answered = database_now(live.url)
    stalled = [e for e in exports if e.status == 200]
    refused = [e for e in exports if e.status == 429]
    assert len(stalled) + len(refused) == STALLED, [e.status for e in exports]
    assert 1 <= len(stalled) <= 2 * LIMIT and refused, "the exports beyond the limit get 429"
    for e in refused:
        e.read_to_end()
        body = json.loads(e.body)
        assert int(e.headers["retry-after"]) > 0
        assert body["code"] == 429 and body["rule"] == "export_capacity"
    size = int(stalled[0].headers["content-length"])
    assert size > 4_000_000

    # while they stall: the others are served, and no database connection waits on a reader
    for _ in range(8):
        assert live.get("/units?page_size=5").status_code == 200
    r = live.post("/units", json={"code": "P01", "name": "BHXH thành phố Hà Nội",
                                  "level": "province", "effective": "2020-01-01"})
    assert r.status_code == 201, r.text
    health = live.get("/health").json()
    assert health["database"] == "ok" and health["status"] == "ok", health
    assert held_since(live.url, answered) == 0, "a stalled export holds no database connection"

    log = tmp_path / "gunicorn.log"
    cut = until(lambda: log.read_text(errors="replace").count("export cut off") >= len(stalled),
                timeout=WRITE_TIMEOUT + 60)
    assert cut, "the stalled exports are cut off after the write timeout"
    for e in stalled:
        e.read_to_end()
        assert len(e.body) < size, "the server gave up on the client that stopped reading"

    later = Export(live)
    later.read_headers()
    assert later.status == 200
    later.read_to_end()
    assert len(later.body) == int(later.headers["content-length"])
    assert live.get("/health").json()["database"] == "ok"
