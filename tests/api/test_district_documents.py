"""A province's district evaluation on paper, through the API on PostgreSQL (issue 15): the
compiled table as CSV and XLSX in the words of the sector's table (Vietnamese headers, levels
by the rule set's names, groups, bases and lateness in words, the titles awarded), and the
decision its director signs as DOCX in the format of Nghị định 30/2020/NĐ-CP under the
province's letterhead, stating the log position it was made from. Each is read back and
compared with what the API's reads say."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.support.core import ROOT, Api
from tests.support.district import (
    DISTRICT_RULES,
    YEAR,
    judge_cluster,
    open_pa_cycle,
    province_with_offices,
    run_pa_year,
)
from tests.support.memory import officer_of
from web.resources.documents.decision import read_back

CYCLE = f"/district-evaluation/cycles/PA/{YEAR}"
DOCUMENT = f"/documents/district-decisions/PA/{YEAR}.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAC1 = [f"PAD{i}" for i in range(1, 6)]
FORMULA = '=HYPERLINK("http://x.example/","Mở")'
GIAY_KHEN = "Giấy khen của Giám đốc BHXH tỉnh"
OUTSTANDING = "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"
HEADERS = ["STT", "Mã đơn vị", "Tên đơn vị", "Nhóm tương đồng", "Cụm thi đua", "Điểm tự chấm",
           "Điểm BHXH tỉnh chấm", "Điểm xét xếp loại", "Căn cứ điểm xét",
           "Số đề xuất tự đề xuất", "Số đề xuất của BHXH tỉnh",
           "Số đề xuất của đơn vị cùng Cụm", "Nhiệm vụ đột xuất được giao", "Tình trạng gửi",
           "Số lần gửi muộn", "Các lần gửi muộn", "Mức xếp loại theo điểm",
           "Mức xếp loại đề xuất (sau hạn mức)", "Mức xếp loại theo Quyết định",
           OUTSTANDING, "Danh hiệu thi đua được tặng"]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_data()[:300])
    return response


@pytest.fixture
def decided(client: Any, services: Any) -> Api:
    """PA's year to its director's decision (tests/support/district.py), an office named
    like a spreadsheet formula, a task, PAC1's judging proposing PAD1 for the district
    title; the decision: PAD1 outstanding and awarded the title, PAD10 rated complete with a
    reason. PB's cycle open, undecided."""
    app = services.app
    app.clock = lambda: datetime(2026, 12, 20, 3, tzinfo=UTC)
    province_with_offices(app, "PA", 10, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    province_with_offices(app, "PB", 3)
    app.rename_unit(ROOT, "PAD3", name=FORMULA, effective="2026-06-01")
    open_pa_cycle(app, register=False)
    pa = officer_of(app, "PA")
    app.assign_district_task(pa, year=YEAR, province_code="PA", code="DX01",
                             name="Hỗ trợ vùng lũ", criterion="T07",
                             assigned_on="2026-09-15", units=["PAD4", "PAD5"])
    judge_cluster(app, "PA", 1, PAC1, "PAD1")
    run_pa_year(app)
    app.record_district_decision(
        officer_of(app, "PA", ("unit_head",)), year=YEAR, province_code="PA",
        number="45/QĐ-BHXH", signed_on="2027-01-25", signer="Nguyễn Văn Giám Đốc",
        outstanding=["PAD1"], levels={"PAD10": "complete"},
        reason="PAD10 vi phạm kỷ luật phát hiện sau kỳ chấm.",
        titles=[{"unit_code": "PAD1", "title": "commendation"}])
    pb = officer_of(app, "PB")
    app.publish_district_ruleset(pb, province_code="PB", content=DISTRICT_RULES)
    app.open_district_cycle(pb, year=YEAR, province_code="PB", ruleset_code="TCHUYEN")
    a = Api(client, services)
    a.user("doc.gia", ["auditor"], None)
    a.last_position = services.runner.head()
    return a


def expected_rows(table: dict[str, Any], groups: dict[str, str]) -> list[list[str]]:
    """The exports' rows as the table's JSON says them, in words (all as CSV text)."""
    names = {lv["code"]: lv["name"] for lv in table["levels"]}
    decision = table["decision"]
    decided = {x["code"]: x["level"] for x in decision["levels"]}
    titles = {t["code"]: t["title_name"] for t in decision["titles"]}
    out = []
    for n, r in enumerate(table["rows"], start=1):
        province = r["received"]["province_to_district"]["average"]
        out.append([str(n), r["code"], r["name"],
                    f"{r['comparable_group']} - {groups[r['comparable_group']]}",
                    r["cluster_code"] or "", r["self_score"] or "", province or "",
                    r["score"] or "", "Phiếu chấm điểm của BHXH tỉnh",
                    str(r["nominations"]["self"]), str(r["nominations"]["province"]),
                    str(r["nominations"]["peer"]), "; ".join(r["tasks"]),
                    "Gửi muộn" if r["late_count"] else "Đúng hạn", str(r["late_count"]), "",
                    names[r["implied_level"]], names[r["proposed_level"]],
                    names[decided[r["code"]]], "x" if r["code"] in decision["outstanding"]
                    else "", titles.get(r["code"], "")])
    return out


def test_the_table_exports_say_in_words_what_the_api_reads(decided):
    api = decided
    table = ok(api.get(f"{CYCLE}/table", "doc.gia")).get_json()
    cycle = ok(api.get(CYCLE, "doc.gia")).get_json()
    groups = {g["code"]: g["name"] for g in cycle["comparable_groups"]}
    assert table["provisional"] is False and len(table["rows"]) == 10
    want = expected_rows(table, groups)
    r = ok(api.get(f"{CYCLE}/table.csv", "doc.gia"))
    assert r.mimetype == "text/csv" and r.data.startswith("\ufeff".encode())
    assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]) == (
        f"Bảng tổng hợp đánh giá, xếp loại BHXH cấp huyện năm {YEAR} - PA.csv")
    header, *rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert header == HEADERS
    # the office named like a formula is neutralised in the CSV, and only that cell changes
    formula = [i for i, w in enumerate(want) if w[1] == "PAD3"][0]
    assert rows[formula][2] == "'" + FORMULA
    assert rows[:formula] + rows[formula + 1:] == want[:formula] + want[formula + 1:]
    assert rows[formula][:2] + rows[formula][3:] == want[formula][:2] + want[formula][3:]
    by_code = {row[1]: dict(zip(HEADERS, row, strict=True)) for row in rows}
    assert by_code["PAD1"][OUTSTANDING] == "x"
    assert by_code["PAD1"]["Danh hiệu thi đua được tặng"] == GIAY_KHEN
    assert by_code["PAD10"]["Mức xếp loại theo Quyết định"] == "Hoàn thành nhiệm vụ"
    assert by_code["PAD4"]["Nhiệm vụ đột xuất được giao"] == "DX01"
    assert by_code["PAD1"]["Nhóm tương đồng"] == "N1 - Quy mô lớn"
    # XLSX: the same cells; scores are numbers, every text a string, never a formula
    r = ok(api.get(f"{CYCLE}/table.xlsx", "doc.gia"))
    assert r.mimetype == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(r.data))
    sheet = book.active
    assert sheet.title == f"PA {YEAR}"
    cells = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in cells[0]] == HEADERS
    numeric = {HEADERS.index(h) for h in ("Điểm tự chấm", "Điểm BHXH tỉnh chấm",
                                          "Điểm xét xếp loại")}
    for got, expect in zip(cells[1:], want, strict=True):
        for i, (cell, text) in enumerate(zip(got, expect, strict=True)):
            if i in numeric:
                assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(text)
            elif isinstance(cell.value, str):
                assert cell.data_type == "s" and cell.value == text, (i, cell.value, text)
            else:  # a count; an empty text reads back as an empty cell
                assert ("" if cell.value is None else str(cell.value)) == text, (i, text)
    assert sheet.cell(row=formula + 2, column=3).value == FORMULA


