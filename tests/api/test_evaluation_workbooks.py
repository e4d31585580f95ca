"""Score sheets as a workbook, as an office uses it: a real XLSX downloaded, read back,
filled in with openpyxl as Excel would, uploaded; every sheet written as a draft in one act,
equal to what was filled. Hostile and wrong workbooks are refused whole, each bad cell named
by its reference."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest

from domain.evaluation.sheet_workbook import COLUMNS, CRITERION_KINDS, STATES, WORKSHEET
from tests.support.evaluation import (
    CENTRAL,
    MONITORING,
    ORGANISATION,
    PROVINCES,
    RULES,
    YEAR,
    build_organisation,
    expected_pairs,
    leader_of,
    officer,
    open_cycle,
    scores_for,
)
from tests.support.workbooks import book, fill_scores, score_rows, set_cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CRITERIA = {c["code"]: c for c in RULES["criteria"]}


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.get_json()
    return r.get_json()


def path(code: str, year: int = YEAR) -> str:
    return f"/evaluation/workbooks/{year}/sheets/{code}.xlsx"


def download(api: Any, code: str, who: str | None = "admin") -> bytes:
    r = api.get(path(code), who)
    assert r.status_code == 200, r.get_data()[:300]
    assert r.headers["Content-Type"] == XLSX
    return r.get_data()  # type: ignore[no-any-return]


def upload(api: Any, code: str, data: bytes, who: str | None = None,
           name: str = "bang-cham-diem.xlsx") -> Any:
    return api.post(path(code), who or officer(code), data={"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def with_raw(data: bytes, find: bytes, put: bytes) -> bytes:
    """The workbook with bytes of its worksheet's XML replaced (what no library writes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.startswith("xl/"):
                content = content.replace(find, put)
            dst.writestr(item, content)
    return out.getvalue()


def owed(scorer: str) -> list[tuple[str, str]]:
    return [(k, t) for k, s, t in expected_pairs() if s == scorer]


@pytest.fixture
def cycle(api: Any) -> Any:
    app = api.services.app
    app.clock = lambda: datetime(2024, 12, 20, 3, tzinfo=UTC)
    build_organisation(api)
    open_cycle(api)
    return api


def drafts(api: Any, scorer: str) -> dict[tuple[str, str], dict[str, str]]:
    items = ok(api.get(f"/evaluation/sheets?year={YEAR}&scorer={scorer}&page_size=500"))
    out = {}
    for item in items["items"]:
        detail = ok(api.get(f"/evaluation/sheets/{item['id']}"))
        out[(detail["kind"], detail["subject_code"])] = detail["revisions"][-1]["scores"]
    return out


def as_numbers(scores: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in scores.items() if v not in (None, "")}


