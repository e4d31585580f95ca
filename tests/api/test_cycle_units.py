"""Cycles on the right units (issue 14, break 6): a cycle's units, monitors, scorers and
field units are those active on its reference date (default 31 December of the year); until
the first sheet is sent the standing office amends them with a reason; a unit that ends
during the cycle keeps its sheets and every view names its successor. Through the API, on
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.evaluation.ruleset import sample_ruleset
from tests.support.core import ROOT
from tests.support.race import race
from tests.support.replay import replay, wait_all

YEAR = 2026
CONTENT = sample_ruleset()
UNITS = {"BTHU": "central", "BQLT": "central", "VTCCB": "central", "VP": "central",
         "P01": "province", "P02": "province", "P03": "province"}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body  # type: ignore[no-any-return]


def refused(response: Any, status: int, field: str, rule: str) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    assert body["rule"] == rule, body
    assert field in body["errors"], body
    return body  # type: ignore[no-any-return]


def organisation(api: Any, today: datetime = datetime(2026, 12, 1, 3, tzinfo=UTC)) -> Any:
    """The 2024 units; BTHU merged into BQLT on 2025-03-01, P03 into P01 on 2025-07-01."""
    app = api.services.app
    app.clock = lambda: today
    for code, level in UNITS.items():
        ok(api.post("/units", json={"code": code, "name": f"Đơn vị {code}", "level": level,
                                    "effective": "2020-01-01"}), 201)
        api.user(f"o.{code.lower()}", ["officer"], code)
    ok(api.post("/units/BTHU/merge", json={"into_code": "BQLT", "effective": "2025-03-01"}))
    ok(api.post("/units/P03/merge", json={"into_code": "P01", "effective": "2025-07-01"}))
    ok(api.post("/evaluation/rulesets", json={"content": CONTENT}), 201)
    return app


def cycle_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "year": YEAR, "ruleset_code": CONTENT["code"],
        "units": ["BQLT", "VTCCB", "VP", "P01", "P02"],
        "monitoring": [{"unit_code": "BQLT", "field": "Thu"}],
        "organisation_scoring": [{"unit_code": "VTCCB", "subjects": ["BQLT", "VP"]},
                                 {"unit_code": "VP", "subjects": ["VTCCB"]}],
        "field_units": [{"item": 1, "unit_code": "BQLT", "topic": "Kế hoạch thu"}]}
    body.update(changes)
    return body


def test_a_cycle_refuses_an_ended_province_and_a_merged_central_monitor(api):
    organisation(api)
    body = refused(api.post("/evaluation/cycles", json=cycle_body(
        units=["BQLT", "VTCCB", "VP", "P01", "P02", "P03"])), 422, "units[5]",
        "unit_active_on_reference_date")
    assert "P03" in body["message"] and "2025-07-01" in body["message"]
    assert "2026-12-31" in body["message"]
    body = refused(api.post("/evaluation/cycles", json=cycle_body(
        monitoring=[{"unit_code": "BTHU", "field": "Thu"}])), 422,
        "monitoring[0].unit_code", "unit_active_on_reference_date")
    assert "BTHU" in body["message"]
    refused(api.post("/evaluation/cycles", json=cycle_body(
        organisation_scoring=[{"unit_code": "VTCCB", "subjects": ["BTHU"]}])), 422,
        "organisation_scoring[0].subjects[0]", "unit_active_on_reference_date")
    refused(api.post("/evaluation/cycles", json=cycle_body(
        field_units=[{"item": 1, "unit_code": "BTHU", "topic": "Thu"}])), 422,
        "field_units[0].unit_code", "unit_active_on_reference_date")
    refused(api.post("/evaluation/cycles", json=cycle_body(standing_office_code="BTHU")),
            422, "standing_office_code", "unit_active_on_reference_date")
    # nothing was half-written: no cycle
    assert api.get(f"/evaluation/cycles/{YEAR}").status_code == 404
    opened = ok(api.post("/evaluation/cycles", json=cycle_body()), 201)
    assert opened["reference_date"] == "2026-12-31" and opened["units"] == 5
    detail = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert detail["reference_date"] == "2026-12-31"
    assert {u["code"] for u in detail["units"]} == {"BQLT", "VTCCB", "VP", "P01", "P02"}


def test_the_reference_date_is_a_field_of_the_cycle_inside_its_year(api):
    organisation(api)
    for given in ("2027-01-01", "2025-12-31", "2026-13-01"):
        response = api.post("/evaluation/cycles", json=cycle_body(reference_date=given))
        body = response.get_json()
        assert response.status_code == 422, body
        assert "reference_date" in body["errors"], body
    refused(api.post("/evaluation/cycles", json=cycle_body(reference_date="2025-12-31")),
            422, "reference_date", "reference_date_in_year")
    # on 30 June 2025 P03 was still there and BTHU had gone: an earlier reference date, an
    # earlier world (a 2025 cycle here, since the date is in its year)
    refused(api.post("/evaluation/cycles", json=cycle_body(
        year=2025, reference_date="2025-06-30", units=["BQLT", "VTCCB", "VP", "BTHU"],
        monitoring=[], organisation_scoring=[], field_units=[])), 422, "units[3]",
        "unit_active_on_reference_date")
    opened = ok(api.post("/evaluation/cycles", json=cycle_body(
        year=2025, reference_date="2025-06-30", units=["BQLT", "VTCCB", "VP", "P01", "P03"],
        monitoring=[], organisation_scoring=[], field_units=[])), 201)
    assert opened["reference_date"] == "2025-06-30"


def test_a_cycle_of_the_year_s_groups_counts_only_the_units_active_on_its_date(api):
    """Without a list, the 2025 cycle takes the members of the 2025 blocks and provincial
    clusters active on 31 December 2025: not P03 (merged on 1 July) nor BTHU (1 March),
    though both were members of 2025 groups."""
    app = organisation(api)
    app.form_group(ROOT, year=2025, kind="provincial_cluster", code="C1", name="Cụm 1",
                   members=["P01", "P02", "P03"])
    app.form_group(ROOT, year=2025, kind="block", code="K1", name="Khối 1",
                   members=["BTHU", "BQLT", "VTCCB", "VP"])
    body = cycle_body(year=2025)
    body.pop("units")
    opened = ok(api.post("/evaluation/cycles", json=body), 201)
    assert opened["units"] == 5
    detail = ok(api.get("/evaluation/cycles/2025"))
    assert {u["code"] for u in detail["units"]} == {"BQLT", "VTCCB", "VP", "P01", "P02"}


# -- amending a cycle before its first sheet is sent ----------------------------------------
def scores() -> dict[str, str]:
    return {c["code"]: "1" for c in CONTENT["criteria"]}


def self_sheet(api: Any, code: str) -> dict[str, Any]:
    return ok(api.put("/evaluation/sheets", f"o.{code.lower()}", json={
        "year": YEAR, "kind": "self", "subject_code": code, "scores": scores()}))


def send_self(api: Any, code: str) -> dict[str, Any]:
    sheet = self_sheet(api, code)
    ok(api.post(f"/evaluation/sheets/{sheet['id']}/submit", f"o.{code.lower()}", json={}))
    return sheet


def test_a_cycle_opened_on_a_unit_that_then_ends_is_amended_with_a_reason(api):
    app = organisation(api)
    opened = ok(api.post("/evaluation/cycles", json=cycle_body()), 201)
    assert opened["sheets_expected"] == 5 + 2 + 3 + 2
    draft = self_sheet(api, "P02")  # P02 starts its self sheet, then merges into P01
    ok(api.post("/units/P02/merge", json={"into_code": "P01", "effective": "2026-12-15"}))
    app.clock = lambda: datetime(2026, 12, 16, 3, tzinfo=UTC)
    amend = f"/evaluation/cycles/{YEAR}/amendments"
    # the amendment is checked as the opening was: P02 is no longer active on 31 December
    refused(api.post(amend, json={"reason": "Sáp nhập", "monitoring": [
        {"unit_code": "BQLT", "field": "Thu"}]}), 422, "units[4]",
        "unit_active_on_reference_date")
    refused(api.post(amend, json={"reason": "Sáp nhập", "units": [
        "BQLT", "VTCCB", "VP", "P01"], "monitoring": [{"unit_code": "BTHU", "field": "Thu"}]}),
        422, "monitoring[0].unit_code", "unit_active_on_reference_date")
    assert api.post(amend, json={"units": ["BQLT"]}).status_code == 422  # no reason
    refused(api.post(amend, json={"reason": "x"}), 422, "units", "amendment_changes")
    assert api.post(amend, "o.p01", json={"reason": "x", "units": ["P01"]}).status_code == 403
    stale = api.post(amend, json={"reason": "x", "units": ["BQLT", "VTCCB", "VP", "P01"],
                                  "version": 7})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "stale_version"
    before = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert before["amendments"] == [] and before["first_sent"] is None
    done = ok(api.post(amend, json={
        "reason": "BHXH P02 hợp nhất vào P01 từ 15/12/2026",
        "units": ["BQLT", "VTCCB", "VP", "P01"], "version": before["version"]}), 201)
    assert (done["amendment"], done["removed"], done["added"]) == (1, ["P02"], [])
    assert done["sheets_expected"] == 4 + 1 + 3 + 1 and done["units"] == 4
    detail = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert {u["code"] for u in detail["units"]} == {"BQLT", "VTCCB", "VP", "P01"}
    assert detail["sheets_expected"] == 9
    assert [(a["reason"], a["removed"]) for a in detail["amendments"]] == [
        ("BHXH P02 hợp nhất vào P01 từ 15/12/2026", ["P02"])]
    assert ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))["units"][-1]["code"] == "P01"
    # P02's draft stays as it was, but goes no further
    kept = ok(api.get(f"/evaluation/sheets/{draft['id']}"))
    assert kept["state"] == "draft" and kept["subject_code"] == "P02"
    # the amendment is an event of the cycle, with the reason and the actor
    events = app.recorder.select_events(app.cycle(YEAR).id)
    assert [e.topic for e in events][-1] == "thidua:EvaluationCycle.Amended"
    wait_all(api.services)
    report = replay(api.services, None)
    assert report.equal, str(report)


def test_after_the_first_sheet_is_sent_the_cycle_is_no_longer_amended(api):
    organisation(api)
    ok(api.post("/evaluation/cycles", json=cycle_body()), 201)
    amend = f"/evaluation/cycles/{YEAR}/amendments"
    ok(api.post(amend, json={"reason": "Bổ sung lĩnh vực", "monitoring": [
        {"unit_code": "BQLT", "field": "Thu"}, {"unit_code": "VTCCB", "field": "Tổ chức"}]}),
        201)
    sheet = send_self(api, "P01")
    ok(api.post(f"/evaluation/sheets/{sheet['id']}/send", "o.p01", json={}))
    detail = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert detail["first_sent"]["sheet_id"] == sheet["id"]
    assert detail["first_sent"]["scorer_code"] == "P01"
    body = refused(api.post(amend, json={"reason": "Muộn", "units": [
        "BQLT", "VTCCB", "VP", "P01"]}), 422, "year", "amend_before_first_sheet")
    assert "P01" in body["message"]
    # a second sheet is sent as before; the cycle's record of the first stays
    second = send_self(api, "P02")
    ok(api.post(f"/evaluation/sheets/{second['id']}/send", "o.p02", json={}))
    assert ok(api.get(f"/evaluation/cycles/{YEAR}"))["first_sent"]["sheet_id"] == sheet["id"]


def test_a_sheet_the_amended_cycle_no_longer_expects_goes_no_further(api):
    organisation(api)
    ok(api.post("/evaluation/cycles", json=cycle_body()), 201)
    sheet = send_self(api, "P02")  # submitted, not yet sent
    ok(api.post(f"/evaluation/cycles/{YEAR}/amendments", json={
        "reason": "P02 không tham gia", "units": ["BQLT", "VTCCB", "VP", "P01"]}), 201)
    refused(api.post(f"/evaluation/sheets/{sheet['id']}/send", "o.p02", json={}), 422,
            "scorer_code", "unit_in_cycle")
    assert ok(api.get(f"/evaluation/sheets/{sheet['id']}"))["state"] == "submitted"
    assert ok(api.get(f"/evaluation/cycles/{YEAR}"))["first_sent"] is None


def test_an_amendment_racing_the_first_sheet_sent_has_one_winner(api):
    """Both load the cycle at the same version and are held at their save until the other
    reaches its own: one is saved, the other finds the cycle changed (409). Retried, the
    loser of either order meets the rule, never an amendment after a sent sheet."""
    app = organisation(api)
    ok(api.post("/evaluation/cycles", json=cycle_body()), 201)
    sheet = send_self(api, "P01")
    calls = {
        "amend": lambda c: c.post(f"/evaluation/cycles/{YEAR}/amendments", json={
            "reason": "Bổ sung lĩnh vực", "monitoring": [
                {"unit_code": "BQLT", "field": "Thu"},
                {"unit_code": "VTCCB", "field": "Tổ chức"}]}, headers=api.headers("admin")),
        "send": lambda c: c.post(f"/evaluation/sheets/{sheet['id']}/send", json={},
                                 headers=api.headers("o.p01"))}
    answers = race(api, calls)
    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [201, 409] or statuses == [200, 409], answers
    loser = next(n for n, (status, _) in answers.items() if status == 409)
    assert answers[loser][1]["rule"] == "concurrent_change"
    retried = calls[loser](api.client)
    topics = [e.topic.split(".")[-1] for e in app.recorder.select_events(app.cycle(YEAR).id)]
    if loser == "amend":
        assert retried.status_code == 422, retried.get_json()
        assert retried.get_json()["rule"] == "amend_before_first_sheet"
        assert topics[-1] == "FirstSheetSent" and "Amended" not in topics
    else:
        assert retried.status_code == 200, retried.get_json()
        assert topics[-2:] == ["Amended", "FirstSheetSent"]


# -- a unit that ends during the cycle -------------------------------------------------------
def test_a_unit_that_ends_during_the_cycle_keeps_its_sheets_and_every_view_names_its_successor(
        api):
    import csv
    import io

    from openpyxl import load_workbook

    app = organisation(api)
    ok(api.post("/units", json={"code": "P04", "name": "Đơn vị P04", "level": "province",
                                "effective": "2020-01-01"}), 201)
    ok(api.post("/evaluation/cycles", json=cycle_body(
        units=["BQLT", "VTCCB", "VP", "P01", "P02", "P04"])), 201)
    sheet = send_self(api, "P02")
    ok(api.post(f"/evaluation/sheets/{sheet['id']}/send", "o.p02", json={}))
    ok(api.post("/units/P01/rename", json={"name": "BHXH tỉnh P01 mới",
                                           "effective": "2026-12-10"}))
    ok(api.post("/units/P02/merge", json={"into_code": "P01", "effective": "2026-12-15"}))
    ok(api.post("/units/VP/dissolve", json={"effective": "2027-01-05"}))
    ok(api.post("/units/P01/rename", json={"name": "BHXH tỉnh P01 sau này",
                                           "effective": "2027-02-01"}))
    before = api.get(f"/evaluation/cycles/{YEAR}/scoreboard").data
    # after the deadline (10 January 2027) and with no decision: not during the cycle
    ok(api.post("/units/P04/merge", json={"into_code": "P01", "effective": "2027-03-01"}))
    assert api.get(f"/evaluation/cycles/{YEAR}/scoreboard").data == before

    merged = {"ended_on": "2026-12-15", "end_status": "merged", "successor_code": "P01",
              "successor_name": "BHXH tỉnh P01 mới"}
    dissolved = {"ended_on": "2027-01-05", "end_status": "dissolved", "successor_code": None,
                 "successor_name": None}
    lasting = dict.fromkeys(merged)

    def ends(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {r["code"]: {k: r[k] for k in merged} for r in rows}

    expected = {"P02": merged, "VP": dissolved, "P01": lasting, "P04": lasting,
                "BQLT": lasting, "VTCCB": lasting}
    board = ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard"))
    assert ends(board["units"]) == expected
    p02 = next(u for u in board["units"] if u["code"] == "P02")
    assert [s["id"] for s in p02["sheets"]] == [sheet["id"]]  # its sheet is kept
    assert p02["self_score"] is not None
    assert ends(ok(api.get(f"/evaluation/cycles/{YEAR}"))["units"]) == expected
    assert ends(ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))["units"]) == expected
    table = ok(api.get(f"/evaluation/cycles/{YEAR}/table"))
    assert table["provisional"] and ends(table["rows"]) == expected

    lines = list(csv.reader(io.StringIO(
        api.get(f"/evaluation/cycles/{YEAR}/table.csv").data.decode("utf-8-sig"))))
    assert lines[0][-2:] == ["Ngừng hoạt động từ ngày", "Đơn vị kế thừa"]
    cells = {line[1]: line[-2:] for line in lines[1:]}
    assert cells["P02"] == ["2026-12-15", "P01 - BHXH tỉnh P01 mới (hợp nhất)"]
    assert cells["VP"] == ["2027-01-05", "không có (giải thể)"]
    assert cells["P01"] == ["", ""]
    book = load_workbook(io.BytesIO(api.get(f"/evaluation/cycles/{YEAR}/table.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    by_code = {r[1]: r[-2:] for r in rows[1:]}
    assert by_code["P02"] == ("2026-12-15", "P01 - BHXH tỉnh P01 mới (hợp nhất)")

    # the table recorded at the review names them too, read beside what the council saw
    app.clock = lambda: datetime(2027, 1, 12, 3, tzinfo=UTC)
    ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
    ok(api.post(f"/evaluation/cycles/{YEAR}/review", json={"meeting_date": "2027-01-20"}))
    table = ok(api.get(f"/evaluation/cycles/{YEAR}/table"))
    assert not table["provisional"] and ends(table["rows"]) == expected
    wait_all(api.services)
    report = replay(api.services, None)  # the views rebuilt from the events are the same
    assert report.equal, str(report)
