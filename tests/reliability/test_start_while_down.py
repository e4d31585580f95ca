"""A server process that starts, or replaces a worker, while the database is away keeps
running: it answers 503 with Retry-After (its health says the database is down) and serves
as soon as the database is back, without a restart. gunicorn stops altogether when a worker
fails to start, so a worker replaced during an outage must not fail."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.support.core import ROOT
from tests.support.live import ROOT_DIR, free_port, wait_http
from web.bootstrap import bootstrap
from web.database import embedded_server
from web.extensions.startup import RETRY_SECONDS
from web.settings import Settings

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]


def workers_of(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_started_and_a_worker_replaced_while_the_database_is_down(tmp_path):
    data = Path(tempfile.mkdtemp(prefix="thidua-live-"))
    server = embedded_server(data)
    url = str(server.get_uri())
    services = bootstrap(Settings(database_url=url, data_dir=tmp_path), start_projections=False)
    services.app.register_unit(ROOT, code="VTDKT", name="Vụ Thi đua - Khen thưởng",
                               level="central", parent_code=None, effective="2020-01-01")
    services.app.register_user(ROOT, username="admin", full_name="Admin",
                               roles=["admin", "standing_office"], unit_code="VTDKT")
    token = services.app.issue_token(ROOT, "admin").view["secret"]
    services.close()
    server.stop()  # the database is away before the API starts
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    env = {**os.environ, "DATABASE_URL": url, "THIDUA_DATA_DIR": str(tmp_path),
           "THIDUA_POOL_SIZE": "2", "THIDUA_POOL_OVERFLOW": "2"}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "--threads", "2", "-b",
         f"127.0.0.1:{port}", "--timeout", "60", "web:create_app()"], cwd=ROOT_DIR, env=env,
        stdout=log, stderr=log)
    try:
        wait_http(base + "/health")
        health = requests.get(base + "/health", timeout=10)
        assert health.status_code == 503 and health.json()["database"] == "down"
        assert health.headers["Retry-After"]
        refused = requests.get(base + "/units", headers=auth, timeout=10)
        assert refused.status_code == 503 and refused.headers["Retry-After"]
        assert refused.json()["rule"] == "database_available"

        # a worker dies during the outage; its replacement starts without the database
        first = workers_of(process.pid)
        assert len(first) == 2, first
        os.kill(first[0], signal.SIGKILL)
        assert until(lambda: len(set(workers_of(process.pid)) - {first[0]}) == 2, 60)
        time.sleep(3)  # long enough for a replacement that failed to take gunicorn down
        assert process.poll() is None, "gunicorn kept running"
        assert requests.get(base + "/units", headers=auth, timeout=10).status_code == 503

        server.start()  # the database is back; the API is not restarted
        assert until(lambda: requests.get(base + "/health", timeout=10).status_code == 200,
                     60)
        # every worker serves once its next try comes (each tries at most every
        # RETRY_SECONDS, on a request; until then it answers 503 with Retry-After): then each
        # answers its share of reads and writes, and keeps on
        def reads() -> set[int]:
            return {requests.get(base + "/units?code=VTDKT", headers=auth,
                                 timeout=30).status_code for _ in range(20)}

        assert until(lambda: reads() == {200}, 10 * RETRY_SECONDS)
        created = requests.post(base + "/units", headers=auth, timeout=30, json={
            "code": "P01", "name": "BHXH tỉnh Một", "level": "province",
            "effective": "2024-01-01"})
        assert created.status_code == 201, created.text
        assert reads() == {200}
        assert process.poll() is None
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)
