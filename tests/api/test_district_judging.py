"""A district cluster's judging, from its summary meeting to its province's decision, through
the API on PostgreSQL (issue 15, 4268 A.I.5): the province opens the judging of its district
cluster and declares it, the members vote, the district titles are judged; the province's
director awards the title on its own clusters' proposals, at the level they need; the
council's decision and another province's may not award them; every view shows the outcome,
the decision's documents name the title, and replay rebuilds the views equal."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.evaluation.ruleset import sample_ruleset
from tests.support.core import ROOT, Api
from tests.support.district import (
    DISTRICT_RULES,
    YEAR,
    cluster_id,
    open_pa_cycle,
    province_with_offices,
    run_pa_year,
)
from tests.support.replay import replay, wait_all
from web.resources.documents.decision import read_back

PAC1 = [f"PAD{i}" for i in range(1, 6)]
PAC2 = [f"PAD{i}" for i in range(6, 11)]
PBC1 = ["PBD1", "PBD2", "PBD3"]
GIAY_KHEN = "Giấy khen của Giám đốc BHXH tỉnh"


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    return body  # type: ignore[no-any-return]


def refused(api: Api, path: str, who: str, body: dict[str, Any], status: int,
            rule: str) -> dict[str, Any]:
    head = api.services.runner.head()
    answer = api.post(path, who, json=body).get_json()
    assert (answer["code"], answer["rule"]) == (status, rule), answer
    assert api.services.runner.head() == head, "a refused request wrote an event"
    return answer  # type: ignore[no-any-return]


def officer(code: str) -> str:
    return f"o.{code.lower()}"


@pytest.fixture
def judging_api(client: Any, services: Any) -> Api:
    """PA's district cycle open (two clusters of five offices), PB's too (one cluster of
    three), and the sector's cycle of the year with PA, PB and PC in it; the users."""
    app = services.app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    open_pa_cycle(app)
    province_with_offices(app, "PC", 1)
    a = Api(client, services)
    for code in ("PA", "PB", *PAC1, *PAC2, *PBC1):
        a.user(officer(code), ["officer"], code)
    for province in ("PA", "PB"):
        a.user(f"gd.{province.lower()}", ["unit_head"], province)
    a.user("tk.pad1", ["group_secretariat"], "PAD1")
    app.register_unit(ROOT, code="VTDKT", name="Vụ Thi đua - Khen thưởng", level="central",
                      parent_code=None, effective="2020-01-01")
    a.user("thuong.truc", ["standing_office"], "VTDKT")
    a.user("doc.gia", ["auditor"], None)
    ok(a.post("/district-evaluation/rulesets", officer("PB"),
              json={"province_code": "PB", "content": DISTRICT_RULES}), 201)
    ok(a.post("/district-evaluation/cycles", officer("PB"),
              json={"year": YEAR, "province_code": "PB", "ruleset_code": "TCHUYEN"}), 201)
    app.publish_ruleset(ROOT, content=sample_ruleset())
    app.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779", units=["PA", "PB", "PC"],
                   monitoring=[], organisation_scoring=[])
    return a


def judge(api: Api, province: str, number: int, members: list[str], proposed: str,
          runner: str) -> dict[str, Any]:
    """``runner`` (the province's user) opens the cluster's judging, puts ``proposed``
    forward for the district title, every member marks it; the province declares."""
    opened = ok(api.post("/judgings", runner, json={
        "group_id": cluster_id(province, number), "year": YEAR, "meeting_date": "2026-12-18",
        "place": f"BHXH tỉnh {province}", "present": members}), 201)
    assert opened["places"] == {"commendation": 1}, opened
    jid = opened["id"]
    ok(api.post(f"/judgings/{jid}/candidates", runner,
                json={"unit_code": proposed, "title": "commendation"}), 201)
    for m in members:
        ok(api.post(f"/judgings/{jid}/ballots", officer(m),
                    json={"title": "commendation", "marks": [proposed]}), 201)
    declared = ok(api.post(f"/judgings/{jid}/result", officer(province), json={}), 201)
    assert declared["titles"]["commendation"]["proposed"] == [proposed], declared
    return declared


