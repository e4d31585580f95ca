"""A rule set with levels of its own (five, with other codes and names than the defaults):
the compiled table's exports name the levels as that rule set does, never blank."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from domain.kernel.actor import Actor

YEAR = 2024
OFFICE = Actor(user_id="test:levels", user_name="levels", roles=("admin", "standing_office"),
               unit_id=None, source="test")
LEVELS = [{"code": "excellent", "name": "Xuất sắc (bộ tiêu chí thử)", "min": "95"},
          {"code": "very_good", "name": "Rất tốt", "min": "85"},
          {"code": "fair", "name": "Khá", "min": "70"},
          {"code": "average", "name": "Trung bình", "min": "50"},
          {"code": "weak", "name": "Yếu", "min": "0"}]
RULESET = {
    "code": "FIVE", "name": "Bộ tiêu chí năm mức", "total_points": "100",
    "criteria": [{"code": "C1", "group": "I", "name": "Nhiệm vụ chuyên môn", "kind": "base",
                  "max": "60"},
                 {"code": "C2", "group": "I", "name": "Chỉ đạo, điều hành", "kind": "base",
                  "max": "40"}],
    "levels": LEVELS,
    "legal_basis": [{"number": "01/QĐ-THU", "date": "2024-01-02", "title": "Thử năm mức"}],
}
SCORES = {"P01": {"C1": "50", "C2": "38"}, "P02": {"C1": "58", "C2": "38"}}  # 88 and 96


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    body = response.get_json()
    assert response.status_code == status, body
    return body  # type: ignore[no-any-return]


def level_columns(rows: list[list[Any]]) -> dict[str, list[Any]]:
    """Unit code -> (by score, proposed, decided) level names."""
    header = rows[0]
    cols = [header.index(h) for h in ("Mức xếp loại theo điểm",
                                      "Mức xếp loại đề xuất (sau hạn mức)",
                                      "Mức xếp loại theo Quyết định")]
    code = header.index("Mã đơn vị")
    return {r[code]: [r[c] or "" for c in cols] for r in rows[1:]}


def xlsx(api: Any) -> dict[str, list[Any]]:
    r = api.get(f"/evaluation/cycles/{YEAR}/table.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    return level_columns([list(row) for row in sheet.iter_rows(values_only=True)])


def test_the_exports_name_the_levels_of_the_cycles_own_rule_set(api):
    app = api.services.app
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    for code in SCORES:
        app.register_unit(OFFICE, code=code, name=f"BHXH tỉnh {code}", level="province",
                          parent_code=None, effective="2020-01-01")
        api.user(f"o.{code.lower()}", ["officer"], code)
    ok(api.post("/evaluation/rulesets", json={"content": RULESET}), 201)
    ok(api.post("/evaluation/cycles", json={
        "year": YEAR, "ruleset_code": "FIVE", "units": ["VTDKT", *SCORES],
        "monitoring": [{"unit_code": "VTDKT", "field": "Thi đua, khen thưởng"}],
        "organisation_scoring": []}), 201)
    for code, scores in SCORES.items():
        who = f"o.{code.lower()}"
        sid = ok(api.put("/evaluation/sheets", who, json={
            "year": YEAR, "kind": "self", "subject_code": code, "scores": scores}))["id"]
        ok(api.post(f"/evaluation/sheets/{sid}/submit", who, json={}))
        ok(api.post(f"/evaluation/sheets/{sid}/send", who, json={}))

    table = ok(api.get(f"/evaluation/cycles/{YEAR}/table"))
    assert table["provisional"] and table["levels"] == LEVELS
    levels = xlsx(api)
    assert levels["P01"] == ["Rất tốt", "Rất tốt", ""]
    assert levels["P02"] == ["Xuất sắc (bộ tiêu chí thử)"] * 2 + [""]
    assert levels["VTDKT"] == ["", "", ""]  # nobody scored it

    app.clock = lambda: datetime(2025, 1, 16, 3, tzinfo=UTC)
    ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
    ok(api.post(f"/evaluation/cycles/{YEAR}/review", json={"meeting_date": "2025-01-20"}))
    ok(api.post(f"/evaluation/cycles/{YEAR}/decision", json={
        "number": "01/QĐ-THU", "signed_on": "2025-02-05", "signer": "Tổng Giám đốc",
        "levels": {"P01": "fair"}, "reason": "Hội đồng hạ một mức."}), 201)
    assert xlsx(api)["P01"] == ["Rất tốt", "Rất tốt", "Khá"]
    r = api.get(f"/evaluation/cycles/{YEAR}/table.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert level_columns(rows)["P02"] == ["Xuất sắc (bộ tiêu chí thử)"] * 3