def test_a_scorer_fills_its_workbook_and_every_sheet_becomes_a_draft(cycle):
    api, app = cycle, cycle.services.app
    scorer = "VTCCB"  # itself, every province it monitors, the central units it scores
    ok(api.put("/evaluation/sheets", officer(scorer), json={
        "year": YEAR, "kind": "self", "subject_code": scorer, "scores": {"C01": "25.5"}}))

    r = api.get(path(scorer))
    assert r.status_code == 200 and r.headers["Content-Type"] == XLSX
    assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]) == \
        f"Bảng chấm điểm năm {YEAR} - {scorer}.xlsx"
    data = r.get_data()
    workbook = book(data)
    assert workbook.sheetnames == [WORKSHEET, "Hướng dẫn"]
    sheet = workbook[WORKSHEET]
    assert sheet.protection.sheet is True
    blocks = score_rows(data)
    assert sorted(blocks) == sorted(owed(scorer))
    assert len(blocks) == 1 + len(PROVINCES) + len(ORGANISATION[scorer])
    # the criteria with their codes, names, kinds and maxima, in Vietnamese
    some = blocks[("central_to_province", "P01")]
    assert list(some["cells"]) == list(CRITERIA)
    header_row = some["row"] + 3
    assert [c.value for c in sheet[header_row]][:6] == list(COLUMNS)
    for code, (where, value) in some["cells"].items():
        row = sheet[where].row
        assert sheet.cell(row, 3).value == CRITERIA[code]["name"]
        assert sheet.cell(row, 4).value == CRITERION_KINDS[CRITERIA[code]["kind"]]
        assert Decimal(str(sheet.cell(row, 5).value)) == Decimal(CRITERIA[code]["max"])
        assert value is None and sheet[where].protection.locked is False
    assert some["version"] is None and "Chưa có" in some["state"]
    # the current draft's values, its version and state
    own = blocks[("self", scorer)]
    assert own["cells"]["C01"][1] == 25.5 and own["version"] == 2  # started, written
    assert STATES["draft"] in own["state"]
    # data validation: each score cell between 0 and its criterion's maximum
    ranges = {}
    for rule in sheet.data_validations.dataValidation:
        assert rule.type == "decimal" and rule.formula1 == "0"
        for cell_range in rule.sqref.ranges:
            ranges[cell_range.coord] = rule.formula2
    for pair, block in blocks.items():
        for code, (where, _) in block["cells"].items():
            assert ranges[where] == CRITERIA[code]["max"], (pair, code)

    # filled in as Excel would: numbers (some decimal), every block
    filled = {pair: {k: (float(v) if "." in v else int(v)) for k, v in
                     scores_for(pair[0], scorer, pair[1]).items()} for pair in blocks}
    head = app.recorder.max_notification_id()
    body = ok(upload(api, scorer, fill_scores(data, filled)))
    assert body["sheets"] == len(blocks) and body["unchanged"] == 0
    assert len(body["written"]) == len(blocks)
    assert all(w["state"] == "draft" for w in body["written"])
    # one act: every event between the head before and the answer's position is this upload's
    new_events = sum(2 if w["version"] == 2 else 1 for w in body["written"])
    assert body["position"] == app.recorder.max_notification_id() == head + new_events
    # the drafts are what was filled
    got = drafts(api, scorer)
    for pair, scores in filled.items():
        assert as_numbers(got[pair]) == as_numbers(scores), pair
        written = next(w for w in body["written"]
                       if (w["kind"], w["subject_code"]) == pair)
        total = max(Decimal(0), sum((-Decimal(str(v)) if CRITERIA[k]["kind"] == "minus"
                                     else Decimal(str(v))) for k, v in scores.items()))
        assert Decimal(written["total"]) == total, pair

    # downloaded again, it shows what was written; sent back unchanged, nothing is written
    again = download(api, scorer)
    for pair, block in score_rows(again).items():
        assert as_numbers({k: v for k, (_, v) in block["cells"].items()}) == \
            as_numbers(filled[pair])
    head = app.recorder.max_notification_id()
    body = ok(upload(api, scorer, again))
    assert body["written"] == [] and body["unchanged"] == len(blocks)
    assert body["position"] == 0 and app.recorder.max_notification_id() == head


def test_cleared_cells_clear_the_draft_and_the_rest_stays(cycle):
    api = cycle
    data = download(api, "P01")
    pair = ("province_to_central", "BTHU")
    ok(upload(api, "P01", fill_scores(data, {pair: {"C01": 30, "C02": 19.5}})))
    data = download(api, "P01")
    body = ok(upload(api, "P01", fill_scores(data, {pair: {"C01": None}})))
    assert [(w["kind"], w["subject_code"]) for w in body["written"]] == [pair]
    assert drafts(api, "P01")[pair] == {"C02": "19.5"}


