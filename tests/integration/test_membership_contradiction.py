"""A projection never hides a contradiction: a membership the record holds that would put a
unit in two groups of one kind at once, however it got recorded (an event written past the
guard, a view row edited by hand), stops the registry view where it is met: the runner marks
it stalled and /health says so. Replay compares every view table, so a row edited in one is
reported."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from domain.kernel.errors import RuleViolation
from domain.organisation.units import unit_id
from projections.base import wait_for
from projections.replay import NOT_FROM_EVENTS, compared_tables, rebuild_and_compare
from projections.runner import ProjectionStalled
from tests.support.core import ROOT
from web.bootstrap import build_projections
from web.database import migrate

pytestmark = pytest.mark.timeout(120)

YEAR = 2025


def sql(url: str, statement: str, *args: Any) -> list[Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, args)
        return cur.fetchall() if cur.description else []


def blocks(app: Any) -> tuple[str, str]:
    """K1 holds B1 and B2 from 1 January; B2 moves to K2 from 1 July (legal)."""
    for code in ("B1", "B2", "B3"):
        app.register_unit(ROOT, code=code, name=f"Ban {code}", level="central",
                          parent_code=None, effective="2020-01-01")
    k1 = app.form_group(ROOT, year=YEAR, kind="block", code="K1", name="Khối 1",
                        members=["B1", "B2"]).view["id"]
    k2 = app.form_group(ROOT, year=YEAR, kind="block", code="K2", name="Khối 2",
                        members=["B3"]).view["id"]
    app.remove_member(ROOT, year=YEAR, group=k1, member="B2", reason="Chuyển khối",
                      effective="2025-07-01")
    app.add_members(ROOT, year=YEAR, group=k2, members=["B2"], effective="2025-07-01")
    return k1, k2


def memberships(services: Any, code: str) -> list[tuple[Any, ...]]:
    with services.reads.connection() as conn:
        return conn.execute(
            "SELECT g.code, m.effective_from::text, m.effective_until::text FROM group_members m "
            "JOIN groups g ON g.id = m.group_id WHERE m.unit_id = %s ORDER BY 2",
            (str(unit_id(code)),)).fetchall()


def replay(services: Any, year: int | None = YEAR) -> Any:
    return rebuild_and_compare(services.app, services.url, services.projections, "views",
                               migrate=migrate, build=build_projections, year=year)


def test_the_aggregate_refuses_the_contradiction_before_its_event(services):
    app = services.app
    k1, k2 = blocks(app)
    years = app.group_year(YEAR)
    with pytest.raises(RuleViolation) as e:
        years.add_members(group_id=k2, members=[str(unit_id("B1"))], effective="2025-06-01")
    assert e.value.rule == "one_group_per_kind_at_a_time"
    assert not years.collect_events(), "nothing recorded"


def test_a_contradicting_event_in_the_store_stalls_the_view_loudly(api, services):
    app, runner = services.app, services.runner
    k1, k2 = blocks(app)
    head = runner.head()
    assert wait_for(services.projections["registry"].view, app.name, head, 30)
    runner.stop()
    # past the guard: the event method itself, as a store written by other means would hold
    years = app.group_year(YEAR)
    years._members_added(group_id=k2, members=[str(unit_id("B1"))],  # noqa: SLF001
                         effective="2025-06-01")
    bad = app.save(years)[-1].notification.id
    with pytest.raises(ProjectionStalled) as raised:
        runner.catch_up()
    (stall,) = raised.value.stalls
    assert (stall.projection, stall.position) == ("registry", bad)
    assert stall.topic == "thidua:GroupYear.MembersAdded"
    assert stall.error_type == "ViewContradiction"
    assert "two block groups of 2025 at once" in stall.error and "K1" in stall.error
    assert memberships(services, "B1") == [("K1", "2025-01-01", None)], "nothing dropped"
    body = api.client.get("/health").get_json()
    assert body["status"] == "degraded", body
    view = body["views"]["registry"]
    assert view["state"] == "stalled" and view["error_type"] == "ViewContradiction"
    assert view["position"] == bad
    assert api.client.get("/health/ready").status_code == 503


def test_an_edited_row_is_reported_by_replay_and_stalls_the_view_when_met(api, services,
                                                                          db_url):
    app, runner = services.app, services.runner
    k1, k2 = blocks(app)
    head = runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, app.name, head, 30)
    assert memberships(services, "B2") == [("K1", "2025-01-01", "2025-07-01"),
                                           ("K2", "2025-07-01", None)]
    report = replay(services)
    assert report.equal, str(report)
    # replay compares every table the projections write (all but the bookkeeping)
    with psycopg.connect(db_url, autocommit=True) as conn:
        every = set(compared_tables(conn, "views"))
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'views' "
            "AND table_type = 'BASE TABLE'")}
    assert set(report.tables) == every
    assert every == {t for t in tables if not t.endswith("_tracking") and "yoyo" not in t
                     and t not in NOT_FROM_EVENTS}
    assert {"group_members", "district_partitions", "membership_decisions", "unit_periods",
            "groups", "units"} <= every

    # a row edited by hand: B2 in K1 to the end of the year (it left on 1 July)
    sql(db_url, "UPDATE views.group_members SET effective_until = NULL WHERE unit_id = %s "
                "AND group_id = %s", str(unit_id("B2")), k1)
    report = replay(services)
    assert not report.equal and report.difference is not None
    assert report.difference.table == "group_members"
    assert report.difference.live_only is not None
    assert report.difference.live_only["effective_until"] is None
    assert report.difference.rebuilt_only["effective_until"] == "2025-07-01"
    assert "DIFFERENT" in str(report) and "group_members" in str(report)

    # the next change that meets the edited row stops the view there, loudly
    runner.stop()
    app.remove_member(ROOT, year=YEAR, group=k2, member="B2", reason="Về khối cũ",
                      effective="2025-10-01")
    back = app.add_members(ROOT, year=YEAR, group=k1, members=["B2"],
                           effective="2025-10-01").position
    with pytest.raises(ProjectionStalled) as raised:
        runner.catch_up()
    (stall,) = raised.value.stalls
    assert stall.position == back and stall.error_type == "ViewContradiction"
    assert api.client.get("/health").get_json()["views"]["registry"]["state"] == "stalled"


def test_a_removal_the_view_cannot_find_stalls_the_view(services, db_url):
    app, runner = services.app, services.runner
    k1, _ = blocks(app)
    head = runner.head()
    assert wait_for(services.projections["registry"].view, app.name, head, 30)
    runner.stop()
    sql(db_url, "DELETE FROM views.group_members WHERE unit_id = %s", str(unit_id("B1")))
    gone = app.remove_member(ROOT, year=YEAR, group=k1, member="B1", reason="Giải thể",
                             effective="2025-08-01").position
    with pytest.raises(ProjectionStalled) as raised:
        runner.catch_up()
    (stall,) = raised.value.stalls
    assert (stall.position, stall.error_type) == (gone, "ViewContradiction")
    assert "holds no membership" in stall.error


def test_the_registry_view_keeps_no_quiet_conflict_clause():
    """The view's statements name no ON CONFLICT DO NOTHING (a rule would be hidden)."""
    import inspect

    from projections import registry
    assert "DO NOTHING" not in inspect.getsource(registry).upper()


