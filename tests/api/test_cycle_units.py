"""Cycles on the right units (issue 14, break 6): a cycle's units, monitors, scorers and
field units are those active on its reference date (default 31 December of the year); until
the first sheet is sent the standing office amends them with a reason; a unit that ends
during the cycle keeps its sheets and every view names its successor. Through the API, on
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.evaluation.ruleset import sample_ruleset
from tests.conftest import ROOT

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