def test_hostile_cells_are_each_named_and_nothing_is_written(cycle):
    api, app = cycle, cycle.services.app
    data = download(api, "P01")
    blocks = score_rows(data)
    cells = blocks[("province_to_central", "BTHU")]["cells"]
    tccb = blocks[("province_to_central", "VTCCB")]["cells"]
    bad = {
        cells["C01"][0]: 31,                       # above the maximum 30
        cells["C02"][0]: "=20",                    # a formula
        cells["C03"][0]: "abc",                    # text in a number cell
        cells["C04"][0]: "8,5",                    # a decimal comma, typed as text
        cells["C05"][0]: -1,                       # below zero
        cells["C06"][0]: 2.125,                    # three decimals
        cells["C07"][0]: True,                     # a truth value
        cells["C08"][0]: date(2024, 12, 1),        # a date
        cells["C09"][0]: "5\x85",                  # a C1 control character
        tccb["C10"][0]: 5,                         # a good cell beside the bad ones
    }
    head = app.recorder.max_notification_id()
    r = upload(api, "P01", set_cells(data, bad))
    body = r.get_json()
    assert r.status_code == 422, body
    errors, rules = body["errors"], body["rules"]
    assert set(errors) == set(bad) - {tccb["C10"][0]}
    assert errors[cells["C01"][0]] == ["BTHU, C01: 31 is above the maximum 30"]
    assert rules[cells["C01"][0]] == "score_above_maximum"
    assert "formula" in errors[cells["C02"][0]][0] and \
        rules[cells["C02"][0]] == "workbook_formula"
    assert errors[cells["C03"][0]] == ["BTHU, C03: 'abc' is text, not a number"]
    assert rules[cells["C04"][0]] == "workbook_number"
    assert "below zero" in errors[cells["C05"][0]][0]
    assert "two decimals" in errors[cells["C06"][0]][0]
    assert rules[cells["C07"][0]] == rules[cells["C08"][0]] == "workbook_number"
    assert errors[cells["C09"][0]] == ["BTHU, C09: '5\\u0085' is text, not a number"]
    assert body["rule"] == "workbook_cells" and "nothing was written" in body["message"]
    assert app.recorder.max_notification_id() == head

    # a code that holds a character no text keeps; a NUL the XML itself cannot hold
    subject_cell = f"B{blocks[('province_to_central', 'BTHU')]['row'] + 1}"
    body = ok(upload(api, "P01", set_cells(data, {subject_cell: "BTHU\u202e"})), 422)
    assert body["rules"] == {subject_cell: "text_characters"}
    assert "U+202E" in body["errors"][subject_cell][0]
    marked = set_cells(data, {cells["C01"][0]: "NULHERE"})
    assert ok(upload(api, "P01", with_raw(marked, b"NULHERE", b"&#0;")), 422)["rule"] == \
        "xlsx_format"

    # a score typed beside a row that names no criterion, a criterion row removed
    c05 = cells["C05"][0]
    kind_cell = f"B{blocks[('province_to_central', 'BTHU')]['row']}"
    spoiled = set_cells(data, {f"A{c05[1:]}": None, c05: 7})
    body = ok(upload(api, "P01", spoiled), 422)
    assert body["rules"] == {c05: "workbook_layout", kind_cell: "workbook_layout"}
    assert "names no criterion" in body["errors"][c05][0]
    assert body["errors"][kind_cell] == [
        "BTHU: the row(s) of C05 are missing; download the workbook again"]
    assert app.recorder.max_notification_id() == head


