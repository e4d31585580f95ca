"""Bad inputs and rights of the annual evaluation's API: each a 4xx naming the field and the
rule, with nothing half-written."""

from datetime import UTC, datetime

import pytest

from tests.support.evaluation import (
    RULES,
    YEAR,
    build_organisation,
    officer,
    open_cycle,
    scores_for,
)


@pytest.fixture
def year(api):
    api.services.app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api)
    return api


def put(api, who, kind, subject, scores, **extra):
    return api.put("/evaluation/sheets", who, json={"year": YEAR, "kind": kind,
                                                    "subject_code": subject, "scores": scores,
                                                    **extra})


def failed(r, status, rule=None, field=None):
    body = r.get_json()
    assert r.status_code == status, body
    if rule:
        assert body["rule"] == rule, body
    if field:
        assert field in body["errors"], body
    return body


def test_an_officer_of_one_unit_cannot_act_for_another(year):
    api = year
    scores = scores_for("self", "P01", "P01")
    failed(put(api, officer("P02"), "self", "P01", scores, scorer_code="P01"), 403,
           "sheet.write")
    sid = put(api, officer("P01"), "self", "P01", scores).get_json()["id"]
    failed(api.post(f"/evaluation/sheets/{sid}/submit", officer("P02"), json={}), 403)
    failed(api.post("/evaluation/nominations", officer("P02"), json={
        "year": YEAR, "subject_code": "P01", "proposer_code": "P01",
        "justification": "x"}), 403, "nomination.write")
    failed(api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "province_code": "P01", "reporter_code": "VTCCB",
        "assessment": "x"}), 403, "field_report.write")
    failed(api.post("/evaluation/cycles/2024/extensions", officer("P01"), json={
        "unit_code": "P01", "until": "2025-01-20", "reason": "x"}), 403, "cycle.manage")


def test_the_approver_is_the_assigned_leader_and_not_the_submitter(year):
    api = year
    api.user("dual.bthu", ["officer", "leader"], "BTHU", assigned=["BTHU"])
    sid = put(api, "dual.bthu", "self", "BTHU", scores_for("self", "BTHU", "BTHU")).get_json()
    sid = sid["id"]
    assert api.post(f"/evaluation/sheets/{sid}/submit", "dual.bthu", json={}).status_code == 200
    failed(api.post(f"/evaluation/sheets/{sid}/send", "dual.bthu", json={}), 422,
           "sheet_needs_approval")
    failed(api.post(f"/evaluation/sheets/{sid}/approve", "dual.bthu", json={}), 422,
           "approver_not_submitter", "approver")
    failed(api.post(f"/evaluation/sheets/{sid}/approve", "leader1", json={}), 403,
           "sheet.approve")
    failed(api.post(f"/evaluation/sheets/{sid}/approve", officer("BTHU"), json={}), 403)
    r = api.post(f"/evaluation/sheets/{sid}/approve", "leader2", json={})
    assert r.status_code == 200 and r.get_json()["state"] == "approved"
    # a province's sheet has no approval step
    pid = put(api, officer("P01"), "self", "P01", scores_for("self", "P01", "P01")).get_json()
    api.post(f"/evaluation/sheets/{pid['id']}/submit", officer("P01"), json={})
    failed(api.post(f"/evaluation/sheets/{pid['id']}/approve", "leader1", json={}), 403)


def test_scores_outside_the_scheme_are_refused_and_nothing_is_written(year):
    api = year
    body = failed(put(api, officer("P01"), "self", "P01", {"C01": "31", "X99": "1"}), 422,
                  field="scores.C01")
    assert "scores.X99" in body["errors"]
    failed(put(api, officer("P01"), "self", "P01", {"C01": "-1"}), 422, "score_format",
           "scores.C01")
    failed(put(api, officer("P01"), "self", "P01", {"C01": "1"}, total="99"), 422,
           field="total")
    failed(put(api, officer("P01"), "central_to_province", "P02", {"C01": "1"}), 422,
           "central_to_province_pair", "kind")
    failed(put(api, officer("P01"), "province_to_central", "VP", {"C01": "1"}), 422,
           "province_to_central_pair")
    failed(put(api, officer("P01"), "audit", "P01", {}), 422, field="kind")
    listed = api.get(f"/evaluation/sheets?year={YEAR}").get_json()
    assert listed["total"] == 0
    r = put(api, officer("P01"), "self", "P01", {"C01": 28.5, "C02": "20"})
    assert r.status_code == 200 and r.get_json()["total"] == "48.50"
    sid = r.get_json()["id"]
    body = failed(api.post(f"/evaluation/sheets/{sid}/submit", officer("P01"), json={}), 422,
                  "criterion_missing")
    assert len(body["errors"]) == len(RULES["criteria"]) - 2
    failed(api.post(f"/evaluation/sheets/{sid}/send", officer("P01"), json={}), 422,
           "sheet_send_state")
    failed(api.post(f"/evaluation/sheets/{sid}/return", "admin", json={}), 422,
           field="reason")
    failed(api.post(f"/evaluation/sheets/{sid}/submit", officer("P01"),
                    json={"version": 1}), 409, "stale_version")
    failed(api.get("/evaluation/sheets/6f9619ff-8b86-d011-b42d-00cf4fc964ff"), 404)


