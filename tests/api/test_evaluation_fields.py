"""The monitors score provinces "thuộc lĩnh vực đơn vị quản lý": a rule set maps its criteria
to the monitoring units, each monitor scores a province on its field only, and the
province's score from them combines the fields. Through the API on PostgreSQL, against
figures computed by hand (tests/support/evaluation.py: FIELD_SCORES → FIELD_COMBINED)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from tests.support.evaluation import (
    FIELD_COMBINED,
    FIELD_SCORES,
    FIELDS,
    MONITORING,
    RULES,
    YEAR,
    Year,
    at,
    build_organisation,
    fields_rules,
    officer,
    open_cycle,
)
from tests.support.workbooks import fill_scores, score_rows, set_cells

FIELDS_HEADER = "Điểm do đơn vị trực thuộc chấm (tổng hợp theo lĩnh vực)"


def refused(r: Any, status: int, rule: str) -> dict[str, Any]:
    body = r.get_json()
    assert r.status_code == status and body["rule"] == rule, body
    return body  # type: ignore[no-any-return]


def test_a_cycle_on_a_mapped_rule_set_scores_and_combines_the_fields(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    rules = fields_rules()
    opened = open_cycle(api, rules)
    y = Year(api)
    version = api.get(f"/evaluation/rulesets/{rules['code']}").get_json()
    assert version["content"]["monitor_fields"] == FIELDS
    mark = next(s for s in version["sources"] if s["setting"] == "monitor_fields")
    assert mark["source"] == "set" and mark["default_source"] == "ours"
    assert opened["sheets_expected"] == 47  # who scores whom is unchanged

    # a monitor scores only its field: another field's criterion is refused, naming it
    r = api.put("/evaluation/sheets", officer("TTCNTT"), json={
        "year": YEAR, "kind": "central_to_province", "subject_code": "P01",
        "scores": {"C03": "8", "C05": "4"}})
    body = refused(r, 422, "criterion_in_field")
    assert set(body["errors"]) == {"scores.C05"}
    assert "TTCNTT's field" in body["errors"]["scores.C05"][0]
    # and is submitted once its field is complete
    y.write("central_to_province", "TTCNTT", "P01", {"C03": "8.25"})
    r = api.post(f"/evaluation/sheets/{y.ids[('central_to_province', 'TTCNTT', 'P01')]}"
                 "/submit", officer("TTCNTT"), json={})
    assert set(refused(r, 422, "criterion_missing")["errors"]) == {"scores.C09"}
    # a field's points are part of a score: a sheet of a field has no level of its own
    field_sheet = y.write("central_to_province", "TTCNTT", "P01", FIELD_SCORES["TTCNTT"])
    assert field_sheet["total"] == "12.25" and field_sheet["level"] is None

    # P01: the three fields sent; P02: VTCCB's only (C09's field, TTCNTT, has not sent)
    for monitor in MONITORING:
        y.through("central_to_province", monitor, "P01", FIELD_SCORES[monitor])
    y.through("central_to_province", "VTCCB", "P02", FIELD_SCORES["VTCCB"])
    y.through("self", "P02", "P02")  # P02 falls back to its self score
    self_p02 = y.ok(api.get(f"/evaluation/sheets/{y.ids[('self', 'P02', 'P02')]}"))

    board = {u["code"]: u for u in y.ok(api.get(f"/evaluation/cycles/{YEAR}/scoreboard"))[
        "units"]}
    p01 = board["P01"]["received"]["central_to_province"]
    assert p01 == {"average": FIELD_COMBINED, "sent": 3, "expected": 3, "method": "fields",
                   "unscored": []}
    p02 = board["P02"]["received"]["central_to_province"]
    assert p02 == {"average": None, "sent": 1, "expected": 3, "method": "fields",
                   "unscored": ["C01", "C02", "C03", "C04", "C09", "B01"]}
    p03 = board["P03"]["received"]["central_to_province"]
    assert p03["average"] is None and p03["sent"] == 0 and len(p03["unscored"]) == 12
    # the other kinds are averaged as before
    assert "method" not in board["BTHU"]["received"]["province_to_central"]

    table = y.ok(api.get(f"/evaluation/cycles/{YEAR}/table"))
    assert table["provisional"] and table["monitor_fields"] == FIELDS
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["P01"]["received"]["central_to_province"] == {
        "average": FIELD_COMBINED, "count": 3, "expected": 3, "method": "fields",
        "unscored": []}
    assert rows["P01"]["score"] == FIELD_COMBINED and rows["P01"]["implied_level"] == "good"
    assert rows["P01"]["score_basis"] == ["central_to_province"]
    assert rows["P02"]["score"] == self_p02["sent_total"]
    assert rows["P02"]["score_basis"] == ["self"]

    # the exports say how the column is made, and carry the combined score
    r = api.get(f"/evaluation/cycles/{YEAR}/table.csv")
    lines = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    column = lines[0].index(FIELDS_HEADER)
    assert "Điểm bình quân do đơn vị trực thuộc chấm" not in lines[0]
    assert next(line for line in lines if line[1] == "P01")[column] == FIELD_COMBINED
    sheet = load_workbook(io.BytesIO(api.get(f"/evaluation/cycles/{YEAR}/table.xlsx").data)
                          ).active
    header = [c.value for c in sheet[1]]
    p01_row = next(row for row in sheet.iter_rows(min_row=2, values_only=True)
                   if row[1] == "P01")
    assert p01_row[header.index(FIELDS_HEADER)] == float(FIELD_COMBINED)

    # the table recorded at the review keeps the same figures
    app.clock = lambda: at("2025-01-12T03:00:00")
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
    y.ok(api.post(f"/evaluation/cycles/{YEAR}/review", json={"meeting_date": "2025-01-20"}))
    recorded = {r["code"]: r for r in y.ok(api.get(f"/evaluation/cycles/{YEAR}/table"))[
        "rows"]}
    assert recorded["P01"]["received"] == rows["P01"]["received"]
    assert recorded["P01"]["score"] == FIELD_COMBINED


def test_the_fields_must_be_the_cycles_monitors(api):
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    rules = fields_rules()
    assert api.post("/evaluation/rulesets", json={"content": rules}).status_code == 201
    request = {"year": YEAR, "ruleset_code": rules["code"], "organisation_scoring": []}
    r = api.post("/evaluation/cycles", json={**request, "monitoring": [
        {"unit_code": c, "field": f} for c, f in MONITORING.items() if c != "TTCNTT"]})
    assert "TTCNTT" in refused(r, 422, "field_monitor_in_cycle")["message"]
    r = api.post("/evaluation/cycles", json={**request, "monitoring": [
        *({"unit_code": c, "field": f} for c, f in MONITORING.items()),
        {"unit_code": "VP", "field": "Văn phòng"}]})
    assert refused(r, 422, "monitor_has_field")["errors"] == {
        "monitoring[3].unit_code": [r.get_json()["message"]]}
    # a mapping leaving a criterion to nobody is refused at publication
    r = api.post("/evaluation/rulesets", json={"content": {
        **RULES, "code": "QD1779X", "monitor_fields": {**FIELDS, "TTCNTT": ["C03"]}}})
    assert "C09" in refused(r, 422, "criterion_in_a_field")["message"]


def test_a_monitors_workbook_writes_its_field_only(api):
    """The score-sheet workbook (Excel in and out) keeps the same rule as the API."""
    app = api.services.app
    app.clock = lambda: at("2024-12-20T03:00:00")
    build_organisation(api)
    open_cycle(api, fields_rules())
    where = f"/evaluation/workbooks/{YEAR}/sheets/TTCNTT.xlsx"
    data = api.get(where).get_data()

    def send(values: dict[tuple[str, str], dict[str, Any]]) -> Any:
        filled = fill_scores(data, values)
        return api.post(where, officer("TTCNTT"), content_type="multipart/form-data",
                        data={"file": (io.BytesIO(filled), "bang-cham-diem.xlsx")})

    pair = ("central_to_province", "P01")
    cells = score_rows(data)[pair]["cells"]
    assert list(cells) == ["C03", "C09"]  # its field only (test_evaluation_field_workbooks.py)
    # another field's criterion typed into the block is refused by its cell
    row = cells["C09"][0][1:]
    filled = set_cells(fill_scores(data, {pair: {"C03": 8}}), {f"A{row}": "C05", f"F{row}": 4})
    r = api.post(where, officer("TTCNTT"), content_type="multipart/form-data",
                 data={"file": (io.BytesIO(filled), "bang-cham-diem.xlsx")})
    assert refused(r, 422, "workbook_cells")["rules"][f"F{row}"] == "criterion_in_field"
    r = send({pair: {"C03": 8.25, "C09": 4}})
    assert r.status_code == 200, r.get_json()
    written = next(w for w in r.get_json()["written"] if w["subject_code"] == "P01")
    assert written["total"] == "12.25" and written["level"] is None