def test_the_decision_document_is_the_recorded_decision(decided):
    api = decided
    table = ok(api.get(f"{CYCLE}/table", "doc.gia")).get_json()
    cycle = ok(api.get(CYCLE, "doc.gia")).get_json()
    decision = cycle["decision"]
    r = ok(api.get(DOCUMENT, "doc.gia"))
    assert r.headers["Content-Type"] == DOCX
    assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]) == (
        f"Quyết định công nhận kết quả đánh giá, xếp loại BHXH cấp huyện năm {YEAR} - PA.docx")
    doc = read_back(r.data)
    # the province's letterhead: BHXH Việt Nam above it, its number, its place and day
    assert doc["header_cells"][0].split("\n") == [
        "BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH PA", "", "Số: 45/QĐ-BHXH"]
    assert doc["header_cells"][1].endswith("PA, ngày 25 tháng 01 năm 2027")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc["header_cells"][1]
    for line in ("QUYẾT ĐỊNH",
                 f"Về việc công nhận kết quả đánh giá, xếp loại BHXH cơ sở năm {YEAR}",
                 "GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH PA",
                 f"Điều 1. Công nhận kết quả đánh giá, xếp loại năm {YEAR} đối với 10 đơn vị "
                 "(Hoàn thành xuất sắc nhiệm vụ: 2 đơn vị; Hoàn thành tốt nhiệm vụ: 7 đơn vị; "
                 "Hoàn thành nhiệm vụ: 1 đơn vị), theo Danh sách kèm theo Quyết định này.",
                 f"Điều 2. Công nhận 1 đơn vị {OUTSTANDING} năm {YEAR}: BHXH cơ sở PAD1.",
                 f"Điều 3. Tặng {GIAY_KHEN} năm {YEAR} cho 1 đơn vị dẫn đầu phong trào thi "
                 "đua của Cụm thi đua: BHXH cơ sở PAD1 (PAC1).",
                 "Ghi chú: PAD10 vi phạm kỷ luật phát hiện sau kỳ chấm."):
        assert line in doc["paragraphs"], line
    assert any(p.startswith("Điều 4. Quyết định này có hiệu lực kể từ ngày ký.")
               for p in doc["paragraphs"])
    # the district rule set's bases, then the year's results and the proposal
    bases = doc["paragraphs"].index("GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH PA") + 1
    assert doc["paragraphs"][bases:bases + 4] == [
        "Căn cứ văn bản số 4268/BHXH-TĐKT ngày 22/12/2021 hướng dẫn hoạt động Khối, Cụm thi "
        "đua trong ngành BHXH Việt Nam (mục A.I.5: Cụm thi đua cấp huyện);",
        f"Căn cứ kết quả chấm điểm, đánh giá, xếp loại năm {YEAR} của các BHXH cơ sở và của "
        "BHXH tỉnh PA;", "Theo đề nghị của Hội đồng Thi đua - Khen thưởng.", "QUYẾT ĐỊNH:"]
    # the signature: the director, by name; the recipients name the closing article
    sign = doc["tables"][-2][0]
    assert sign[1].split("\n")[0] == "GIÁM ĐỐC" and sign[1].endswith(decision["signer"])
    assert "- Như Điều 4;" in sign[0]
    # the attached list: the compiled table, in its order, with the decided level in words
    names = {lv["code"]: lv["name"] for lv in table["levels"]}
    groups = {g["code"]: g["name"] for g in cycle["comparable_groups"]}
    decided_level = {x["code"]: x["level"] for x in decision["levels"]}
    header, *rows = doc["list"]
    assert header == ["STT", "Mã đơn vị", "Tên đơn vị", "Nhóm tương đồng",
                      "Điểm xét xếp loại", "Mức xếp loại", "Ghi chú"]
    assert rows == [[str(n), row["code"], row["name"], groups[row["comparable_group"]],
                     row["score"], names[decided_level[row["code"]]],
                     f"{OUTSTANDING}; {GIAY_KHEN}" if row["code"] == "PAD1" else ""]
                    for n, row in enumerate(table["rows"], start=1)]
    # it says what it was made from, and the same record makes the same document
    position = int(r.headers["X-Log-Position"])
    assert 0 < position <= api.services.runner.head()
    assert doc["comments"] == f"Lập từ nhật ký sự kiện đến vị trí {position}"
    assert f"Lập từ nhật ký sự kiện của thidua đến vị trí {position}." in doc["paragraphs"]
    assert read_back(ok(api.get(DOCUMENT, "doc.gia")).data) == doc


