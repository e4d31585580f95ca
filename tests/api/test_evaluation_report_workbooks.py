"""Field reports as a workbook (cung cấp thông tin): a field unit downloads a block per
province, fills assessments, figures and lists with openpyxl as in Excel, uploads it; every
new or changed report is submitted in one act, equal to what was filled. Bad cells, a
missing reason, the deadline and foreign workbooks are refused whole."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.evaluation import report_workbook
from domain.evaluation.report_workbook import WORKSHEET
from tests.support.evaluation import (
    CENTRAL,
    FIELD_UNITS,
    PROVINCES,
    YEAR,
    build_organisation,
    officer,
    open_cycle,
)
from tests.support.workbooks import book, report_rows, set_cells
from tests.support.workbooks import fill_report as fill

REPORTER = "BTHU"  # item 1 of the appendix
ITEM = next(i for i, code, _ in FIELD_UNITS if code == REPORTER)


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.get_json()
    return r.get_json()


def path(code: str = REPORTER) -> str:
    return f"/evaluation/workbooks/{YEAR}/field-reports/{code}.xlsx"


def download(api: Any, code: str = REPORTER) -> bytes:
    r = api.get(path(code))
    assert r.status_code == 200, r.get_data()[:300]
    return r.get_data()  # type: ignore[no-any-return]


def upload(api: Any, data: bytes, code: str = REPORTER, who: str | None = None) -> Any:
    return api.post(path(code), who or officer(code),
                    data={"file": (io.BytesIO(data), "cung-cap-thong-tin.xlsx")},
                    content_type="multipart/form-data")


@pytest.fixture
def cycle(api: Any) -> Any:
    api.services.app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api)
    return api


def reports(api: Any) -> dict[str, dict[str, Any]]:
    items = ok(api.get(f"/evaluation/field-reports?year={YEAR}&reporter={REPORTER}"))["items"]
    return {i["province_code"]: i for i in items}


def test_a_field_unit_fills_its_workbook_and_its_reports_are_submitted(cycle):
    api, app = cycle, cycle.services.app
    data = download(api)
    workbook = book(data)
    assert workbook.sheetnames == [WORKSHEET, "Hướng dẫn"]
    sheet = workbook[WORKSHEET]
    assert sheet["A3"].value == "Đơn vị cung cấp thông tin" and sheet["B3"].value == REPORTER
    assert sheet["A4"].value == f"Nội dung (Phụ lục, mục {ITEM})"
    blocks = report_rows(data)
    assert sorted(blocks) == sorted(PROVINCES)
    figure_cells = [c for rule in sheet.data_validations.dataValidation
                    for r in rule.sqref.ranges for c in [r.coord]]
    assert all(f[1] in figure_cells for b in blocks.values() for f in b["figures"])

    filled = fill(data, "P01", assessment="Hoàn thành 101% kế hoạch thu.\nNợ giảm 12%.",
                  figures={"Kế hoạch thu": 1_250_000_000, "Tỷ lệ hoàn thành": 101.25},
                  lists={"don_vi_no_dong": [{"ten": "Công ty A", "so_tien": 120000000},
                                            {"ten": "Công ty B", "so_tien": "95 triệu"}]})
    filled = fill(filled, "P03", assessment="Đạt kế hoạch.", figures={"Kế hoạch thu": 900})
    head = app.recorder.max_notification_id()
    body = ok(upload(api, filled))
    assert body["reports"] == len(PROVINCES) and body["unchanged"] == len(PROVINCES) - 2
    assert sorted(w["province_code"] for w in body["written"]) == ["P01", "P03"]
    assert body["position"] == app.recorder.max_notification_id() == head + 2  # one act
    got = reports(api)
    assert set(got) == {"P01", "P03"}
    p01 = got["P01"]
    assert p01["item"] == ITEM and p01["late"] is False
    assert p01["assessment"] == "Hoàn thành 101% kế hoạch thu.\nNợ giảm 12%."
    assert {k: Decimal(v) for k, v in p01["figures"].items()} == {
        "Kế hoạch thu": Decimal("1250000000"), "Tỷ lệ hoàn thành": Decimal("101.25")}
    assert p01["lists"] == {"don_vi_no_dong": [{"ten": "Công ty A", "so_tien": "120000000"},
                                               {"ten": "Công ty B", "so_tien": "95 triệu"}]}

    # downloaded again: the reports as sent, the figure names offered on every province
    again = download(api)
    blocks = report_rows(again)
    assert [f[2] for f in blocks["P02"]["figures"] if f[2]] == ["Kế hoạch thu",
                                                                  "Tỷ lệ hoàn thành"]
    sheet = book(again)[WORKSHEET]
    assert sheet[blocks["P01"]["assessment"]].value == p01["assessment"]
    assert sheet[blocks["P01"]["version"]].value == 1
    assert ok(upload(api, again))["written"] == []  # nothing changed, nothing sent

    # changed without a reason: refused naming the reason's cell; with it, sent again
    changed = fill(again, "P01", figures={"Tỷ lệ hoàn thành": 102})
    body = ok(upload(api, changed), 422)
    assert body["rules"] == {blocks["P01"]["reason"]: "reason_required"}
    body = ok(upload(api, fill(changed, "P01", reason="Số liệu quyết toán quý IV.")))
    assert [(w["province_code"], w["submissions"]) for w in body["written"]] == [("P01", 2)]
    assert reports(api)["P01"]["figures"]["Tỷ lệ hoàn thành"] == "102"
    # the workbook made before that is stale now
    body = ok(upload(api, fill(again, "P03", assessment="Khác.", reason="Sửa.")), 409)
    assert body["rule"] == "stale_version" and blocks["P01"]["version"] in body["errors"]


def test_bad_cells_are_each_named_and_nothing_is_submitted(cycle):
    api, app = cycle, cycle.services.app
    data = download(api)
    blocks = report_rows(data)
    filled = fill(data, "P02", figures={"Số nợ": "=A1*2", "Tỷ lệ": "chín mươi"},
                  lists={"ky_luat": [{"ho_ten": "Nguyễn\u200bVăn A"}]})
    filled = fill(filled, "P04", figures={"Số nợ": 5})  # figures without the assessment
    filled = fill(filled, "P05", assessment="=HYPERLINK(\"http://x\")")
    head = app.recorder.max_notification_id()
    body = ok(upload(api, filled), 422)
    p02 = blocks["P02"]
    figure_values = [f[1] for f in p02["figures"]]
    rules = body["rules"]
    assert rules[figure_values[0]] == "workbook_formula"
    assert rules[figure_values[1]] == "workbook_number"
    entry_cell = f"B{p02['lists'][None]['entries'][0]}"
    assert rules[entry_cell] == "text_characters" and "U+200B" in body["errors"][entry_cell][0]
    assert rules[blocks["P04"]["assessment"]] == "text_required"
    assert rules[blocks["P02"]["assessment"]] == "text_required"  # it has a list: a report
    assert rules[blocks["P05"]["assessment"]] == "workbook_formula"
    assert len(rules) == 6, body
    assert app.recorder.max_notification_id() == head

    # a unit that is not the cycle's, one the reporter may not report on (item 1 is on
    # provinces only): refused as the field report's use case refuses them, by their cell
    body = ok(upload(api, set_cells(data, {p02["province_cell"]: "P99"}, WORKSHEET)), 422)
    assert body["rules"] == {p02["province_cell"]: "unit_in_cycle"}
    body = ok(upload(api, set_cells(data, {p02["province_cell"]: "VTCCB"}, WORKSHEET)), 422)
    assert body["rules"] == {p02["province_cell"]: "report_on_province"}
    assert "item 1 reports on provinces only" in body["errors"][p02["province_cell"]][0]
    # another reporter's workbook, a foreign officer
    other = "VTCCB"
    body = ok(upload(api, data, code=other), 422)
    assert body["rule"] == "workbook_scorer"
    assert ok(upload(api, data, who=officer("P01")), 403)["rule"] == "field_report.write"
    assert app.recorder.max_notification_id() == head


def test_the_deadline_and_the_appendix_are_respected(cycle):
    api, app = cycle, cycle.services.app
    # a province provides no field information: it has no such workbook
    assert ok(api.get(path("P01")), 422)["rule"] == "field_reporter"
    data = fill(download(api), "P01", assessment="Đạt.", figures={"Kế hoạch thu": 1})
    app.clock = lambda: datetime(2025, 1, 12, 3, tzinfo=UTC)
    assert ok(upload(api, data), 422)["rule"] == "deadline_passed"
    ok(api.post(f"/evaluation/cycles/{YEAR}/extensions", json={
        "unit_code": REPORTER, "until": "2025-01-15", "reason": "Chờ số liệu quyết toán."}), 201)
    body = ok(upload(api, data))
    assert [(w["province_code"], w["late"]) for w in body["written"]] == [("P01", True)]


def test_the_workbook_offers_the_units_the_field_report_allows(api):
    """Who reports on whom is one rule (EvaluationCycle.reporting): an appendix unit whose
    item covers central units gets their blocks too, a central unit outside the appendix
    gets the provinces (beyond the appendix, no item), and what the workbook submits is what
    the API would record."""
    app = api.services.app
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    units = [{"item": i, "unit_code": c, "topic": t} for i, c, t in FIELD_UNITS]
    units[1]["about"] = ["province", "central"]  # item 4: VTCCB's discipline cases
    open_cycle(api, field_units=units)
    # a report on a central unit sent through the API shows in the workbook, as sent
    ok(api.post("/evaluation/field-reports", officer("VTCCB"), json={
        "year": YEAR, "subject_code": "TTCNTT", "assessment": "Không có trường hợp kỷ luật."}),
       201)

    data = download(api, "VTCCB")
    blocks = report_rows(data)
    codes = list(blocks)  # the provinces first, then the central units (itself among them)
    assert codes[:len(PROVINCES)] == PROVINCES and sorted(codes[len(PROVINCES):]) == sorted(
        CENTRAL)
    assert {b["label"] for c, b in blocks.items() if c in CENTRAL} == {"Đơn vị trực thuộc"}
    assert {b["label"] for c, b in blocks.items() if c in PROVINCES} == {"Tỉnh"}
    assert {b["reach"] for b in blocks.values()} == {"Phụ lục, mục 4"}
    sheet = book(data)[WORKSHEET]
    assert sheet[blocks["TTCNTT"]["version"]].value == 1
    assert sheet[blocks["TTCNTT"]["assessment"]].value == "Không có trường hợp kỷ luật."
    filled = fill(data, "BTHU", assessment="01 trường hợp khiển trách.",
                  lists={"ky_luat": [{"ho_ten": "Nguyễn Văn C", "hinh_thuc": "Khiển trách"}]})
    filled = fill(filled, "P01", assessment="Không có trường hợp kỷ luật.")
    body = ok(upload(api, filled, code="VTCCB"))
    assert body["item"] == 4
    assert sorted((w["subject_code"], w["subject_level"], w["item"])
                  for w in body["written"]) == [("BTHU", "central", 4), ("P01", "province", 4)]
    listed = ok(api.get(f"/evaluation/field-reports?year={YEAR}&subject=BTHU"))["items"]
    assert [(x["reporter_code"], x["item"], x["subject_level"]) for x in listed] == [
        ("VTCCB", 4, "central")]

    # BTHU's item is on provinces only: no central unit's block, as the API refuses one
    assert list(report_rows(download(api, "BTHU"))) == PROVINCES
    r = api.post("/evaluation/field-reports", officer("BTHU"), json={
        "year": YEAR, "subject_code": "VTCCB", "assessment": "x"})
    assert ok(r, 422)["rule"] == "report_on_province"

    # a central unit outside the appendix reports on provinces, beyond it (no item)
    data = download(api, "TTTT")
    sheet = book(data)[WORKSHEET]
    assert (sheet["A4"].value, sheet["B4"].value) == ("Nội dung", report_workbook.BEYOND_TOPIC)
    blocks = report_rows(data)
    assert list(blocks) == PROVINCES and {b["reach"] for b in blocks.values()} == {
        "Ngoài Phụ lục"}
    # a central unit typed into its workbook is refused as the API refuses it
    body = ok(upload(api, set_cells(data, {blocks["P03"]["province_cell"]: "VP"}, WORKSHEET),
                     code="TTTT"), 422)
    assert body["rules"] == {blocks["P03"]["province_cell"]: "report_on_province"}
    r = api.post("/evaluation/field-reports", officer("TTTT"), json={
        "year": YEAR, "subject_code": "VP", "assessment": "x"})
    assert ok(r, 422)["rule"] == "report_on_province"
    body = ok(upload(api, fill(data, "P02", assessment="Chậm gửi báo cáo tháng 3.",
                               figures={"so_bao_cao_cham": 3}), code="TTTT"))
    assert body["item"] is None
    assert [(w["subject_code"], w["subject_level"], w["item"]) for w in body["written"]] == [
        ("P02", "province", None)]
    progress = ok(api.get(f"/evaluation/cycles/{YEAR}/progress"))
    assert progress["field_reports"] == {"expected": 3 * 5, "sent": 1, "beyond": 3}
