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
    for c in ("P03", "P04", "P05"):
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


# -- a December meeting elects for the next year's group ----------------------------------------
def december(api: Any, gid: str, year: int, day: str, who: str = "admin",
             present: list[str] | None = None, **extra: Any) -> Any:
    return api.post("/elections", who, json={
        "group_id": gid, "year": year, "meeting_date": day, "place": "Hà Nội",
        "present": CODES if present is None else present, **extra})


def test_a_december_meeting_elects_for_the_next_years_group(api, two_years):
    app = api.services.app
    # the 2026 groups are formed (C1 continues, with one member fewer)
    g2026 = form(api, 2026, members=CODES[:-1])
    app.clock = lambda: at("2025-12-19T03:00:00")
    # the line's sitting head (P03, term 2025) records the December 2025 meeting for the
    # 2026 group; its members are the 2026 group's
    refused(december(api, g2026["id"], 2026, "2025-12-19", "sec03"), 422,
            "present_is_member", "present[5]")
    opened = ok(december(api, g2026["id"], 2026, "2025-12-19", "sec03",
                         present=CODES[:-1]))
    assert opened["year"] == 2026 and opened["term"] == 2026 and opened["members"] == 5
    eid = opened["id"]
    refused(candidate(api, eid, "P03", "head", "sec03"), 422, "rotation_head_not_repeated")
    ok(candidate(api, eid, "P05", "head", "sec03"))
    ok(candidate(api, eid, "P03", "deputy", "sec03"))
    for c in CODES[:-1]:
        ok(vote(api, eid, c, "head", "P05"))
        ok(vote(api, eid, c, "deputy", "P03"))
    assert ok(declare(api, eid, "sec03"))["outcome"] == "elected"
    # P05 takes office at once: it runs the 2026 group, and the 2025 group's last acts too
    assert app.head_units(g2026["id"], 2026) == (str(unit_id("P05")), str(unit_id("P03")))
    assert app.head_units(two_years["g2025"]["id"], 2025) == app.head_units(g2026["id"], 2026)
    refused(launch(api, g2026["id"], 2026, "sec04"), 403, "covenant.launch")
    app.clock = lambda: at("2026-01-12T03:00:00")
    ok(launch(api, g2026["id"], 2026, "sec05"))
    state = ok(api.get(f"/groups/{g2026['id']}/state"), 200)
    assert state["head"]["unit_code"] == "P05" and state["head"]["term"] == 2026
    assert [(e["term"], e["meeting_date"]) for e in state["elections"]] == [
        (2026, "2025-12-19")]
    listed = ok(api.get(f"/elections?group_id={g2026['id']}"), 200)["items"]
    assert [(e["year"], e["term"], e["round"]) for e in listed] == [(2026, 2026, 1)]


def test_a_december_meeting_needs_the_next_years_group_and_a_december_date(api, two_years):
    g2025 = two_years["g2025"]["id"]
    # no C1 in 2026 yet: the meeting cannot be recorded for it
    body = refused(december(api, g2025, 2026, "2025-12-19"), 422,
                   "next_term_group_declared", "group_id")
    assert "C1 of 2025 has no group in 2026" in body["message"]
    refused(december(api, "00000000-0000-0000-0000-000000000000", 2026, "2025-12-19"), 422,
            "next_term_group_declared", "group_id")
    g2026 = form(api, 2026)
    before = api.services.runner.head()
    # only in the rules' months (December by default), for the group's own term
    refused(december(api, g2026["id"], 2026, "2025-11-28"), 422, "next_term_meeting_month",
            "meeting_date")
    refused(december(api, g2026["id"], 2026, "2025-12-19", term=2027), 422,
            "next_term_meeting_term", "term")
    refused(december(api, g2026["id"], 2026, "2024-12-19"), 422, "meeting_in_year",
            "meeting_date")
    assert api.services.runner.head() == before  # nothing written
    # the 2026 rules may allow November too
    ok(api.put("/election-rules/2026", json={"next_term_months": [11, 12],
                                             "reason": "Quy chế cụm 2026"}), 200)
    assert ok(api.get("/election-rules/2026"), 200)["rules"]["next_term_months"] == [11, 12]
    r = api.put("/election-rules/2026", json={"next_term_months": [13]})
    assert r.status_code == 422 and "next_term_months" in r.get_json()["errors"]
    assert ok(december(api, g2026["id"], 2026, "2025-11-28"))["term"] == 2026


