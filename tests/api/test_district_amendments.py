"""A province corrects its opened district cycle, through the API on PostgreSQL, as the
sector's cycle is corrected (issue 15): its offices, comparable groups and unplanned tasks,
with a reason, until the first sheet is sent; a refusal names its field and writes nothing;
another province, an office and an auditor are refused; an amendment racing the first send
has one winner; a cycle opened after its deadline says so; replay rebuilds the views equal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.core import Api
from tests.support.district import DISTRICT_RULES, YEAR, district_scores, province_with_offices
from tests.support.race import race
from tests.support.replay import replay, wait_all

CYCLE = f"/district-evaluation/cycles/PA/{YEAR}"
AMEND = f"{CYCLE}/amendments"
NINE = [f"PAD{i}" for i in range(1, 10)]
GROUPS = [{"code": "N1", "name": "Quy mô lớn", "members": NINE[:4]},
          {"code": "N2", "name": "Quy mô vừa", "members": NINE[4:]}]
TASK = {"code": "DX01", "name": "Hỗ trợ vùng lũ", "criterion": "T07",
        "assigned_on": "2026-09-15", "units": ["PAD4", "PAD10"]}


@pytest.fixture
def amend_api(client: Any, services: Any) -> Api:
    """PA (ten offices) with its rule set and its cycle opened by its officer, in two
    comparable groups (1–4, 5–10), with one task; PB next door; the users."""
    app = services.app
    app.clock = lambda: datetime(2026, 12, 1, 3, tzinfo=UTC)
    province_with_offices(app, "PA", 10, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    province_with_offices(app, "PB", 3)
    a = Api(client, services)
    for code in ("PA", "PB", "PAD1", "PAD2", "PAD10"):
        a.user(f"o.{code.lower()}", ["officer"], code)
    a.user("gd.pa", ["unit_head"], "PA")
    a.user("doc.gia", ["auditor"], None)
    ok(a.post("/district-evaluation/rulesets", "o.pa",
              json={"province_code": "PA", "content": DISTRICT_RULES}), 201)
    opened = ok(a.post("/district-evaluation/cycles", "o.pa", json={
        "year": YEAR, "province_code": "PA", "ruleset_code": "TCHUYEN",
        "comparable_groups": [{**GROUPS[0]}, {**GROUPS[1], "members": [*NINE[4:], "PAD10"]}]}),
        201)
    assert opened["warnings"] == [] and opened["last_day"] == "2027-01-10"
    ok(a.post(f"{CYCLE}/tasks", "o.pa", json=TASK), 201)
    return a


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, (response.status_code, body)
    return body  # type: ignore[no-any-return]


def refused(api: Api, who: str, body: dict[str, Any], status: int, rule: str,
            field: str | None = None) -> dict[str, Any]:
    head = api.services.runner.head()
    answer = api.post(AMEND, who, json=body).get_json()
    assert (answer["code"], answer["rule"]) == (status, rule), answer
    if field is not None:
        assert field in answer["errors"], answer
    assert api.services.runner.head() == head, "a refused request wrote an event"
    return answer  # type: ignore[no-any-return]


def self_sheet(api: Api, code: str) -> dict[str, Any]:
    who = f"o.{code.lower()}"
    sheet = ok(api.put("/district-evaluation/sheets", who, json={
        "year": YEAR, "province_code": "PA", "kind": "self", "subject_code": code,
        "scores": district_scores()}))
    return ok(api.post(f"/district-evaluation/sheets/{sheet['id']}/submit", who, json={}))


def test_the_province_amends_its_cycle_until_the_first_sheet_is_sent(amend_api):
    api = amend_api
    before = ok(api.get(CYCLE, "doc.gia"))
    assert (before["amendments"], before["first_sent"], before["sheets_expected"]) == ([], None,
                                                                                       20)
    leaving = self_sheet(api, "PAD10")  # PAD10's sheet, submitted before it leaves
    # the wrong hands, the wrong shape, a whole that does not hold: named, nothing written
    refused(api, "o.pb", {"reason": "x", "units": NINE}, 403, "district.manage")
    refused(api, "o.pad1", {"reason": "x", "units": NINE}, 403, "district.manage")
    refused(api, "doc.gia", {"reason": "x", "units": NINE}, 403, "district.manage")
    refused(api, "o.pa", {"units": NINE}, 422, "schema", "reason")
    refused(api, "o.pa", {"reason": "x", "offices": NINE}, 422, "schema", "offices")
    refused(api, "o.pa", {"reason": "x"}, 422, "amendment_changes", "units")
    refused(api, "o.pa", {"reason": "PAD10 sáp nhập", "units": NINE}, 422, "unit_in_cycle",
            "comparable_groups[1].members[5]")
    refused(api, "o.pa", {"reason": "x", "units": [*NINE, "PBD1"], "comparable_groups": GROUPS},
            422, "district_of_province", "units[9]")
    refused(api, "o.pa", {"reason": "x", "units": NINE, "comparable_groups": GROUPS}, 422,
            "unit_in_cycle", "tasks[0].units[1]")
    refused(api, "o.pa", {"reason": "x", "tasks": [{**TASK, "criterion": "T01"}]}, 422,
            "task_under_unplanned_criterion", "tasks[0].criterion")
    refused(api, "o.pa", {"reason": "x", "tasks": [{**TASK, "name": "Lũ\u202e"}]}, 422,
            "text_characters", "tasks[0].name")
    refused(api, "o.pa", {"reason": "x\x00", "units": NINE}, 422, "text_characters",
            "reason")
    refused(api, "o.pa", {"reason": "x", "units": NINE, "comparable_groups": GROUPS,
                          "tasks": [], "version": 1}, 409, "stale_version", "version")
    # the province's director amends: PAD10 leaves, the groups and the task follow it
    done = ok(api.post(AMEND, "gd.pa", json={
        "reason": "BHXH cơ sở PAD10 sáp nhập vào PAD9 từ 15/12/2026", "units": NINE,
        "comparable_groups": GROUPS, "tasks": [{**TASK, "units": ["PAD4"]}],
        "version": before["version"]}), 201)
    assert (done["amendment"], done["added"], done["removed"]) == (1, [], ["PAD10"])
    assert (done["units"], done["sheets_expected"], done["comparable_groups"]) == (9, 18, 2)
    detail = ok(api.get(CYCLE, "doc.gia"))
    assert [u["code"] for u in detail["units"]] == NINE
    assert {g["code"]: g["members"] for g in detail["comparable_groups"]} == {
        "N1": NINE[:4], "N2": NINE[4:]}
    assert [(t["code"], t["units"]) for t in detail["tasks"]] == [("DX01", ["PAD4"])]
    assert [(a["reason"], a["removed"], a["added"]) for a in detail["amendments"]] == [
        ("BHXH cơ sở PAD10 sáp nhập vào PAD9 từ 15/12/2026", ["PAD10"], [])]
    assert detail["sheets_expected"] == 18 and detail["version"] == done["version"]
    listed = ok(api.get(f"/district-evaluation/sheets?year={YEAR}&province=PA&kind=self",
                        "doc.gia"))
    assert listed["total"] == 9 and "PAD10" not in {s["subject_code"] for s in listed["items"]}
    # the sheet of the office that left goes no further; its record stays
    answer = api.post(f"/district-evaluation/sheets/{leaving['id']}/send", "o.pad10", json={})
    assert (answer.status_code, answer.get_json()["rule"]) == (422, "unit_in_cycle")
    assert ok(api.get(f"/district-evaluation/sheets/{leaving['id']}", "doc.gia"))[
        "state"] == "submitted"
    # the first sheet sent fixes the cycle
    first = self_sheet(api, "PAD1")
    ok(api.post(f"/district-evaluation/sheets/{first['id']}/send", "o.pad1", json={}))
    detail = ok(api.get(CYCLE, "doc.gia"))
    assert (detail["first_sent"]["sheet_id"], detail["first_sent"]["scorer_code"]) == (
        first["id"], "PAD1")
    body = refused(api, "o.pa", {"reason": "Muộn", "tasks": []}, 422,
                   "amend_before_first_sheet", "year")
    assert "PAD1" in body["message"]
    second = self_sheet(api, "PAD2")
    ok(api.post(f"/district-evaluation/sheets/{second['id']}/send", "o.pad2", json={}))
    assert ok(api.get(CYCLE, "doc.gia"))["first_sent"]["sheet_id"] == first["id"]
    # every view rebuilds equal from the events, the amendment and the first sheet included
    wait_all(api.services)
    report = replay(api.services, YEAR)
    assert report.equal, str(report)
    assert report.tables["dist_cycle_units"] == 9 and report.tables["dist_tasks"] == 1


def test_an_amendment_racing_the_first_sheet_sent_has_one_winner(amend_api):
    """Both load the cycle at the same version and are held at their save until the other
    reaches its own: one is saved, the other finds the cycle changed (409). Retried, the
    loser of either order meets the rule: never an amendment after a sent sheet."""
    api = amend_api
    app = api.services.app
    sheet = self_sheet(api, "PAD1")
    calls = {
        "amend": lambda c: c.post(AMEND, json={"reason": "Bổ sung nhiệm vụ", "tasks": [
            TASK, {**TASK, "code": "DX02"}]}, headers=api.headers("o.pa")),
        "send": lambda c: c.post(f"/district-evaluation/sheets/{sheet['id']}/send", json={},
                                 headers=api.headers("o.pad1"))}
    answers = race(api, calls)
    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [201, 409] or statuses == [200, 409], answers
    loser = next(n for n, (status, _) in answers.items() if status == 409)
    assert answers[loser][1]["rule"] == "concurrent_change"
    retried = calls[loser](api.client)
    cycle = app.district_cycle(YEAR, "PA")
    topics = [e.topic.split(".")[-1] for e in app.recorder.select_events(cycle.id)]
    if loser == "amend":
        assert retried.status_code == 422, retried.get_json()
        assert retried.get_json()["rule"] == "amend_before_first_sheet"
        assert topics[-1] == "FirstSheetSent" and "Amended" not in topics
    else:
        assert retried.status_code == 200, retried.get_json()
        assert topics[-2:] == ["Amended", "FirstSheetSent"]
        assert [t["code"] for t in cycle.tasks] == ["DX01", "DX02"]


def test_a_cycle_opened_after_its_deadline_says_so(amend_api):
    api = amend_api
    ok(api.post("/district-evaluation/rulesets", "o.pb",
                json={"province_code": "PB", "content": DISTRICT_RULES}), 201)
    late = ok(api.post("/district-evaluation/cycles", "o.pb", json={
        "year": 2025, "province_code": "PB", "ruleset_code": "TCHUYEN"}), 201)
    [warning] = late["warnings"]
    assert (warning["rule"], warning["field"]) == ("cycle_opened_before_deadline", "deadline")
    assert "PB's extension" in warning["message"] and "2026-01-10" in warning["message"]
    read = ok(api.get("/district-evaluation/cycles/PB/2025", "doc.gia"))
    assert read["opened_after_deadline"] is True
    assert (read["last_day"], read["deadline_included"], read["extension_limit_days"]) == (
        "2026-01-10", True, 30)
    assert ok(api.get(CYCLE, "doc.gia"))["opened_after_deadline"] is False
    # a submission then needs PB's extension (its days long past here)
    sheet = ok(api.put("/district-evaluation/sheets", "o.pb", json={
        "year": 2025, "province_code": "PB", "kind": "province_to_district",
        "subject_code": "PBD1", "scores": district_scores()}))
    answer = api.post(f"/district-evaluation/sheets/{sheet['id']}/submit", "o.pb",
                      json={}).get_json()
    assert (answer["code"], answer["rule"]) == (422, "deadline_passed"), answer
    assert answer["message"] == ("The deadline of 2026-01-10 has passed and PB has no running "
                                 "extension from PB.")
    ok(api.post("/district-evaluation/rulesets", "o.pb", json={
        "province_code": "PB", "content": {**DISTRICT_RULES, "late_opening": "refuse"}}), 201)
    answer = api.post("/district-evaluation/cycles", "o.pb", json={
        "year": 2024, "province_code": "PB", "ruleset_code": "TCHUYEN"}).get_json()
    assert (answer["code"], answer["rule"]) == (422, "cycle_opened_before_deadline"), answer
    assert api.get("/district-evaluation/cycles/PB/2024", "doc.gia").status_code == 404
