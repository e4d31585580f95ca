"""The production layout: gunicorn serves the API and `flask projections run` is its own
process. A view stalled in the projection process is seen by the API processes (from the
database): /health names it, /health/ready is 503, the other views go on, and once the
obstacle is gone the view resumes by itself, the audit chain intact."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
import requests

from domain.organisation.units import unit_id
from projections.audit_verify import verify_store
from web.database import with_search_path

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(180)]


@pytest.fixture
def live_env() -> dict[str, str]:
    return {"THIDUA_PROJECTION_RETRY_MAX": "1"}


def until(found: Callable[[], Any], timeout: float = 60) -> Any:
    """Poll ``found`` until it returns something true (bounded; not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = found()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def health(live: Any, path: str = "/health") -> requests.Response:
    return requests.get(live.base + path, timeout=15)


def test_a_view_stalled_in_the_projection_process_shows_in_the_api(live_server):
    live = live_server
    blocked = str(unit_id("P66"))
    with psycopg.connect(live.url, autocommit=True) as conn:  # the trail refuses that unit
        conn.execute(f"ALTER TABLE views.audit_entries ADD CONSTRAINT refuse_p66 "
                     f"CHECK (object_id <> '{blocked}')")
    r = live.post("/units", json={"code": "P66", "name": "BHXH tỉnh Thử",
                                  "level": "province", "effective": "2020-01-01"})
    assert r.status_code == 201, r.text
    bad = r.json()["position"]
    r = live.post("/units", json={"code": "P67", "name": "BHXH tỉnh Sau",
                                  "level": "province", "effective": "2020-01-01"})
    later = r.json()["position"]

    def stalled() -> Any:
        body = health(live).json()
        audit = body["views"]["audit"]
        return body if audit["state"] == "stalled" and audit["attempts"] >= 2 else None

    body = until(stalled)
    assert body, health(live).json()
    audit = body["views"]["audit"]
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert audit["position"] == bad and audit["topic"] == "thidua:Unit.Registered"
    assert audit["originator_id"] == blocked
    assert audit["error_type"] == "CheckViolation" and "refuse_p66" in audit["error"]
    assert audit["since"] and audit["lag"] >= 2
    ready = health(live, "/health/ready")
    assert ready.status_code == 503 and ready.headers["Retry-After"]
    assert ready.json()["views"]["audit"]["state"] == "stalled"
    # the other views go on: the unit written after the stalled one is readable
    unit = live.get(f"/units/P67?wait_for={later}")
    assert unit.status_code == 200, unit.text
    assert health(live).json()["views"]["registry"] == {"state": "ok", "lag": 0}

    with psycopg.connect(live.url, autocommit=True) as conn:
        conn.execute("ALTER TABLE views.audit_entries DROP CONSTRAINT refuse_p66")

    def healthy() -> Any:
        body = health(live).json()
        return body if body["status"] == "ok" and body["views"]["audit"]["lag"] == 0 else None

    assert until(healthy), health(live).json()
    assert health(live, "/health/ready").status_code == 200
    app = live.services.app
    with psycopg.connect(with_search_path(live.url, "views")) as conn:
        report = verify_store(app, conn, live.services.extra["audit_signer"].key.public_key())
        assert not report.broken, f"the trail continues, no entry lost or doubled: {report}"
        assert conn.execute("SELECT count(*) FROM projection_status").fetchone() == (0,)
    log = (live.services.settings.data_dir / "gunicorn.log").read_text(errors="replace")
    assert log.count("projection 'audit' is stalled at position") == 1, "one traceback"
    assert "projection 'audit' recovered" in log
