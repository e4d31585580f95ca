"""Users through time (issue 14, break 8): a user is transferred to another unit (an event,
admin only, with its effective date and reason); an ended unit's users stop acting for it on
its end date (403, ``unit_ended``) and keep the reads their role gives. Through the API, on
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.evaluation.ruleset import sample_ruleset
from tests.support.core import ROOT
from tests.support.replay import replay, wait_all

YEAR = 2026
CONTENT = sample_ruleset()
TODAY = datetime(2026, 12, 2, 3, tzinfo=UTC)  # 10:00 in Hanoi


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body  # type: ignore[no-any-return]


def refused(response: Any, status: int, rule: str, field: str | None = None) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    assert body["rule"] == rule, body
    if field:
        assert field in body["errors"], body
    return body  # type: ignore[no-any-return]


def scores() -> dict[str, str]:
    return {c["code"]: "1" for c in CONTENT["criteria"]}


def world(api: Any) -> Any:
    """Three provinces and a central unit; the 2026 cycle opened on 30 November on all of
    them; P02 merged into P01 yesterday (1 December), recorded today."""
    app = api.services.app
    app.clock = lambda: datetime(2026, 11, 30, 3, tzinfo=UTC)
    for code, level in (("BQLT", "central"), ("P01", "province"), ("P02", "province"),
                        ("P03", "province")):
        ok(api.post("/units", json={"code": code, "name": f"Đơn vị {code}", "level": level,
                                    "effective": "2020-01-01"}), 201)
        api.user(f"o.{code.lower()}", ["officer"], code)
    ok(api.post("/evaluation/rulesets", json={"content": CONTENT}), 201)
    ok(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": CONTENT["code"], "units": ["BQLT", "P01", "P02", "P03"],
        "monitoring": [], "organisation_scoring": []}), 201)
    app.clock = lambda: TODAY
    ok(api.post("/units/P02/merge", json={"into_code": "P01", "effective": "2026-12-01"}))
    return app


def write_self(api: Any, who: str, code: str) -> Any:
    return api.put("/evaluation/sheets", who, json={"year": YEAR, "kind": "self",
                                                    "subject_code": code, "scores": scores()})


def test_an_ended_province_s_officer_is_refused_then_transferred_and_acts_again(api):
    app = api.services.app
    app.clock = lambda: datetime(2026, 11, 30, 3, tzinfo=UTC)
    for code, level in (("BQLT", "central"), ("P01", "province"), ("P02", "province"),
                        ("P03", "province")):
        ok(api.post("/units", json={"code": code, "name": f"Đơn vị {code}", "level": level,
                                    "effective": "2020-01-01"}), 201)
        api.user(f"o.{code.lower()}", ["officer"], code)
    ok(api.post("/evaluation/rulesets", json={"content": CONTENT}), 201)
    ok(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": CONTENT["code"], "units": ["BQLT", "P01", "P02", "P03"],
        "monitoring": [], "organisation_scoring": []}), 201)
    sheet = ok(write_self(api, "o.p02", "P02"))  # written while P02 still existed
    app.clock = lambda: TODAY
    ok(api.post("/units/P02/merge", json={"into_code": "P01", "effective": "2026-12-01"}))

    body = refused(api.post(f"/evaluation/sheets/{sheet['id']}/submit", "o.p02", json={}),
                   403, "unit_ended", "unit")
    assert "P02" in body["message"] and "2026-12-01" in body["message"]
    assert "P01" in body["message"]  # its successor
    refused(write_self(api, "o.p02", "P02"), 403, "unit_ended")
    # reads go on
    assert ok(api.get(f"/evaluation/sheets/{sheet['id']}", "o.p02"))["state"] == "draft"
    assert ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard", "o.p02"))["year"] == YEAR
    assert ok(api.get("/units", "o.p02"))["items"]
    # nothing was recorded by the refused acts
    assert ok(api.get(f"/evaluation/sheets/{sheet['id']}"))["version"] == sheet["version"]

    done = ok(api.post("/users/o.p02/transfer", json={
        "unit_code": "P01", "effective": "2026-12-01",
        "reason": "Quyết định 12/QĐ-BHXH: hợp nhất BHXH P02 vào P01"}))
    assert (done["unit_code"], done["effective"], done["roles"]) == ("P01", "2026-12-01",
                                                                     ["officer"])
    assert ok(api.get("/users/o.p02"))["unit_code"] == "P01"
    # the same token now acts for P01: its own sheets, not P02's
    mine = ok(write_self(api, "o.p02", "P01"))
    assert ok(api.post(f"/evaluation/sheets/{mine['id']}/submit", "o.p02",
                       json={}))["state"] == "submitted"
    refused(api.post(f"/evaluation/sheets/{sheet['id']}/submit", "o.p02", json={}), 403,
            "sheet.write")
    # the event records the move, the day and the reason
    user = app.user("o.p02")
    event = app.recorder.select_events(user.id, desc=True, limit=1)[0]
    assert event.topic == "thidua:User.Transferred"
    assert user.former_units[-1]["unit_code"] == "P02" and user.unit_since == "2026-12-01"
    wait_all(api.services)
    report = replay(api.services, None)
    assert report.equal, str(report)


def test_acts_stop_on_the_end_date_in_vietnam_not_before(api):
    app = world(api)
    ok(api.post("/units/P03/merge", json={"into_code": "P01", "effective": "2026-12-03"}))
    ok(write_self(api, "o.p03", "P03"))  # the day before the merger
    app.clock = lambda: datetime(2026, 12, 2, 16, 59, tzinfo=UTC)  # 23:59 in Hanoi
    ok(write_self(api, "o.p03", "P03"))
    app.clock = lambda: datetime(2026, 12, 2, 17, 0, tzinfo=UTC)  # midnight in Hanoi
    refused(write_self(api, "o.p03", "P03"), 403, "unit_ended")


def test_a_transfer_is_refused_naming_the_rule(api):
    app = world(api)
    url = "/users/o.p03/transfer"
    body = {"unit_code": "P01", "effective": "2026-12-01", "reason": "Điều chuyển"}
    refused(api.post(url, json={**body, "unit_code": "P02"}), 422, "unit_active", "unit_code")
    refused(api.post(url, json={**body, "unit_code": "NOPE"}), 404, "exists", "unit_code")
    refused(api.post(url, json={**body, "effective": "2026-12-03"}), 422,
            "transfer_in_effect", "effective")
    refused(api.post(url, json={**body, "unit_code": "P03"}), 422, "unit_unchanged",
            "unit_code")
    # to P02 on a day it still existed is no better: it has ended by today
    refused(api.post(url, json={**body, "unit_code": "P02", "effective": "2026-11-30"}), 422,
            "unit_active", "unit_code")
    assert api.post(url, json={**body, "reason": ""}).status_code == 422
    assert api.post(url, "o.p01", json=body).status_code == 403  # admin only
    assert ok(api.get("/users/o.p03"))["unit_code"] == "P03"
    ok(api.post(url, json=body))
    refused(api.post(url, json={**body, "unit_code": "BQLT", "effective": "2026-11-30"}), 422,
            "effective_after_last_transfer", "effective")
    assert app.user("o.p03").unit_code == "P01"


def test_a_disabled_user_is_not_transferred_until_enabled(api):
    world(api)
    ok(api.post("/users/o.p03/disable", json={"reason": "Nghỉ phép dài"}))
    body = {"unit_code": "P01", "effective": "2026-12-01", "reason": "Điều chuyển"}
    refused(api.post("/users/o.p03/transfer", json=body), 422, "user_enabled", "username")
    user = ok(api.get("/users/o.p03"))
    assert (user["unit_code"], user["disabled"]) == ("P03", True)
    ok(api.post("/users/o.p03/enable", json={"reason": "Trở lại"}))
    ok(api.post("/users/o.p03/transfer", json=body))
    assert ok(api.get("/users/o.p03"))["unit_code"] == "P01"


def test_the_last_admin_is_transferred_by_the_console_and_keeps_administering(api):
    """The only admin acts for VTDKT, which merges into BQLT: as admin (which acts for no
    unit) it goes on administering users; as standing office (which acts for its unit) it
    stops. It does not transfer itself; the console operator does, and its roles stay."""
    app = world(api)
    ok(api.post("/units/VTDKT/merge", json={"into_code": "BQLT", "effective": "2026-12-02"}))
    done = ok(api.post("/users", json={"username": "new.p01", "full_name": "Mới",
                                       "roles": ["officer"], "unit_code": "P01"}), 201)
    assert done["username"] == "new.p01"
    refused(api.post(f"/evaluation/cycles/{YEAR}/close", json={}), 403, "unit_ended")
    refused(api.post("/users/admin/transfer", json={
        "unit_code": "BQLT", "effective": "2026-12-02", "reason": "Hợp nhất"}), 403,
        "not_own_account")
    moved = app.transfer_user(ROOT, "admin", unit_code="BQLT", effective="2026-12-02",
                              reason="Hợp nhất Vụ TĐKT vào BQLT")
    api.last_position = moved.position
    user = ok(api.get("/users/admin"))
    assert user["unit_code"] == "BQLT"
    assert sorted(user["roles"]) == ["admin", "auditor", "standing_office"]
    ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