def test_a_district_clusters_judging_from_the_meeting_to_the_provinces_decision(judging_api):
    api = judging_api
    app = api.services.app
    rules = ok(api.get(f"/judging-rules/{YEAR}", "doc.gia"))["rules"]
    assert [(t["code"], t["name"], t["quota"], t["levels"])
            for t in rules["district_titles"]] == [("commendation", GIAY_KHEN, 1,
                                                    ["excellent"])]
    # -- the meeting: the province runs it; nobody else but the standing office -------------
    body = {"group_id": cluster_id("PA", 1), "year": YEAR, "meeting_date": "2026-12-18",
            "place": "BHXH tỉnh PA", "present": PAC1}
    for who in (officer("PB"), "gd.pb", officer("PAD1"), "tk.pad1"):
        refused(api, "/judgings", who, body, 403, "judging.run")
    opened = ok(api.post("/judgings", officer("PA"), json=body), 201)
    jid = opened["id"]
    assert (opened["places"], opened["rules"]["district_titles"][0]["code"]) == (
        {"commendation": 1}, "commendation")
    refused(api, f"/judgings/{jid}/candidates", "gd.pa",
            {"unit_code": "PAD1", "title": "flag"}, 422, "known_title")
    refused(api, f"/judgings/{jid}/candidates", officer("PB"),
            {"unit_code": "PAD1", "title": "commendation"}, 403, "judging.run")
    ok(api.post(f"/judgings/{jid}/candidates", "gd.pa",
                json={"unit_code": "PAD1", "title": "commendation"}), 201)
    refused(api, f"/judgings/{jid}/ballots", officer("PBD1"),
            {"title": "commendation", "marks": ["PAD1"]}, 403, "voter_is_member")
    for m in PAC1:
        ok(api.post(f"/judgings/{jid}/ballots", officer(m),
                    json={"title": "commendation", "marks": ["PAD1"]}), 201)
    refused(api, f"/judgings/{jid}/result", officer("PB"), {}, 403, "judging.run")
    declared = ok(api.post(f"/judgings/{jid}/result", "gd.pa", json={}), 201)
    assert declared["proposals"] == [{"title": "commendation", "unit_code": "PAD1",
                                      "round": 1, "votes": 5}]
    judge(api, "PA", 2, PAC2, "PAD6", officer("PA"))
    judge(api, "PB", 1, PBC1, "PBD1", "gd.pb")
    proposals = ok(api.get(f"/judging-proposals?year={YEAR}", "doc.gia"))["items"]
    assert [(p["group_code"], p["unit_code"], p["outcome"], p["decided_by"])
            for p in proposals] == [("PAC1", "PAD1", "pending", "PA"),
                                    ("PAC2", "PAD6", "pending", "PA"),
                                    ("PBC1", "PBD1", "pending", "PB")]

    # -- the council's decision rules on none of them --------------------------------------------
    app.close_cycle(ROOT, year=YEAR)
    app.begin_review(ROOT, year=YEAR, meeting_date="2027-01-20")
    national = {"number": "125/QĐ-BHXH", "signed_on": "2027-02-05", "signer": "Tổng Giám đốc",
                "outstanding": []}
    answer = refused(api, f"/evaluation/cycles/{YEAR}/decision", "thuong.truc",
                     {**national, "titles": [{"unit_code": "PAD1", "title": "commendation"}]},
                     422, "title_proposed")
    assert "PA's decision on its district offices awards" in answer["message"]
    assert ok(api.post(f"/evaluation/cycles/{YEAR}/decision", "thuong.truc",
                       json={**national, "titles": []}), 201)["titles"] == []
    assert {p["outcome"] for p in ok(api.get(f"/judging-proposals?year={YEAR}",
                                             "doc.gia"))["items"]} == {"pending"}

    # -- the province's year, to its director's decision ---------------------------------------
    run_pa_year(app)  # PA scores PAD<i> 100 - i: PAD1 and PAD5 proposed excellent, PAD6 good
    path = f"/district-evaluation/cycles/PA/{YEAR}/decision"
    decision = {"number": "45/QĐ-BHXH", "signed_on": "2027-01-25",
                "signer": "Giám đốc BHXH tỉnh PA", "outstanding": ["PAD1"]}
    for titles, status, rule in (
            ([{"unit_code": "PBD1", "title": "commendation"}], 422, "title_proposed"),
            ([{"unit_code": "PAD6", "title": "commendation"}], 422, "title_level"),
            ([{"unit_code": "PAD2", "title": "commendation"}], 422, "title_proposed"),
            ([{"unit_code": "PAD1", "title": "flag"}], 422, "title_proposed"),
            ([{"unit_code": "PC", "title": "commendation"}], 422, "unit_in_cycle"),
            ([{"unit_code": "PAD1", "title": "commendation"}] * 2, 422, "title_once"),
            ([{"unit_code": "PAD1"}], 422, "schema")):
        answer = refused(api, path, "gd.pa", {**decision, "titles": titles}, status, rule)
        assert answer["errors"], answer
    refused(api, path, officer("PA"), {**decision, "titles": []}, 403,
            "district_decision.record")
    decided = ok(api.post(path, "gd.pa", json={
        **decision, "titles": [{"unit_code": "PAD1", "title": "commendation"}]}), 201)
    assert decided["titles"] == [{"unit_code": "PAD1", "title": "commendation"}]

    # -- every view shows the outcome --------------------------------------------------------------
    mine = ok(api.get(f"/judging-proposals?year={YEAR}&province=PA", "doc.gia"))["items"]
    assert [(p["unit_code"], p["outcome"], p["decision_number"], p["decided_by"])
            for p in mine] == [("PAD1", "awarded", "45/QĐ-BHXH", "PA"),
                               ("PAD6", "not_awarded", "45/QĐ-BHXH", "PA")]
    assert all(p["decided_at"] for p in mine)
    assert [(p["unit_code"], p["outcome"]) for p in ok(api.get(
        f"/judging-proposals?year={YEAR}&province=PB", "doc.gia"))["items"]] == [
        ("PBD1", "pending")]
    detail = ok(api.get(f"/judgings/{jid}", "doc.gia"))
    assert [(p["unit_code"], p["outcome"]) for p in detail["proposals"]] == [
        ("PAD1", "awarded")]
    listed = ok(api.get(f"/judgings?year={YEAR}&group_id={cluster_id('PA', 1)}", "doc.gia"))
    assert listed["items"][0]["proposals"][0]["outcome"] == "awarded"
    cycle = ok(api.get(f"/district-evaluation/cycles/PA/{YEAR}", "doc.gia"))
    assert [(t["code"], t["title_name"], t["group_code"])
            for t in cycle["decision"]["titles"]] == [("PAD1", GIAY_KHEN, "PAC1")]
    table = ok(api.get(f"/district-evaluation/cycles/PA/{YEAR}/table", "doc.gia"))
    assert table["decision"]["titles"] == cycle["decision"]["titles"]
    sheet = list(csv.DictReader(io.StringIO(api.get(
        f"/district-evaluation/cycles/PA/{YEAR}/table.csv", "doc.gia").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert {r["Mã đơn vị"]: r["Danh hiệu thi đua được tặng"] for r in sheet if
            r["Danh hiệu thi đua được tặng"]} == {"PAD1": GIAY_KHEN}
    text = "\n".join(read_back(api.get(f"/documents/district-decisions/PA/{YEAR}.docx",
                                       "doc.gia").get_data())["paragraphs"])
    assert (f"Điều 3. Tặng {GIAY_KHEN} năm {YEAR} cho 1 đơn vị dẫn đầu phong trào thi đua "
            "của Cụm thi đua: BHXH cơ sở PAD1 (PAC1).") in text
    # no round after the decision its proposals go to
    answer = refused(api, "/judgings", officer("PA"), {**body, "reason": "Bình xét lại"}, 422,
                     "judging_before_decision")
    assert answer["message"].startswith("The decision of PA's 2026 evaluation")

    # -- another province's decision may not award PA's proposals ------------------------------
    pb = f"/district-evaluation/cycles/PB/{YEAR}"
    ok(api.post(f"{pb}/close", officer("PB"), json={}))
    ok(api.post(f"{pb}/review", officer("PB"), json={"meeting_date": "2027-01-15"}))
    answer = refused(api, f"{pb}/decision", "gd.pb", {
        **decision, "outstanding": [], "titles": [{"unit_code": "PAD1",
                                                   "title": "commendation"}]},
        422, "title_proposed")
    assert "PAC1, a district cluster of PA" in answer["message"]
    ok(api.post(f"{pb}/decision", "gd.pb", json={**decision, "outstanding": [],
                                                  "titles": []}), 201)
    assert [(p["group_code"], p["unit_code"], p["outcome"]) for p in ok(api.get(
        f"/judging-proposals?year={YEAR}", "doc.gia"))["items"]] == [
        ("PAC1", "PAD1", "awarded"), ("PAC2", "PAD6", "not_awarded"),
        ("PBC1", "PBD1", "not_awarded")]

    # -- replay rebuilds every view equal ------------------------------------------------------
    wait_all(api.services)
    report = replay(api.services, YEAR)
    assert report.equal, str(report)
    assert report.tables["judging_proposals"] == 3
