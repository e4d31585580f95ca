"""The workbooks' cells without a database: naming a cell, reading numbers and texts as an
office types them (and refusing formulas, truth values, dates, hidden characters), the
bounded reader keeping formulas as text, and a laid-out workbook read back by its labels."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from domain.evaluation import report_workbook, sheet_workbook
from domain.evaluation.workbook import (
    WORKBOOK_LIMITS,
    CellError,
    Findings,
    column_letter,
    day_text,
    number,
    plain,
    ref,
    words,
)
from domain.kernel.errors import Conflict, InvalidInput
from domain.kernel.tabular import read_table
from web.resources.evaluation.workbooks import report_workbook_xlsx, score_workbook

CRITERIA = [{"code": "C01", "group": "I", "name": "Chỉ tiêu", "kind": "base", "max": "60"},
            {"code": "C02", "group": "I", "name": "Chất lượng", "kind": "base", "max": "40"},
            {"code": "M01", "group": "II", "name": "Vi phạm", "kind": "minus", "max": "10"}]


def test_cells_are_named_as_a_spreadsheet_names_them():
    assert [column_letter(i) for i in (0, 5, 25, 26, 27, 701, 702)] == [
        "A", "F", "Z", "AA", "AB", "ZZ", "AAA"]
    assert ref(12, 5) == "F12" and day_text("2025-01-10") == "10/01/2025"


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("  ", None), (30, Decimal(30)), (8.5, Decimal("8.5")),
    (4.35, Decimal("4.35")), (Decimal("12.50"), Decimal("12.50")), (" 7.25 ", Decimal("7.25")),
    ("-3", Decimal(-3)),
])
def test_a_number_cell(value, expected):
    assert number(value) == expected


@pytest.mark.parametrize("value, rule", [
    ("=SUM(A1:A3)", "workbook_formula"), ("abc", "workbook_number"),
    ("8,5", "workbook_number"), ("1e3", "workbook_number"), ("NaN", "workbook_number"),
    ("5\u200b", "workbook_number"), ("5\x85", "workbook_number"), (True, "workbook_number"),
    (date(2024, 1, 1), "workbook_number"), (datetime(2024, 1, 1, 8), "workbook_number"),
    (float("inf"), "workbook_number"),
])
def test_what_is_not_a_number(value, rule):
    with pytest.raises(CellError) as e:
        number(value)
    assert e.value.rule == rule
    assert "\u200b" not in e.value.why and "\x85" not in e.value.why  # shown escaped


def test_a_text_cell():
    assert words("  Hà Nội ") == "Hà Nội"
    assert words(unicodedata.normalize("NFD", "Hà Nội")) == "Hà Nội"  # kept in NFC
    assert words(120000000.0) == "120000000" and words(Decimal("1.50")) == "1.5"
    assert words(date(2024, 12, 1)) == "2024-12-01"
    assert words("dòng 1\r\ndòng 2", multiline=True) == "dòng 1\ndòng 2"
    for value, rule in (("=HYPERLINK(\"x\")", "workbook_formula"), (False, "workbook_text"),
                        ("a\u202eb", "text_characters"), ("a\nb", "text_characters")):
        with pytest.raises(CellError) as e:
            words(value)
        assert e.value.rule == rule
    assert plain(Decimal("30.00")) == "30" and plain(Decimal("0")) == "0"


def test_findings_refuse_a_stale_workbook_before_its_bad_cells():
    found = Findings()
    found.raise_any("sheet(s)")  # nothing found: nothing raised
    found.add("F12", "P12, C07: 31 is above the maximum 30", "score_above_maximum")
    found.add("F13", "P12, C08: 'x' is text, not a number", "workbook_number")
    with pytest.raises(InvalidInput) as e:
        found.raise_any("sheet(s)")
    assert e.value.rule == "workbook_cells" and e.value.rules["F12"] == "score_above_maximum"
    assert "F12: P12, C07: 31 is above the maximum 30" in e.value.message
    found.changed("B20", "P13: the sheet is at version 4")
    with pytest.raises(Conflict) as c:
        found.raise_any("sheet(s)")
    assert c.value.rule == "stale_version" and list(c.value.errors) == ["B20"]


def test_the_bounded_reader_keeps_formulas_as_text_when_asked():
    book = Workbook()
    book.active.append([1, "=1+1", "x"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    assert read_table(data, "a.xlsx", formulas=True)[0] == [1, "=1+1", "x"]
    assert read_table(data, "a.xlsx")[0][1] is None  # a value never computed reads as none
    with pytest.raises(InvalidInput) as e:
        read_table(data, "a.csv", kinds=(".xlsx",))
    assert e.value.rule == "file_type"


def score_content(scores: dict[str, Decimal]) -> dict:
    return {"year": 2024, "scorer": {"code": "P01", "name": "BHXH tỉnh P01"},
            "deadline_text": "10/01/2025", "made_at": "2024-12-20T10:00:00+07:00",
            "criteria": CRITERIA, "total_points": "100",
            "blocks": [{"kind": "self", "subject_code": "P01", "subject_name": "BHXH tỉnh P01",
                        "version": 3, "state": "draft", "editable": True, "scores": scores},
                       {"kind": "province_to_central", "subject_code": "BTHU",
                        "subject_name": "Ban Thu", "version": None, "state": None,
                        "editable": True, "scores": {}}]}


def test_a_laid_out_score_workbook_reads_back_by_its_labels():
    data = score_workbook(sheet_workbook.layout(score_content({"C01": Decimal("55.5")})))
    found = Findings()
    upload = sheet_workbook.read(read_table(data, "x.xlsx", WORKBOOK_LIMITS, formulas=True),
                                 found)
    assert found.errors == {} and upload.year == 2024 and upload.scorer == "P01"
    first, second = upload.blocks
    assert sheet_workbook.KINDS[sheet_workbook.fold(first.kind)] == "self"
    assert first.subject == "P01" and sheet_workbook.version_of(first, found) == 3
    assert {c: v for c, (_, v) in first.scores.items()} == {"C01": 55.5, "C02": None,
                                                            "M01": None}
    assert second.subject == "BTHU" and sheet_workbook.version_of(second, found) is None
    assert list(second.scores) == ["C01", "C02", "M01"]


def test_a_laid_out_report_workbook_reads_back_by_its_labels():
    content = {"year": 2024, "reporter": {"code": "BTHU", "name": "Ban Thu"}, "item": 1,
               "topic": "Kết quả thu", "deadline_text": "10/01/2025", "made_at": "x",
               "figure_names": ["Kế hoạch", "Nợ"],
               "blocks": [{"subject_code": "P01", "subject_name": "BHXH tỉnh P01",
                           "level": "province", "item": 1, "version": 2, "submissions": 1,
                           "assessment": "Đạt.\nTốt.",
                           "figures": {"Kế hoạch": Decimal("1000")},
                           "lists": {"no": [{"ten": "A", "tien": "5"}]}}]}
    data = report_workbook_xlsx(report_workbook.layout(content))
    found = Findings()
    upload = report_workbook.read(read_table(data, "x.xlsx", WORKBOOK_LIMITS, formulas=True),
                                  found)
    assert found.errors == {} and upload.reporter == "BTHU"
    [block] = upload.blocks
    assert block.subject == "P01" and report_workbook.version_of(block, found) == 2
    assert block.assessment == "Đạt.\nTốt." and block.figures == {"Kế hoạch": "1000"}
    assert [(x.name, x.entries) for x in block.lists] == [
        ("no", [{"ten": "A", "tien": "5"}]), ("", [])]
