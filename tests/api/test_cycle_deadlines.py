"""Deadlines as an office meets them: a cycle opened after its deadline says so (or is
refused, as its rule set says), an extension is bounded, and the compiled table's exports
say "Gửi muộn"/"Đúng hạn" in words while its JSON keeps the machine values."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from tests.support.evaluation import (
    RULES,
    YEAR,
    Year,
    build_organisation,
    open_cycle,
    scores_for,
)


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.get_json()
    return r.get_json()


def test_a_cycle_opened_after_its_deadline_says_so(api):
    app = api.services.app
    build_organisation(api)
    app.clock = lambda: datetime(2025, 1, 11, 2, tzinfo=UTC)  # 09:00 on 11 January in Hanoi
    opened = open_cycle(api)
    [warning] = opened["warnings"]
    assert warning["rule"] == "cycle_opened_before_deadline" and warning["field"] == "deadline"
    assert "2025-01-10" in warning["message"]
    cycle = ok(api.get(f"/evaluation/cycles/{YEAR}"))
    assert cycle["opened_after_deadline"] is True and cycle["extension_limit_days"] == 30

    # a rule set that says 'refuse' refuses it, naming the rule; nothing is recorded
    strict = {**RULES, "code": "STRICT", "late_opening": "refuse", "extension_limit_days": 5}
    ok(api.post("/evaluation/rulesets", json={"content": strict}), 201)
    head = app.recorder.max_notification_id()
    app.clock = lambda: datetime(2026, 1, 10, 17, tzinfo=UTC)  # 00:00 on 11 January
    r = api.post("/evaluation/cycles", json={
        "year": YEAR + 1, "ruleset_code": "STRICT", "units": ["P01", "P02"],
        "monitoring": [], "organisation_scoring": []})
    body = ok(r, 422)
    assert body["rule"] == "cycle_opened_before_deadline" and "deadline" in body["errors"]
    assert app.recorder.max_notification_id() == head
    # in time, the same rule set opens it without a warning
    app.clock = lambda: datetime(2026, 1, 10, 16, 59, tzinfo=UTC)
    opened = ok(api.post("/evaluation/cycles", json={
        "year": YEAR + 1, "ruleset_code": "STRICT", "units": ["P01", "P02"],
        "monitoring": [], "organisation_scoring": []}), 201)
    assert opened["warnings"] == []
    assert ok(api.get(f"/evaluation/cycles/{YEAR + 1}"))["opened_after_deadline"] is False

    # the rule set's bound on extensions: 5 days past 10 January 2026
    r = api.post(f"/evaluation/cycles/{YEAR + 1}/extensions", json={
        "unit_code": "P01", "until": "2026-01-16", "reason": "Công văn xin gia hạn."})
    body = ok(r, 422)
    assert body["rule"] == "extension_within_limit" and "until" in body["errors"]
    assert "2026-01-15" in body["message"]
    ok(api.post(f"/evaluation/cycles/{YEAR + 1}/extensions", json={
        "unit_code": "P01", "until": "2026-01-15", "reason": "Công văn xin gia hạn."}), 201)


def test_a_rule_set_with_a_bad_setting_is_refused(api):
    for settings, rule in [({"extension_limit_days": 400}, "extension_limit_format"),
                           ({"late_opening": "sometimes"}, "late_opening_format")]:
        body = ok(api.post("/evaluation/rulesets", json={"content": {**RULES, **settings}}),
                  422)
        assert body["rule"] == rule and next(iter(settings)) in body["errors"]


def test_the_table_exports_say_late_or_on_time_in_words(api):
    app = api.services.app
    build_organisation(api)
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    assert open_cycle(api)["warnings"] == []
    y = Year(api)
    y.through("self", "P01", "P01")
    y.through("central_to_province", "BTHU", "P02")
    app.clock = lambda: datetime(2025, 1, 12, 3, tzinfo=UTC)
    ok(api.post(f"/evaluation/cycles/{YEAR}/extensions", json={
        "unit_code": "BTHU", "until": "2025-01-15", "reason": "Sự cố đường truyền."}), 201)
    y.through("central_to_province", "BTHU", "P03", scores_for("central_to_province", "BTHU",
                                                               "P03"))
    y.through("self", "BTHU", "BTHU")

    table = ok(api.get(f"/evaluation/cycles/{YEAR}/table"))
    rows = {r["code"]: r for r in table["rows"]}
    # JSON keeps the machine values
    assert sorted(rows["BTHU"]["late"]) == ["central_to_province:P03", "self:BTHU"]
    assert rows["BTHU"]["late_count"] == 2 and rows["P01"]["late"] == []

    lines = list(csv.reader(io.StringIO(
        api.get(f"/evaluation/cycles/{YEAR}/table.csv").data.decode("utf-8-sig"))))
    header = lines[0]
    status, listed = header.index("Tình trạng gửi"), header.index("Các lần gửi muộn")
    assert header[status + 1] == "Số lần gửi muộn"
    by_code = {line[1]: line for line in lines[1:]}
    assert by_code["BTHU"][status] == "Gửi muộn" and by_code["P01"][status] == "Đúng hạn"
    assert sorted(by_code["BTHU"][listed].split("; ")) == [
        "Phiếu chấm điểm BHXH tỉnh P03", "Phiếu tự chấm điểm"]
    assert by_code["P01"][listed] == ""
    assert not any("true" in cell.lower() or "false" in cell.lower()
                   for line in lines for cell in line)

    book = load_workbook(io.BytesIO(api.get(f"/evaluation/cycles/{YEAR}/table.xlsx").data))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == header
    xlsx = {r[1]: r for r in sheet_rows[1:]}
    assert xlsx["BTHU"][status] == "Gửi muộn" and xlsx["P02"][status] == "Đúng hạn"
    assert xlsx["BTHU"][listed] == by_code["BTHU"][listed]
