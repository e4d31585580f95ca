"""Late commits are never skipped by the projections; health reports lag and readiness."""

import threading
import time

import psycopg
import pytest

from domain.organisation.units import Unit
from tests.support.core import ROOT

pytestmark = pytest.mark.reliability


def test_a_late_commit_with_an_earlier_position_is_not_skipped(services, db_url):
    app, runner = services.app, services.runner
    runner.stop()  # drive the projections by hand
    early = Unit(code="EARLY", name="Đơn vị đến muộn", level="central", parent_id=None,
                 effective="2020-01-01")
    stored = app.mapper.to_stored_event(early.collect_events()[0])
    holder = psycopg.connect(db_url)
    holder.execute("INSERT INTO public.thidua_events (originator_id, originator_version, "
                   "topic, state) VALUES (%s, %s, %s, %s)",
                   (stored.originator_id, stored.originator_version, stored.topic,
                    stored.state))  # holds an earlier position, not yet committed
    done = threading.Event()

    def later() -> None:
        app.register_unit(ROOT, code="LATER", name="Đơn vị đến sau", level="central",
                          parent_code=None, effective="2020-01-01")
        done.set()

    thread = threading.Thread(target=later)
    thread.start()
    time.sleep(1.0)
    runner.catch_up()
    assert not done.is_set(), "a later position cannot commit while an earlier one is open"
    holder.commit()
    holder.close()
    thread.join(timeout=10)
    assert done.is_set()
    runner.catch_up()
    with services.reads.connection() as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM units ORDER BY position")]
    assert codes == ["EARLY", "LATER"]
    assert runner.lag() == {name: 0 for name in services.projections}


def test_health_reports_lag_and_readiness(client, services):
    services.runner.stop()
    object.__setattr__(services.settings, "ready_max_lag", 0)
    body = client.get("/health").get_json()
    assert body["database"] == "ok" and set(body["projections"]) == set(services.projections)
    assert "last_checkpoint" in body
    services.app.register_unit(ROOT, code="H1", name="Đơn vị", level="central",
                               parent_code=None, effective="2020-01-01")
    behind = client.get("/health/ready")
    assert behind.status_code == 503 and behind.headers["Retry-After"]
    assert max(behind.get_json()["projections"].values()) >= 1
    services.runner.catch_up()
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ok"


def test_health_when_the_database_is_down(client, services):
    services.breaker.trip()
    r = client.get("/units")
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.get_json()["rule"] == "database_available"
    assert services.breaker.probe() is True  # it is up: the probe closes the breaker
    assert client.get("/health").status_code == 200
