"""The sheets of a province's district cycle as workbooks, as an office uses them: a BHXH cơ
sở downloads its self sheet, its province every sheet it owes on its offices, each as a real
XLSX filled in with openpyxl and uploaded to the same address; the changed sheets become
drafts of that cycle in one act. The sector's guarantees hold: every bad cell named and
nothing written, the rights (the scorer's own officer only), the versions (409), sent
sheets never changed; and a workbook of another cycle is refused whole."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest

from domain.evaluation.ruleset import sample_ruleset
from domain.evaluation.sheet_workbook import CYCLE, STATES, WORKSHEET
from tests.support.core import ROOT, Api
from tests.support.district import DISTRICT_RULES, YEAR, district_scores, province_with_offices
from tests.support.workbooks import book, fill_scores, score_rows, set_cells

CRITERIA = {c["code"]: c for c in DISTRICT_RULES["criteria"]}
OFFICES = [f"PAD{i}" for i in range(1, 11)]


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.get_json()
    return r.get_json()


def path(code: str, province: str = "PA") -> str:
    return f"/district-evaluation/workbooks/{province}/{YEAR}/sheets/{code}.xlsx"


def download(api: Api, code: str, province: str = "PA") -> bytes:
    r = api.get(path(code, province), "doc.gia")
    assert r.status_code == 200, r.get_data()[:300]
    return r.get_data()  # type: ignore[no-any-return]


def upload(api: Api, code: str, data: bytes, who: str | None = None,
           where: str | None = None) -> Any:
    return api.post(where or path(code), who or f"o.{code.lower()}",
                    data={"file": (io.BytesIO(data), "bang-cham-diem.xlsx")},
                    content_type="multipart/form-data")


def numbers(scores: dict[str, str]) -> dict[str, Any]:
    """Scores as Excel holds them: numbers."""
    return {k: (float(v) if "." in v else int(v)) for k, v in scores.items()}


def total(scores: dict[str, Any]) -> Decimal:
    signed = (-Decimal(str(v)) if CRITERIA[k]["kind"] == "minus" else Decimal(str(v))
              for k, v in scores.items())
    return max(Decimal(0), sum(signed, Decimal(0)))


@pytest.fixture
def district(client: Any, services: Any) -> Api:
    """PA (ten offices) with its rule set and its open 2026 cycle; PB next door; a small
    sector cycle of 2026 that PA takes part in; the officers, PA's director, an auditor."""
    app = services.app
    app.clock = lambda: datetime(2026, 12, 1, 3, tzinfo=UTC)
    province_with_offices(app, "PA", 10, [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    province_with_offices(app, "PB", 3)
    app.register_unit(ROOT, code="VP", name="Văn phòng", level="central", parent_code=None,
                      effective="2020-01-01")
    app.publish_ruleset(ROOT, content=sample_ruleset())
    app.open_cycle(ROOT, year=YEAR, ruleset_code="QD1779", units=["VP", "PA"], monitoring=[],
                   organisation_scoring=[])
    a = Api(client, services)
    for code in ("PA", "PB", "PAD1", "PAD2", "PBD1"):
        a.user(f"o.{code.lower()}", ["officer"], code)
    a.user("gd.pa", ["unit_head"], "PA")
    a.user("doc.gia", ["auditor"], None)
    ok(a.post("/district-evaluation/rulesets", "o.pa", json={
        "province_code": "PA", "content": DISTRICT_RULES}), 201)
    ok(a.post("/district-evaluation/cycles", "o.pa", json={
        "year": YEAR, "province_code": "PA", "ruleset_code": "TCHUYEN"}), 201)
    return a


def sheets_of(api: Api, scorer: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The scorer's sheets of PA's cycle, each as its detail read gives it."""
    items = ok(api.get(f"/district-evaluation/sheets?year={YEAR}&province=PA&scorer={scorer}"
                       "&page_size=100", "doc.gia"))["items"]
    return {(i["kind"], i["subject_code"]): ok(api.get(
        f"/district-evaluation/sheets/{i['id']}", "doc.gia")) for i in items if i["id"]}


def test_an_office_and_its_province_fill_their_workbooks(district):
    api, app = district, district.services.app
    r = api.get(path("PAD1"), "o.pad1")
    assert r.status_code == 200
    assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]) == \
        f"Bảng chấm điểm BHXH cơ sở năm {YEAR} - PAD1.xlsx"
    data = r.get_data()
    sheet = book(data)[WORKSHEET]
    assert "BHXH CƠ SỞ" in sheet["A1"].value and sheet["B2"].value == YEAR
    assert (sheet["B3"].value, sheet["A6"].value, sheet["B6"].value) == ("PAD1", CYCLE, "PA")
    blocks = score_rows(data)
    assert list(blocks) == [("self", "PAD1")]
    assert list(blocks[("self", "PAD1")]["cells"]) == list(CRITERIA)
    ranges = {c.coord: rule.formula2 for rule in sheet.data_validations.dataValidation
              for c in rule.sqref.ranges}
    assert {ranges[where] for where, _ in blocks[("self", "PAD1")]["cells"].values()} == {
        c["max"] for c in CRITERIA.values()}

    # the province owes its sheet of each office
    data = download(api, "PA")
    blocks = score_rows(data)
    assert sorted(blocks) == sorted(("province_to_district", o) for o in OFFICES)
    filled = {pair: numbers(district_scores(T01=str(25 - i)))
              for i, pair in enumerate(blocks, start=1)}
    head = app.recorder.max_notification_id()
    body = ok(upload(api, "PA", fill_scores(data, filled)))
    assert (body["province_code"], body["sheets"], body["unchanged"]) == ("PA", 10, 0)
    assert body["position"] == app.recorder.max_notification_id() == head + 2 * 10  # one act
    got = sheets_of(api, "PA")
    for pair, scores in filled.items():
        detail = got[pair]
        assert detail["ruleset"]["province"] == "PA" and detail["needs_approval"] is False
        revision = detail["revisions"][-1]
        assert {k: Decimal(v) for k, v in revision["scores"].items()} == {
            k: Decimal(str(v)) for k, v in scores.items()}
        assert Decimal(detail["total"]) == total(scores) and detail["level"] is not None

    # the office fills its own; its sheet then moves under /district-evaluation/sheets
    own = fill_scores(download(api, "PAD1"), {("self", "PAD1"): numbers(district_scores())})
    [written] = ok(upload(api, "PAD1", own))["written"]
    assert (written["kind"], written["total"], written["state"]) == ("self", "100.00", "draft")
    r = api.post(f"/evaluation/sheets/{written['id']}/submit", "o.pad1", json={})
    assert ok(r, 422)["rule"] == "sheet_of_cycle"
    ok(api.post(f"/district-evaluation/sheets/{written['id']}/submit", "o.pad1", json={}))

    # downloaded again it shows what was written; sent back unchanged, nothing is written
    again = download(api, "PA")
    head = app.recorder.max_notification_id()
    body = ok(upload(api, "PA", again))
    assert (body["written"], body["unchanged"], body["position"]) == ([], 10, 0)
    assert app.recorder.max_notification_id() == head


def test_bad_cells_rights_versions_and_sent_sheets(district):
    api, app = district, district.services.app
    data = download(api, "PA")
    blocks = score_rows(data)
    head = app.recorder.max_notification_id()

    # every bad cell named at once, nothing written
    pad1 = blocks[("province_to_district", "PAD1")]["cells"]
    pad2 = blocks[("province_to_district", "PAD2")]
    bad = {pad1["T01"][0]: 26, pad1["T02"][0]: "=15", pad1["T03"][0]: "mười",
           f"B{pad2['row'] + 1}": "PBD1"}  # a block of an office of another province
    body = ok(upload(api, "PA", set_cells(data, bad)), 422)
    assert body["rules"] == {pad1["T01"][0]: "score_above_maximum",
                             pad1["T02"][0]: "workbook_formula",
                             pad1["T03"][0]: "workbook_number",
                             f"B{pad2['row'] + 1}": "province_to_district_pair"}
    assert body["errors"][pad1["T01"][0]] == [
        f"PAD1, T01: 26 is above the maximum {CRITERIA['T01']['max']}"]

    # the scorer's own officer or head only; the file is not even read for anyone else
    filled = fill_scores(data, {("province_to_district", "PAD1"): {"T01": 20}})
    for who in ("o.pb", "o.pad1", "doc.gia"):
        assert ok(upload(api, "PA", filled, who=who), 403)["rule"] == "sheet.write"
    own = download(api, "PAD1")
    assert ok(upload(api, "PAD1", own, who="o.pa"), 403)["rule"] == "sheet.write"
    assert ok(upload(api, "PAD2", own, who="o.pad2"), 422)["rule"] == "workbook_scorer"

    # a workbook of another cycle is refused whole: the sector's, or another province's
    sector = api.get(f"/evaluation/workbooks/{YEAR}/sheets/PA.xlsx", "o.pa").get_data()
    body = ok(upload(api, "PA", sector), 422)
    assert (body["rule"], list(body["errors"])) == ("workbook_cycle", ["file"])
    body = ok(upload(api, "PA", data, where=f"/evaluation/workbooks/{YEAR}/sheets/PA.xlsx"),
              422)
    assert (body["rule"], list(body["errors"])) == ("workbook_cycle", ["B6"])
    body = ok(upload(api, "PA", set_cells(data, {"B6": "PB"})), 422)
    assert (body["rule"], list(body["errors"])) == ("workbook_cycle", ["B6"])
    assert app.recorder.max_notification_id() == head

    # a sheet written since the download: its block is stale (409, its version cell)
    ok(api.put("/district-evaluation/sheets", "o.pa", json={
        "year": YEAR, "province_code": "PA", "kind": "province_to_district",
        "subject_code": "PAD3", "scores": district_scores(T01="20")}))
    pad3 = blocks[("province_to_district", "PAD3")]
    body = ok(upload(api, "PA", fill_scores(data, {("province_to_district", "PAD3"):
                                                   {"T01": 21}})), 409)
    assert body["rule"] == "stale_version" and list(body["errors"]) == [f"B{pad3['row'] + 2}"]

    # a sent sheet is never changed by a workbook; left as it is, it is no obstacle
    sid = ok(api.put("/district-evaluation/sheets", "o.pa", json={
        "year": YEAR, "province_code": "PA", "kind": "province_to_district",
        "subject_code": "PAD4", "scores": district_scores(T01="22")}))["id"]
    for step in ("submit", "send"):
        ok(api.post(f"/district-evaluation/sheets/{sid}/{step}", "o.pa", json={}))
    data = download(api, "PA")
    sent = score_rows(data)[("province_to_district", "PAD4")]
    assert STATES["sent"] in sent["state"]
    assert all(book(data)[WORKSHEET][where].protection.locked for where, _ in
               sent["cells"].values())
    head = app.recorder.max_notification_id()
    body = ok(upload(api, "PA", fill_scores(data, {("province_to_district", "PAD4"):
                                                   {"T01": 1}})), 422)
    assert body["rules"] == {f"B{sent['row']}": "sheet_write_state"}
    assert app.recorder.max_notification_id() == head
    body = ok(upload(api, "PA", fill_scores(data, {("province_to_district", "PAD5"):
                                                   {"T01": 19}}), who="gd.pa"))
    assert [w["subject_code"] for w in body["written"]] == ["PAD5"]

    # only the cycle's units have a workbook of it; a closed cycle takes none
    assert ok(api.get(path("PBD1"), "doc.gia"), 422)["rule"] == "unit_in_cycle"
    assert ok(api.get(path("PBD1", "PB"), "doc.gia"), 404)["rule"] == "exists"
    app.clock = lambda: datetime(2027, 1, 12, 3, tzinfo=UTC)
    ok(api.post(f"/district-evaluation/cycles/PA/{YEAR}/close", "o.pa", json={}))
    data = download(api, "PA")
    body = ok(upload(api, "PA", fill_scores(data, {("province_to_district", "PAD6"):
                                                   {"T01": 18}})), 422)
    assert body["rule"] == "cycle_open"