def test_replay_finds_a_row_deleted_from_any_view_table(services, db_url):
    """Every table replay compares is really compared: a row taken out of any of them (one at
    a time, put back after) is the difference reported, in that table."""
    from psycopg.sql import SQL, Identifier

    from projections.replay import compare_schemas
    from tests.support.replay import generate_year

    generate_year(services, YEAR - 1)
    blocks(services.app)
    head = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, head, 30)
    report = rebuild_and_compare(services.app, services.url, services.projections, "views",
                                 migrate=migrate, build=build_projections, keep=True)
    assert report.equal, str(report)
    scratch = sql(db_url, "SELECT schema_name FROM information_schema.schemata WHERE "
                          "schema_name LIKE 'replay_%%'")[0][0]
    checked = []
    with psycopg.connect(db_url, autocommit=True) as conn:
        for table in compared_tables(conn, "views"):
            t = SQL("views.{}").format(Identifier(table))
            if not conn.execute(SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]:
                continue
            conn.execute(SQL("CREATE TEMP TABLE kept AS SELECT * FROM {} LIMIT 1").format(t))
            conn.execute(SQL("DELETE FROM {} WHERE ctid IN (SELECT ctid FROM {} LIMIT 1)")
                         .format(t, t))
            _, difference = compare_schemas(db_url, "views", scratch)
            assert difference is not None and difference.table == table, (table, difference)
            assert difference.rebuilt_only is not None
            conn.execute(SQL("INSERT INTO {} SELECT * FROM kept").format(t))
            conn.execute("DROP TABLE kept")
            checked.append(table)
        assert compare_schemas(db_url, "views", scratch)[1] is None
        conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(scratch)))
    assert {"units", "unit_periods", "groups", "group_members", "group_years",
            "district_partitions", "users", "tokens", "audit_entries"} <= set(checked), checked
