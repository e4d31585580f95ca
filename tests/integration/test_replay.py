"""Replay: rebuilding every view from the events gives the live views; a planted difference
is found and named. Also the generator of a small year the audit tests share."""

from __future__ import annotations

from typing import Any

import psycopg

from domain.kernel.actor import Actor
from domain.organisation.units import unit_id
from domain.sample.loader import load_sample
from projections.base import wait_for
from projections.replay import rebuild_and_compare
from tests.conftest import ROOT
from web.bootstrap import build_projections
from web.database import migrate

YEAR = 2024


def member(code: str) -> Actor:
    return Actor(user_id=f"test:{code.lower()}", user_name=f"officer-{code.lower()}",
                 roles=("officer",), unit_id=str(unit_id(code)), unit_code=code,
                 source="10.0.0.9", request_id=f"req-{code}")


def generate_year(services: Any, year: int = YEAR) -> int:
    """A small year through the real use cases: units, groups, district partitions, users and
    tokens, a rename, a member removed with a reason, and an election if the area exists.
    Returns the head position once every view has reached it."""
    app = services.app
    load_sample(app, ROOT, year=year, provinces=2)
    app.register_user(ROOT, username="thanh.tra", full_name="Trần Thị Thanh Tra",
                      roles=["inspector"], unit_code=None)
    token = app.issue_token(ROOT, "thanh.tra", label="kiểm tra 2024").view
    app.revoke_token(ROOT, token["id"], reason="Hết nhiệm vụ kiểm tra")
    app.rename_unit(ROOT, "P02", name="BHXH tỉnh Tuyên Quang (sáp nhập)",
                    effective=f"{year}-07-01")
    groups = app.group_year(year).groups
    block = next(g for g in groups.values() if g["kind"] == "block")
    if hasattr(app, "open_election"):
        codes = [app.repository.get(uid).code for uid in block["members"]]
        election = app.open_election(ROOT, group_id=block["id"], year=year,
                                     meeting_date=f"{year}-12-15",
                                     place="Hội trường BHXH Việt Nam", present=codes).view
        app.put_forward(ROOT, election["id"], unit_code=codes[0], seat="head")
        for code in codes:
            app.cast_ballot(member(code), election["id"], seat="head", candidate_code=codes[0])
        app.declare_result(ROOT, election["id"])
    last = sorted(block["members"])[-1]
    app.remove_member(ROOT, year=year, group=block["id"],
                      member=app.repository.get(last).code, reason="Đơn vị giải thể")
    return wait_all(services)


def wait_all(services: Any) -> int:
    head = services.runner.head()
    for projection in services.projections.values():
        assert wait_for(projection.view, services.app.name, head, 30), projection.name
    return head


def replay(services: Any, year: int | None = YEAR) -> Any:
    return rebuild_and_compare(services.app, services.url, services.projections, "views",
                               migrate=migrate, build=build_projections, year=year)


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
