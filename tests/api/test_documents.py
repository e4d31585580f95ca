"""The decision of the year as DOCX: generated from the record of a generated year, read
back with python-docx, its list equal to the compiled table the API serves, its letterhead
in the decree's format, and the log position it was made from."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from web.resources.documents.decision import read_back

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fetch(api: Any, path: str, status: int = 200) -> Any:
    r = api.get(path)
    assert r.status_code == status, r.get_data()[:300]
    return r


def test_the_decision_document_is_the_recorded_decision(year_api):
    api = year_api
    table = fetch(api, "/evaluation/cycles/2024/table").get_json()
    decision = table["decision"]
    assert decision is not None, "the generated year ends with the decision"
    r = fetch(api, "/documents/decisions/2024.docx")
    assert r.headers["Content-Type"] == DOCX
    assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]).startswith(
        "Quyết định công nhận kết quả đánh giá")
    doc = read_back(r.get_data())
    text = "\n".join(doc["paragraphs"])
    # letterhead: the issuer, the number, the motto, the date line of the signing
    y, m, d = decision["signed_on"].split("-")
    assert "BẢO HIỂM XÃ HỘI VIỆT NAM" in doc["header_cells"][0]
    assert f"Số: {decision['number']}" in doc["header_cells"][0]
    assert "BỘ TÀI CHÍNH" not in doc["header_cells"][0], "signed before 1 March 2025"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc["header_cells"][1]
    assert f"ngày {d} tháng {m} năm {y}" in doc["header_cells"][1]
    assert "QUYẾT ĐỊNH" in text
    # each basis of the rule set: its kind, number, date, issuer and title
    assert ("Căn cứ Quyết định số 1779/QĐ-BHXH ngày 31/12/2021 của Tổng Giám đốc BHXH Việt "
            "Nam quy định về đánh giá và xếp loại") in text
    assert "Căn cứ Quyết định số 1686/QĐ-BHXH ngày 24/11/2023 của Tổng Giám đốc" in text
    # the attached list is the compiled table, unit by unit
    names = {lv["code"]: lv["name"] for lv in table["levels"]}
    decided = {x["code"]: x["level"] for x in decision["levels"]}
    header, *rows = doc["list"]
    assert header == ["STT", "Mã đơn vị", "Tên đơn vị", "Điểm xét xếp loại", "Mức xếp loại",
                      "Ghi chú"]
    expected = sorted(table["rows"], key=lambda row: row["code"])
    assert len(rows) == len(expected) > 0
    for n, (got, want) in enumerate(zip(rows, expected, strict=True), start=1):
        assert got[0] == str(n) and got[1] == want["code"] and got[2] == want["name"]
        assert got[3] == ("" if want["score"] is None else str(want["score"]))
        assert got[4] == names[decided[want["code"]]]
        assert bool(got[5]) == (want["code"] in decision["outstanding"])
    assert f"Điều 1. Công nhận kết quả đánh giá, xếp loại năm 2024 đối với {len(rows)} " \
           "đơn vị" in text
    # it says what it was made from, and the same record makes the same document
    position = int(r.headers["X-Log-Position"])
    assert position > 0 and doc["comments"] == f"Lập từ nhật ký sự kiện đến vị trí {position}"
    assert f"đến vị trí {position}." in text
    again = read_back(fetch(api, "/documents/decisions/2024.docx").get_data())
    assert again == doc


def test_the_letterhead_is_the_offices_to_set(year_api):
    api = year_api
    doc = read_back(fetch(api, "/documents/decisions/2024.docx?superior=CHÍNH%20PHỦ&place="
                               "Thành%20phố%20Hồ%20Chí%20Minh").get_data())
    assert doc["header_cells"][0].startswith("CHÍNH PHỦ")
    assert "Thành phố Hồ Chí Minh, ngày" in doc["header_cells"][1]
    plain = read_back(fetch(api, "/documents/decisions/2024.docx?superior=-").get_data())
    assert plain["header_cells"][0].startswith("BẢO HIỂM XÃ HỘI VIỆT NAM")
    bad = api.get("/documents/decisions/2024.docx?superior=B%E1%BB%98%00T%C3%80I")
    assert bad.status_code in (400, 422) and bad.is_json
    assert api.get("/documents/decisions/2024.docx?colour=red").status_code == 422


def test_no_document_before_a_decision(api):
    from tests.support.evaluation import build_organisation, open_cycle

    build_organisation(api)
    open_cycle(api)
    r = api.get("/documents/decisions/2024.docx")
    assert r.status_code == 422 and r.get_json()["rule"] == "decision_recorded"
    r = api.get("/documents/decisions/2031.docx")
    assert r.status_code == 404 and r.get_json()["rule"] == "exists"
