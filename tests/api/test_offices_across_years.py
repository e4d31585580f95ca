"""Offices across years (domain.md §7, letter 4268 A.I.1), through the API on PostgreSQL: a
group continues from year to year under its code (or a declared predecessor); the head and
deputy elected at a summary meeting run it from their election until the next election of
the group's line, whatever year the records are in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.organisation.units import unit_id
from tests.support.core import ROOT
from tests.support.elections import (  # noqa: F401
    CODES,
    candidate,
    cluster,
    declare,
    elect,
    ok,
    refused,
    vote,
)

TARGETS = [{"code": "THU_BHXH", "name": "Tỷ lệ thu BHXH so với kế hoạch",
            "unit_of_measure": "%", "target": "100", "direction": "at_least"}]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def form(api: Any, year: int, code: str = "C1", members: list[str] | None = None,
         **extra: Any) -> dict[str, Any]:
    done = api.services.app.form_group(ROOT, year=year, kind="provincial_cluster", code=code,
                                       name=f"Cụm thi đua {code}",
                                       members=CODES if members is None else members, **extra)
    api.last_position = max(api.last_position, done.position)
    return done.view  # type: ignore[no-any-return]


def launch(api: Any, gid: str, year: int, who: str) -> Any:
    return api.post("/covenants", who, json={
        "group_id": gid, "year": year, "title": f"Giao ước thi đua năm {year}",
        "launched_on": f"{year}-01-20", "targets": TARGETS})


@pytest.fixture
def two_years(api: Any, cluster: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """C1 in 2024 (P01 head, P02 deputy, elected early in 2024) and its continuation C1 in
    2025; at the 2024 summary meeting (20 December 2024) P03 is elected head and P04 deputy
    for the next term."""
    app = api.services.app
    for c in ("P03", "P04"):
        api.user(f"sec{c[1:]}", ["group_secretariat"], c)
    app.clock = lambda: at("2024-02-01T03:00:00")
    elect(api, cluster["id"], {c: "P01" for c in CODES}, {c: "P02" for c in CODES},
          heads=["P01"], deputies=["P02"], term=2024)
    g2025 = form(api, 2025)
    app.clock = lambda: at("2024-12-20T03:00:00")
    elect(api, cluster["id"], {c: "P03" for c in CODES}, {c: "P04" for c in CODES},
          heads=["P03"], deputies=["P04"])
    app.clock = lambda: at("2025-01-20T03:00:00")
    return {"g2024": cluster, "g2025": g2025}


def test_the_head_elected_in_december_runs_the_next_years_group(api, two_years):
    g2025 = two_years["g2025"]["id"]
    app = api.services.app
    # the head elected at the 2024 meeting launches the 2025 covenant
    cov = ok(launch(api, g2025, 2025, "sec03"))
    assert cov["year"] == 2025 and cov["group_id"] == g2025
    assert app.head_units(g2025, 2025) == (str(unit_id("P03")), str(unit_id("P04")))
    # the deputy acts for the head; the heads of the term before have handed over
    ok(api.post(f"/covenants/{cov['id']}/findings", "sec04", json={
        "member_code": "P05", "inspected_on": "2025-03-01", "assessment": "kept",
        "summary": "Thực hiện đầy đủ."}))
    refused(api.post(f"/covenants/{cov['id']}/findings", "sec01", json={
        "member_code": "P05", "inspected_on": "2025-03-01", "assessment": "kept",
        "summary": "x"}), 403, "finding.record")
    refused(launch(api, two_years["g2024"]["id"], 2024, "sec02"), 403, "covenant.launch")
    # the state of the 2025 group shows the sitting head and deputy with their election
    state = ok(api.get(f"/groups/{g2025}/state?year=2025"), 200)
    assert state["head"]["unit_code"] == "P03" and state["head"]["term"] == 2025
    assert state["deputy"]["unit_code"] == "P04"
    assert state["head"]["status"] == "sitting"
    # the new head's secretariat runs the 2025 group's own summary election
    eid = ok(api.post("/elections", "sec03", json={
        "group_id": g2025, "year": 2025, "meeting_date": "2025-12-19", "place": "Hà Nội",
        "present": CODES}))["id"]
    # rotation reaches back through the line: P03 was head of term 2025
    refused(candidate(api, eid, "P03", "head", "sec03"), 422, "rotation_head_not_repeated")


def test_a_group_declared_to_continue_another_code_keeps_its_office(api, two_years):
    app = api.services.app
    # C2 of 2025 is a new group (no C2 in 2024): nobody heads it yet
    g_new = form(api, 2025, code="C2", members=["P99"])
    assert app.head_units(g_new["id"], 2025) == ()
    refused(launch(api, g_new["id"], 2025, "sec03"), 403, "covenant.launch")
    # C9 of 2026 declares that it carries on C1 of 2025: the line's office serves it
    g2026 = form(api, 2026, code="C9", continues="C1")
    assert [y for y, _ in app.group_line(g2026["id"], 2026)] == [2026, 2025, 2024]
    assert app.head_units(g2026["id"], 2026) == (str(unit_id("P03")), str(unit_id("P04")))
    state = ok(api.get(f"/groups/{g2026['id']}/state"), 200)
    assert state["head"]["unit_code"] == "P03" and state["head"]["term"] == 2025
    assert [e["year"] for e in state["line"]] == [2026, 2025, 2024]
    assert {t["term"] for t in state["terms"]} == {2024, 2025}
    # a group has one successor; a predecessor must exist in the previous year
    r = api.post("/groups", json={"year": 2026, "kind": "provincial_cluster", "code": "C1",
                                  "name": "Cụm 1"})
    refused(r, 422, "one_successor_per_group", "code")
    r = api.post("/groups", json={"year": 2026, "kind": "provincial_cluster", "code": "C8",
                                  "name": "Cụm 8", "continues": "C9"})
    refused(r, 422, "continues_previous_year_group", "continues")
    r = api.post("/groups", json={"year": 2026, "kind": "provincial_cluster", "code": "C8",
                                  "name": "Cụm 8", "continues": "C1"})
    refused(r, 422, "one_successor_per_group", "continues")
    # the standing office's declared group opens for the line's head's secretariat
    ok(api.post("/elections", "sec03", json={
        "group_id": g2026["id"], "year": 2026, "meeting_date": "2026-12-18",
        "place": "Hà Nội", "present": CODES}))
    # and the line has one open election at a time, whatever year it is recorded in
    refused(api.post("/elections", "sec03", json={
        "group_id": two_years["g2025"]["id"], "year": 2025, "meeting_date": "2025-12-19",
        "place": "Hà Nội", "present": CODES}), 422, "one_open_election", "group_id")
