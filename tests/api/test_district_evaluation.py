"""A district year of one province, end to end through the API on PostgreSQL (issue 15, 4268
A.I.5): BHXH tỉnh Nghệ An (P40) on the 2026 structure, its twenty district offices merged into
ten BHXH cơ sở on 30 September 2025, evaluates them for 2026 — its district clusters and their
first elections (opened by the province), its rule set, its cycle with two comparable groups,
an unplanned task, the self sheets and the province's sheets (a return, a correction, a late
submission under an extension), nominations, the cluster heads' summaries, the compiled
table, its director's decision — with every figure computed here by hand; BHXH tỉnh Hà Tĩnh
(P42) is refused each act for Nghệ An's offices; the sector's views do not count any of it;
and replay rebuilds every view equal.

The figures (sample rule set: T01 25, T02–T04 15, T05–T07 10 base points; B01 bonus 5; M01
minus 10; levels 90/70/50; excellent capped at 20% of a comparable group, at least one):

    office  group cluster  province's sheet (sent)          score  implied     proposed
    D01     N1    C1       T01 23, T02 14.5, B01 1, M01 2   96.50  excellent   excellent
    D03     N1    C1       T01 20, T02 13                   93.00  excellent   good (quota)
    D05     N1    C1       T01 18.25, T06 5                 88.25  good        good
    D07     N1    C1       T01 21, T07 5                    91.00  excellent   good (quota)
    D09     N2    C1       M01 5                            95.00  excellent   excellent
    D11     N2    C2       T01 22.75, M01 5                 92.75  excellent   good (quota)
    D13     N2    C2       T01 14 (89.00), corrected to 15  90.00  excellent   good (quota)
    D15     N2    C2       T01 12.5, T02–T04 10             72.50  good        good
    D17     N2    C2       T01 19.99, T02–T04 10, T06–T07 5 69.99  complete    complete
    D19     N2    C2       draft only: its self score       49.50  incomplete  incomplete

(other criteria at their maximum). N1 has 4 offices: ⌊20% × 4⌋ = 0, so the minimum of one
keeps D01 alone excellent; N2 has 6: ⌊20% × 6⌋ = 1, D09. Self scores are 100 but D05's (98:
returned, then T06 8) and D19's (49.50). Cluster C1's summary: every member sent, average
(100 + 100 + 98 + 100 + 100) / 5 = 99.60, D03 nominating D01 and D05 nominating D09; C2's:
D15 not yet sent, average (100 + 100 + 100 + 49.50) / 4 = 87.375 → 87.38.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.ruleset import sample_ruleset
from domain.organisation.groups import group_id
from domain.organisation.units import unit_id
from projections.replay import rebuild_and_compare
from tests.support.core import ROOT, Api
from tests.support.district import DISTRICT_RULES, district_scores, nghe_an_2026
from web.bootstrap import build_projections
from web.database import migrate

YEAR = 2026
CYCLE = f"/district-evaluation/cycles/P40/{YEAR}"
C1 = ["P40D01", "P40D03", "P40D05", "P40D07", "P40D09"]
C2 = ["P40D11", "P40D13", "P40D15", "P40D17", "P40D19"]
N1 = ["P40D01", "P40D03", "P40D05", "P40D07"]
N2 = ["P40D09", "P40D11", "P40D13", "P40D15", "P40D17", "P40D19"]
# the province's sheet of each office: the criteria below their maximum
PROVINCE_SCORES = {
    "P40D01": {"T01": "23", "T02": "14.5", "B01": "1", "M01": "2"},
    "P40D03": {"T01": "20", "T02": "13"},
    "P40D05": {"T01": "18.25", "T06": "5"},
    "P40D07": {"T01": "21", "T07": "5"},
    "P40D09": {"M01": "5"},
    "P40D11": {"T01": "22.75", "M01": "5"},
    "P40D13": {"T01": "14"},
    "P40D15": {"T01": "12.5", "T02": "10", "T03": "10", "T04": "10"},
    "P40D17": {"T01": "19.99", "T02": "10", "T03": "10", "T04": "10", "T06": "5", "T07": "5"},
    "P40D19": {"T01": "10", "T02": "10", "T03": "10", "T04": "10", "T06": "5", "T07": "5"},
}
D19_SELF = {"T01": "9.5", "T02": "10", "T03": "10", "T04": "10", "T05": "5", "T06": "5",
            "T07": "0"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    return body  # type: ignore[no-any-return]


def refused(response: Any, status: int, rule: str) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status and body["rule"] == rule, (response.status_code,
                                                                       body)
    return body  # type: ignore[no-any-return]


def officer(code: str) -> str:
    return f"o.{code.lower()}"


def cluster(number: int) -> str:
    return str(group_id(YEAR, "district_cluster", f"P40C{number}", str(unit_id("P40"))))


@pytest.fixture
def district_api(client: Any, services: Any) -> Api:
    """Nghệ An and Hà Tĩnh on the 2026 structure; the users: each BHXH cơ sở's officer, the
    provinces' officers and directors, the clusters' secretariats (of their future heads),
    an auditor; and a small sector cycle of 2026 that Nghệ An takes part in."""
    app = services.app
    app.clock = lambda: at("2026-11-20T02:00:00")  # tokens live 90 days: to February
    offices = nghe_an_2026(app)
    assert offices == sorted(C1 + C2)
    app.register_unit(ROOT, code="VTCCB", name="Ban Tổ chức cán bộ", level="central",
                      parent_code=None, effective="2020-01-01")
    app.publish_ruleset(ROOT, content=sample_ruleset())
    app.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779", units=["VTCCB", "P40"],
                   monitoring=[], organisation_scoring=[])
    a = Api(client, services)
    for code in offices:
        a.user(officer(code), ["officer"], code)
    for province in ("P40", "P42"):
        a.user(officer(province), ["officer"], province)
        a.user(f"gd.{province.lower()}", ["unit_head"], province)
    for head in ("P40D01", "P40D11"):
        a.user(f"tk.{head.lower()}", ["group_secretariat"], head)
    a.user("doc.gia", ["auditor"], None)
    return a


def elect(api: Api, number: int, members: list[str], head: str, deputy: str) -> None:
    """Nghệ An opens its district cluster's first election, at a December 2025 summary
    meeting for the 2026 term; every member votes; Nghệ An declares."""
    path_body = {"group_id": cluster(number), "year": YEAR, "meeting_date": "2025-12-18",
                 "place": "BHXH tỉnh Nghệ An", "present": members, "term": YEAR}
    refused(api.post("/elections", officer("P42"), json=path_body), 403, "election.run")
    refused(api.post("/elections", officer(head), json=path_body), 403, "election.run")
    eid = ok(api.post("/elections", officer("P40"), json=path_body), 201)["id"]
    for seat, code in (("head", head), ("deputy", deputy)):
        ok(api.post(f"/elections/{eid}/candidates", officer("P40"),
                    json={"unit_code": code, "seat": seat}), 201)
    for m in members:
        for seat, code in (("head", head), ("deputy", deputy)):
            ok(api.post(f"/elections/{eid}/ballots", officer(m),
                        json={"seat": seat, "candidate_code": code}), 201)
    result = ok(api.post(f"/elections/{eid}/result", "gd.p40", json={}), 201)
    assert result["outcome"] == "elected", result


def sheet(api: Api, who: str, kind: str, subject: str, scores: dict[str, str],
          steps: tuple[str, ...] = ("submit", "send")) -> dict[str, Any]:
    body = ok(api.put("/district-evaluation/sheets", who, json={
        "year": YEAR, "province_code": "P40", "kind": kind, "subject_code": subject,
        "scores": scores}))
    for step in steps:
        body = ok(api.post(f"/district-evaluation/sheets/{body['id']}/{step}", who, json={}))
    return body


def test_a_district_year_of_nghe_an_from_rule_set_to_decision(district_api, services):
    api, app = district_api, services.app

    # -- the district clusters: f(10) = 2, published by the province; first elections --------
    partition = {"year": YEAR, "province_code": "P40", "clusters": [
        {"code": "P40C1", "name": "Cụm thi đua cấp huyện số 1 - Nghệ An", "members": C1},
        {"code": "P40C2", "name": "Cụm thi đua cấp huyện số 2 - Nghệ An", "members": C2}]}
    refused(api.post("/district-partitions", officer("P42"), json=partition), 403,
            "district_partition.publish")
    ok(api.post("/district-partitions", officer("P40"), json=partition), 201)
    elect(api, 1, C1, "P40D01", "P40D03")
    elect(api, 2, C2, "P40D11", "P40D13")

    # -- the province's rule set and its cycle ------------------------------------------------
    rules = {**DISTRICT_RULES, "code": "TCNA2026",
             "legal_basis": [*DISTRICT_RULES["legal_basis"], {
                 "number": "12/QĐ-BHXH", "date": "2026-01-05",
                 "title": "Tiêu chí thi đua đối với BHXH cơ sở năm 2026 (BHXH tỉnh Nghệ An)"}]}
    refused(api.post("/district-evaluation/rulesets", officer("P42"),
                     json={"province_code": "P40", "content": rules}), 403, "district.manage")
    refused(api.post("/district-evaluation/rulesets", officer("P40D01"),
                     json={"province_code": "P40", "content": rules}), 403, "district.manage")
    published = ok(api.post("/district-evaluation/rulesets", officer("P40"),
                            json={"province_code": "P40", "content": rules,
                                  "note": "Ban hành đầu năm"}), 201)
    assert (published["code"], published["version"], published["criteria"]) == (
        "TCNA2026", 1, 9)
    groups = [{"code": "N1", "name": "Nhóm 1 - quy mô thu lớn", "members": N1,
               "description": "Số thu BHXH, BHYT, BHTN trên 1.000 tỷ đồng"},
              {"code": "N2", "name": "Nhóm 2 - quy mô thu vừa và nhỏ", "members": N2}]
    opening = {"year": YEAR, "province_code": "P40", "ruleset_code": "TCNA2026",
               "comparable_groups": groups}
    refused(api.post("/district-evaluation/cycles", officer("P42"), json=opening), 403,
            "district.manage")
    body = refused(api.post("/district-evaluation/cycles", officer("P40"),
                            json={**opening, "units": ["P40D01", "P40D02"]}), 422,
                   "unit_active_on_reference_date")
    assert "P40D02" in body["message"] and "2025-09-30" in body["message"], body
    refused(api.post("/district-evaluation/cycles", officer("P40"),
                     json={**opening, "units": ["P40D01", "P42D01"]}), 422,
            "district_of_province")
    opened = ok(api.post("/district-evaluation/cycles", officer("P40"), json=opening), 201)
    assert (opened["units"], opened["comparable_groups"], opened["sheets_expected"],
            opened["deadline"], opened["reference_date"]) == (10, 2, 20, "2027-01-10",
                                                              "2026-12-31")
    cycle = ok(api.get(CYCLE, "doc.gia"))
    assert [u["code"] for u in cycle["units"]] == sorted(C1 + C2)
    assert cycle["units"][0]["name"] == "BHXH cơ sở số 01 (Nghệ An)"
    assert {u["code"]: u["comparable_group"] for u in cycle["units"]} == {
        **dict.fromkeys(N1, "N1"), **dict.fromkeys(N2, "N2")}
    assert cycle["ruleset"] == {"province": "P40", "code": "TCNA2026", "version": 1}

    # -- an unplanned task, under the criterion that scores them -----------------------------
    task = {"code": "DX01", "name": "Rà soát, cấp thẻ BHYT cho người dân vùng lũ",
            "criterion": "T07", "assigned_on": "2026-09-15", "units": ["P40D17", "P40D19"],
            "target": "100", "unit_of_measure": "%"}
    refused(api.post(f"{CYCLE}/tasks", officer("P40"), json={**task, "criterion": "T01"}),
            422, "task_under_unplanned_criterion")
    refused(api.post(f"{CYCLE}/tasks", officer("P42"), json=task), 403, "district.manage")
    assert ok(api.post(f"{CYCLE}/tasks", officer("P40"), json=task), 201)["tasks"] == 1

    # -- the sheets, in December -----------------------------------------------------------------
    app.clock = lambda: at("2026-12-10T02:00:00")
    for code in sorted(C1 + C2):
        if code == "P40D05":
            first = sheet(api, officer(code), "self", code, district_scores(), ("submit",))
            refused(api.post(f"/district-evaluation/sheets/{first['id']}/return",
                             officer("P42"), json={"reason": "x"}), 403,
                    "district_sheet.return")
            returned = ok(api.post(f"/district-evaluation/sheets/{first['id']}/return",
                                   officer("P40"),
                                   json={"reason": "T06 chưa có số liệu nợ đọng."}))
            assert returned["state"] == "returned"
            revised = ok(api.put("/district-evaluation/sheets", officer(code), json={
                "year": YEAR, "province_code": "P40", "kind": "self", "subject_code": code,
                "scores": district_scores(T06="8"), "version": returned["version"]}))
            assert (revised["state"], revised["total"]) == ("revised", "98.00")
            for step in ("submit", "send"):
                ok(api.post(f"/district-evaluation/sheets/{first['id']}/{step}",
                            officer(code), json={}))
        elif code == "P40D15":
            sheet(api, officer(code), "self", code, district_scores(), ())  # a draft
        else:
            sheet(api, officer(code), "self", code,
                  district_scores(**D19_SELF) if code == "P40D19" else district_scores())
        if code not in ("P40D17", "P40D19"):
            sent = sheet(api, officer("P40"), "province_to_district", code,
                         district_scores(**PROVINCE_SCORES[code]))
            assert sent["needs_approval"] is False and sent["state"] == "sent"
    sheet(api, officer("P40"), "province_to_district", "P40D19",
          district_scores(**PROVINCE_SCORES["P40D19"]), ())  # written, never sent
    refused(api.put("/district-evaluation/sheets", officer("P42"), json={
        "year": YEAR, "province_code": "P40", "kind": "province_to_district",
        "subject_code": "P40D01", "scores": district_scores()}), 422, "unit_in_cycle")
    # the province corrects its sheet of D13: 89.00 sent, then 90.00
    d13 = ok(api.get(f"/district-evaluation/sheets?year={YEAR}&province=P40&kind="
                     "province_to_district&subject=P40D13", "doc.gia"))["items"][0]
    assert d13["sent_total"] == "89.00"
    corrected = ok(api.post(f"/district-evaluation/sheets/{d13['id']}/corrections",
                            officer("P40"), json={"reason": "Số liệu thu quý IV bổ sung."}))
    ok(api.put("/district-evaluation/sheets", officer("P40"), json={
        "year": YEAR, "province_code": "P40", "kind": "province_to_district",
        "subject_code": "P40D13", "scores": district_scores(T01="15"),
        "version": corrected["version"]}))
    for step in ("submit", "send"):
        done = ok(api.post(f"/district-evaluation/sheets/{d13['id']}/{step}", officer("P40"),
                           json={}))
    assert (done["revision"], done["sent_total"], done["sent_revision"]) == (2, "90.00", 2)
    detail = ok(api.get(f"/district-evaluation/sheets/{d13['id']}", "doc.gia"))
    assert [r["total"] for r in detail["revisions"]] == ["89.00", "90.00"]
    assert detail["ruleset"]["province"] == "P40"
    assert (detail["moves"][-1]["step"], detail["moves"][-1]["user_name"]) == ("sent",
                                                                                officer("P40"))

    # -- nominations and the cluster heads' summaries --------------------------------------------
    def nominate(who: str, subject: str) -> Any:
        return api.post("/district-evaluation/nominations", officer(who), json={
            "year": YEAR, "province_code": "P40", "subject_code": subject,
            "justification": "Dẫn đầu phong trào thi đua năm 2026."})

    assert ok(nominate("P40D01", "P40D01"), 201)["basis"] == "self"
    assert ok(nominate("P40D03", "P40D01"), 201)["basis"] == "peer"
    assert ok(nominate("P40", "P40D09"), 201)["basis"] == "province"
    assert ok(nominate("P40D05", "P40D09"), 201)["basis"] == "peer"
    refused(nominate("P40D17", "P40D01"), 422, "nomination_who")  # another cluster
    refused(nominate("P42", "P40D01"), 422, "nomination_who")  # another province
    refused(api.post("/district-evaluation/cluster-summaries", "tk.p40d11",
                     json={"year": YEAR, "group_id": cluster(1)}), 403, "summary.send")
    s1 = ok(api.post("/district-evaluation/cluster-summaries", "tk.p40d01",
                     json={"year": YEAR, "group_id": cluster(1)}), 201)
    assert (s1["average"], s1["not_sent"]) == ("99.60", [])
    assert {r["code"]: r["nominators"] for r in s1["rows"]} == {
        "P40D01": ["P40D03"], "P40D03": [], "P40D05": [], "P40D07": [], "P40D09": ["P40D05"]}
    s2 = ok(api.post("/district-evaluation/cluster-summaries", "tk.p40d11",
                     json={"year": YEAR, "group_id": cluster(2)}), 201)
    assert s2["average"] == "87.38"
    assert s2["not_sent"] == [{"member_code": "P40D15", "state": "draft"}]

    # -- after the deadline: an extension each for D15 and for the province itself -----------
    app.clock = lambda: at("2027-01-12T02:00:00")
    d15 = ok(api.get(f"/district-evaluation/sheets?year={YEAR}&province=P40&kind=self&"
                     "subject=P40D15", "doc.gia"))["items"][0]
    refused(api.post(f"/district-evaluation/sheets/{d15['id']}/submit", officer("P40D15"),
                     json={}), 422, "deadline_passed")
    for unit in ("P40D15", "P40"):
        ok(api.post(f"{CYCLE}/extensions", officer("P40"), json={
            "unit_code": unit, "until": "2027-01-20", "reason": "Công văn xin gia hạn."}), 201)
    late = ok(api.post(f"/district-evaluation/sheets/{d15['id']}/submit", officer("P40D15"),
                       json={}))
    assert late["late"] is True
    ok(api.post(f"/district-evaluation/sheets/{d15['id']}/send", officer("P40D15"), json={}))
    sheet(api, officer("P40"), "province_to_district", "P40D17",
          district_scores(**PROVINCE_SCORES["P40D17"]))

    # -- the provisional table, then closed, reviewed: the hand-computed figures ---------------
    provisional = ok(api.get(f"{CYCLE}/table", "doc.gia"))
    assert provisional["provisional"] is True
    refused(api.post(f"{CYCLE}/close", officer("P42"), json={}), 403, "district.manage")
    ok(api.post(f"{CYCLE}/close", officer("P40"), json={}))
    app.clock = lambda: at("2027-01-15T02:00:00")
    reviewed = ok(api.post(f"{CYCLE}/review", officer("P40"),
                           json={"meeting_date": "2027-01-15"}))
    assert reviewed["state"] == "under_review" and reviewed["units"] == 10
    table = ok(api.get(f"{CYCLE}/table", "doc.gia"))
    assert table["provisional"] is False
    assert table["rows"] == provisional["rows"]
    rows = {r["code"]: r for r in table["rows"]}
    assert list(rows) == N1 + N2  # by comparable group, then code
    assert {c: r["score"] for c, r in rows.items()} == {
        "P40D01": "96.50", "P40D03": "93.00", "P40D05": "88.25", "P40D07": "91.00",
        "P40D09": "95.00", "P40D11": "92.75", "P40D13": "90.00", "P40D15": "72.50",
        "P40D17": "69.99", "P40D19": "49.50"}
    assert {c: r["implied_level"] for c, r in rows.items()} == {
        "P40D01": "excellent", "P40D03": "excellent", "P40D05": "good",
        "P40D07": "excellent", "P40D09": "excellent", "P40D11": "excellent",
        "P40D13": "excellent", "P40D15": "good", "P40D17": "complete",
        "P40D19": "incomplete"}
    assert {c: r["proposed_level"] for c, r in rows.items()} == {
        "P40D01": "excellent", "P40D03": "good", "P40D05": "good", "P40D07": "good",
        "P40D09": "excellent", "P40D11": "good", "P40D13": "good", "P40D15": "good",
        "P40D17": "complete", "P40D19": "incomplete"}
    assert sorted(c for c, r in rows.items() if r["quota_applied"]) == [
        "P40D03", "P40D07", "P40D11", "P40D13"]
    assert rows["P40D19"]["score_basis"] == ["self"]
    assert rows["P40D19"]["received"]["province_to_district"] == {
        "average": None, "count": 0, "expected": 1}
    assert rows["P40D01"]["score_basis"] == ["province_to_district"]
    assert rows["P40D05"]["self_score"] == "98.00"
    assert rows["P40D01"]["nominations"] == {"self": 1, "province": 0, "peer": 1, "total": 2}
    assert rows["P40D09"]["nominations"] == {"self": 0, "province": 1, "peer": 1, "total": 2}
    assert sorted(c for c, r in rows.items() if r["outstanding_candidate"]) == [
        "P40D01", "P40D09"]
    assert rows["P40D15"]["late"] == ["self:P40D15"]
    assert rows["P40D17"]["tasks"] == ["DX01"] and rows["P40D01"]["tasks"] == []
    assert (rows["P40D01"]["cluster_code"], rows["P40D19"]["cluster_code"]) == ("P40C1",
                                                                                "P40C2")

    # -- the decision: the director's ----------------------------------------------------------
    decision = {"number": "125/QĐ-BHXH", "signed_on": "2027-01-25",
                "signer": "Giám đốc BHXH tỉnh Nghệ An", "outstanding": ["P40D01"]}
    refused(api.post(f"{CYCLE}/decision", officer("P40"), json=decision), 403,
            "district_decision.record")
    refused(api.post(f"{CYCLE}/decision", "gd.p42", json=decision), 403,
            "district_decision.record")
    refused(api.post(f"{CYCLE}/decision", "gd.p40", json={**decision,
                                                          "outstanding": ["P40D03"]}),
            422, "outstanding_only_excellent")
    decided = ok(api.post(f"{CYCLE}/decision", "gd.p40", json=decision), 201)
    assert decided["state"] == "decided" and decided["outstanding"] == ["P40D01"]
    assert {r["code"]: r["level"] for r in decided["levels"]} == {
        c: r["proposed_level"] for c, r in rows.items()}
    board = ok(api.get(f"{CYCLE}/scoreboard", "doc.gia"))
    by_code = {u["code"]: u for u in board["units"]}
    assert by_code["P40D01"]["decided_level"] == "excellent" and by_code["P40D01"]["outstanding"]
    assert (by_code["P40D13"]["province_score"], by_code["P40D19"]["province_state"],
            by_code["P40D19"]["province_score"]) == ("90.00", "draft", None)
    assert by_code["P40D15"]["late_count"] == 1 and by_code["P40D15"]["extended"]
    assert board["province_late"] == 1
    outcomes = ok(api.get(f"/district-evaluation/nominations?year={YEAR}&province=P40",
                          "doc.gia"))["items"]
    assert {(n["proposer_code"], n["subject_code"]): n["outcome"] for n in outcomes} == {
        ("P40D01", "P40D01"): "accepted", ("P40D03", "P40D01"): "accepted",
        ("P40", "P40D09"): "refused", ("P40D05", "P40D09"): "refused"}

    # -- the sector's views count none of it ------------------------------------------------------
    national = ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard", "doc.gia"))
    p40 = next(u for u in national["units"] if u["code"] == "P40")
    assert p40["late_count"] == 0 and p40["sheets"] == []
    assert ok(api.get(f"/evaluation/nominations?year={YEAR}", "doc.gia"))["total"] == 0
    refused(api.post(f"/evaluation/sheets/{d13['id']}/submit", officer("P40"), json={}), 422,
            "sheet_of_cycle")

    # -- replay rebuilds every view equal ------------------------------------------------------
    report = rebuild_and_compare(app, services.url, services.projections, "views",
                                 migrate=migrate, build=build_projections, year=YEAR)
    assert report.equal, str(report)
    assert {"dist_cycles", "dist_cycle_units", "dist_expected", "dist_nominations",
            "dist_summaries", "dist_tasks", "dist_extensions", "dist_rulesets",
            "eval_sheets"} <= set(report.tables)
    assert report.tables["dist_cycle_units"] == 10 and report.tables["dist_summaries"] == 2