def test_cycles_and_rule_sets_refuse_what_breaks_their_rules(year):
    api = year
    failed(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": "QD1779", "monitoring": [],
        "organisation_scoring": []}), 422, "cycle_once")
    failed(api.post("/evaluation/cycles", json={
        "year": 2023, "ruleset_code": "QD1779", "units": ["P01", "BTHU"],
        "monitoring": [{"unit_code": "P01", "field": "x"}], "organisation_scoring": []}),
        422, "scorer_level", "monitoring[0].unit_code")
    failed(api.post("/evaluation/cycles", json={
        "year": 2023, "ruleset_code": "NOPE", "monitoring": [], "organisation_scoring": []}),
        404, "exists")
    failed(api.post("/evaluation/cycles/2024/extensions", json={
        "unit_code": "P01", "until": "2025-01-05", "reason": "x"}), 422,
        "extension_after_deadline")
    failed(api.get("/evaluation/cycles/2030/scoreboard"), 404)
    content = {**RULES, "criteria": RULES["criteria"][:-1] + [{**RULES["criteria"][-1],
                                                               "max": "15"}]}
    r = api.post("/evaluation/rulesets", json={"content": content, "note": "Điểm trừ tối đa 15"})
    assert r.status_code == 201 and r.get_json()["version"] == 2
    failed(api.post("/evaluation/rulesets", json={"content": content}), 422,
           "ruleset_unchanged")
    bad = {**RULES, "criteria": [{**RULES["criteria"][0], "max": "29"}] + RULES["criteria"][1:]}
    failed(api.post("/evaluation/rulesets", json={"content": bad}), 422, "base_points_total",
           "criteria")
    versions = api.get("/evaluation/rulesets?code=QD1779").get_json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    old = api.get("/evaluation/rulesets/QD1779?version=1").get_json()
    assert old["content"]["criteria"][-1]["max"] == "10"
    cycle = api.get(f"/evaluation/cycles/{YEAR}").get_json()
    assert cycle["ruleset_version"] == 1 and cycle["rules"]["criteria"][-1]["max"] == "10"
    r = put(api, officer("P01"), "self", "P01", {"M01": "12"})
    failed(r, 422, "score_above_maximum", "scores.M01")  # the cycle keeps version 1


def test_nominations_field_reports_and_summaries_follow_who_may(year):
    api = year
    failed(api.post("/evaluation/nominations", officer("P01"), json={
        "year": YEAR, "subject_code": "VP", "justification": "x"}), 422, "nomination_who")
    r = api.post("/evaluation/nominations", officer("P01"), json={
        "year": YEAR, "subject_code": "BTHU", "justification": "Dẫn đầu."})
    assert r.status_code == 201 and r.get_json()["basis"] == "province"
    failed(api.post("/evaluation/nominations", officer("P01"), json={
        "year": YEAR, "subject_code": "BTHU", "justification": "Lần hai."}), 422,
        "nomination_once")
    # a province provides no field information; a central unit that is not one of the
    # appendix's reports on a province beyond the appendix ("nếu có": no item)
    failed(api.post("/evaluation/field-reports", officer("P02"), json={
        "year": YEAR, "province_code": "P01", "assessment": "x"}), 422, "field_reporter")
    beyond = api.post("/evaluation/field-reports", officer("VP"), json={
        "year": YEAR, "province_code": "P01", "assessment": "Thông tin bổ sung."})
    assert beyond.status_code == 201 and beyond.get_json()["item"] is None, beyond.get_json()
    failed(api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "province_code": "P01", "assessment": "x",
        "figures": {"no": "1e5"}}), 422, "figure_format", "figures.no")
    failed(api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "province_code": "BTHU", "assessment": "x"}), 422, "report_on_province")
    from domain.organisation.groups import group_id

    c1 = group_id(YEAR, "provincial_cluster", "C1")
    failed(api.post("/evaluation/cluster-summaries", "sec.p01",
                    json={"year": YEAR, "group_id": c1}), 403, "summary.send")
    failed(api.post("/evaluation/cluster-summaries", "sec.p01",
                    json={"year": YEAR, "group_id": group_id(YEAR, "block", "K1")}), 404)


def test_the_openapi_document_describes_the_evaluation_with_examples(client):
    spec = client.get("/openapi.json").get_json()
    for path in ("/evaluation/rulesets", "/evaluation/cycles", "/evaluation/sheets",
                 "/evaluation/sheets/{sheet_id}/approve", "/evaluation/nominations",
                 "/evaluation/field-reports", "/evaluation/cluster-summaries",
                 "/evaluation/cycles/{year}/scoreboard", "/evaluation/cycles/{year}/table.xlsx"):
        assert path in spec["paths"], path
    write = spec["components"]["schemas"]["SheetWrite"]["properties"]
    assert write["scores"]["example"]["C01"] == "28"


def test_the_sample_organisation_opens_a_cycle_with_its_seventeen_monitoring_units(app):
    from domain.sample.evaluation import open_sample_cycle
    from domain.sample.loader import load_sample
    from tests.support.core import ROOT

    load_sample(app, ROOT, year=2024, provinces=3)
    opened = open_sample_cycle(app, ROOT, year=2024, criteria=20)
    cycle = app.cycle(2024)
    assert len(cycle.monitoring) == 17 and len(cycle.field_units) == 11
    assert len(cycle.rules["criteria"]) == 20
    centrals, provinces = 24, 3
    assert opened["units"] == centrals + provinces
    # self + both directions between the 17 and each province + one organisation scorer each
    assert opened["sheets_expected"] == (centrals + provinces) + 2 * 17 * provinces + centrals