def test_the_letterhead_is_the_provinces_to_set_and_no_document_before_a_decision(decided):
    api = decided
    doc = read_back(ok(api.get(f"{DOCUMENT}?superior=-&place=Vinh", "doc.gia")).data)
    assert doc["header_cells"][0].startswith("BẢO HIỂM XÃ HỘI TỈNH PA")
    assert "Vinh, ngày 25 tháng 01 năm 2027" in doc["header_cells"][1]
    doc = read_back(ok(api.get(f"{DOCUMENT}?superior=BỘ%20TÀI%20CHÍNH", "doc.gia")).data)
    assert doc["header_cells"][0].startswith("BỘ TÀI CHÍNH\nBẢO HIỂM XÃ HỘI TỈNH PA")
    for path, status, rule in (
            (f"/documents/district-decisions/PB/{YEAR}.docx", 422, "decision_recorded"),
            ("/documents/district-decisions/PB/2031.docx", 404, "exists"),
            (f"/documents/district-decisions/XX9/{YEAR}.docx", 404, "exists"),
            (f"{DOCUMENT}?colour=red", 422, "schema"),
            (f"{DOCUMENT}?place=", 422, "schema")):
        r = api.get(path, "doc.gia")
        assert (r.status_code, r.get_json()["rule"]) == (status, rule), (path, r.get_json())
    bad = api.get(f"{DOCUMENT}?superior=B%E1%BB%98%00T%C3%80I", "doc.gia")
    assert bad.status_code in (400, 422) and bad.is_json
    # the PB table exports though undecided: provisional, nothing decided in it
    sheet = list(csv.reader(io.StringIO(ok(api.get(
        f"/district-evaluation/cycles/PB/{YEAR}/table.csv", "doc.gia")).data.decode(
        "utf-8-sig"))))
    assert sheet[0] == HEADERS and len(sheet) == 4
    assert {row[HEADERS.index("Mức xếp loại theo Quyết định")] for row in sheet[1:]} == {""}
    assert {row[HEADERS.index("Nhóm tương đồng")] for row in sheet[1:]} == {"Không phân nhóm"}
    assert api.get("/district-evaluation/cycles/PB/2031/table.xlsx",
                   "doc.gia").status_code == 404
