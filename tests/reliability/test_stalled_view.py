"""A view that cannot apply an event never looks healthy: the runner narrows the failing
batch to the event, records the stall (for every process), retries it with a back-off and
logs it once per step, the other views go on, and the view resumes when the obstacle goes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from domain.organisation.units import unit_id
from projections.base import wait_for
from projections.runner import ProjectionStalled
from tests.support.core import ROOT

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(120)]

REFUSE_P66 = "ALTER TABLE views.units ADD CONSTRAINT refuse_p66 CHECK (code <> 'P66')"
ALLOW_P66 = "ALTER TABLE views.units DROP CONSTRAINT refuse_p66"


def until(found: Callable[[], Any], timeout: float = 30) -> Any:
    """Poll ``found`` until it returns something true (bounded; not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = found()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def sql(url: str, statement: str) -> list[Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement)
        return cur.fetchall() if cur.description else []


def register(app: Any, code: str) -> int:
    position = app.register_unit(ROOT, code=code, name=f"Đơn vị {code}", level="central",
                                 parent_code=None, effective="2020-01-01").position
    return int(position)


def positions(services: Any) -> dict[str, int]:
    return {n: p.view.position(services.app.name) for n, p in services.projections.items()}


def test_a_failing_batch_names_its_event_and_the_other_views_go_on(services, db_url, caplog):
    runner, app = services.runner, services.app
    runner.stop()  # drive it by hand: one batch holding the good, the bad and the good
    sql(db_url, REFUSE_P66)
    before = register(app, "P65")
    bad = register(app, "P66")
    after = register(app, "P67")
    head = runner.head()
    caplog.set_level(logging.WARNING, logger="projections.runner")

    for _ in range(3):
        with pytest.raises(ProjectionStalled) as raised:
            runner.catch_up()
    stall = raised.value.stalls[0]
    assert [s.projection for s in raised.value.stalls] == ["registry"]
    assert (stall.position, stall.topic) == (bad, "thidua:Unit.Registered")
    assert stall.originator_id == str(unit_id("P66"))
    assert stall.error_type == "CheckViolation" and "refuse_p66" in stall.error
    assert "Failing row" not in stall.error  # PostgreSQL's DETAIL repeats the row's values
    assert stall.attempts == 3
    at = positions(services)
    assert at["registry"] == bad - 1, "the events before the culprit are applied"
    assert before < bad < after
    assert all(at[n] == head for n in ("elections", "evaluation", "audit")), at
    with services.reads.connection() as conn:
        codes = {r[0] for r in conn.execute("SELECT code FROM units")}
        row = conn.execute("SELECT position, attempts FROM projection_status "
                           "WHERE projection = 'registry'").fetchone()
    assert "P65" in codes and "P66" not in codes
    assert row == (bad, 3), "the stall is recorded where another process can read it"
    stalls = [r for r in caplog.records if "stalled at position" in r.getMessage()]
    assert len(stalls) == 3 and sum(1 for r in stalls if r.exc_info) == 1, \
        "one traceback, then one line per attempt"

    sql(db_url, ALLOW_P66)
    assert runner.catch_up() >= 2
    assert positions(services)["registry"] == head
    assert not runner.stalls
    assert any("recovered" in r.getMessage() for r in caplog.records)
    with services.reads.connection() as conn:
        assert conn.execute("SELECT count(*) FROM projection_status").fetchone() == (0,)
        codes = {r[0] for r in conn.execute("SELECT code FROM units")}
    assert {"P65", "P66", "P67"} <= codes


def test_health_names_a_stalled_view_until_it_resumes(api, services, db_url, caplog):
    runner = services.runner  # the in-process runner thread, as `make run` has it
    runner.retry_max = 0.5
    caplog.set_level(logging.WARNING, logger="projections.runner")
    assert api.client.get("/health/ready").status_code == 200
    sql(db_url, REFUSE_P66)
    r = api.post("/units", json={"code": "P66", "name": "BHXH tỉnh Thử", "level": "province",
                                 "effective": "2020-01-01"})
    assert r.status_code == 201, r.get_json()
    bad = r.get_json()["position"]
    later = register(services.app, "P68")

    def stalled() -> Any:
        body = api.client.get("/health").get_json()
        view = body["views"]["registry"]
        return body if view["state"] == "stalled" and view["attempts"] >= 3 else None

    body = until(stalled)
    assert body, api.client.get("/health").get_json()
    view = body["views"]["registry"]
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert view["position"] == bad and view["topic"] == "thidua:Unit.Registered"
    assert view["error_type"] == "CheckViolation" and "refuse_p66" in view["error"]
    assert view["since"] and view["lag"] >= 2 and "Traceback" not in str(body)
    assert all(body["views"][n]["state"] == "ok" for n in ("elections", "evaluation", "audit"))
    audit = services.projections["audit"].view
    assert wait_for(audit, services.app.name, later, 30), "the other views go on"
    ready = api.client.get("/health/ready")
    assert ready.status_code == 503 and ready.headers["Retry-After"]
    assert ready.get_json()["views"]["registry"]["state"] == "stalled"
    tracebacks = [r for r in caplog.records if r.exc_info and "registry" in r.getMessage()]
    assert len(tracebacks) == 1, "a traceback the first time only, not at every retry"

    sql(db_url, ALLOW_P66)

    def healthy() -> Any:
        body = api.client.get("/health").get_json()
        return body if body["status"] == "ok" and body["views"]["registry"]["lag"] == 0 \
            else None

    assert until(healthy), api.client.get("/health").get_json()
    assert api.client.get("/health/ready").status_code == 200
    assert api.get("/units/P66").status_code == 200
    assert api.get("/units/P68").status_code == 200


def test_catch_up_on_the_command_line_names_the_stalled_view(services, flask_app, db_url):
    services.runner.stop()
    sql(db_url, REFUSE_P66)
    bad = register(services.app, "P66")
    result = flask_app.test_cli_runner().invoke(args=["projections", "catch-up"])
    assert result.exit_code == 1
    assert f"view 'registry' is stalled at position {bad}" in result.output
    assert "CheckViolation" in result.output and "Traceback" not in result.output
    sql(db_url, ALLOW_P66)
    result = flask_app.test_cli_runner().invoke(args=["projections", "catch-up"])
    assert result.exit_code == 0 and "applied" in result.output


def test_a_missing_table_stalls_only_its_view_and_health_still_answers(api, services, db_url):
    runner = services.runner
    runner.stop()
    runner.catch_up()  # what the fixture wrote, before the table goes (the thread may not have)
    sql(db_url, "ALTER TABLE views.unit_periods RENAME TO unit_periods_away")
    bad = register(services.app, "P66")
    with pytest.raises(ProjectionStalled) as raised:
        runner.catch_up()
    (stall,) = raised.value.stalls
    assert (stall.projection, stall.position, stall.error_type) == ("registry", bad,
                                                                    "UndefinedTable")
    sql(db_url, "ALTER TABLE views.registry_tracking RENAME TO registry_tracking_away")
    body = api.client.get("/health").get_json()
    assert body["database"] == "ok" and body["status"] == "degraded", body
    assert body["views"]["registry"]["state"] == "stalled"
    assert body["views"]["audit"] == {"state": "ok", "lag": 0}
    with pytest.raises(ProjectionStalled):
        runner.catch_up()  # its tracking cannot even be read now: still that view alone
    assert api.client.get("/health/ready").status_code == 503

    sql(db_url, "ALTER TABLE views.registry_tracking_away RENAME TO registry_tracking")
    sql(db_url, "ALTER TABLE views.unit_periods_away RENAME TO unit_periods")
    runner.catch_up()
    body = api.client.get("/health").get_json()
    assert body["status"] == "ok" and body["views"]["registry"] == {"state": "ok", "lag": 0}