def test_two_elections_racing_for_the_same_term(api, two_years):
    """The 2025 group's own summary meeting and a December meeting recorded for the 2026
    group both elect the 2026 term: one line, one office, one open election."""
    import threading

    g2026 = form(api, 2026)
    api.services.app.clock = lambda: at("2025-12-19T03:00:00")
    bodies = [(two_years["g2025"]["id"], 2025), (g2026["id"], 2026)]
    answers: list[Any] = []
    start = threading.Barrier(2)

    def open_one(gid: str, year: int) -> None:
        client = api.client.application.test_client()
        start.wait()
        answers.append(client.post("/elections", headers=api.headers("admin"), json={
            "group_id": gid, "year": year, "meeting_date": "2025-12-19", "place": "Hà Nội",
            "present": CODES}))

    threads = [threading.Thread(target=open_one, args=b) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in answers)
    assert statuses[0] == 201 and statuses[1] in (409, 422), [r.get_json() for r in answers]
    loser = next(r for r in answers if r.status_code != 201).get_json()
    assert loser["rule"] in ("concurrent_change", "one_open_election"), loser
    office = api.services.app.group_office(g2026["id"], 2026)
    assert office is not None and office.open_election is not None
    assert len([e for e in office.elections if e not in office.elections[:2]]) == 1
    # and in sequence: the second is refused while the first is open
    again = next(b for b in bodies if b[0] != office.election_groups[office.open_election])
    refused(december(api, again[0], again[1], "2025-12-19"), 422, "one_open_election")


def test_the_head_elected_in_december_sends_the_next_years_summary(api):
    """The 2025 cluster summary (due in January 2026) is sent by the head elected at the
    2024 summary meeting, for the 2025 group: nobody could before."""
    from tests.support import evaluation as ev

    app = api.services.app
    ev.build_organisation(api)  # its tokens issued today, valid on the dates below
    app.clock = lambda: ev.at("2024-12-15T03:00:00")
    ev.elect_head(api, "C1", "P01")  # the 2024 group's meeting, for the 2025 term
    app.form_group(ROOT, year=2025, kind="block", code="K1", name="Khối 1",
                   members=["BTHU", "TTCNTT", "TTTT"])
    app.form_group(ROOT, year=2025, kind="block", code="K2", name="Khối 2",
                   members=["VTCCB", "VP", "VTDKT"])
    for code, members in ev.CLUSTERS.items():
        app.form_group(ROOT, year=2025, kind="provincial_cluster", code=code,
                       name=f"Cụm thi đua {code}", members=members)
    app.clock = lambda: ev.at("2025-12-01T03:00:00")
    ok(api.post("/evaluation/rulesets", json={"content": ev.RULES, "note": "QĐ 1779"}))
    ok(api.post("/evaluation/cycles", json={
        "year": 2025, "ruleset_code": "QD1779", "standing_office_code": "VTDKT",
        "monitoring": [{"unit_code": c, "field": f} for c, f in ev.MONITORING.items()],
        "organisation_scoring": [{"unit_code": c, "subjects": s}
                                 for c, s in ev.ORGANISATION.items()],
        "field_units": [{"item": i, "unit_code": c, "topic": t}
                        for i, c, t in ev.FIELD_UNITS]}))
    c1 = ev.group_id(2025, "provincial_cluster", "C1")
    app.clock = lambda: ev.at("2026-01-05T03:00:00")
    refused(api.post("/evaluation/cluster-summaries", "sec.p02",
                     json={"year": 2025, "group_id": c1}), 403, "summary.send")
    sent = ok(api.post("/evaluation/cluster-summaries", "sec.p01",
                       json={"year": 2025, "group_id": c1}))
    assert sent["head_code"] == "P01" and sent["group_code"] == "C1"


# -- a vacant seat and an acting head (giới thiệu) ----------------------------------------------
def designate(api: Any, gid: str, code: str, who: str = "admin", **extra: Any) -> Any:
    body = {"year": 2025, "unit_code": code, "effective": "2025-07-02",
            "reason": "Giới thiệu Cụm trưởng tạm thời đến kỳ bầu chọn", **extra}
    return api.post(f"/groups/{gid}/acting", who, json=body)


def finding(api: Any, cid: str, who: str) -> Any:
    return api.post(f"/covenants/{cid}/findings", who, json={
        "member_code": "P06", "inspected_on": "2025-07-03", "assessment": "kept",
        "summary": "Thực hiện đầy đủ."})


