"""A monitor's score-sheet workbook under the rule set's ``monitor_fields``: its blocks on
provinces list its field's criteria only (the others are not shown), and whatever a hand
edits in the file (a row renamed to another field's criterion, a row inserted, the locked
cells unlocked and overwritten, a workbook laid out with every criterion) a value in another
field's criterion is refused by its cell, with the rule the API names, and nothing is
written."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.evaluation import sheet_workbook
from domain.evaluation.sheet_workbook import WORKSHEET
from tests.support.evaluation import (
    FIELDS,
    ORGANISATION,
    PROVINCES,
    RULES,
    YEAR,
    build_organisation,
    fields_rules,
    officer,
    open_cycle,
)
from tests.support.workbooks import book, fill_scores, saved, score_rows
from web.resources.evaluation.workbooks import score_workbook

ALL = [c["code"] for c in RULES["criteria"]]
MAXIMA = {c["code"]: c["max"] for c in RULES["criteria"]}
KINDS = {c["code"]: c["kind"] for c in RULES["criteria"]}


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.get_json()
    return r.get_json()


def path(code: str) -> str:
    return f"/evaluation/workbooks/{YEAR}/sheets/{code}.xlsx"


def download(api: Any, code: str) -> bytes:
    r = api.get(path(code))
    assert r.status_code == 200, r.get_data()[:300]
    return r.get_data()  # type: ignore[no-any-return]


def upload(api: Any, code: str, data: bytes) -> Any:
    return api.post(path(code), officer(code), content_type="multipart/form-data",
                    data={"file": (io.BytesIO(data), "bang-cham-diem.xlsx")})


@pytest.fixture
def cycle(api: Any) -> Any:
    api.services.app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api, fields_rules())
    return api


def drafts(api: Any, scorer: str) -> dict[tuple[str, str], dict[str, str]]:
    items = ok(api.get(f"/evaluation/sheets?year={YEAR}&scorer={scorer}&page_size=500"))
    out = {}
    for item in items["items"]:
        detail = ok(api.get(f"/evaluation/sheets/{item['id']}"))
        out[(detail["kind"], detail["subject_code"])] = detail["revisions"][-1]["scores"]
    return out


def test_a_monitors_blocks_on_provinces_list_its_field_only(cycle):
    api = cycle
    data = download(api, "VTCCB")
    sheet = book(data)[WORKSHEET]
    blocks = score_rows(data)
    validated = {r.coord for rule in sheet.data_validations.dataValidation
                 for r in rule.sqref.ranges}
    for province in PROVINCES:
        block = blocks[("central_to_province", province)]
        assert list(block["cells"]) == FIELDS["VTCCB"]  # in the scheme's order
        # marked as a field's block; its total is out of the field's base points
        assert sheet.cell(block["row"], 3).value == \
            f"Chỉ các tiêu chí thuộc lĩnh vực của VTCCB (6/{len(ALL)} tiêu chí)"
        total_row = max(sheet[where].row for where, _ in block["cells"].values()) + 1
        assert sheet.cell(total_row, 1).value == sheet_workbook.TOTAL
        assert Decimal(str(sheet.cell(total_row, 5).value)) == Decimal(25)
        assert {where for where, _ in block["cells"].values()} <= validated
    # its other sheets score the whole scheme: itself, the central units it scores
    assert list(blocks[("self", "VTCCB")]["cells"]) == ALL
    for subject in ORGANISATION["VTCCB"]:
        assert list(blocks[("organisation_to_central", subject)]["cells"]) == ALL
    assert sheet.cell(blocks[("self", "VTCCB")]["row"], 3).value is None
    # a province's sheets of its monitors are not narrowed either
    assert all(list(b["cells"]) == ALL for b in score_rows(download(api, "P01")).values())


def test_a_value_in_another_fields_criterion_is_refused_by_its_cell(cycle):
    api, app = cycle, cycle.services.app
    data = download(api, "BTHU")  # its field: C01-C04 and the bonus B01
    blocks = score_rows(data)
    workbook = book(data)
    sheet = workbook[WORKSHEET]
    sheet.protection.sheet = False  # the sheet is locked without a password: anyone unlocks
    expected: dict[str, str] = {}

    # P01: the row of C04 renamed to C05 (another monitor's), a score typed in it
    p01 = blocks[("central_to_province", "P01")]
    renamed = p01["cells"]["C04"][0]
    sheet[f"A{renamed[1:]}"] = "C05"
    sheet[renamed] = 5
    expected[renamed] = "criterion_in_field"
    expected[f"B{p01['row']}"] = "workbook_layout"  # and C04's row is missing
    # P03: a locked maximum overwritten: the rule set's maximum holds, not the file's
    p03 = blocks[("central_to_province", "P03")]
    c01 = p03["cells"]["C01"][0]
    sheet[f"E{c01[1:]}"] = 100
    sheet[c01] = 35
    expected[c01] = "score_above_maximum"
    # P04: its block's kind changed to a self sheet, which BTHU does not owe for P04
    p04 = blocks[("central_to_province", "P04")]
    sheet[f"B{p04['row']}"] = sheet_workbook.SHEET_KIND_NAMES["self"]
    expected[f"B{p04['row'] + 1}"] = "self_pair"
    # P05 (the last block, as it moves the rows below it): a row inserted for C06, scored;
    # and one for C07 left empty, which is let be
    p05 = blocks[("central_to_province", "P05")]
    assert all(p05["row"] > b["row"] for b in blocks.values() if b is not p05)
    below = sheet[p05["cells"]["C02"][0]].row + 1
    sheet.insert_rows(below, 2)
    sheet[f"A{below}"], sheet[f"F{below}"] = "C06", 3
    sheet[f"A{below + 1}"] = "C07"
    sheet[p05["cells"]["C01"][0]] = 29  # a good cell beside them
    expected[f"F{below}"] = "criterion_in_field"

    head = app.recorder.max_notification_id()
    body = ok(upload(api, "BTHU", saved(workbook)), 422)
    assert body["rules"] == expected, body
    assert body["errors"][renamed] == [
        "P01, C05: not among the criteria of BTHU's field (C01, C02, C03, C04, B01); a "
        "monitor scores a province on its own field only"]
    assert body["errors"][f"F{below}"][0].startswith("P05, C06: not among the criteria")
    assert body["errors"][c01] == ["P03, C01: 35 is above the maximum 30"]
    assert app.recorder.max_notification_id() == head

    # the field's own cells are written; the sheet holds nothing of another field
    pair = ("central_to_province", "P01")
    body = ok(upload(api, "BTHU", fill_scores(data, {pair: {"C01": 27, "C03": 9, "B01": 2}})))
    [written] = body["written"]
    assert (written["subject_code"], written["total"], written["level"]) == ("P01", "38.00",
                                                                             None)
    assert drafts(api, "BTHU")[pair] == {"C01": "27", "C03": "9", "B01": "2"}


def test_a_workbook_laid_out_with_every_criterion_takes_only_the_field(cycle):
    """A workbook made by hand (or before the fields were mapped) listing every criterion
    on a monitor's block: its other rows left empty are let be, a value in one is refused by
    its cell, exactly as the API refuses it."""
    api, app = cycle, cycle.services.app
    content = app.score_workbook(YEAR, "TTCNTT")
    for block in content["blocks"]:
        block.pop("criteria", None)  # the whole scheme on every block
        block.pop("note", None)
    data = score_workbook(sheet_workbook.layout(content))
    blocks = score_rows(data)
    pair = ("central_to_province", "P05")
    assert list(blocks[pair]["cells"]) == ALL
    head = app.recorder.max_notification_id()
    spoiled = fill_scores(data, {pair: {"C03": 8, "C09": 4, "C10": 5, "M01": 1}})
    body = ok(upload(api, "TTCNTT", spoiled), 422)
    cells = blocks[pair]["cells"]
    assert body["rules"] == {cells["C10"][0]: "criterion_in_field",
                             cells["M01"][0]: "criterion_in_field"}
    assert app.recorder.max_notification_id() == head
    r = api.put("/evaluation/sheets", officer("TTCNTT"), json={
        "year": YEAR, "kind": "central_to_province", "subject_code": "P05",
        "scores": {"C03": "8", "C10": "5"}})
    assert ok(r, 422)["rule"] == "criterion_in_field"  # the API's refusal, the same rule

    body = ok(upload(api, "TTCNTT", fill_scores(data, {pair: {"C03": 8, "C09": 4}})))
    assert [(w["subject_code"], w["total"]) for w in body["written"]] == [("P05", "12.00")]
    assert drafts(api, "TTCNTT")[pair] == {"C03": "8", "C09": "4"}
    # the next download shows the block as the field's again, with what was written
    again = score_rows(download(api, "TTCNTT"))[pair]
    assert {c: v for c, (_, v) in again["cells"].items()} == {"C03": 8, "C09": 4}
