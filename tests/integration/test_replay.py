"""Replay: rebuilding every view from the events gives the live views; a planted difference
is found and named. Also the generator of a small year the audit tests share."""

from __future__ import annotations

import psycopg

from projections.replay import rebuild_and_compare
from tests.support.replay import (  # noqa: F401
    YEAR,
    generate_year,
    judge_and_document,
    member,
    replay,
    wait_all,
)
from web.bootstrap import build_projections
from web.database import migrate


def test_replay_of_a_generated_year_is_equal(services):
    head = generate_year(services)
    ticks: list[int] = []
    report = rebuild_and_compare(services.app, services.url, services.projections, "views",
                                 migrate=migrate, build=build_projections, year=YEAR,
                                 progress=ticks.append)
    assert report.equal, str(report)
    assert report.position == head
    assert sum(ticks) == head * len(services.projections)
    assert {"units", "groups", "group_members", "audit_entries"} <= set(report.tables)
    assert report.tables["audit_entries"] > 0
    assert "EQUAL" in str(report)
    with psycopg.connect(services.url) as conn:  # the scratch schema is gone
        left = conn.execute("SELECT count(*) FROM information_schema.schemata WHERE "
                            "schema_name LIKE 'replay_%'").fetchone()
    assert left == (0,)


def test_replay_is_equal_after_a_judging_the_groups_documents_and_the_titles(services):
    generate_year(services)
    head = judge_and_document(services)
    report = replay(services)
    assert report.equal, str(report)
    assert report.position == head
    for table in ("judging_rule_sets", "judgings", "judging_rounds", "judging_candidates",
                  "judging_turnout", "judging_ballots", "judging_proposals",
                  "group_regulation_versions", "group_plans", "group_plan_revisions",
                  "group_plan_inspections", "covenant_findings"):
        assert report.tables.get(table, 0) > 0, (table, report.tables)
    with psycopg.connect(services.url) as conn:
        row = conn.execute("SELECT outcome, decision_number FROM views.judging_proposals"
                           ).fetchone()
        finding = conn.execute("SELECT inspection FROM views.covenant_findings").fetchone()
    assert row == ("awarded", "9/QĐ-BHXH") and finding == ("KT1",)
    # a difference planted in a new view is found and named
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE views.judging_proposals SET votes = votes + 1")
    report = replay(services)
    assert not report.equal and report.difference.table == "judging_proposals"


def test_replay_names_a_difference_planted_in_a_view(services):
    generate_year(services)
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE views.units SET name = 'Đã sửa trong cơ sở dữ liệu' "
                     "WHERE code = 'P01'")
    report = replay(services)
    assert not report.equal
    assert report.difference is not None
    assert report.difference.table == "units"
    assert report.difference.live_only is not None
    assert report.difference.live_only["code"] == "P01"
    assert report.difference.live_only["name"] == "Đã sửa trong cơ sở dữ liệu"
    assert report.difference.rebuilt_only["name"] == "BHXH thành phố Hà Nội"
    assert "table units" in str(report)


def test_replay_finds_a_row_deleted_from_a_view_of_the_year(services):
    generate_year(services)
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("DELETE FROM views.group_members WHERE ctid IN (SELECT ctid FROM "
                     "views.group_members WHERE year = %s LIMIT 1)", (YEAR,))
    report = replay(services)
    assert not report.equal
    assert report.difference.table == "group_members"
    assert report.difference.live_only is None and report.difference.rebuilt_only is not None


def test_flask_replay_command(services, settings):
    from web.app import create_app

    generate_year(services)
    runner = create_app(settings, services).test_cli_runner()
    result = runner.invoke(args=["replay", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "EQUAL" in result.output
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE views.groups SET name = 'x' WHERE year = %s", (YEAR,))
    result = runner.invoke(args=["replay", str(YEAR)])
    assert result.exit_code == 1
    assert "DIFFERENT" in result.output and "table groups" in result.output


def test_replay_of_a_province_s_district_year_is_equal(services):
    """A province's district cycle run to its decision (tests/support/district.py): the
    district views and the sheets they join rebuild equal, and a row planted in one is
    found."""
    from datetime import UTC, datetime

    from tests.support.district import YEAR as DISTRICT_YEAR
    from tests.support.district import district_year_to_decision

    app = services.app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    district_year_to_decision(app)
    wait_all(services)
    report = replay(services, DISTRICT_YEAR)
    assert report.equal, str(report)
    assert report.tables["dist_cycles"] == 1 and report.tables["dist_cycle_units"] == 10
    assert report.tables["dist_nominations"] > 0 and report.tables["dist_summaries"] == 1
    with psycopg.connect(services.url, autocommit=True) as conn:
        conn.execute("UPDATE views.dist_cycle_units SET group_code = 'N9' WHERE code = 'PAD1'")
    report = replay(services, DISTRICT_YEAR)
    assert not report.equal and report.difference.table == "dist_cycle_units"