def test_the_seat_falls_vacant_when_the_heads_unit_ends(api, two_years):
    app = api.services.app
    g2025 = two_years["g2025"]["id"]
    cid = ok(launch(api, g2025, 2025, "sec03"))["id"]
    # the head's unit P03 merges into P05 on 1 July 2025; today is 2 July
    merged = app.merge_unit(ROOT, "P03", into_code="P05", effective="2025-07-01")
    api.last_position = max(api.last_position, merged.position)
    app.clock = lambda: at("2025-07-02T03:00:00")
    # its acts as head stop from that date, with the rule that says why
    body = refused(finding(api, cid, "sec03"), 403, "seat_vacant_unit_ended")
    assert "2025-07-01" in body["message"]
    assert str(unit_id("P03")) not in app.head_units(g2025, 2025)
    # the deputy keeps its own powers; nobody acts as head until a designation
    ok(finding(api, cid, "sec04"))
    refused(finding(api, cid, "sec05"), 403, "finding.record")
    state = ok(api.get(f"/groups/{g2025}/state"), 200)
    assert state["head"]["status"] == "vacant" and state["head"]["unit_code"] == "P03"
    assert state["head"]["vacant_since"] == "2025-07-01" and state["head"]["acting"] is None
    assert state["deputy"]["status"] == "sitting"

    # only the standing office designates, only a member existing on the date, only for a
    # vacant seat, from the day it fell vacant
    before = api.services.runner.head()
    refused(designate(api, g2025, "P05", "sec04"), 403, "office.designate")
    refused(designate(api, g2025, "P05", "op05"), 403, "office.designate")
    refused(designate(api, g2025, "P99"), 422, "acting_is_member", "unit_code")
    refused(designate(api, g2025, "P03"), 422, "acting_unit_active", "unit_code")
    refused(designate(api, g2025, "P05", effective="2025-06-30"), 422, "seat_vacant",
            "effective")
    refused(designate(api, g2025, "P05", seat="deputy"), 422, "seat_vacant")
    refused(designate(api, g2025, "NOPE"), 404, "exists", "unit_code")
    r = designate(api, g2025, "P05", reason="")
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]
    assert api.services.runner.head() == before  # nothing written

    done = ok(designate(api, g2025, "P05"))
    assert done["head"]["status"] == "acting" and done["head"]["unit_code"] == "P03"
    assert done["head"]["acting"]["unit_code"] == "P05"
    assert done["head"]["acting"]["automatic"] is False
    # the acting head holds the head's powers; the ended head still does not
    ok(finding(api, cid, "sec05"))
    refused(finding(api, cid, "sec03"), 403, "seat_vacant_unit_ended")
    state = ok(api.get(f"/groups/{g2025}/state"), 200)
    assert state["head"]["status"] == "acting"
    assert state["head"]["acting"]["unit_code"] == "P05"
    assert state["head"]["acting"]["reason"] == "Giới thiệu Cụm trưởng tạm thời đến kỳ bầu chọn"
    [designation] = [t for t in state["terms"] if t["acting"]]
    assert designation["unit_code"] == "P05" and designation["ended"] is None
    assert designation["election_id"] is None and designation["effective"] == "2025-07-02"

    # until the next election: the December meeting of the 2025 group elects for 2026
    app.clock = lambda: at("2025-12-19T03:00:00")
    members = [c for c in CODES if c != "P03"]
    eid = ok(api.post("/elections", "sec05", json={
        "group_id": g2025, "year": 2025, "meeting_date": "2025-12-19", "place": "Hà Nội",
        "present": members}))["id"]
    ok(candidate(api, eid, "P06", "head", "sec05"))
    for c in members:
        ok(vote(api, eid, c, "head", "P06"))
    assert ok(declare(api, eid, "sec05"))["seats"]["deputy"]["status"] == "no_candidates"
    refused(finding(api, cid, "sec05"), 403, "finding.record")
    state = ok(api.get(f"/groups/{g2025}/state"), 200)
    assert state["head"]["status"] == "sitting" and state["head"]["unit_code"] == "P06"
    assert all(t["ended"] is not None for t in state["terms"] if t["acting"])
    # the deputy elected for 2025 stays: no deputy was elected in December
    assert state["deputy"]["unit_code"] == "P04"


def test_the_deputy_acts_for_a_vacant_head_only_when_the_rules_say_so(api, two_years):
    app = api.services.app
    g2025 = two_years["g2025"]["id"]
    ok(api.put("/election-rules/2025", json={"deputy_acts_for_vacant_head": True,
                                             "reason": "Quy chế cụm: Cụm phó thay Cụm trưởng"}),
       200)
    app.clock = lambda: at("2025-12-19T03:00:00")
    eid = ok(api.post("/elections", "sec03", json={
        "group_id": g2025, "year": 2025, "meeting_date": "2025-12-19", "place": "Hà Nội",
        "present": CODES}))["id"]
    ok(candidate(api, eid, "P05", "head", "sec03"))
    ok(candidate(api, eid, "P06", "deputy", "sec03"))
    for c in CODES:
        ok(vote(api, eid, c, "head", "P05"))
        ok(vote(api, eid, c, "deputy", "P06"))
    ok(declare(api, eid, "sec03"))
    dissolved = app.dissolve_unit(ROOT, "P05", effective="2026-03-01")
    api.last_position = max(api.last_position, dissolved.position)
    app.clock = lambda: at("2026-03-02T03:00:00")
    state = ok(api.get(f"/groups/{g2025}/state"), 200)
    assert state["head"]["status"] == "acting" and state["head"]["vacant_since"] == "2026-03-01"
    assert state["head"]["acting"] == {
        "unit_code": "P06", "unit_name": "BHXH tỉnh P06", "effective": "2026-03-01",
        "reason": "deputy_acts_for_vacant_head", "automatic": True}
    # the powers are the deputy's own either way
    assert app.head_units(g2025, 2025) == (str(unit_id("P06")),)