def test_a_wrong_huge_or_foreign_workbook_is_refused_whole(cycle):
    api, app = cycle, cycle.services.app
    data = download(api, "P01")
    head = app.recorder.max_notification_id()
    # another scorer's workbook, sent by its own officer to its own address
    r = upload(api, "P02", data, who=officer("P02"))
    body = ok(r, 422)
    assert body["rule"] == "workbook_scorer" and "B3" in body["errors"]
    # sent to another unit's address: refused before it is read
    r = upload(api, "P01", data, who=officer("P02"))
    assert ok(r, 403)["rule"] == "sheet.write"
    assert ok(upload(api, "P01", data, who="admin"), 403)["rule"] == "sheet.write"
    # another year
    body = ok(upload(api, "P01", set_cells(data, {"B2": YEAR + 1})), 422)
    assert body["rule"] == "workbook_year"
    # a block for a sheet the scorer does not owe
    blocks = score_rows(data)
    subject_cell = f"B{blocks[('province_to_central', 'BTHU')]['row'] + 1}"
    body = ok(upload(api, "P01", set_cells(data, {subject_cell: "TTTT"})), 422)
    assert body["rules"][subject_cell] == "province_to_central_pair"
    # not a workbook, a CSV, nothing at all
    assert ok(upload(api, "P01", b"PK\x03\x04garbage"), 422)["rule"] == "xlsx_format"
    assert ok(upload(api, "P01", b"a,b\n", name="bang.csv"), 422)["rule"] == "file_type"
    # a huge sheet: a cell far below the bound of rows; parts that unpack past 8 MiB
    body = ok(upload(api, "P01", set_cells(data, {"A60000": "x"})), 413)
    assert body["rule"] == "table_rows"
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("xl/padding.bin", b"\0" * (9 * 1024 * 1024))
    body = ok(upload(api, "P01", padded.getvalue()), 413)
    assert body["rule"] == "xlsx_expanded_size"
    assert app.recorder.max_notification_id() == head


def test_versions_states_and_the_cycle_are_respected(cycle):
    api, app = cycle, cycle.services.app
    scorer = "BTHU"
    data = download(api, scorer)
    pair = ("central_to_province", "P02")
    # someone writes a sheet after the download: the workbook is stale for that block
    ok(api.put("/evaluation/sheets", officer(scorer), json={
        "year": YEAR, "kind": pair[0], "subject_code": pair[1], "scores": {"C01": "10"}}))
    body = ok(upload(api, scorer, fill_scores(data, {pair: {"C01": 12}})), 409)
    version_cell = f"B{score_rows(data)[pair]['row'] + 2}"
    assert body["rule"] == "stale_version" and list(body["errors"]) == [version_cell]

    # a sent sheet is never changed by a workbook; left as it is, it is no obstacle
    sid = ok(api.put("/evaluation/sheets", officer(scorer), json={
        "year": YEAR, "kind": "self", "subject_code": scorer,
        "scores": scores_for("self", scorer, scorer)}))["id"]
    for step, who in (("submit", officer(scorer)), ("approve", leader_of(scorer)),
                      ("send", officer(scorer))):
        ok(api.post(f"/evaluation/sheets/{sid}/{step}", who, json={}))
    data = download(api, scorer)
    sent = score_rows(data)[("self", scorer)]
    assert STATES["sent"] in sent["state"]
    assert all(book(data)[WORKSHEET][where].protection.locked for where, _ in
               sent["cells"].values())
    head = app.recorder.max_notification_id()
    body = ok(upload(api, scorer, fill_scores(data, {("self", scorer): {"C01": 1}})), 422)
    kind_cell = f"B{sent['row']}"
    assert body["rules"] == {kind_cell: "sheet_write_state"}
    assert app.recorder.max_notification_id() == head
    body = ok(upload(api, scorer, fill_scores(data, {("central_to_province", "P03"):
                                                     {"C01": 20}})))
    assert [w["subject_code"] for w in body["written"]] == ["P03"]

    # a closed cycle takes no workbook
    app.clock = lambda: datetime(2025, 1, 12, 3, tzinfo=UTC)
    ok(api.post(f"/evaluation/cycles/{YEAR}/close", json={}))
    data = download(api, scorer)
    body = ok(upload(api, scorer, fill_scores(data, {("central_to_province", "P04"):
                                                     {"C01": 20}})), 422)
    assert body["rule"] == "cycle_open"


def test_only_units_of_the_cycle_have_a_workbook(cycle):
    api = cycle
    assert ok(api.get(path("NOPE")), 404)["rule"] == "exists"
    assert ok(api.get(path("P01", YEAR + 5)), 404)["rule"] == "exists"
    # every unit of the cycle has one, holding exactly the sheets it owes
    for code in ("TTTT", "P05", *MONITORING):
        assert sorted(score_rows(download(api, code))) == sorted(owed(code))
    assert set(CENTRAL) >= set(MONITORING)
