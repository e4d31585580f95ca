"""A real server process (gunicorn) on its own embedded PostgreSQL, which tests may stop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.core import ROOT
from tests.support.database import terminate_connections  # noqa: F401
from tests.support.live import ROOT_DIR, LiveServer, free_port, wait_http
from web.bootstrap import bootstrap
from web.database import embedded_server
from web.settings import Settings


@pytest.fixture
def live_env() -> dict[str, str]:
    """More environment for the live server's processes (a test module may override it)."""
    return {}


@pytest.fixture
def live_server(tmp_path: Path, live_env: dict[str, str]) -> Iterator[LiveServer]:
    """gunicorn with two workers and a projection worker, on a private embedded PostgreSQL.

    The server's data lives outside pytest's temporary tree, whose permissions pytest resets
    to owner-only (the embedded server runs as its own system user)."""
    data = Path(tempfile.mkdtemp(prefix="thidua-live-"))
    server = embedded_server(data)
    url = str(server.get_uri())
    settings = Settings(database_url=url, data_dir=tmp_path, pool_size=2, pool_overflow=2)
    services = bootstrap(settings, start_projections=False)
    services.app.register_unit(ROOT, code="VTDKT", name="Vụ Thi đua - Khen thưởng",
                               level="central", parent_code=None, effective="2020-01-01")
    services.app.register_user(ROOT, username="admin", full_name="Admin",
                               roles=["admin", "standing_office"], unit_code="VTDKT")
    token = services.app.issue_token(ROOT, "admin").view["secret"]
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "THIDUA_DATA_DIR": str(tmp_path),
           "THIDUA_POOL_SIZE": "2", "THIDUA_POOL_OVERFLOW": "2", "PYTHONUNBUFFERED": "1",
           **live_env}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    bin_dir = Path(sys.executable).parent
    process = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "web:create_app()"], cwd=ROOT_DIR, env=env, stdout=log, stderr=log)
    worker = subprocess.Popen([str(bin_dir / "flask"), "--app", "web:create_app",
                               "projections", "run"], cwd=ROOT_DIR, env=env, stdout=log,
                              stderr=log)
    try:
        wait_http(f"http://127.0.0.1:{port}/health")
        yield LiveServer(f"http://127.0.0.1:{port}", url, token, server, services, process)
    finally:
        for p in (process, worker):
            p.terminate()
        for p in (process, worker):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
        services.close()
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)
